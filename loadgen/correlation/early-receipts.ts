// Receipts that arrive before we know whose they are: the operator's receipt delay can be shorter
// than its submit_sm_resp latency, so a receipt may name an id we have not been told yet. They wait
// here (bounded in count and age) until the submit answer brings the id; what never matches ends as
// an unknown receipt, so every receipt is accounted for.
import type { IncomingReceipt } from '../transports/transport.js'

interface Held {
  /** performance.now() ms of the first receipt held under this key. */
  at: number
  receipts: IncomingReceipt[]
  /** Arrival times, parallel to receipts (receipt latency is measured at arrival, not at matching). */
  times: number[]
}

export class EarlyReceipts {
  private readonly held = new Map<string, Held>()
  private count = 0

  constructor(
    /** Most receipts held at once; beyond it the oldest are given up as unknown. */
    readonly maxHeld: number,
    /** How long a receipt may wait for its submit answer. */
    readonly holdMs: number,
  ) {}

  get size(): number {
    return this.count
  }

  /** Holds a receipt; returns how many older ones had to be given up to stay in bounds. */
  hold(key: string, r: IncomingReceipt, nowMs: number): number {
    const h = this.held.get(key)
    if (h) {
      h.receipts.push(r)
      h.times.push(nowMs)
    } else this.held.set(key, { at: nowMs, receipts: [r], times: [nowMs] })
    this.count++
    return this.count > this.maxHeld ? this.evict(Infinity, this.maxHeld) : 0
  }

  /** Takes the receipts held under key (in arrival order), calling fn for each. */
  take(key: string, fn: (r: IncomingReceipt, atMs: number) => void): void {
    if (this.count === 0) return
    const h = this.held.get(key)
    if (!h) return
    this.held.delete(key)
    this.count -= h.receipts.length
    for (let i = 0; i < h.receipts.length; i++) fn(h.receipts[i], h.times[i])
  }

  /** Gives up receipts held longer than holdMs; returns how many. */
  expire(nowMs: number): number {
    return this.count === 0 ? 0 : this.evict(nowMs - this.holdMs, this.maxHeld)
  }

  /** Gives up everything (end of run); returns how many. */
  clear(): number {
    const n = this.count
    this.held.clear()
    this.count = 0
    return n
  }

  // Map iteration is insertion order, so the oldest keys come first.
  private evict(olderThan: number, keep: number): number {
    let given = 0
    for (const [key, h] of this.held) {
      if (h.at > olderThan && this.count <= keep) break
      this.held.delete(key)
      this.count -= h.receipts.length
      given += h.receipts.length
    }
    return given
  }
}

/**
 * Ids of recently closed messages (bounded, oldest forgotten first), so a receipt arriving after the
 * books of its message closed counts as a duplicate rather than an unknown. Remembers at least the
 * last max/2 and at most the last max closures.
 *
 * Two generations of max/2, the older dropped whole when the newer fills: one Map.set per message
 * and no per-entry delete. Deleting one entry per message from a 100k-entry Map made V8 rebuild its
 * table every few ten thousand messages, which cost 5% of the load generator's CPU and a steady
 * stream of multi-MB garbage tables (npm run bench, full-cycle profile).
 */
export class RecentlyClosed {
  private current = new Map<string, number>()
  private previous = new Map<string, number>()
  private readonly generation: number

  constructor(readonly max: number) {
    this.generation = Math.max(1, Math.floor(max / 2))
  }

  add(key: string, cell: number): void {
    if (this.current.size >= this.generation) {
      this.previous = this.current
      this.current = new Map()
    }
    this.current.set(key, cell)
  }

  /** The measurement cell of a recently closed message, or undefined. */
  get(key: string): number | undefined {
    return this.current.get(key) ?? this.previous.get(key)
  }

  get size(): number {
    return this.current.size + this.previous.size
  }
}
