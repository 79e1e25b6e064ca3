// Seeded pseudo-random numbers: the same seed and the same traffic give the same outcomes.
// sfc32 (small fast counter): fast, good statistical quality, 128-bit state, no allocation per draw.
import { bug } from './errors.js'

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number | string) {
    // Spread the seed over the state with splitmix32 so nearby seeds give unrelated streams.
    let s = typeof seed === 'number' ? seed >>> 0 : hashString(seed)
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 12; i++) this.u32()
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0
    this.c = (this.c + t) >>> 0
    return t
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p
  }

  /** Standard normal deviate (Box-Muller; one value per call keeps the stream simple to reason about). */
  normal(): number {
    let u = 0
    while (u === 0) u = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }

  /**
   * Restarts this generator from two 32-bit keys, in place (no allocation), so a hot path can
   * take a fresh, reproducible stream per message and decision: the same (a, b) always gives
   * the same draws, whatever was drawn before.
   */
  reseed(a: number, b: number): this {
    this.a = mix32(a ^ 0x9e3779b9)
    this.b = mix32((b + 0x7f4a7c15) >>> 0)
    this.c = mix32((a ^ Math.imul(b, 0x85ebca6b)) >>> 0)
    this.d = 1
    // A few rounds spread the keys over the whole state (sfc32's own seeding discards a dozen).
    for (let i = 0; i < 6; i++) this.u32()
    return this
  }

  /** An independent stream derived from this seed and a label (one per operator, per stream...). */
  static derive(seed: number | string, label: string): Rng {
    return new Rng(`${seed}/${label}`)
  }
}

/** The FNV-1a offset basis: where a hash over several fields starts. */
export const FNV_OFFSET = 0x811c9dc5

/** FNV-1a, 32-bit, over UTF-16 code units; continues from `h` so several fields hash as one. */
export function hashString(str: string, h = FNV_OFFSET): number {
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** FNV-1a, 32-bit, over bytes[start, end); continues from `h` like hashString. */
export function hashBytes(bytes: Uint8Array, h = FNV_OFFSET, start = 0, end = bytes.length): number {
  for (let i = start; i < end; i++) {
    h ^= bytes[i]!
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** murmur3's 32-bit finaliser: a cheap full avalanche of one word. */
export function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

/**
 * Picks among weighted choices with one draw; built once, so picking allocates nothing.
 */
export class WeightedPicker<T> {
  private readonly cumulative: Float64Array
  private readonly total: number

  constructor(private readonly items: readonly T[], weights: readonly number[]) {
    // The schemas and checks give every weighted list at least one positive weight.
    if (items.length === 0 || items.length !== weights.length) bug('WeightedPicker needs one weight per item')
    this.cumulative = new Float64Array(items.length)
    let sum = 0
    for (let i = 0; i < weights.length; i++) {
      sum += weights[i]
      this.cumulative[i] = sum
    }
    if (!(sum > 0)) bug('WeightedPicker needs a positive total weight')
    this.total = sum
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total
    const c = this.cumulative
    let lo = 0
    let hi = c.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (x < c[mid]) hi = mid
      else lo = mid + 1
    }
    return this.items[lo]
  }
}
