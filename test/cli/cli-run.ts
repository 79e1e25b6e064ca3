// Drives the built CLI (npm test builds dist/ first) for the issue 14 acceptance tests: one child
// process per call, bounded in time, killed by its own handle when it overstays; `during` may act
// on the child while it runs (a Ctrl-C, a memory probe).
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'

export const ROOT = join(import.meta.dirname, '../..')
export const CLI = join(ROOT, 'dist/cli/main.js')
export const CLI_FIXTURES = join(import.meta.dirname, 'fixtures')

export interface CliExit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CliRunOptions {
  timeoutMs?: number
  during?: (child: ChildProcess, output: () => { stdout: string; stderr: string }) => void
}

export function mtsim(args: string[], opts: CliRunOptions = {}): Promise<CliExit> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does)`)
  const timeoutMs = opts.timeoutMs ?? 30_000
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    const limit = setTimeout(() => {
      child.kill('SIGKILL') // our own child, by its handle
      reject(new Error(`mtsim ${args.join(' ')} did not end within ${timeoutMs} ms:\n${stderr}`))
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(limit)
      resolve({ code, signal, stdout, stderr })
    })
    opts.during?.(child, () => ({ stdout, stderr }))
  })
}

/** A fresh output folder under out/test-cli/. */
export function cliOut(name: string): string {
  const root = join(ROOT, 'out', 'test-cli')
  mkdirSync(root, { recursive: true })
  return mkdtempSync(join(root, `${name}-`))
}

export const fixture = (name: string) => join(CLI_FIXTURES, name)
