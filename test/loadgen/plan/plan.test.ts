// The send plan: exact counts per executor, segments that add up, seeded Poisson, scale and cap.
import { describe, expect, it } from 'vitest'
import { buildPlan, shareCount } from '../../../loadgen/plan/plan.js'
import { MtsimError } from '../../../lib/errors.js'
import { TRAFFIC, constant, drain, scenario } from './helpers.js'

const HOURS = [1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 8, 8, 8, 8, 9, 10, 10, 8, 6, 4, 3, 2, 1]

describe('plan counts', () => {
  it('constant 100/s for 10s is exactly 1000, evenly spaced from 0', () => {
    const plan = buildPlan(scenario([constant(100, '10s')]))
    const { t } = drain(plan.streams[0])
    expect(plan.planned).toBe(1000)
    expect(t).toHaveLength(1000)
    expect(t[0]).toBe(0)
    expect(t[1]).toBeCloseTo(10, 9)
    expect(t[999]).toBeCloseTo(9990, 6)
    expect(plan.durationMs).toBe(10_000)
    expect(plan.expectedRate(5000)).toBeCloseTo(100, 9)
    expect(plan.expectedRate(10_000)).toBe(0)
  })

  it('timeUnit scales the rate: 30 per minute for 2 minutes is 60', () => {
    expect(buildPlan(scenario([constant(30, '2m', { timeUnit: '1m' })])).planned).toBe(60)
  })

  it('ramping 0 -> 100/s over 10s is exactly the integral, 500, with rising density', () => {
    const plan = buildPlan(scenario([{ name: 'r', executor: 'ramping-arrival-rate', stages: [{ target: 100, duration: '10s' }], traffic: TRAFFIC }]))
    const { t } = drain(plan.streams[0])
    expect(plan.planned).toBe(500)
    expect(t).toHaveLength(500)
    // count(t) = 5 t^2 (t in s): message 125 is due at exactly 5 s.
    expect(t[125]).toBeCloseTo(5000, 6)
    expect(plan.expectedRate(5000)).toBeCloseTo(50, 9)
  })

  it('ramping with several stages and a jump sums each stage', () => {
    const stages = [
      { target: 50, duration: '4s' }, // 0->50: 100
      { target: 50, duration: '2s' }, // 50: 100
      { target: 10, duration: '0s' }, // jump
      { target: 10, duration: '5s' }, // 10: 50
    ]
    const plan = buildPlan(scenario([{ name: 'r', executor: 'ramping-arrival-rate', startRate: 0, stages, traffic: TRAFFIC }]))
    expect(plan.planned).toBe(250)
    expect(drain(plan.streams[0]).t.every((x, i, a) => i === 0 || x >= a[i - 1])).toBe(true)
  })

  it('daily profile plays exactly daily_volume, hour by hour, sped up', () => {
    const plan = buildPlan(scenario([{ name: 'd', executor: 'daily-profile', daily_volume: 12_345, hourly_weights: HOURS, speedup: 720, traffic: TRAFFIC }]))
    const { t } = drain(plan.streams[0])
    expect(plan.planned).toBe(12_345)
    expect(t).toHaveLength(12_345)
    expect(plan.durationMs).toBeCloseTo(120_000, 6) // a day in 2 minutes
    // Hour 9 (weight 10 of 133) lasts 5 s: its share of the volume, within rounding of one.
    expect(HOURS.reduce((a, w) => a + w, 0)).toBe(133)
    const inHour9 = t.filter((x) => x >= 45_000 && x < 50_000).length
    expect(Math.abs(inHour9 - (12_345 * 10) / 133)).toBeLessThanOrEqual(1)
  })

  it('messages caps a stream; start delays it; seqs are plan-wide across streams', () => {
    const plan = buildPlan(scenario([constant(10, '10s', { name: 'a', messages: 25 }), constant(5, '4s', { name: 'b', start: '2s' })]))
    expect(plan.planned).toBe(45)
    const a = drain(plan.streams[0])
    const b = drain(plan.streams[1])
    expect(a.t).toHaveLength(25)
    expect(a.seq).toEqual([...Array(25).keys()])
    expect(b.seq).toEqual([...Array(20).keys()].map((k) => 25 + k))
    expect(b.t[0]).toBe(2000)
    expect(plan.durationMs).toBe(6000)
    expect(plan.expectedRate(2200)).toBeCloseTo(15, 9)
    expect(plan.expectedRate(2600)).toBeCloseTo(5, 9) // stream a nominally ended at 2.5 s (25 at 10/s)
  })
})

describe('segments', () => {
  const streams = [
    constant(37, '3s', { name: 'a' }),
    { name: 'p', executor: 'ramping-arrival-rate', startRate: 5, stages: [{ target: 90, duration: '4s' }], arrivals: 'poisson', traffic: TRAFFIC },
  ]
  const whole = buildPlan(scenario(streams))
  const wholeSeqs = whole.streams.flatMap((s) => drain(s).seq)

  for (const n of [1, 2, 3, 7]) {
    it(`${n} shares add up to the plan exactly and are disjoint`, () => {
      let sum = 0
      const seen: number[] = []
      for (let i = 1; i <= n; i++) {
        const share = buildPlan(scenario(streams), { segment: { index: i, count: n } })
        const seqs = share.streams.flatMap((s) => drain(s).seq)
        expect(seqs).toHaveLength(share.planned)
        sum += share.planned
        seen.push(...seqs)
      }
      expect(sum).toBe(whole.planned)
      expect(new Set(seen).size).toBe(seen.length)
      expect([...seen].sort((x, y) => x - y)).toEqual([...wholeSeqs].sort((x, y) => x - y))
    })
  }

  it('a share sends each message at the same time as the whole plan', () => {
    const all = drain(buildPlan(scenario(streams)).streams[1])
    const share = drain(buildPlan(scenario(streams), { segment: { index: 2, count: 3 } }).streams[1])
    share.seq.forEach((seq, j) => expect(share.t[j]).toBe(all.t[all.seq.indexOf(seq)]))
  })

  it('shareCount splits any total exactly', () => {
    for (const total of [0, 1, 2, 10, 11, 999])
      for (const n of [1, 2, 3, 4, 10, 13]) {
        let sum = 0
        for (let i = 1; i <= n; i++) sum += shareCount(total, i, n)
        expect(sum).toBe(total)
      }
  })

  it('rejects a segment outside 1..n', () => {
    expect(() => buildPlan(scenario([constant(1, '1s')]), { segment: { index: 0, count: 2 } })).toThrow(MtsimError)
    expect(() => buildPlan(scenario([constant(1, '1s')]), { segment: { index: 3, count: 2 } })).toThrow(/--segment/)
  })
})

describe('poisson arrivals', () => {
  const stream = constant(2000, '60s', { arrivals: 'poisson' })

  it('the same seed gives the same times; another seed differs', () => {
    const a = drain(buildPlan(scenario([stream])).streams[0]).t
    const b = drain(buildPlan(scenario([stream])).streams[0]).t
    const c = drain(buildPlan(scenario([stream], { seed: 4 })).streams[0]).t
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
  })

  it('keeps the planned count and mean rate; gaps look exponential', () => {
    const { t } = drain(buildPlan(scenario([stream])).streams[0])
    expect(t).toHaveLength(120_000)
    expect(t.every((x, i) => i === 0 || x >= t[i - 1])).toBe(true)
    expect(t[t.length - 1]).toBeLessThan(60_000)
    // Counts per second: mean 2000, Poisson sd ~ sqrt(2000) = 45; the 60-second total is fixed.
    const perSecond = new Array(60).fill(0)
    for (const x of t) perSecond[Math.floor(x / 1000)]++
    for (const c of perSecond) expect(Math.abs(c - 2000)).toBeLessThan(45 * 5)
    // Exponential gaps: coefficient of variation ~1 (uniform arrivals would give 0).
    const gaps = t.slice(1).map((x, i) => x - t[i])
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length
    const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length)
    expect(mean).toBeCloseTo(0.5, 2)
    expect(sd / mean).toBeGreaterThan(0.97)
    expect(sd / mean).toBeLessThan(1.03)
  })
})

describe('rate scale and duration cap', () => {
  it('rateScale multiplies rates, not the messages cap', () => {
    expect(buildPlan(scenario([constant(100, '10s')]), { rateScale: 0.5 }).planned).toBe(500)
    expect(buildPlan(scenario([constant(100, '10s')]), { rateScale: 2 }).planned).toBe(2000)
    expect(buildPlan(scenario([constant(100, '10s', { messages: 300 })]), { rateScale: 2 }).planned).toBe(300)
    expect(buildPlan(scenario([constant(100, '10s')]), { rateScale: 2 }).expectedRate(1)).toBeCloseTo(200, 9)
  })

  it('durationCapMs ends every stream at the cap, start offsets included', () => {
    const plan = buildPlan(scenario([constant(100, '10s'), constant(10, '10s', { name: 'late', start: '3s' })]), { durationCapMs: 4000 })
    expect(plan.streams.map((s) => s.planned)).toEqual([400, 10])
    expect(plan.planned).toBe(410)
    expect(plan.durationMs).toBe(4000)
    expect(Math.max(...drain(plan.streams[0]).t, ...drain(plan.streams[1]).t)).toBeLessThan(4000)
  })

  it('a ramp cut by the cap keeps the integral up to the cap', () => {
    const ramp = { name: 'r', executor: 'ramping-arrival-rate', stages: [{ target: 100, duration: '10s' }], traffic: TRAFFIC }
    expect(buildPlan(scenario([ramp]), { durationCapMs: 5000 }).planned).toBe(125)
  })
})
