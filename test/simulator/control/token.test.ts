// The control token stays out of `ps` (issue 11, defect 5): it comes from MTSIM_TOKEN or a file as
// well as --token, and a control API beyond loopback without a token is refused unless forced.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { controlToken } from '../../../cli/options.js'
import { runSimulate } from '../../../cli/commands/simulate.js'
import { MtsimError } from '../../../lib/errors.js'
import type { NetworkConfig } from '../../../simulator/network.js'
import { fakeNetworkFrom } from './fake-network.js'

const ROOT = join(import.meta.dirname, '../../..')
const SMALL = join(ROOT, 'scenarios/networks/small.yaml')
const dir = mkdtempSync(join(tmpdir(), 'mtsim-token-'))

function errorOf(fn: () => unknown): MtsimError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(MtsimError)
    return err as MtsimError
  }
  throw new Error('expected an MtsimError')
}

describe('where the control token comes from', () => {
  it('--token-file (one trailing newline ignored), --token, then MTSIM_TOKEN', () => {
    const file = join(dir, 'token')
    writeFileSync(file, 'from-file\n')
    expect(controlToken({ tokenFile: file }, '127.0.0.1', { MTSIM_TOKEN: 'from-env' })).toBe('from-file')
    expect(controlToken({ token: 'from-flag' }, '127.0.0.1', { MTSIM_TOKEN: 'from-env' })).toBe('from-flag')
    expect(controlToken({}, '127.0.0.1', { MTSIM_TOKEN: 'from-env' })).toBe('from-env')
    expect(controlToken({}, '127.0.0.1', {})).toBeUndefined()
  })

  it('says clearly what is wrong with a token source', () => {
    const empty = join(dir, 'empty')
    writeFileSync(empty, '\n')
    expect(errorOf(() => controlToken({ token: 'a', tokenFile: empty }, '127.0.0.1', {})).message).toBe('control API token: give --token or --token-file, not both')
    expect(errorOf(() => controlToken({ tokenFile: empty }, '127.0.0.1', {})).message).toBe(`control API token: --token-file ${empty} is empty`)
    const missing = join(dir, 'missing')
    const e = errorOf(() => controlToken({ tokenFile: missing }, '127.0.0.1', {}))
    expect(e.code).toBe('MTSIM_ERR_TOKEN_SOURCE')
    expect(e.message).toBe(`control API token: cannot read --token-file ${missing} (ENOENT)`)
  })

  it('refuses a control host beyond loopback without a token unless --insecure-no-token', () => {
    const e = errorOf(() => controlToken({}, '0.0.0.0', {}))
    expect(e.code).toBe('MTSIM_ERR_TOKEN_REQUIRED')
    expect(e.exitCode).toBe(104)
    expect(e.message).toContain('the control API would listen on 0.0.0.0 without a token')
    expect(controlToken({ insecureNoToken: true }, '0.0.0.0', {})).toBeUndefined()
    expect(controlToken({}, '0.0.0.0', { MTSIM_TOKEN: 't' })).toBe('t')
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1']) expect(controlToken({}, host, {})).toBeUndefined()
  })

  it('mtsim simulate refuses --control-host 0.0.0.0 without a token before starting anything', async () => {
    let started = false
    const start = async (config: NetworkConfig) => ((started = true), fakeNetworkFrom(config))
    await expect(runSimulate(SMALL, { controlPort: 0, controlHost: '0.0.0.0' }, { start, env: {}, signals: false, write: () => {} })).rejects.toMatchObject({
      code: 'MTSIM_ERR_TOKEN_REQUIRED',
    })
    expect(started).toBe(false)
  })

  it('the built CLI takes MTSIM_TOKEN from its environment: required by the API, absent from its command line', async () => {
    const network = join(dir, 'small.yaml')
    writeFileSync(network, readFileSync(SMALL, 'utf8').replace(/port: 277\d/g, 'port: 0'))
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'simulate', network, '--control-port', '0'], {
      env: { ...process.env, MTSIM_TOKEN: 'env-s3cret' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      let out = ''
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /control API: (http:\/\/[\d.:]+)/.exec(out)
          if (m) resolve(m[1]!)
        })
        child.once('exit', (code) => reject(new Error(`mtsim exited with ${code}: ${out}`)))
      })
      expect(out).toContain('(send Authorization: Bearer <token>)')
      expect((await fetch(`${url}/operators`)).status).toBe(401)
      expect((await fetch(`${url}/operators`, { headers: { authorization: 'Bearer env-s3cret' } })).status).toBe(200)
      expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8')).not.toContain('env-s3cret')
    } finally {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGINT')
      await exited
    }
  })
})
