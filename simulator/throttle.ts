// Token bucket: `rate` tokens per second, at most `burst` saved up. One per bind or one per
// operator (throttle.per); a throttle_change fault swaps the rate without resetting the tokens.

export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.tokens = burst
    this.last = now
  }

  get currentRate(): number {
    return this.rate
  }

  setRate(rate: number, now: number): void {
    this.refill(now)
    this.rate = rate
  }

  /** Takes `n` tokens if there are that many; false means throttle this submit. */
  take(n: number, now: number): boolean {
    this.refill(now)
    if (this.tokens < n) return false
    this.tokens -= n
    return true
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000)
      this.last = now
    }
  }
}
