import { describe, expect, it } from 'vitest'
import { Rng } from '../../lib/rng.js'
import { DelaySampler } from '../../simulator/delay.js'
import { Scheduler } from '../../simulator/scheduler.js'
import { TokenBucket } from '../../simulator/throttle.js'

describe('scheduler', () => {
  it('runs entries in due order with a fake clock, only when due', () => {
    let now = 0
    const s = new Scheduler(() => now, false)
    const ran: number[] = []
    const kind = s.register((token) => ran.push(token))
    const rng = new Rng(1)
    const dues = Array.from({ length: 2000 }, () => rng.int(1000))
    dues.forEach((d, i) => s.schedule(kind, d, i))
    now = 499
    s.runDue()
    expect(ran.every((i) => dues[i]! <= 499)).toBe(true)
    expect(ran.length).toBe(dues.filter((d) => d <= 499).length)
    now = 1000
    s.runDue()
    expect(ran.length).toBe(2000)
    const times = ran.map((i) => dues[i]!)
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(s.size).toBe(0)
  })

  it('fires on its own timer, each entry once it is due, in due order', async () => {
    const s = new Scheduler()
    const ran: [string, number][] = []
    let last!: () => void
    const done = new Promise<void>((r) => (last = r))
    const record = (name: string) => (_token: number, now: number) => ran.push([name, now])
    const early = s.register(record('10ms'))
    const late = s.register((token, now) => (record('30ms')(token, now), last()))
    const t0 = s.clock()
    s.schedule(late, t0 + 30, 0)
    s.schedule(early, t0 + 10, 0)
    await done // the 30 ms entry ran: no sleep, no margin
    expect(ran.map(([name]) => name)).toEqual(['10ms', '30ms'])
    expect(ran[0]![1]).toBeGreaterThanOrEqual(t0 + 10) // never before it is due
    expect(ran[1]![1]).toBeGreaterThanOrEqual(t0 + 30)
    expect(s.size).toBe(0)
    s.stop()
  })
})

describe('delay sampling', () => {
  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!
  const draw = (d: ConstructorParameters<typeof DelaySampler>[0], n = 20000) => {
    const s = new DelaySampler(d)
    const rng = new Rng(42)
    return Array.from({ length: n }, () => s.sample(rng))
  }

  it('lognormal hits its p50 and p99', () => {
    const xs = draw({ kind: 'lognormal', p50: 20, p99: 200 })
    expect(quantile(xs, 0.5)).toBeGreaterThan(18)
    expect(quantile(xs, 0.5)).toBeLessThan(22)
    expect(quantile(xs, 0.99)).toBeGreaterThan(170)
    expect(quantile(xs, 0.99)).toBeLessThan(235)
  })

  it('normal is clamped at 0, uniform stays in range, exponential has its mean, spikes add', () => {
    expect(Math.min(...draw({ kind: 'normal', mean: 5, stddev: 10 }))).toBe(0)
    const u = draw({ kind: 'uniform', min: 10, max: 20 })
    expect(Math.min(...u)).toBeGreaterThanOrEqual(10)
    expect(Math.max(...u)).toBeLessThan(20)
    const e = draw({ kind: 'exponential', mean: 50 })
    const mean = e.reduce((a, b) => a + b, 0) / e.length
    expect(mean).toBeGreaterThan(47)
    expect(mean).toBeLessThan(53)
    const sp = draw({ kind: 'fixed', value: 1, spikes: { probability: 0.1, size: 100 } })
    const spiked = sp.filter((x) => x === 101).length
    expect(sp.every((x) => x === 1 || x === 101)).toBe(true)
    expect(spiked).toBeGreaterThan(1700)
    expect(spiked).toBeLessThan(2300)
  })
})

describe('token bucket', () => {
  it('allows the burst, then the rate', () => {
    const b = new TokenBucket(10, 3, 0)
    expect([0, 0, 0, 0].map(() => b.take(1, 0))).toEqual([true, true, true, false])
    expect(b.take(1, 100)).toBe(true) // 10/s -> one token per 100 ms
    expect(b.take(1, 150)).toBe(false)
    b.setRate(100, 150)
    expect(b.take(1, 160)).toBe(true)
  })
})
