// What the charts are fed: rates per second whatever the interval, every error counted once,
// every accepted message in exactly one outcome, the HDR percentile curve as the plotter draws it.
import { describe, it, expect } from 'vitest'
import { reportData, distribution } from '../../reports/report-data.js'
import { createHistogram, recordUs } from '../../lib/hdr.js'
import { syntheticRun } from './fixtures.js'

describe('reportData', () => {
  const r = syntheticRun({ durationS: 60, rate: 80 })
  const d = reportData(r)

  it('throughput is per second: the same counts over half-second intervals read twice as fast', () => {
    expect(d.throughput.sent.slice(0, 5)).toEqual(r.timeseries.slice(0, 5).map((p) => p.sent))
    const half = structuredClone(r)
    half.meta.intervalMs = 500
    expect(reportData(half).throughput.sent.slice(0, 5)).toEqual(r.timeseries.slice(0, 5).map((p) => p.sent * 2))
  })

  it('errors over time count each rejected or failed submit exactly once', () => {
    const labels = d.errors.map((e) => e.label)
    expect(labels).toEqual(expect.arrayContaining(['TIMEOUT', 'ESME_RTHROTTLED (0x00000058)', 'ESME_RSYSERR (0x00000008)']))
    expect(labels).not.toContain('no status recorded')
    r.timeseries.forEach((p, i) => {
      expect(d.errors.reduce((sum, e) => sum + e.data[i]!, 0), `t=${p.t}`).toBe(p.rejected + p.failed)
    })
    // Without names (an older gateway adapter), the remainder still shows.
    const bare = structuredClone(r)
    for (const p of bare.timeseries) p.errors = {}
    const unnamed = reportData(bare).errors
    expect(unnamed.map((e) => e.label)).toEqual(['no status recorded'])
    expect(unnamed[0]!.data.reduce((a, b) => a + b, 0)).toBe(r.totals.rejected + r.totals.failed)
  })

  it('puts every accepted message of an operator in exactly one outcome', () => {
    d.outcomes.operators.forEach((id, i) => {
      const sum = d.outcomes.kinds.reduce((a, k) => a + k.data[i]!, 0)
      expect(sum, id).toBe(r.operators[id]!.totals.accepted)
    })
  })

  it('gauges and fault windows come through in seconds', () => {
    expect(d.gauges.inFlight).toEqual(r.timeseries.map((p) => p.inFlight))
    expect(d.faults[0]).toEqual({ operator: 'telco-b', kind: 'outage', start: 20, end: 30, source: 'timeline' })
    expect(Math.max(...d.gauges.inFlight)).toBeGreaterThan(0)
  })

  it('latency over time has no point for an interval without samples', () => {
    const empty = r.timeseries.findIndex((p) => p.submit === '' || p.sent === 0)
    expect(empty).toBeGreaterThan(0)
    expect(d.latencyOverTime.submit.p50[r.timeseries.length - 1]).toBeNull()
  })
})

describe('distribution (HdrHistogram percentile plot)', () => {
  it('x = 1/(1-q), five points per halving, ending at the maximum; y in ms', () => {
    const h = createHistogram()
    for (let v = 1; v <= 10_000; v++) recordUs(h, v * 100) // 0.1 ms .. 1000 ms, uniform
    const pts = distribution(h)
    expect(pts[0]).toEqual({ x: 1, y: 0.1 })
    expect(pts[5]!.x).toBe(2) // q = 50%
    expect(pts[5]!.y).toBeCloseTo(500, -1)
    expect(pts[10]!.x).toBe(4) // q = 75%
    expect(pts[10]!.y).toBeCloseTo(750, -1)
    expect(pts.at(-1)).toEqual({ x: 10_000, y: h.maxValue / 1000 })
    for (let i = 1; i < pts.length; i++) {
      expect(pts[i]!.x).toBeGreaterThan(pts[i - 1]!.x)
      expect(pts[i]!.y).toBeGreaterThanOrEqual(pts[i - 1]!.y)
    }
    expect(distribution(createHistogram())).toEqual([])
  })
})
