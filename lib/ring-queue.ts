// A FIFO of fixed-width numeric records in growable typed-array columns: the send backlog (per
// operator) and the receipt-deadline queue. No object per entry; it grows by doubling and never
// shrinks, so its capacity is the high-water mark of what was queued at once (not of the run's
// message count).

export class RingQueue {
  private cols: Float64Array[]
  private mask: number
  private head = 0
  private count = 0

  constructor(readonly width: 1 | 2 | 3, initialCapacity = 1024) {
    let cap = 16
    while (cap < initialCapacity) cap *= 2
    this.mask = cap - 1
    this.cols = Array.from({ length: width }, () => new Float64Array(cap))
  }

  get length(): number {
    return this.count
  }

  get capacity(): number {
    return this.mask + 1
  }

  /** Appends one record (pass exactly `width` values). */
  push(a: number, b = 0, c = 0): void {
    if (this.count > this.mask) this.grow()
    const i = (this.head + this.count) & this.mask
    const cols = this.cols
    cols[0][i] = a
    if (this.width > 1) cols[1][i] = b
    if (this.width > 2) cols[2][i] = c
    this.count++
  }

  /** Column `col` of the oldest record (undefined behaviour when empty: check length first). */
  peek(col: number): number {
    return this.cols[col][this.head]
  }

  shift(): void {
    this.head = (this.head + 1) & this.mask
    this.count--
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2
    this.cols = this.cols.map((old) => {
      const next = new Float64Array(cap)
      for (let j = 0; j < this.count; j++) next[j] = old[(this.head + j) & this.mask]
      return next
    })
    this.head = 0
    this.mask = cap - 1
  }
}
