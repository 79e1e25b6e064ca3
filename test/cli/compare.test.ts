// Issue 14, an honest comparison, through the built CLI: `mtsim report new --baseline old` sets
// counts and rates beside the latencies, flags latencies over different messages, gives a verdict,
// and `--fail-on-regression` exits 98 on a regression.
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliOut, fixture, mtsim } from './cli-run.js'

let base = ''
let lossy = ''

beforeAll(async () => {
  base = cliOut('compare-base')
  lossy = cliOut('compare-lossy')
  // Two real runs: every receipt back (baseline), then 90% of receipts lost but the rest fast.
  for (const [file, out] of [['compare-base.yaml', base], ['compare-lossy.yaml', lossy]]) {
    const r = await mtsim(['run', fixture(file), '--out', out, '--no-progress', '--no-report'])
    if (r.code !== 0) throw new Error(`mtsim run ${file} exited ${r.code}:\n${r.stderr}`)
  }
}, 120_000)

describe('mtsim report --baseline', () => {
  it('a run that lost its receipts is a regression, however much better its receipt latency looks (98)', async () => {
    const r = await mtsim(['report', join(lossy, 'results.json'), '--baseline', join(base, 'results.json'), '--out', cliOut('compare-report'), '--fail-on-regression'])
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.code).toBe(98)
    expect(r.stdout).toMatch(/WORSE\s+Missing \(no receipt\)\s+0\s+1\d\d\s+new \(baseline 0\)/)
    expect(r.stdout).toMatch(/WORSE\s+Delivery rate\s+100\.00%\s+\d+\.\d+%/)
    // The receipt latencies fell (fast receipts), but over ~10% of the messages: not comparable, not "better".
    expect(r.stdout).toMatch(/NOT COMPARABLE\s+Receipt latency p90/)
    expect(r.stdout).toMatch(/Receipt latency p90: receipt latency covers \d+\.\d% of accepted messages, 100\.0% in the baseline: different messages, not comparable/)
    expect(r.stdout).toMatch(/verdict: REGRESSION: \d+ figure\(s\) worse than the baseline beyond 10%/)
    for (const label of ['Dropped (never sent)', 'Rejected (error status)', 'Failed (no answer)', 'Accept rate', 'Accepted throughput']) expect(r.stdout).toContain(label)
  })

  it('the same comparison without --fail-on-regression keeps the thresholds\' exit code (0)', async () => {
    const r = await mtsim(['report', join(lossy, 'results.json'), '--baseline', join(base, 'results.json'), '--out', cliOut('compare-report-nofail')])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('verdict: REGRESSION')
  })

  it('a run against itself: NO REGRESSION, exit 0 with --fail-on-regression', async () => {
    const r = await mtsim(['report', join(base, 'results.json'), '--baseline', join(base, 'results.json'), '--out', cliOut('compare-same'), '--fail-on-regression'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('verdict: NO REGRESSION: nothing worse than the baseline beyond 10%')
    expect(r.stdout).not.toContain('NOT COMPARABLE')
  })

  it('--fail-on-regression without --baseline is a usage error (104)', async () => {
    const r = await mtsim(['report', join(base, 'results.json'), '--out', cliOut('compare-nobase'), '--fail-on-regression'])
    expect(r.code).toBe(104)
    expect(r.stderr).toContain('--fail-on-regression needs --baseline')
  })
})
