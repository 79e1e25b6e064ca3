// What a scenario will send, without sending it: per stream the messages, when and how fast, to
// which operators, in which encoding and how many segments; and what a --duration cap cut off.
// `mtsim plan` and `mtsim run --dry-run` print it; `mtsim run` prints the cut before it starts.
//
// The traffic mix is counted from the messages themselves (traffic.ts makes message seq the same
// way a run does). Up to SAMPLE messages per stream are made; beyond that the counts are scaled
// from that sample (`sampled` says so), so a plan of 10^9 messages is summarised in milliseconds.
//
// API: summarizePlan(scenario, options) -> PlanSummary.
import { gsm7Septets } from '../../smpp/text.js'
import { peakRate } from '../scenario/executor-config.js'
import type { ExecutorConfig, Scenario } from '../scenario/scenario.js'
import { scenarioTraffic, segmentCount } from './messages.js'
import { buildPlan, type Plan, type PlanOptions } from './plan.js'

const SAMPLE = 20_000

export interface StreamSummary {
  name: string
  executor: ExecutorConfig['kind']
  arrivals: 'uniform' | 'poisson'
  /** Messages this share plans (the whole stream without --segment). */
  planned: number
  /** Messages of the whole stream as capped; `uncut`: without the --duration cap. */
  total: number
  uncut: number
  startMs: number
  /** From the stream's start to its last planned send's nominal time (capped); `uncutMs` without the cap. */
  durationMs: number
  uncutMs: number
  /** Highest planned rate (msg/s, this share's part), and the mean over the stream's duration. */
  peakPerS: number
  meanPerS: number
  /** Messages by operator ('' for a number no operator serves), by encoding, and segments (multipart). */
  operators: Record<string, number>
  encodings: { gsm7: number; ucs2: number }
  segments: number
  /** Messages the mix was counted from (< planned: the counts are scaled from this many). */
  sampled: number
}

export interface PlanSummary {
  name: string
  seed: number | string
  gateway: string
  segment: { index: number; count: number } | null
  streams: StreamSummary[]
  planned: number
  durationMs: number
  /** Highest planned rate of all streams together (msg/s) and the mean over the plan's duration. */
  peakPerS: number
  meanPerS: number
  /** The --duration cap, when one was given. */
  capMs: number | null
}

export function summarizePlan(scenario: Scenario, opts: PlanOptions = {}): PlanSummary {
  const plan = buildPlan(scenario, opts)
  const uncut = opts.durationCapMs === undefined ? plan : buildPlan(scenario, { ...opts, durationCapMs: undefined })
  const scale = opts.rateScale ?? 1
  const share = opts.segment ? opts.segment.count : 1
  const traffic = scenarioTraffic(scenario, plan.streams)
  const streams = plan.streams.map((sp, i): StreamSummary => {
    const cfg = sp.stream
    const ends = streamEnds(plan, uncut, i)
    const mix = countMix(traffic(i), sp.firstSeq, sp.total, opts.segment)
    const k = mix.sampled > 0 ? sp.planned / mix.sampled : 0
    const operators: Record<string, number> = {}
    for (const [op, n] of Object.entries(mix.operators)) operators[op] = Math.round(n * k)
    return {
      name: sp.name,
      executor: cfg.executor.kind,
      arrivals: cfg.arrivals,
      planned: sp.planned,
      total: sp.total,
      uncut: uncut.streams[i].total,
      startMs: cfg.startMs,
      durationMs: ends.cut,
      uncutMs: ends.uncut,
      peakPerS: (peakRate(cfg.executor) * scale) / share,
      meanPerS: ends.cut > 0 ? (sp.planned * 1000) / ends.cut : 0,
      operators,
      encodings: { gsm7: Math.round(mix.gsm7 * k), ucs2: Math.round(mix.ucs2 * k) },
      segments: Math.round(mix.segments * k),
      sampled: mix.sampled,
    }
  })
  return {
    name: scenario.name,
    seed: scenario.seed,
    gateway: scenario.gateway.kind,
    segment: opts.segment ?? null,
    streams,
    planned: plan.planned,
    durationMs: plan.durationMs,
    peakPerS: peakOf(plan),
    meanPerS: plan.durationMs > 0 ? (plan.planned * 1000) / plan.durationMs : 0,
    capMs: opts.durationCapMs ?? null,
  }
}

/** Streams a --duration cap shortened: what each would have planned and what is left. */
export function planCuts(s: PlanSummary): StreamSummary[] {
  return s.capMs === null ? [] : s.streams.filter((st) => st.total < st.uncut)
}

/** Nominal length of stream i (ms from its start to its last send's nominal end), capped and uncapped. */
function streamEnds(plan: Plan, uncut: Plan, i: number): { cut: number; uncut: number } {
  const length = (p: Plan) => (p.streams[i].total > 0 ? p.windows[i].end - p.windows[i].start : 0)
  return { cut: length(plan), uncut: length(uncut) }
}

/** The plan's highest total rate: the rate is piecewise linear, so its maximum is at a piece's edge. */
function peakOf(plan: Plan): number {
  let peak = 0
  for (const t of plan.breakpoints) {
    for (const x of [t - 1e-6, t]) if (x >= 0) peak = Math.max(peak, plan.expectedRate(x))
  }
  return peak
}

interface Mix {
  operators: Record<string, number>
  gsm7: number
  ucs2: number
  segments: number
  sampled: number
}

/** Counts the first SAMPLE messages of this share of a stream. */
function countMix(source: ReturnType<ReturnType<typeof scenarioTraffic>>, firstSeq: number, total: number, segment: PlanOptions['segment']): Mix {
  const mix: Mix = { operators: {}, gsm7: 0, ucs2: 0, segments: 0, sampled: 0 }
  const offset = segment ? segment.index - 1 : 0
  const stride = segment ? segment.count : 1
  for (let k = offset; k < total && mix.sampled < SAMPLE; k += stride) {
    const msg = source.message(firstSeq + k)
    mix.operators[msg.operator] = (mix.operators[msg.operator] ?? 0) + 1
    const gsm = msg.encoding === 'gsm7' || (msg.encoding === 'auto' && gsm7Septets(msg.text) >= 0)
    if (gsm) mix.gsm7++
    else mix.ucs2++
    mix.segments += segmentCount(msg)
    mix.sampled++
  }
  return mix
}
