// Kannel's boxes as child processes we own. They run in their own process group (detached) so a
// Ctrl-C in the terminal reaches only mtsim, which then shuts Kannel down in order. A detached
// child outlives its parent, so: a process 'exit' hook kills every box still alive, and where
// util-linux setpriv is available each box is exec'd through `setpriv --pdeathsig KILL`, so the
// kernel kills it the moment mtsim dies, even by SIGKILL (orphans.ts has the PID-file layer).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { join } from 'node:path'

export interface Box {
  readonly name: 'bearerbox' | 'smsbox'
  readonly pid: number
  /** stdout and stderr, together. */
  readonly outFile: string
  alive(): boolean
  /** Resolves when the process has exited, with how. */
  readonly exited: Promise<string>
  signal(sig: NodeJS.Signals): void
}

const live = new Set<ChildProcess>()
let hooked = false

function hookExit(): void {
  if (hooked) return
  hooked = true
  process.on('exit', () => {
    for (const child of live) {
      try {
        if (child.pid) process.kill(child.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
  })
}

let deathSignal: string[] | undefined

/**
 * `setpriv --pdeathsig KILL --` when this system's setpriv has it (Linux, util-linux 2.33+), else
 * nothing. setpriv sets the parent-death signal, then execs the box: same PID, no extra process.
 * The parent is the thread that spawns, mtsim's main thread, which lives as long as mtsim.
 */
export function deathSignalPrefix(): string[] {
  if (deathSignal === undefined) {
    deathSignal = []
    if (process.platform === 'linux') {
      const probe = spawnSync('setpriv', ['--help'], { encoding: 'utf8' })
      if (probe.status === 0 && probe.stdout.includes('--pdeathsig')) deathSignal = ['setpriv', '--pdeathsig', 'KILL', '--']
    }
  }
  return deathSignal
}

export function spawnBox(name: Box['name'], bin: string, args: string[], dir: string): Promise<Box> {
  hookExit()
  const outFile = join(dir, `${name}.out`)
  const fd = openSync(outFile, 'a')
  const [wrapper, ...wrapperArgs] = deathSignalPrefix()
  const child = wrapper
    ? spawn(wrapper, [...wrapperArgs, bin, ...args], { cwd: dir, detached: true, stdio: ['ignore', fd, fd] })
    : spawn(bin, args, { cwd: dir, detached: true, stdio: ['ignore', fd, fd] })
  closeSync(fd)
  let running = true
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, sig) => {
      running = false
      live.delete(child)
      resolve(sig ? `killed by ${sig}` : `exited with code ${code}`)
    })
  })
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      running = false
      reject(err)
    })
    child.once('spawn', () => {
      live.add(child)
      resolve({
        name,
        pid: child.pid!,
        outFile,
        alive: () => running,
        exited,
        signal: (sig) => {
          if (running) child.kill(sig)
        },
      })
    })
  })
}

/** Waits up to `ms` for the box to exit; true when it did. */
export async function waitExit(box: Box, ms: number): Promise<boolean> {
  if (!box.alive()) return true
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  const done = await Promise.race([box.exited.then(() => true as const), timeout])
  clearTimeout(timer)
  return done
}
