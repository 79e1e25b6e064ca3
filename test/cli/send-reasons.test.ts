// Issue 14 item 6, through the built CLI: when sends are dropped or late the run says why, in words
// with figures, and every dropped and late send has exactly one reason in results.json (the books
// refuse a run where they do not add up). Two causes made on purpose: a window too small for a
// slow operator, and the mtsim process itself stopped (SIGSTOP) mid-run.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ResultsFile } from '../../results/results-format.js'
import { cliOut, fixture, mtsim } from './cli-run.js'

const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile

function reasonsAddUp(r: ResultsFile): void {
  const d = r.sendDelays!
  const w = Object.values(d.window)
  expect(w.reduce((n, x) => n + x.dropped, 0) + d.behind.dropped + d.interrupted.dropped).toBe(r.totals.dropped)
  expect(w.reduce((n, x) => n + x.late, 0) + d.behind.late).toBe(r.totals.late)
}

describe('why sends were dropped or late', () => {
  it('a window too small for a slow operator: window full at it, with its answer time, what the window carries and the plan', async () => {
    const out = cliOut('send-reasons-window')
    const r = await mtsim(['run', fixture('send-reasons-window.yaml'), '--out', out, '--no-progress'], { timeoutMs: 60_000 })
    expect(r.code).toBe(0)
    const res = results(out)
    reasonsAddUp(res)
    // 200/s planned against ~40/s carried: most sends wait past max_lag.
    expect(res.totals.dropped).toBeGreaterThan(100)
    const w = res.sendDelays!.window['slow']!
    expect(w.dropped).toBeGreaterThan(100)
    // The engine saw the binds full: one bind x window 2 in flight.
    expect(w.inFlight).toBe(2)
    const line = new RegExp(
      `window full at slow: ${w.dropped.toLocaleString('en-US')} dropped( and [\\d,]+ late)? while waiting for room on its binds \\(up to 2 submit\\(s\\) in flight\\); ` +
        `the gateway answered its submits in [\\d.]+ ms on average \\(p99 [\\d.]+ ms\\), so 2 in flight carry ~[\\d.]+/s, and the plan asked for 200/s: the gateway answers too slowly for this window`,
    )
    expect(r.stdout).toMatch(new RegExp(`why ${res.totals.dropped.toLocaleString('en-US')} send\\(s\\) were dropped( and [\\d,]+ late)?:`))
    expect(r.stdout).toMatch(line)
    // A busy machine may add sends the loop itself came late for; the window is still most of them.
    expect(w.dropped).toBeGreaterThan(res.sendDelays!.behind.dropped)
    const md = readFileSync(join(out, 'summary.md'), 'utf8')
    expect(md).toMatch(/\*\*why [\d,]+ send\(s\) were dropped( and [\d,]+ late)?\*\*/)
    expect(md).toMatch(line)
  })

  it('the mtsim process stopped mid-run: the machine behind its plan, with how late the event loop ran', async () => {
    const out = cliOut('send-reasons-stall')
    let stopped = false
    const r = await mtsim(['run', fixture('send-reasons-stall.yaml'), '--out', out], {
      timeoutMs: 60_000,
      during: (child, output) => {
        // The first progress line says the plan's clock runs; then hold the process for longer than max_lag (300 ms).
        const watch = setInterval(() => {
          if (stopped || !/msg\/s sent\/planned/.test(output().stderr)) return
          stopped = true
          clearInterval(watch)
          child.kill('SIGSTOP') // our own child, by its handle
          setTimeout(() => child.kill('SIGCONT'), 1500)
        }, 20)
        child.on('close', () => clearInterval(watch))
      },
    })
    expect(stopped).toBe(true)
    expect(r.code).toBe(0)
    const res = results(out)
    reasonsAddUp(res)
    const d = res.sendDelays!
    expect(d.behind.dropped).toBeGreaterThan(0)
    // Held for 1.5 s at least: sends that fell due then went out or were dropped that late, and the loop measured it.
    expect(d.behind.maxLateMs).toBeGreaterThan(1000)
    expect(d.loop.delayMaxMs).toBeGreaterThan(1000)
    expect(r.stdout).toMatch(/machine behind its plan: [\d,]+ dropped( and [\d,]+ late)? with room on the binds whenever the loop looked \(the latest [\d.]+ s? ?m?s after its plan time\): the event loop ran up to [\d.]+ m?s late \(p99 [\d.]+ m?s\) and mtsim used \d+% of a core while sending/)
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('machine behind its plan')
  })
})
