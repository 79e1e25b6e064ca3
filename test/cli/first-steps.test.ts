// Issue 14, README and first steps, as a new user meets them: `npm ci` is quiet on the Node the
// README promises, the tour's `npx mtsim ...` works from the project folder, the national
// network's outage comment says what the simulator does, and `mtsim gateway kannel`'s example
// says what must listen on its dlr-url.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeKannel } from '../../cli/commands/gateway.js'
import type { KannelHandle } from '../../gateways/kannel/index.js'
import { CLI, ROOT } from './cli-run.js'

function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
    const limit = setTimeout(() => {
      child.kill('SIGKILL') // our own child, by its handle
      reject(new Error(`${cmd} ${args.join(' ')} did not end within ${timeoutMs} ms:\n${out}`))
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(limit)
      resolve({ code, out })
    })
  })
}

describe('first steps', () => {
  it('npm ci warns of no unsupported engine (cookie via light-my-request, kubernetes-models) on this Node', async () => {
    // --dry-run reads the lockfile and checks engines without touching node_modules.
    const r = await run('npm', ['ci', '--dry-run', '--offline', '--no-audit', '--no-fund'])
    expect(r.out).not.toMatch(/EBADENGINE/)
    expect(r.code).toBe(0)
  })

  it('the README tour says how to call mtsim, and `npx mtsim` runs the built CLI from the project folder', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const tour = readme.slice(readme.indexOf('## A five-minute tour'), readme.indexOf('## Scenario library'))
    expect(tour).toMatch(/`npx mtsim \.\.\.` runs it here; `npm link` once puts\s+`mtsim` on your PATH/)
    // Every command line the tour writes inline (a command with its file) is the npx form (bare `mtsim` needs npm link).
    const inline = [...tour.matchAll(/`((?:npx )?mtsim (?:validate|plan|simulate|gateway kannel|run) [^`]*\.ya?ml[^`]*)`/g)].map((m) => m[1])
    expect(inline.length).toBeGreaterThanOrEqual(3)
    for (const command of inline) expect(command).toMatch(/^npx mtsim /)
    expect(CLI).toContain('dist')
    const r = await run('npx', ['--offline', 'mtsim', 'validate', 'scenarios/networks/national.yaml'])
    expect(r.out).toContain('valid network file')
    expect(r.code).toBe(0)
  })

  it("national.yaml's outage comment says what an outage does (test/simulator/faults.test.ts checks the behaviour)", () => {
    const text = readFileSync(join(ROOT, 'scenarios/networks/national.yaml'), 'utf8')
    const comment = text.slice(0, text.indexOf('- { event: outage')).split('\n').slice(-3).join('\n')
    expect(comment).toContain('answered ESME_RBINDFAIL')
    expect(comment).not.toMatch(/connections are refused/)
  })

  it("gateway kannel's try: line says what must listen on its dlr-url", () => {
    const k = {
      sendsmsUrl: 'http://127.0.0.1:13013/cgi-bin/sendsms',
      statusUrl: 'http://127.0.0.1:13000/status',
      username: 'mtsim',
      password: 'mtsim',
      dir: ROOT,
      pids: { bearerbox: 1, smsbox: 2 },
      config: { smscs: [], skipped: [] },
    } as unknown as KannelHandle
    const text = describeKannel(k, '4790000000')
    const url = /dlr-url=([^'&]+)/.exec(text)![1]!
    const { hostname: host, port } = new URL(decodeURIComponent(url))
    expect(text).toContain(`start something on ${host}:${port} first`)
    expect(text).toContain(`python3 -m http.server ${port} --bind ${host}`)
  })
})
