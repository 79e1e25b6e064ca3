// A managed Kannel never outlives mtsim (issue 11, defect 6): SIGKILL an mtsim that started
// bearerbox and smsbox, and both are gone (the kernel's parent-death signal, set through
// setpriv), where before they were reparented to PID 1 and kept retrying the dead SMSCs. And the
// PID-file layer: the next start kills boxes an mtsim left behind, never a process that merely
// reuses a recorded PID.
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { kannelAvailable } from '../../../gateways/kannel/index.js'
import { PID_FILE, processInfo, reapOrphans, registryDir } from '../../../gateways/kannel/orphans.js'

const ROOT = join(import.meta.dirname, '../../..')
const skip = !kannelAvailable() && !process.env.CI
if (skip) console.warn('test/gateways/kannel/orphans.test.ts (SIGKILL case) skipped: Kannel is not installed (apt-get install kannel); with CI=true this fails instead')

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
})

/** Resolves once `pid` has no live process (gone or a zombie); fails after `ms`. Polls /proc: there is no event for a process that is not our child. */
async function gone(pid: number, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (processInfo(pid) !== undefined) {
    if (Date.now() > end) throw new Error(`pid ${pid} still running after ${ms} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** A process whose program name is "bearerbox" (a copy of sleep), started by this test. */
async function fakeBox(dir: string, n: number): Promise<ChildProcess> {
  mkdirSync(join(dir, `box${n}`))
  const bin = join(dir, `box${n}`, 'bearerbox') // a copy each: a running binary cannot be overwritten
  copyFileSync('/bin/sleep', bin)
  const child = spawn(bin, ['300'], { stdio: 'ignore' })
  children.push(child)
  await new Promise((r) => child.once('spawn', r)) // exec'd: its name is bearerbox now
  return child
}

describe('reaping boxes left behind', () => {
  it('kills a recorded box whose mtsim is gone; leaves boxes of a live mtsim and reused PIDs alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-orphans-'))
    const registry = join(dir, 'registry')
    mkdirSync(registry)
    const me = processInfo(process.pid)!
    const entry = (name: string, owner: { pid: number; start: number }, boxes: { name: string; pid: number; start: number }[]) => {
      const run = join(dir, name)
      mkdirSync(run)
      writeFileSync(join(run, PID_FILE), JSON.stringify({ owner, boxes }))
      writeFileSync(join(registry, `${name}.json`), JSON.stringify({ pidFile: join(run, PID_FILE) }))
    }
    const orphan = await fakeBox(dir, 1)
    const ownedByLive = await fakeBox(dir, 2)
    const reused = await fakeBox(dir, 3)
    const info = (c: ChildProcess) => {
      const i = processInfo(c.pid!)!
      return { name: 'bearerbox', pid: i.pid, start: i.start }
    }
    // An owner with our PID but another start time is a dead mtsim whose PID was reused.
    entry('dead-owner', { pid: me.pid, start: me.start - 1 }, [info(orphan)])
    entry('live-owner', me, [info(ownedByLive)])
    entry('reused-pid', { pid: me.pid, start: me.start - 1 }, [{ ...info(reused), start: info(reused).start - 1 }])

    const exited = new Promise((r) => orphan.once('exit', r))
    expect(reapOrphans(registry)).toEqual([`bearerbox pid ${orphan.pid}`])
    await exited
    expect(processInfo(ownedByLive.pid!)).toBeDefined()
    expect(processInfo(reused.pid!)).toBeDefined()
    // Entries of dead owners are done with; the live one stays for its mtsim.
    expect(readdirSync(registry)).toEqual(['live-owner.json'])
    rmSync(dir, { recursive: true, force: true })
  })
})

describe.skipIf(skip)('a SIGKILLed mtsim', () => {
  it('takes its bearerbox and smsbox with it', async () => {
    const dir = mkdtempSync(join(ROOT, 'out', 'orphans-'))
    const network = join(dir, 'network.yaml')
    writeFileSync(
      network,
      `operators:\n  - { id: alpha, mcc: "242", mnc: "01", prefixes: ["4790"], smpp: { port: 0, accounts: [{ system_id: alpha, password: pa }] } }\n`,
    )
    const mtsim = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'gateway', 'kannel', network, '--dir', join(dir, 'kannel'), '--control-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(mtsim)
    let out = ''
    let pids: number[] = []
    try {
      await new Promise<void>((resolve, reject) => {
        mtsim.stdout!.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /bearerbox pid (\d+), smsbox pid (\d+)/.exec(out)
          if (m) pids = [Number(m[1]), Number(m[2])]
          if (pids.length && out.includes('running until Ctrl-C')) resolve()
        })
        mtsim.stderr!.on('data', (d: Buffer) => (out += d.toString()))
        mtsim.once('exit', (code) => reject(new Error(`mtsim gateway kannel exited (${code}) before it was ready:\n${out}`)))
      })
      expect(pids.map((p) => processInfo(p)?.name)).toEqual(['bearerbox', 'smsbox'])
      const killed = new Promise((r) => mtsim.once('exit', r))
      mtsim.kill('SIGKILL')
      await killed
      for (const pid of pids) await gone(pid)
    } finally {
      // Whatever happened, nothing of this test keeps running (the boxes are our descendants).
      for (const pid of pids) if (processInfo(pid)) process.kill(pid, 'SIGKILL')
      if (existsSync(registryDir())) for (const f of readdirSync(registryDir())) if (f.startsWith(`${mtsim.pid}-`)) rmSync(join(registryDir(), f), { force: true })
    }
  }, 60_000)
})
