// Splits whole message counts among categories (outcomes, failure statuses, latency bins) in fixed
// proportions, so the model's books are whole numbers that add up exactly, without a random draw
// per message. Systematic sampling: with a phase u in [0, 1), category i gets
// floor(u + n*P_i) - floor(u + n*P_(i-1)) of n (P the cumulative shares), which always sums to n
// and is within one of n*p_i. The phase steps by the golden ratio after each split, so over many
// splits every category's total follows its share (Weyl equidistribution), deterministically.

const GOLDEN = 0.6180339887498949

export class Allocator {
  /** Cumulative shares; the last is exactly 1. */
  private readonly cum: Float64Array
  private phase = 0
  readonly size: number

  /** `shares` need not add up to 1 (they are normalised); all zero puts everything in the last category. */
  constructor(shares: ArrayLike<number>) {
    this.size = shares.length
    this.cum = new Float64Array(shares.length)
    let total = 0
    for (let i = 0; i < shares.length; i++) total += Math.max(0, shares[i]!)
    let sum = 0
    for (let i = 0; i < shares.length; i++) {
      sum += total > 0 ? Math.max(0, shares[i]!) / total : 0
      this.cum[i] = sum
    }
    if (shares.length) this.cum[shares.length - 1] = 1
  }

  /** Writes the counts of n (a whole number) into out[0 .. size-1]. */
  split(n: number, out: Float64Array): void {
    const u = this.phase
    const cum = this.cum
    const last = this.size - 1
    let prev = 0
    for (let i = 0; i < last; i++) {
      const cur = Math.floor(u + n * cum[i]!)
      out[i] = cur - prev
      prev = cur
    }
    out[last] = n - prev
    this.phase += GOLDEN
    if (this.phase >= 1) this.phase -= 1
  }

  /** How many of n fall in the first category (a two-way split without an output array). */
  first(n: number): number {
    const c = Math.floor(this.phase + n * this.cum[0]!)
    this.phase += GOLDEN
    if (this.phase >= 1) this.phase -= 1
    return Math.min(n, c)
  }
}
