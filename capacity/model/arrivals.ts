// A stream's arrivals as the model counts them: the same rate pieces the plan uses
// (loadgen/executors/*), scaled and cut the same way, and the same rule for where message k falls
// (where the cumulative count reaches k, loadgen/plan/plan.ts), so the model offers exactly the plan's
// messages in exactly its intervals. Poisson streams are modelled by their mean: the same count,
// spread evenly (their burstiness is accounted for separately, capacity/model/poisson-throttle.ts).
//
// API: new StreamArrivals(stream, { rateScale, durationCapMs }); before(t) = messages due strictly
// before t (ms from the run start); rate(t) and maxRate(t0, t1) in messages per ms; boundaries().
// Queries must come with t rising (a cursor walks the pieces), except that a fresh clone() restarts.
import { constantPieces } from '../../loadgen/plan/executors/constant.js'
import { dailyPieces } from '../../loadgen/plan/executors/daily.js'
import type { PieceSpec } from '../../loadgen/plan/executors/profile.js'
import { rampingPieces } from '../../loadgen/plan/executors/ramping.js'
import type { ExecutorConfig, StreamConfig } from '../../loadgen/scenario/scenario.js'

/** As loadgen/plan/plan.ts: counts within this of a whole number are that number. */
const COUNT_EPSILON = 1e-6

interface Piece {
  /** ms from the run start. */
  start: number
  end: number
  from: number
  to: number
  /** Cumulative count at the piece's start. */
  before: number
}

export interface ArrivalOptions {
  rateScale?: number
  durationCapMs?: number
}

function specs(e: ExecutorConfig): PieceSpec[] {
  switch (e.kind) {
    case 'constant-arrival-rate':
      return constantPieces(e)
    case 'ramping-arrival-rate':
      return rampingPieces(e)
    case 'daily-profile':
      return dailyPieces(e)
  }
}

export class StreamArrivals {
  /** Messages the stream sends (the plan's `total`). */
  readonly total: number
  /** When its last message is due (ms from the run start; the plan's nominal end). */
  readonly endMs: number
  readonly poisson: boolean
  private cursor = 0

  private constructor(
    readonly name: string,
    private readonly pieces: readonly Piece[],
    total: number,
    endMs: number,
    poisson: boolean,
  ) {
    this.total = total
    this.endMs = endMs
    this.poisson = poisson
  }

  static of(stream: StreamConfig, opts: ArrivalOptions = {}): StreamArrivals {
    const scale = opts.rateScale ?? 1
    const cap = Math.max(0, (opts.durationCapMs ?? Infinity) - stream.startMs)
    const pieces: Piece[] = []
    let t = stream.startMs
    let before = 0
    let elapsed = 0
    for (const s of specs(stream.executor)) {
      if (!(s.durationMs > 0) || elapsed >= cap) {
        elapsed += Math.max(0, s.durationMs)
        continue
      }
      const d = Math.min(s.durationMs, cap - elapsed)
      const from = s.from * scale
      const to = (s.from + ((s.to - s.from) * d) / s.durationMs) * scale
      pieces.push({ start: t, end: t + d, from, to, before })
      before += ((from + to) / 2) * d
      t += d
      elapsed += s.durationMs
    }
    const full = Math.max(0, Math.ceil(before - COUNT_EPSILON))
    const total = stream.messages === null ? full : Math.min(full, stream.messages)
    const arr = new StreamArrivals(stream.name, pieces, total, t, stream.arrivals === 'poisson')
    // A capped stream ends where its count reaches the cap.
    const endMs = total < full ? arr.timeOf(total) : t
    return new StreamArrivals(stream.name, pieces, total, endMs, stream.arrivals === 'poisson')
  }

  /** A copy with its own cursor. */
  clone(): StreamArrivals {
    return new StreamArrivals(this.name, this.pieces, this.total, this.endMs, this.poisson)
  }

  private piece(t: number): Piece | undefined {
    const ps = this.pieces
    let i = this.cursor
    if (i >= ps.length || ps[i]!.start > t) i = 0
    while (i < ps.length - 1 && ps[i]!.end <= t) i++
    this.cursor = i
    return ps[i]
  }

  /** The cumulative (real-valued) count at t. */
  count(t: number): number {
    const p = this.piece(t)
    if (!p || t <= p.start) return p ? p.before : 0
    const x = Math.min(t, p.end) - p.start
    const d = p.end - p.start
    return p.before + p.from * x + ((p.to - p.from) / (2 * d)) * x * x
  }

  /** Messages due strictly before t: message k is due where the count reaches k (k from 0). */
  before(t: number): number {
    if (this.pieces.length === 0 || t <= this.pieces[0]!.start) return 0
    return Math.min(this.total, Math.max(0, Math.ceil(this.count(t) - COUNT_EPSILON)))
  }

  /** Rate at t, messages per ms (0 outside the stream). */
  rate(t: number): number {
    const p = this.piece(t)
    if (!p || t < p.start || t >= p.end || this.before(t) >= this.total) return 0
    return p.from + ((p.to - p.from) * (t - p.start)) / (p.end - p.start)
  }

  /** The highest rate over [t0, t1) within one piece (rates are linear inside a piece). */
  maxRate(t0: number, t1: number): number {
    if (this.before(t0) >= this.total) return 0
    const p = this.piece(t0)
    if (!p || t0 >= p.end || t1 <= p.start) return 0
    const at = (t: number) => p.from + ((p.to - p.from) * (Math.min(Math.max(t, p.start), p.end) - p.start)) / (p.end - p.start)
    return Math.max(at(t0), at(t1))
  }

  /** The next piece edge after t (Infinity after the last): spans the model jumps over stay inside one piece. */
  nextBoundary(t: number): number {
    for (const p of this.pieces) {
      if (p.start > t) return p.start
      if (p.end > t) return p.end
    }
    return Infinity
  }

  /** Where the count reaches u (the time of message u); endMs for u at or past the end. */
  private timeOf(u: number): number {
    for (const p of this.pieces) {
      const area = ((p.from + p.to) / 2) * (p.end - p.start)
      if (p.before + area < u) continue
      const v = u - p.before
      const d = p.end - p.start
      const a = (p.to - p.from) / (2 * d)
      const disc = Math.max(0, p.from * p.from + 4 * a * v)
      const den = p.from + Math.sqrt(disc)
      return p.start + Math.min(den > 0 ? (2 * v) / den : d, d)
    }
    return this.pieces.length ? this.pieces[this.pieces.length - 1]!.end : 0
  }
}
