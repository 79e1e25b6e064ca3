// A send rate over time as consecutive pieces, each constant or linearly ramping: the common form
// of every executor. The plan places message k where the cumulative count reaches k (k6's rule
// for arrival-rate executors), so the count over a window is the integral of the rate, exactly.
//
// API: RateProfile.from(pieces), .total, .durationMs, .count(t), .rate(t), .timeAt(u), .scaled(f),
// .truncated(ms). Rates are messages per millisecond; times are ms from the stream's start.

export interface PieceSpec {
  durationMs: number
  /** Rate at the start and at the end of the piece, messages per ms (equal for a constant piece). */
  from: number
  to: number
}

interface Piece extends PieceSpec {
  start: number
  /** Cumulative count at the piece's start. */
  before: number
  /** Messages in the piece: the area under the rate. */
  area: number
}

export class RateProfile {
  /** Index of the piece the last timeAt() landed in: queries come in rising order, so this walks forward. */
  private cursor = 0

  private constructor(
    private readonly pieces: readonly Piece[],
    readonly total: number,
    readonly durationMs: number,
  ) {}

  static from(specs: readonly PieceSpec[]): RateProfile {
    const pieces: Piece[] = []
    let start = 0
    let before = 0
    for (const s of specs) {
      if (!(s.durationMs > 0)) continue // a zero-length stage is a jump, not a piece
      const area = ((s.from + s.to) / 2) * s.durationMs
      pieces.push({ ...s, start, before, area })
      start += s.durationMs
      before += area
    }
    return new RateProfile(pieces, before, start)
  }

  /** Every rate multiplied by f (--rate-scale). */
  scaled(f: number): RateProfile {
    return RateProfile.from(this.pieces.map((p) => ({ durationMs: p.durationMs, from: p.from * f, to: p.to * f })))
  }

  /** The profile up to `ms` only (a duration cap). */
  truncated(ms: number): RateProfile {
    if (ms >= this.durationMs) return this
    const specs: PieceSpec[] = []
    for (const p of this.pieces) {
      if (p.start >= ms) break
      const d = Math.min(p.durationMs, ms - p.start)
      specs.push({ durationMs: d, from: p.from, to: p.from + ((p.to - p.from) * d) / p.durationMs })
    }
    return RateProfile.from(specs)
  }

  /** Where pieces start and the last one ends (ms from the stream's start): the rate's extremes are there. */
  edges(): number[] {
    return [...this.pieces.map((p) => p.start), this.durationMs]
  }

  /** Rate at time t (messages per ms); 0 outside the profile. */
  rate(t: number): number {
    for (const p of this.pieces) {
      if (t >= p.start && t < p.start + p.durationMs) return p.from + ((p.to - p.from) * (t - p.start)) / p.durationMs
    }
    return 0
  }

  /** Cumulative count at time t. */
  count(t: number): number {
    if (t <= 0) return 0
    if (t >= this.durationMs) return this.total
    for (const p of this.pieces) {
      if (t < p.start + p.durationMs) {
        const x = t - p.start
        return p.before + p.from * x + ((p.to - p.from) / (2 * p.durationMs)) * x * x
      }
    }
    return this.total
  }

  /**
   * The time at which the cumulative count reaches u (0 <= u < total). Allocation-free; fastest
   * when successive calls rise (the cursor only moves back when asked for an earlier count).
   */
  timeAt(u: number): number {
    const ps = this.pieces
    let i = this.cursor
    if (i >= ps.length || ps[i].before > u) i = 0
    while (i < ps.length - 1 && (ps[i].area === 0 || ps[i].before + ps[i].area <= u)) i++
    this.cursor = i
    const p = ps[i]
    if (!p) return 0
    const v = u - p.before
    if (v <= 0) return p.start
    // Solve from*x + a*x^2 = v for x in [0, d]; the form 2v / (from + sqrt(...)) avoids cancellation.
    const a = (p.to - p.from) / (2 * p.durationMs)
    const disc = Math.max(0, p.from * p.from + 4 * a * v)
    const den = p.from + Math.sqrt(disc)
    const x = den > 0 ? (2 * v) / den : p.durationMs
    return p.start + Math.min(x, p.durationMs)
  }
}
