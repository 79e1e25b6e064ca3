// Issue 3: `mtsim run`'s exit codes through the built CLI (npm test builds dist/ first): 0 every
// threshold held, 99 a threshold failed, 104 invalid scenario or network, 105 interrupted (with
// results.json and the report still written and the books balanced). Anything else is a bug.
import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ResultsFile } from '../../results/results-format.js'
import { CLI, FIXTURES, REPO, outDir } from './helpers.js'

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs `mtsim run <fixture> --out <dir>`; `during` may act on the child while it runs. Bounded by timeoutMs. */
function mtsimRun(fixture: string, out: string, during?: (child: ReturnType<typeof spawn>, stderr: () => string) => void, timeoutMs = 20_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', join(FIXTURES, fixture), '--out', out, '--no-progress'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const limit = setTimeout(() => {
      child.kill('SIGKILL') // our own child, by its handle
      reject(new Error(`mtsim run ${fixture} did not end within ${timeoutMs} ms:\n${stderr}`))
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(limit)
      resolve({ code, signal, stdout, stderr })
    })
    during?.(child, () => stderr)
  })
}

const readResults = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile

describe('mtsim run exit codes', () => {
  it('0 when every threshold holds, with results and report written', async () => {
    const out = outDir('cli-pass')
    const r = await mtsimRun('pass.yaml', out)
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('thresholds: all 2 passed')
    const results = readResults(out)
    expect(results.totals.sent).toBe(200)
    expect(results.meta.interrupted).toBe(false)
    expect([results.totals.planned, results.totals.accepted, results.totals.delivered]).toEqual([200, 200, 200])
    for (const f of ['report.html', 'junit.xml', 'summary.md']) expect(existsSync(join(out, f)), f).toBe(true)
  })

  it('99 when a threshold failed, naming it', async () => {
    const out = outDir('cli-fail')
    const r = await mtsimRun('fail.yaml', out)
    expect(r.code).toBe(99)
    expect(r.stdout).toMatch(/FAIL\s+overall\s+accepted count>1000\s+200/)
    expect(readResults(out).thresholds.map((t) => t.ok)).toEqual([true, false])
  })

  it('104 for an invalid scenario: every problem with file, line, path, expected and found; nothing run', async () => {
    const out = outDir('cli-bad-scenario')
    const r = await mtsimRun('invalid-scenario.yaml', out)
    expect(r.code).toBe(104)
    expect(r.stderr).toContain('MTSIM_ERR_CONFIG_INVALID')
    expect(r.stderr).toMatch(/invalid-scenario\.yaml:5:1 strem: expected one of the keys .*found unknown key "strem"/)
    expect(r.stderr).toMatch(/invalid-scenario\.yaml:9:5 streams\[0\]\.rate: expected .*0 or more, at most 10000000, found -5/)
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/)
    expect(existsSync(join(out, 'results.json'))).toBe(false)
  })

  it('104 for an invalid network, its problems listed under the scenario', async () => {
    const r = await mtsimRun('invalid-network.yaml', outDir('cli-bad-network'))
    expect(r.code).toBe(104)
    expect(r.stderr).toMatch(/bad-network\.yaml:4:5 operators\[0\]\.mcc: expected a 3-digit MCC like "242", found "24"/)
    expect(r.stderr).toMatch(/bad-network\.yaml:6:5 operators\[0\]\.prefix: .*found unknown key "prefix"/)
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/)
  })

  it('105 on SIGINT mid-run, with results.json (interrupted, books balanced) and report.html written', async () => {
    const out = outDir('cli-sigint')
    let sentAt = 0
    const r = await mtsimRun('long.yaml', out, (child, stderr) => {
      // Once both operators listen the load starts; interrupt a second and a half into it.
      const poll = setInterval(() => {
        if (!stderr().includes('operator south:')) return
        clearInterval(poll)
        setTimeout(() => {
          sentAt = Date.now()
          child.kill('SIGINT')
        }, 1500)
      }, 20)
      child.on('close', () => clearInterval(poll))
    })
    expect(sentAt).toBeGreaterThan(0)
    expect(r.code).toBe(105)
    expect(r.stderr).toContain('SIGINT: stopping the run')
    const results = readResults(out)
    expect(results.meta.interrupted).toBe(true)
    const t = results.totals
    // Only what fell due before the interrupt was planned: about 1.5 s of 100/s, not 6000.
    expect(t.planned).toBeGreaterThan(50)
    expect(t.planned).toBeLessThan(1000)
    expect(t.sent).toBeGreaterThan(0)
    expect(existsSync(join(out, 'report.html'))).toBe(true)
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('cli-long')
  })
})
