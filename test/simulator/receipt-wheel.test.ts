import { describe, expect, it } from 'vitest'
import { ReceiptStore } from '../../simulator/receipts/receipt-store.js'
import { ReceiptWheel } from '../../simulator/receipts/receipt-wheel.js'
import { Scheduler } from '../../simulator/scheduler.js'

/** A wheel on a fake clock that records (slot, clock time) for every receipt it runs. */
function rig(startedAt = 0) {
  let now = startedAt
  const scheduler = new Scheduler(() => now, false)
  const store = new ReceiptStore()
  const ran: [number, number][] = []
  const wheel = new ReceiptWheel(store, scheduler, startedAt, (i, at) => ran.push([i, at]))
  const add = (due: number, final = true): number => {
    const i = store.alloc()
    store.init(i, 0, due, 0, 0, 0, 0, 0)
    if (!wheel.add(i, due, final)) throw new Error('did not fit')
    return i
  }
  /** Advances the clock in steps of `step` ms up to `to`, running the scheduler at each. */
  const runTo = (to: number, step = 1): void => {
    while (now < to) {
      now = Math.min(to, now + step)
      scheduler.runDue(now)
    }
  }
  return { scheduler, store, wheel, ran, add, runTo, clock: () => now }
}

describe('receipt wheel', () => {
  it('runs every receipt at its due ms, never before, in due then arrival order', () => {
    const r = rig()
    const a = r.add(5)
    const b = r.add(3)
    const c = r.add(5)
    const d = r.add(0.2, false) // a stage due at 0.2 ms runs at 1 ms (rounded up)
    r.runTo(10, 0.25)
    expect(r.ran).toEqual([[d, 1], [b, 3], [a, 5], [c, 5]])
    expect(r.wheel.size).toBe(0)
  })

  it('keeps finals beyond the fine horizon (16 s) and beyond the coarse one (~18.6 h) and runs them on time', () => {
    const r = rig()
    const due = [20_000, 16_384, 16_383, 3_600_000, 70_000_000, 90_000_123, 5]
    const slots = due.map((t) => r.add(t))
    // One entry per add earlier than the armed time (16,384: the next page start, then 16,383, then 5), not one per receipt.
    expect(r.scheduler.size).toBe(3)
    // Jump in big steps (a quiet process wakes late): nothing runs early, each runs at the first tick after it is due.
    r.runTo(100_000_000, 999)
    expect(r.ran.map(([i]) => i)).toEqual([6, 2, 1, 0, 3, 4, 5].map((k) => slots[k]))
    for (const [i, at] of r.ran) {
      expect(at).toBeGreaterThanOrEqual(r.store.due(i))
      expect(at - r.store.due(i)).toBeLessThan(999)
    }
    expect(r.wheel.size).toBe(0)
  })

  it('runs exactly at the due ms with a 1 ms clock, across page and far-list boundaries, from a fractional start', () => {
    const r = rig(1234.567)
    const due = [16_383, 16_384, 16_385, 32_768, 67_108_864 + 7]
    const slots = due.map((t) => r.add(t))
    r.runTo(1234.567 + 40_000)
    expect(r.ran.map(([i]) => i)).toEqual(slots.slice(0, 4))
    // The fake clock steps 1 ms from a fractional start: each runs on the first step at or after startedAt + due.
    r.ran.forEach(([i, at]) => {
      expect(at).toBeGreaterThanOrEqual(1234.567 + r.store.due(i))
      expect(at).toBeLessThan(1234.567 + r.store.due(i) + 1)
    })
    expect(r.wheel.size).toBe(1)
  })

  it('refuses an intermediate stage beyond the fine horizon (its time is not stored) but takes finals there', () => {
    const r = rig()
    const i = r.store.alloc()
    // At clock 0 the 0 ms bucket is due, so the fine wheel covers 1 .. 16,384 ms.
    expect(r.wheel.add(i, 16_385, false)).toBe(false)
    expect(r.wheel.add(i, 16_384, false)).toBe(true)
    expect(r.wheel.size).toBe(1)
  })

  it('a receipt added for the past, or re-added while its bucket runs, goes to the next bucket', () => {
    let now = 0
    const scheduler = new Scheduler(() => now, false)
    const store = new ReceiptStore()
    const ran: [number, number][] = []
    let again = true
    const wheel: ReceiptWheel = new ReceiptWheel(store, scheduler, 0, (i, at) => {
      ran.push([i, at])
      if (again) {
        again = false
        wheel.add(i, 0, false) // due "now": must not run inside the same bucket pass forever
      }
    })
    const i = store.alloc()
    wheel.add(i, 2, true)
    now = 2
    scheduler.runDue(now)
    expect(ran).toEqual([[i, 2]]) // re-added to the next bucket (3 ms), not due at 2 ms
    now = 3
    scheduler.runDue(now)
    expect(ran).toEqual([[i, 2], [i, 3]])
    expect(wheel.size).toBe(0)
  })

  it('after a quiet spell an empty wheel catches up with the clock (a new stage fits the fine horizon again)', () => {
    const r = rig()
    r.add(1)
    r.runTo(2)
    r.runTo(1_000_000, 50_000)
    const i = r.store.alloc()
    expect(r.wheel.add(i, 1_000_000 + 10_000, false)).toBe(true)
    r.runTo(1_010_000)
    expect(r.ran.at(-1)).toEqual([i, 1_010_000])
  })

  it('a receipt already due when added (zero delay) runs in the next scheduler pass at that time, not the next whole ms', () => {
    const r = rig(0.5)
    r.runTo(10.25, 0.25) // clock 10.25: 9.75 ms since start
    r.add(9.75)
    r.add(9.5)
    expect(r.scheduler.runDue(10.25)).toBe(1) // one tick for both
    expect(r.ran).toEqual([[0, 10.25], [1, 10.25]])
    expect(r.wheel.size).toBe(0)
  })
})
