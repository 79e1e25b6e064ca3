// scenarios/peak-day.yaml, its day compressed into 15 s (1,800 messages), through the real Kannel:
// the sends follow the daily profile interval by interval, nothing is dropped, every receipt is back.
import { describe, expect, it } from 'vitest'
import { buildPlan } from '../../loadgen/plan/plan.js'
import { expectAllOperatorsBalance, finals, kannelLostFinalReceipts, runShort, scenario, skipWithoutKannel } from './helpers.js'

const skip = skipWithoutKannel('test/scenarios/peak-day.test.ts')

describe.skipIf(skip)('peak-day through Kannel', () => {
  it('follows the compressed daily profile with every message accounted for', async () => {
    const s = scenario('peak-day')
    const ex = s.streams[0]!.executor
    if (ex.kind !== 'daily-profile') throw new Error('peak-day is a daily-profile scenario')
    ex.dailyVolume = 1800
    ex.speedup = 5760 // 24 h in 15 s
    const plan = buildPlan(s)
    const res = await runShort(s)
    const r = res.results
    const t = r.totals
    expectAllOperatorsBalance(r)
    expect(t.planned).toBe(plan.planned)
    expect(t.planned).toBeGreaterThan(1700)
    expect(t.dropped).toBe(0)
    expect(t.accepted).toBe(t.sent)
    // Every receipt back but those Kannel's log says it threw away (none unless it is starved of CPU).
    expect(t.missing).toBe(kannelLostFinalReceipts(res))
    expect(finals(t) + t.missing).toBe(t.accepted)

    // Each 1 s interval of the day: planned sends near the profile's expected count (Poisson noise),
    // and sent keeping up with planned.
    const day = r.timeseries.filter((p) => p.t + r.meta.intervalMs <= 15_000)
    expect(day.length).toBeGreaterThanOrEqual(14)
    for (const p of day) {
      let expected = 0
      for (let ms = p.t; ms < p.t + r.meta.intervalMs; ms += 10) expected += plan.expectedRate(ms + 5) / 100
      expect(Math.abs(p.planned - expected)).toBeLessThanOrEqual(4 * Math.sqrt(expected) + 3)
      expect(Math.abs(p.sent - p.planned)).toBeLessThanOrEqual(0.15 * p.planned + 5)
    }
    // The shape: night (00-03 h, the first 2 s) against the midday peak (10-14 h, 6.25-8.75 s).
    const rate = (from: number, to: number) => day.filter((p) => p.t >= from && p.t < to).reduce((n, p) => n + p.sent, 0) / ((to - from) / 1000)
    expect(rate(7000, 8000)).toBeGreaterThan(5 * rate(0, 2000))
  }, 90_000)
})
