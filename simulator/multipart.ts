// Reassembly of multipart messages, so a message's fate is decided once for all its segments and
// whole messages can be counted. Keyed by bind, source, destination, reference and total; bounded
// in size and age (segments that never complete do not pile up).

export interface PartialMessage {
  /** The message's decided submit status, or -1 until its first segment reaches the decision. */
  status: number
  /** The message's draw key (simulator/draws.ts), or -1 until its first segment arrives. */
  key: number
  /** Receipt outcome index decided with the status. */
  outcome: number
  total: number
  seen: number
  /** Decoded text of segment 1 (for the observer and the receipt excerpt), '' until it arrives. */
  text: string
  createdAt: number
}

export class Reassembly {
  private readonly entries = new Map<string, PartialMessage>()

  constructor(
    readonly maxEntries = 10_000,
    readonly ttlMs = 300_000,
  ) {}

  get size(): number {
    return this.entries.size
  }

  /** Counts one arriving segment of `key`; a new entry starts undecided. */
  segment(key: string, total: number, now: number): PartialMessage {
    let e = this.entries.get(key)
    if (e === undefined) {
      this.evict(now)
      e = { status: -1, key: -1, outcome: 0, total, seen: 0, text: '', createdAt: now }
      this.entries.set(key, e)
    }
    e.seen++
    return e
  }

  done(key: string): void {
    this.entries.delete(key)
  }

  /** Map order is creation order, so the oldest entries are at the front. */
  private evict(now: number): void {
    for (const [key, e] of this.entries) {
      if (this.entries.size < this.maxEntries && now - e.createdAt < this.ttlMs) break
      this.entries.delete(key)
    }
  }
}
