// Issue 14 items 3-5 through the built CLI: the plan printed without sending (`mtsim plan`,
// `mtsim run --dry-run`), a --duration cut said out loud, and a plan no link can carry: warned
// about before sending, run with bounded memory, stopped by Ctrl-C with its books balanced.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ResultsFile } from '../../results/results-format.js'
import { checkBooks } from '../../results/results-writer.js'
import { cliOut, fixture, mtsim } from './cli-run.js'

describe('mtsim plan and run --dry-run', () => {
  it('prints messages per stream, operators, encodings, segments, peak and mean rate and duration; sends nothing', async () => {
    const r = await mtsim(['plan', fixture('cut.yaml')])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('nothing is sent')
    expect(r.stdout).toMatch(/otp\s+200\s+0s\s+2s\s+100\.0\s+100\.0\s+constant-arrival-rate, uniform/)
    expect(r.stdout).toMatch(/late\s+10\s+1s\s+1s\s+10\.0\s+10\.0/)
    // Weights 3:1 by operator and 1:1 by template (one of them UCS-2: the check mark).
    const ops = /otp: 200 segments \(1\.00 per message\); encoding gsm7 (\d+), ucs2 (\d+)\n\s+operators: north (\d+) \(\d+%\), south (\d+)/.exec(r.stdout)
    expect(ops, r.stdout).not.toBeNull()
    const [gsm, ucs, north, south] = ops!.slice(1).map(Number)
    expect(gsm + ucs).toBe(200)
    expect(north + south).toBe(200)
    expect(north).toBeGreaterThan(south * 2)
    expect(ucs).toBeGreaterThan(50)
    expect(r.stdout).toMatch(/total: 210 messages over 2s; peak 110\.0\/s/)
  })

  it('run --dry-run prints the same plan, with what --duration cuts, and starts nothing', async () => {
    const out = join(cliOut('dry-run'), 'never')
    const r = await mtsim(['run', fixture('cut.yaml'), '--dry-run', '--duration', '500ms', '--out', out])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/otp\s+50\s+0s\s+500ms/)
    expect(r.stdout).toContain('--duration 500ms cuts stream otp: 50 of 200 messages planned (25%), 500ms of its 2s')
    expect(r.stdout).toContain('--duration 500ms leaves out stream late: it starts at 1s; 0 of its 10 messages planned')
    expect(r.stderr).not.toContain('operator north')
    expect(existsSync(out)).toBe(false)
  })

  it('a run under --duration says what was cut before it starts', async () => {
    const out = cliOut('cut')
    const r = await mtsim(['run', fixture('cut.yaml'), '--duration', '500ms', '--out', out, '--no-progress'])
    expect(r.code).toBe(0)
    const cut = r.stderr.indexOf('--duration 500ms cuts stream otp: 50 of 200 messages planned')
    expect(cut).toBeGreaterThanOrEqual(0)
    expect(cut).toBeLessThan(r.stderr.indexOf('operator north'))
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile
    expect(res.totals.planned).toBe(50)
  })
})

describe('a plan no link can carry', () => {
  const warning = /stream promo peaks at 10,000,000\/s; north gets 10,000,000\/s at the peak, but 1 bind x window 10 at ~[\d.]+ ms carry ~[\d,]+\/s/

  it('validate says so (the file is still valid)', async () => {
    const r = await mtsim(['validate', fixture('huge-rate.yaml')])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(warning)
  })

  it('the run says so before sending, keeps its memory bounded, and Ctrl-C stops it with balanced books (105)', async () => {
    const out = cliOut('huge-rate')
    let hwmMb = 0
    let interruptedAt = 0
    const r = await mtsim(['run', fixture('huge-rate.yaml'), '--out', out, '--no-progress'], {
      timeoutMs: 60_000,
      during: (child, output) => {
        // Two seconds of plan (2 x 10^7 sends due) after the binds are up, then Ctrl-C.
        const poll = setInterval(() => {
          if (!output().stderr.includes('operator south:')) return
          clearInterval(poll)
          setTimeout(() => {
            const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
            hwmMb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
            interruptedAt = Date.now()
            child.kill('SIGINT')
          }, 2000)
        }, 20)
        child.on('close', () => clearInterval(poll))
      },
    })
    expect(interruptedAt).toBeGreaterThan(0)
    expect(r.stderr).toMatch(warning)
    expect(r.stderr.search(warning)).toBeLessThan(r.stderr.indexOf('operator north:'))
    expect(r.code).toBe(105)
    // Was 2 GB and growing with the plan (every due send queued); bounded now whatever the rate.
    expect(hwmMb).toBeGreaterThan(0)
    expect(hwmMb).toBeLessThan(400)
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile
    expect(res.meta.interrupted).toBe(true)
    expect(checkBooks(res)).toEqual([])
    expect(res.totals.planned).toBeLessThan(100_000_000)
    expect(res.totals.dropped).toBeGreaterThan(res.totals.sent)
  })
})
