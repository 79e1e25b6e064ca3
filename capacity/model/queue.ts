// The gateway's queue for one operator: a ring of (mean arrival time, count), oldest first. Arrivals
// close in time share an entry (closer than a step, or than 1/512 of the oldest wait), so a backlog
// of hours is a few hundred entries, not one per message or per step, and a wait read from an
// entry is off by at most that share.

/** Entries merge when their arrival times are closer than this share of the oldest wait. */
export const MERGE_SHARE = 1 / 512

export class ArrivalQueue {
  private t = new Float64Array(256)
  private c = new Float64Array(256)
  private head = 0
  private len = 0
  /** Messages waiting. */
  count = 0

  constructor(private readonly stepMs: number) {}

  get empty(): boolean {
    return this.len === 0
  }

  /** Mean arrival time of the oldest entry (ms). */
  get headTime(): number {
    return this.t[this.head]!
  }

  get headCount(): number {
    return this.c[this.head]!
  }

  push(at: number, n: number): void {
    if (this.len > 0) {
      const tail = (this.head + this.len - 1) % this.t.length
      if (at - this.t[tail]! < Math.max(this.stepMs, (at - this.t[this.head]!) * MERGE_SHARE)) {
        const c = this.c[tail]!
        this.t[tail] = (this.t[tail]! * c + at * n) / (c + n)
        this.c[tail] = c + n
        this.count += n
        return
      }
    }
    if (this.len === this.t.length) this.grow()
    const i = (this.head + this.len) % this.t.length
    this.t[i] = at
    this.c[i] = n
    this.len++
    this.count += n
  }

  /** Takes n (at most the head entry's count) from the head; true when that emptied the queue. */
  take(n: number): boolean {
    const c = this.c[this.head]!
    this.count -= n
    if (n < c) {
      this.c[this.head] = c - n
      return false
    }
    this.head = (this.head + 1) % this.t.length
    this.len--
    return this.len === 0
  }

  private grow(): void {
    const n = this.t.length
    const t = new Float64Array(n * 2)
    const c = new Float64Array(n * 2)
    for (let k = 0; k < this.len; k++) {
      t[k] = this.t[(this.head + k) % n]!
      c[k] = this.c[(this.head + k) % n]!
    }
    this.t = t
    this.c = c
    this.head = 0
  }
}
