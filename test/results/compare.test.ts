// Baseline comparison: relative deltas of the key figures, flagged worse only beyond the
// tolerance and only in the bad direction (latency up, delivery or throughput down).
import { describe, it, expect } from 'vitest'
import { compareResults } from '../../results/compare.js'
import { resultsFigures } from '../../results/run-figures.js'
import { syntheticRun, emptyTotals } from '../reports/fixtures.js'

const keys = [
  'submit_p50', 'submit_p90', 'submit_p99', 'receipt_p50', 'receipt_p90', 'receipt_p99', 'delivery_rate', 'accept_rate', 'accepted_per_s',
  'missing', 'dropped', 'rejected', 'failed',
]

describe('compareResults', () => {
  const base = syntheticRun({ durationS: 30, rate: 100 })

  it('the same run against itself: every change 0, nothing worse', () => {
    const c = compareResults(base, base)
    expect(c.deltas.map((d) => d.key)).toEqual(keys)
    // A count of 0 on both sides has no relative change (null), never a worse one.
    expect(c.deltas.map((d) => (d.baseline === 0 ? d.change === null : d.change === 0))).toEqual(keys.map(() => true))
    expect(c.worse).toBe(0)
    expect(c.verdict).toBe('no regression')
    expect(c.tolerance).toBe(0.1)
  })

  it('a 25% slower run is flagged on every latency; rates unchanged are not', () => {
    const slow = syntheticRun({ durationS: 30, rate: 100, slowdown: 1.25 })
    const c = compareResults(slow, base)
    const worse = c.deltas.filter((d) => d.worse).map((d) => d.key)
    // p99 is dominated by the generator stall (lateness, not operator latency), so it moves less.
    expect(worse).toEqual(expect.arrayContaining(['submit_p50', 'submit_p90', 'receipt_p50', 'receipt_p90', 'receipt_p99']))
    expect(worse).not.toContain('delivery_rate')
    expect(worse).not.toContain('accepted_per_s')
    const p50 = c.deltas.find((d) => d.key === 'submit_p50')!
    expect(p50.change!).toBeGreaterThan(0.2)
    expect(p50.change!).toBeLessThan(0.3)
    expect(p50.baseline).toBe(resultsFigures(base).latency.submit.p50)
  })

  it('the tolerance decides: a 25% change passes at 30% and fails at 20%', () => {
    const slow = syntheticRun({ durationS: 30, rate: 100, slowdown: 1.25 })
    const at = (tol: number) => compareResults(slow, base, tol).deltas.find((d) => d.key === 'receipt_p50')!.worse
    expect(at(0.3)).toBe(false)
    expect(at(0.2)).toBe(true)
  })

  it('faster is never worse; lower delivery and throughput are', () => {
    const fast = syntheticRun({ durationS: 30, rate: 100, slowdown: 0.5 })
    expect(compareResults(fast, base).worse).toBe(0)
    const worseDelivery = structuredClone(base)
    worseDelivery.totals.delivered = Math.round(base.totals.delivered * 0.85)
    worseDelivery.totals.undelivered += base.totals.delivered - worseDelivery.totals.delivered
    const d = compareResults(worseDelivery, base).deltas.find((x) => x.key === 'delivery_rate')!
    expect(d.change!).toBeCloseTo(-0.15, 2)
    expect(d.worse).toBe(true)
    // The same messages over a sending period 1.2 times as long (rates are over the sending period).
    const lessThroughput = structuredClone(base)
    lessThroughput.meta.intervalMs = base.meta.intervalMs * 1.2
    lessThroughput.meta.durationMs = base.meta.durationMs * 1.2
    lessThroughput.timeseries = base.timeseries.map((p) => ({ ...p, t: p.t * 1.2 }))
    const t = compareResults(lessThroughput, base).deltas.find((x) => x.key === 'accepted_per_s')!
    expect(t.change!).toBeCloseTo(1 / 1.2 - 1, 6)
    expect(t.worse).toBe(true)
  })

  it('a figure that vanished is worse; one the baseline lacked is not compared', () => {
    const nothing = structuredClone(base)
    nothing.totals = { ...emptyTotals(), planned: 10, sent: 10, failed: 10 }
    nothing.histograms = { submit: { corrected: '', uncorrected: '' }, receipt: { corrected: '', uncorrected: '' }, transit: { corrected: '', uncorrected: '' } }
    const c = compareResults(nothing, base)
    expect(c.deltas.find((d) => d.key === 'delivery_rate')).toMatchObject({ current: null, change: null, worse: true })
    expect(c.deltas.find((d) => d.key === 'submit_p99')).toMatchObject({ current: null, worse: true })
    const back = compareResults(base, nothing)
    expect(back.deltas.find((d) => d.key === 'delivery_rate')).toMatchObject({ baseline: null, worse: false })
  })

  it('rejects a negative tolerance', () => {
    expect(() => compareResults(base, base, -0.1)).toThrow('--tolerance: expected a fraction of 0 or more like 0.1 (10%), found -0.1')
  })
})
