// The model's parts, each against what it stands in for: the allocator's whole-number splits, the
// arrivals against the plan's own sends, count-recording against the HDR library, and a model run
// whose books balance and which repeats exactly with its seed.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Allocator } from '../../capacity/model/allocator.js'
import { StreamArrivals } from '../../capacity/model/arrivals.js'
import { addHistogram, recordUsCount } from '../../capacity/model/hdr-count.js'
import { modelScenario } from '../../capacity/model/index.js'
import { createHistogram } from '../../lib/hdr.js'
import { buildPlan } from '../../loadgen/plan/plan.js'
import { checkBooks } from '../../results/results-writer.js'
import { loadScenario } from '../../loadgen/scenario/scenario.js'
import { outDir, REPO } from './helpers.js'

describe('Allocator', () => {
  it('splits every count exactly and follows the shares over many splits', () => {
    const shares = [0.5, 0.3, 0.15, 0.05]
    const a = new Allocator(shares)
    const out = new Float64Array(4)
    const total = new Float64Array(4)
    let n = 0
    for (let i = 0; i < 10_000; i++) {
      const c = (i * 7919) % 13
      a.split(c, out)
      expect(out.reduce((x, y) => x + y, 0)).toBe(c)
      for (let k = 0; k < 4; k++) {
        expect(Number.isInteger(out[k])).toBe(true)
        expect(Math.abs(out[k]! - c * shares[k]!)).toBeLessThan(1)
        total[k] += out[k]!
      }
      n += c
    }
    for (let k = 0; k < 4; k++) expect(Math.abs(total[k]! / n - shares[k]!)).toBeLessThan(0.001)
  })
})

describe('StreamArrivals', () => {
  it('offers exactly the plan: the same total, and for evenly spaced sends the same count before every ms', () => {
    const s = loadScenario(join(REPO, 'scenarios/throttled-operator.yaml'))
    const plan = buildPlan(s)
    expect(s.streams.map((x) => x.arrivals)).toEqual(['uniform', 'poisson'])
    s.streams.forEach((stream, i) => {
      const a = StreamArrivals.of(stream)
      const sp = plan.streams[i]!
      expect(a.total).toBe(sp.total)
      // Poisson sends are modelled by their mean: same count, spread evenly.
      if (stream.arrivals === 'poisson') return
      const due: number[] = []
      for (let t = sp.next(); t !== undefined; t = sp.next()) due.push(t)
      let k = 0
      for (let t = 0; t <= a.endMs + 10; t += 1) {
        while (k < due.length && due[k]! < t) k++
        expect(a.before(t)).toBe(k)
      }
    })
  })

  it('ends a stream capped by messages where its count reaches the cap', () => {
    const s = loadScenario(join(REPO, 'scenarios/quickstart.yaml'))
    const stream = { ...s.streams[0]!, messages: 100 }
    const a = StreamArrivals.of(stream)
    expect(a.total).toBe(100)
    expect(a.endMs).toBeCloseTo(2500, 6) // 40/s
  })
})

describe('recordUsCount', () => {
  it('lands in the same bucket as recordValueWithCount', () => {
    const a = createHistogram()
    const b = createHistogram()
    for (let i = 0; i < 20_000; i++) {
      const v = Math.min(3_600_000_000, Math.round(Math.exp((i % 997) / 44)))
      recordUsCount(a, v, 1 + (i % 5))
      b.recordValueWithCount(Math.max(1, v), 1 + (i % 5))
    }
    expect(a.totalCount).toBe(b.totalCount)
    for (const q of [1, 50, 90, 99, 99.9, 100]) expect(a.getValueAtPercentile(q)).toBe(b.getValueAtPercentile(q))
    expect(a.minNonZeroValue).toBe(b.minNonZeroValue)
    expect(a.maxValue).toBe(b.maxValue)
  })
})

describe('addHistogram', () => {
  it('adds exactly as Histogram.add does', () => {
    const src = createHistogram()
    for (let i = 0; i < 5000; i++) recordUsCount(src, 50 + ((i * 7919) % 900_000), 1 + (i % 3))
    const a = createHistogram()
    const b = createHistogram()
    recordUsCount(a, 3, 2)
    recordUsCount(b, 3, 2)
    addHistogram(a, src)
    b.add(src)
    addHistogram(a, createHistogram()) // an empty one changes nothing
    expect(a.totalCount).toBe(b.totalCount)
    expect(a.minNonZeroValue).toBe(b.minNonZeroValue)
    expect(a.maxValue).toBe(b.maxValue)
    for (const q of [0, 10, 50, 90, 99, 99.99, 100]) expect(a.getValueAtPercentile(q)).toBe(b.getValueAtPercentile(q))
    const empty = createHistogram()
    addHistogram(empty, src)
    expect(empty.minNonZeroValue).toBe(src.minNonZeroValue)
    expect(empty.totalCount).toBe(src.totalCount)
  })
})

describe('a model run', () => {
  const s = loadScenario(join(REPO, 'scenarios/quickstart.yaml'))
  const a = modelScenario(s, { outDir: outDir('quickstart-a'), report: false })
  const b = modelScenario(s, { outDir: outDir('quickstart-b'), report: false })

  it('balances its books overall and per operator, and offers the plan', () => {
    expect(checkBooks(a.results)).toEqual([])
    expect(a.results.totals.planned).toBe(buildPlan(s).planned)
    expect(a.results.meta.modelled).toBe(true)
    expect(a.results.meta.gateway).toBe('direct (modelled)')
    // The time series adds up to the totals.
    const sum = (k: 'planned' | 'sent' | 'accepted' | 'receipts') => a.results.timeseries.reduce((x, p) => x + p[k], 0)
    const t = a.results.totals
    expect(sum('planned')).toBe(t.planned)
    expect(sum('sent')).toBe(t.sent)
    expect(sum('accepted')).toBe(t.accepted)
    expect(sum('receipts')).toBe(t.delivered + t.undelivered + t.expired + t.rejected_by_operator + t.other_final + t.missing)
  })

  it('is the same with the same seed (everything but wall-clock times)', () => {
    const strip = (file: string) => {
      const r = JSON.parse(readFileSync(file, 'utf8'))
      delete r.meta.startedAt
      delete r.meta.endedAt
      return r
    }
    expect(strip(b.files.results)).toEqual(strip(a.files.results))
    const m = (file: string) => {
      const x = JSON.parse(readFileSync(file, 'utf8'))
      delete x.meta.elapsedMs
      return x
    }
    expect(m(b.files.model)).toEqual(m(a.files.model))
  })
})
