// When an operator's outcomes reach mtsim: the expected arrivals of the receipts of messages handed
// over in each interval, spread over the following intervals (a ring of future intervals), and
// the operator's windows of holding receipts back (an outage: no bind to send them on; a receipt
// backlog), after which held receipts come at once. Read one interval at a time as whole numbers
// that add up to the outcomes scheduled, so "receipts" and "receipts pending" follow time.
import type { Bins } from './bins.js'
import type { FaultWindowModel } from './operator-model.js'

export class ReceiptTimeline {
  private readonly ring: Float64Array
  private readonly holds: { start: number; end: number }[]
  private cumFloat = 0
  private cumInt = 0
  /** Whole outcomes scheduled so far: the intervals add up to it. */
  private total = 0

  constructor(
    private readonly intervalMs: number,
    /** The longest an outcome can take after its hand-over (ms). */
    horizonMs: number,
    faults: readonly FaultWindowModel[],
  ) {
    this.holds = faults.filter((f) => f.kind === 'outage' || f.kind === 'receipt_backlog').map((f) => ({ start: f.start, end: f.end }))
    const held = this.holds.reduce((m, h) => Math.max(m, h.end - h.start), 0)
    this.ring = new Float64Array(Math.ceil((horizonMs + held) / intervalMs) + 4)
  }

  /** How much later a receipt due at `at` (ms) comes because the operator holds receipts then. */
  heldFor(at: number): number {
    for (const h of this.holds) if (at >= h.start && at < h.end) return h.end - at
    return 0
  }

  /** Whether any hold window overlaps [from, to]. */
  holdsBetween(from: number, to: number): boolean {
    return this.holds.some((x) => x.end > from && x.start <= to)
  }

  /** `n` outcomes of messages handed over during interval `iv`, due `b`'s delays (or none) plus `offset` ms later. */
  schedule(iv: number, n: number, b: Bins | null, offset: number): void {
    if (n <= 0) return
    const I = this.intervalMs
    const ring = this.ring
    const put = (v: number, share: number) => {
      // Handed over evenly through the interval: the arrival window [v, I + v) spans two intervals.
      const k = Math.floor(v / I)
      const frac = (v - k * I) / I
      const a = iv + k
      ring[a % ring.length] += n * share * (1 - frac)
      ring[(a + 1) % ring.length] += n * share * frac
    }
    if (!b) put(offset, 1)
    else for (let i = 0; i < b.value.length; i++) put(offset + b.value[i]!, b.share[i]!)
  }

  /** Counts `n` whole outcomes as scheduled (their spreading is schedule()'s). */
  add(n: number): void {
    this.total += n
  }

  /** The whole outcomes arriving in interval `iv` (read once per interval, in order). */
  take(iv: number): number {
    const slot = iv % this.ring.length
    this.cumFloat += this.ring[slot]!
    this.ring[slot] = 0
    const n = Math.max(0, Math.min(this.total, Math.round(this.cumFloat)) - this.cumInt)
    this.cumInt += n
    return n
  }

  /** Everything still expected, counted now (the last interval). */
  rest(): number {
    const n = this.total - this.cumInt
    this.cumInt = this.total
    return n
  }

  get arrived(): number {
    return this.cumInt
  }

  /** Whether outcomes are still expected (less than half a message left counts as none). */
  get due(): boolean {
    return this.total - this.cumFloat >= 0.5
  }
}
