// Issue 14, figures that read right, through the built CLI: rates over the sending period with the
// plan beside them (console, summary.md, report.html), half-open time-series intervals, the
// accepted-submits histogram named for what it holds, and report tiles that are red only when
// the scenario's own threshold failed. (The report's layout at 1,400 px was looked at by eye in
// headless Chromium: the failover table fits with its LOST column, p99.9 drawn dashed on top.)
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ResultsFile } from '../../results/results-format.js'
import { cliOut, fixture, mtsim } from './cli-run.js'

const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile

/** The sending period as a reader would find it in the time series: first to last second with a planned or sent message. */
function sendingSeconds(r: ResultsFile): number {
  const busy = r.timeseries.filter((p) => p.planned > 0 || p.sent > 0)
  const end = Math.min(busy.at(-1)!.t + r.meta.intervalMs, r.meta.durationMs)
  return (end - busy[0]!.t) / 1000
}

describe('figures that read right', () => {
  it('a uniform 300/s plan: [t, t+1s) intervals, rates over the sending period beside the plan, tiles judged by the thresholds', async () => {
    const out = cliOut('figures')
    const r = await mtsim(['run', fixture('figures.yaml'), '--out', out, '--no-progress'], { timeoutMs: 60_000 })
    expect(r.code).toBe(0)
    const res = results(out)
    expect(res.totals.planned).toBe(600)
    // The send due at exactly 1000 ms opens the second interval.
    expect(res.timeseries[0]!.planned).toBe(300)
    expect(res.timeseries[1]!.planned).toBe(300)

    // The run lasts longer than its sending (the receipt wait); rates are over the sending only.
    const period = sendingSeconds(res)
    expect(res.meta.durationMs / 1000).toBeGreaterThan(period)
    const rate = (n: number) => (n / period >= 100 ? (n / period).toFixed(0) : (n / period).toFixed(1)) + '/s'
    const sending = `${rate(res.totals.sent)} over ${period.toFixed(1)} s of sending (plan 300/s)`
    expect(r.stdout).toMatch(new RegExp(`\\n  sent\\s+600  ${sending.replace(/[().]/g, '\\$&')}\\n`))
    expect(r.stdout).toContain(`of sent, ${rate(res.totals.accepted)}`)
    expect(r.stdout).toMatch(/\n  to operator \(accepted\)\s+\d+ /)
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(`Rates are over the sending period: sent ${sending}.`)

    const html = readFileSync(join(out, 'report.html'), 'utf8')
    const tile = (label: string) => new RegExp(`<div class="(tile[^"]*)"><div class="label">${label}</div><div class="value">[^<]*</div><div class="tnote">([^<]*)</div>`).exec(html)!
    const sent = tile('Sent')
    expect(sent[2]).toContain(`(dropped ${res.totals.dropped}, late ${res.totals.late})`)
    expect(sent[2]).toContain(sending)
    // ~95% accepted: under the report's 99% rule of thumb, but the scenario's threshold (rate>0.9) passed.
    expect(res.totals.accepted / res.totals.sent).toBeLessThan(0.99)
    expect(res.thresholds[0]).toMatchObject({ metric: 'accept_rate', ok: true })
    expect(tile('Accepted')[1]).toBe('tile')
    expect(html).toContain('To the operator: submits it accepted')
    expect(html).toContain('includeBounds: false')
  })
})
