// The send plan: when each message of each stream is due, in ms from the run start. Pure and
// deterministic (seeded), computed lazily one message at a time: nothing grows with the run.
//
// - Message k of a stream is due where the stream's cumulative planned count reaches k (uniform
//   arrivals), so "100/s for 10s" is exactly 1000 messages and a ramp is exactly its integral.
// - Poisson arrivals: the same count, placed as a Poisson process conditioned on that count
//   (sorted uniforms in count space, drawn in order by the exponential-spacings recurrence), so
//   gaps are exponential at the planned mean rate and `planned` is still known up front.
// - Segments (k6 execution segments, `--segment i/n`): share i plays stream messages k with
//   k mod n == i-1, so the n shares add up to the plan exactly and never overlap.
// - Sequences are plan-wide: stream s's message k is seq = (messages of streams before s) + k,
//   the same in every share; traffic.ts derives each message's content from its seq.
//
// API: buildPlan(scenario, { segment?, rateScale?, durationCapMs? }) -> Plan.
import { MtsimError } from '../../lib/errors.js'
import { Rng } from '../../lib/rng.js'
import { constantPieces } from './executors/constant.js'
import { dailyPieces } from './executors/daily.js'
import { RateProfile, type PieceSpec } from './executors/profile.js'
import { rampingPieces } from './executors/ramping.js'
import type { ExecutorConfig, Scenario, StreamConfig } from '../scenario/scenario.js'

export interface PlanOptions {
  /** 1-based share index and share count, as in `--segment 2/4`. */
  segment?: { index: number; count: number }
  /** Multiplies every rate (0.5 = half the traffic). The `messages` caps stay as written. */
  rateScale?: number
  /** Nothing is planned at or after this many ms from the run start. */
  durationCapMs?: number
}

export interface StreamPlan {
  readonly name: string
  readonly stream: StreamConfig
  /** Messages this stream sends in this segment. */
  readonly planned: number
  /** Messages of the whole (unsplit) stream; its seqs are firstSeq .. firstSeq + total - 1. */
  readonly total: number
  readonly firstSeq: number
  /** Plan-wide seq of the message the last next() returned (-1 before the first). */
  lastSeq: number
  /** The next planned send time in ms from the run start (never decreasing), or undefined when done. */
  next(): number | undefined
}

export interface Plan {
  streams: StreamPlan[]
  /** Exact number of messages this segment plans. */
  planned: number
  /** When the last stream's nominal schedule ends, ms from the run start. */
  durationMs: number
  /** Nominal planned rate (messages per second, this segment's share) at tMs, for throughput against plan. */
  expectedRate(tMs: number): number
  /** Per stream (as `streams`): its nominal start and end, ms from the run start (plan-summary.ts). */
  windows: readonly { start: number; end: number }[]
  /** Times (ms from the run start) where some stream's rate changes slope: its extremes are there. */
  breakpoints: readonly number[]
}

/** Counts within this of a whole number are that number (sums of float areas drift by ~1e-12). */
const COUNT_EPSILON = 1e-6

export function buildPlan(scenario: Scenario, opts: PlanOptions = {}): Plan {
  const segment = opts.segment ?? { index: 1, count: 1 }
  const { index, count } = segment
  if (!Number.isInteger(index) || !Number.isInteger(count) || count < 1 || index < 1 || index > count) {
    throw new MtsimError('MTSIM_ERR_OPTION', ['--segment', 'i/n with 1 <= i <= n', `${index}/${count}`])
  }
  const scale = opts.rateScale ?? 1
  if (!(scale >= 0) || !Number.isFinite(scale)) throw new MtsimError('MTSIM_ERR_OPTION', ['--rate-scale', 'a number of 0 or more', String(scale)])
  const cap = opts.durationCapMs ?? Infinity
  if (!(cap >= 0)) throw new MtsimError('MTSIM_ERR_OPTION', ['--duration', '0 or more', String(cap)])

  const streams: StreamPlan[] = []
  const windows: { start: number; end: number; profile: RateProfile }[] = []
  let firstSeq = 0
  let planned = 0
  let durationMs = 0
  for (const stream of scenario.streams) {
    let profile = RateProfile.from(pieces(stream.executor))
    if (scale !== 1) profile = profile.scaled(scale)
    profile = profile.truncated(Math.max(0, cap - stream.startMs))
    const full = Math.max(0, Math.ceil(profile.total - COUNT_EPSILON))
    const total = stream.messages === null ? full : Math.min(full, stream.messages)
    // A capped stream nominally ends where its count reaches the cap.
    const end = total < full ? profile.timeAt(total) : profile.durationMs
    const share = shareCount(total, index, count)
    const rng = stream.arrivals === 'poisson' ? Rng.derive(scenario.seed, `plan/${stream.name}`) : null
    streams.push(new Stream(stream, profile, full, total, firstSeq, share, index - 1, count, rng))
    windows.push({ start: stream.startMs, end: stream.startMs + end, profile })
    firstSeq += total
    planned += share
    if (total > 0) durationMs = Math.max(durationMs, stream.startMs + end)
  }
  return {
    streams,
    planned,
    durationMs,
    windows: windows.map((w) => ({ start: w.start, end: w.end })),
    breakpoints: windows.flatMap((w) => w.profile.edges().map((e) => w.start + e)),
    expectedRate(tMs: number): number {
      let perMs = 0
      for (const w of windows) if (tMs >= w.start && tMs < w.end) perMs += w.profile.rate(tMs - w.start)
      return (perMs * 1000) / count
    },
  }
}

function pieces(e: ExecutorConfig): PieceSpec[] {
  switch (e.kind) {
    case 'constant-arrival-rate':
      return constantPieces(e)
    case 'ramping-arrival-rate':
      return rampingPieces(e)
    case 'daily-profile':
      return dailyPieces(e)
  }
}

/** How many k in [0, total) have k mod count == index - 1 (index is 1-based). */
export function shareCount(total: number, index: number, count: number): number {
  const first = index - 1
  return first >= total ? 0 : Math.floor((total - 1 - first) / count) + 1
}

class Stream implements StreamPlan {
  lastSeq = -1
  /** Index within the stream of the next message to consider. */
  private k = 0
  /** Poisson: the current descending order statistic of `full` uniforms (exponential spacings). */
  private d = 1

  constructor(
    readonly stream: StreamConfig,
    private readonly profile: RateProfile,
    /** Messages the uncapped profile holds: Poisson points are spread over all of them. */
    private readonly full: number,
    readonly total: number,
    readonly firstSeq: number,
    readonly planned: number,
    private readonly offset: number,
    private readonly stride: number,
    private readonly rng: Rng | null,
  ) {}

  get name(): string {
    return this.stream.name
  }

  next(): number | undefined {
    const rng = this.rng
    // Uniform arrivals need no draws for skipped messages: jump straight to this share's next one.
    if (!rng && this.k % this.stride !== this.offset) this.k += (this.offset - (this.k % this.stride) + this.stride) % this.stride
    while (this.k < this.total) {
      const k = this.k++
      let u: number
      if (rng) {
        // Next ascending uniform order statistic of `full` points: D *= V^(1/(full - k)).
        this.d *= Math.pow(1 - rng.next(), 1 / (this.full - k))
        u = this.profile.total * (1 - this.d)
      } else u = k
      if (k % this.stride !== this.offset) continue
      this.lastSeq = this.firstSeq + k
      return this.stream.startMs + this.profile.timeAt(u)
    }
    return undefined
  }
}
