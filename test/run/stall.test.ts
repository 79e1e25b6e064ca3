// Issue 3: a stalled operator shows in the corrected latency and not in the uncorrected one
// (coordinated omission, as wrk2 explains it). At 1 s into the load the operator takes 1 s to answer
// anything it gets for 300 ms; the bind's window (10) fills at once, so the sends due in the next
// second wait. Measured from the plan
// time they were late by up to a second; measured from when they finally went out, they look fast.
import { describe, it, expect } from 'vitest'
import { runScenario } from '../../run/run-scenario.js'
import { decodeHistogram } from '../../lib/hdr.js'
import { operator, outDir, pct, scenario, stream } from './helpers.js'

describe('a stalled operator', () => {
  it('shows in the corrected percentiles and not in the uncorrected ones', async () => {
    const sc = scenario({
      network: {
        operators: [
          operator('slow', '4790', {
            latency: { distribution: 'fixed', value: '2ms' },
            timeline: [{ at: '1s', event: 'latency_spike', duration: '300ms', latency: { distribution: 'fixed', value: '1s' } }],
          }),
        ],
      },
      gateway: { kind: 'direct', window: 10 },
      streams: [stream(1000, 4, ['slow'])], // 250/s: ~250 sends fall due while the window is stuck
      receipts: { wait: '2s' },
      scheduling: { max_lag: '5s' }, // late, not dropped
    })
    const { results } = await runScenario(sc, { outDir: outDir('stall') })
    const t = results.totals
    expect([t.sent, t.accepted, t.dropped]).toEqual([1000, 1000, 0])

    const corrected = pct(results.histograms.submit.corrected)
    const uncorrected = pct(results.histograms.submit.uncorrected)
    expect(corrected.count).toBe(1000)
    expect(uncorrected.count).toBe(1000)
    // Only the ~10 submits inside the window during the spike took ~1 s after they went out (at
    // most 2% of them, whatever else the machine is doing)...
    expect(uncorrected.max).toBeGreaterThanOrEqual(990)
    expect(decodeHistogram(results.histograms.submit.uncorrected).getValueAtPercentile(98) / 1000).toBeLessThan(900)
    // ...but every send due during the stall waited for them: a fifth of the run is late by
    // 0..1 s from its plan time. The corrected p90 is hundreds of ms, the uncorrected a few.
    expect(corrected.p90).toBeGreaterThan(200)
    expect(corrected.p90).toBeGreaterThan(uncorrected.p90 * 10)
    expect(corrected.p99).toBeGreaterThan(800)
    expect(corrected.max).toBeGreaterThanOrEqual(990)
    expect(t.late).toBeGreaterThan(150)
    // The fault is in the results, in run time.
    expect(results.faults).toEqual([expect.objectContaining({ operator: 'slow', kind: 'latency_spike', source: 'timeline' })])
    expect(results.faults[0]!.start).toBeGreaterThanOrEqual(990)
    expect(results.faults[0]!.end - results.faults[0]!.start).toBe(300)
  })
})
