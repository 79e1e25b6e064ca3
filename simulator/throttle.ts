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

interface ThrottleConfig {
  rate: number
  per: 'bind' | 'operator'
  burst: number
}

/**
 * An operator's throttle: one bucket for the operator or one per bind (kept on the bind), the
 * configured rate or a throttle_change fault's. Without either nothing is throttled.
 */
export class Throttle {
  private rate: number | undefined
  private operatorBucket: TokenBucket | undefined

  constructor(
    private readonly cfg: ThrottleConfig | undefined,
    now: number,
  ) {
    this.rate = cfg?.rate
    if (cfg?.per === 'operator') this.operatorBucket = new TokenBucket(cfg.rate, cfg.burst, now)
  }

  private get perOperator(): boolean {
    return this.cfg?.per === 'operator'
  }

  /** The bucket a new bind gets (undefined when throttling is per operator or off). */
  bindBucket(now: number): TokenBucket | undefined {
    return this.rate === undefined || this.perOperator ? undefined : this.bucket(this.rate, now)
  }

  /** The bucket a submit on a bind with `own` bucket draws from. */
  bucketFor(own: TokenBucket | undefined): TokenBucket | undefined {
    return own ?? this.operatorBucket
  }

  /** A throttle_change began or ended (undefined: back to the configured rate). Updates every bucket. */
  change(rate: number | undefined, binds: Iterable<{ type: unknown; bucket: TokenBucket | undefined }>, now: number): void {
    this.rate = rate ?? this.cfg?.rate
    const apply = (b: TokenBucket | undefined): TokenBucket | undefined => {
      if (this.rate === undefined) return undefined
      if (!b) return this.bucket(this.rate, now)
      b.setRate(this.rate, now)
      return b
    }
    if (this.perOperator) this.operatorBucket = apply(this.operatorBucket)
    else for (const c of binds) if (c.type) c.bucket = apply(c.bucket)
  }

  private bucket(rate: number, now: number): TokenBucket {
    return new TokenBucket(rate, this.cfg?.burst ?? Math.max(1, Math.ceil(rate / 10)), now)
  }
}
