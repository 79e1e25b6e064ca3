// The planner's answers from a model run: the peak hour, how far queues grow and how long they take
// to drain, and per operator which limit binds first and the binds x window that carry its peak.
//
// Sizing, per operator, at the peak interval's offered rate λ (messages per second):
//   window   a bind with window W carries W / E[hold] submits per second (Little's law), so
//            λ x segments x E[hold] submits must fit in binds x W; sized at 80% so random arrivals
//            do not queue at the peak (HEADROOM)
//   throttle per bind: each bind adds the operator's rate; per operator: binds do not help, the
//            operator must raise it (or the backlog and its drain are the price)
//   pacing   the gateway's own cap per bind
//   account  more binds than max_binds are refused by the operator
// "First to bind" is the lowest of these limits at today's settings: as traffic grows, the one
// that queues (or refuses) first.
import { addEncoded } from '../../lib/hdr.js'
import type { ResultsFile } from '../../results/results-format.js'
import type { ThresholdDef } from '../../results/thresholds.js'
import type { LinkFigures, ModelRun } from './run-model.js'

/** Planned utilisation of a window at the peak: below it random arrivals rarely queue. */
export const HEADROOM = 0.8
const HOUR_MS = 3_600_000

export type LimitName = 'window' | 'throttle' | 'pacing'

export interface PeakHour {
  startMs: number
  endMs: number
  offered: number
  /** Mean offered rate over the hour (busy-hour TPS). */
  offeredPerS: number
  carriedPerS: number
  /** The highest interval's offered rate in it. */
  peakIntervalPerS: number
  submitP99Ms: number | null
  receiptP99Ms: number | null
}

export interface OperatorAnswer {
  id: string
  offered: number
  carried: number
  /** Dropped by mtsim (direct) or lost or refused by the gateway. */
  dropped: number
  /** Refused by the operator's throttle (reject policy). */
  throttled: number
  peakOfferedPerS: number
  peakOfferedAtMs: number
  limits: Record<LimitName, number>
  /** The lowest limit now, and the peak's share of it. */
  firstToBind: LimitName | 'none'
  utilisation: number
  peakQueued: number
  peakQueuedAtMs: number
  /** From the queue's peak until it was empty again (ms); 0 when no queue built. */
  drainMs: number
  peakAwaiting: number
  sizing: Sizing
}

export interface Sizing {
  /** Submits that must be in flight at the peak (λ x segments x E[hold]). */
  inFlightAtPeak: number
  window: number
  bindsNow: number
  /** The fewest binds (at today's window) whose window, per-bind throttle and pacing carry the peak. */
  bindsNeeded: number
  /** The same with the window at most HEADROOM full at the peak. */
  bindsWithHeadroom: number
  maxBinds: number
  /** What binds cannot fix: "throttle per operator", "max_binds", or null. */
  blocker: string | null
  advice: string
}

export interface ModelAnswers {
  peakHour: PeakHour
  operators: OperatorAnswer[]
  /** From the end of the plan until the last receipt or missing declaration (ms). */
  receiptTailMs: number
  /** The longest drain of any operator's queue (ms). */
  drainMs: number
}

function peakHour(run: ModelRun, results: ResultsFile): PeakHour {
  const I = run.intervalMs
  const n = run.t.length
  const offered = run.t.map((_, j) => run.series.reduce((a, s) => a + s.offered[j]!, 0))
  const carried = run.t.map((_, j) => run.series.reduce((a, s) => a + s.carried[j]!, 0))
  const span = Math.max(1, Math.min(n, Math.round(HOUR_MS / I)))
  let best = 0
  let sum = 0
  let bestSum = -1
  for (let j = 0; j < n; j++) {
    sum += offered[j]!
    if (j >= span) sum -= offered[j - span]!
    // Ties (equal hours, whole-message rounding) go to the earliest window.
    if (j >= span - 1 && sum > bestSum + span) {
      bestSum = sum
      best = j - span + 1
    }
  }
  if (bestSum < 0) bestSum = sum
  const seconds = (span * I) / 1000
  let carriedSum = 0
  let peakIv = 0
  for (let j = best; j < best + span && j < n; j++) {
    carriedSum += carried[j]!
    peakIv = Math.max(peakIv, offered[j]!)
  }
  let submitP99: number | null = null
  let receiptP99: number | null = null
  const points = results.timeseries.slice(best, best + span)
  if (points.length) {
    const s = addEncoded(points.map((p) => p.submit))
    const r = addEncoded(points.map((p) => p.receipt))
    submitP99 = s.totalCount ? s.getValueAtPercentile(99) / 1000 : null
    receiptP99 = r.totalCount ? r.getValueAtPercentile(99) / 1000 : null
  }
  return {
    startMs: best * I,
    endMs: (best + span) * I,
    offered: bestSum,
    offeredPerS: bestSum / seconds,
    carriedPerS: carriedSum / seconds,
    peakIntervalPerS: peakIv / (I / 1000),
    submitP99Ms: submitP99,
    receiptP99Ms: receiptP99,
  }
}

export function analyse(run: ModelRun, results: ResultsFile): ModelAnswers {
  const I = run.intervalMs
  const operators = run.links.map((l, i): OperatorAnswer => {
    const s = run.series[i]!
    let peak = 0
    let peakAt = 0
    s.offered.forEach((x, j) => {
      if (x > peak) {
        peak = x
        peakAt = run.t[j]!
      }
    })
    const peakPerS = peak / (I / 1000)
    const limits: Record<LimitName, number> = { window: l.windowRate, throttle: l.throttleRate, pacing: l.pacingRate }
    let first: LimitName | 'none' = 'none'
    let lowest = Infinity
    for (const k of ['throttle', 'window', 'pacing'] as const) {
      if (limits[k] < lowest) {
        lowest = limits[k]
        first = k
      }
    }
    const sz = sizeLink(l, peakPerS)
    const t = results.operators[l.id]!.totals
    return {
      id: l.id,
      offered: t.planned,
      carried: s.carried.reduce((a, x) => a + x, 0),
      dropped: s.dropped.reduce((a, x) => a + x, 0),
      throttled: s.throttled.reduce((a, x) => a + x, 0),
      peakOfferedPerS: peakPerS,
      peakOfferedAtMs: peakAt,
      limits,
      firstToBind: first,
      utilisation: lowest === Infinity ? 0 : peakPerS / lowest,
      peakQueued: l.peakQueued,
      peakQueuedAtMs: l.peakQueuedAt,
      drainMs: l.peakQueued > 0 ? (l.drainedAt >= 0 ? l.drainedAt - l.peakQueuedAt : Infinity) : 0,
      peakAwaiting: s.awaiting.reduce((a, x) => Math.max(a, x), 0),
      sizing: sz,
    }
  })
  return {
    peakHour: peakHour(run, results),
    operators,
    receiptTailMs: Math.max(0, run.durationMs - run.planMs),
    drainMs: operators.reduce((a, o) => Math.max(a, o.drainMs), 0),
  }
}

/** Binds (at today's window) that carry `peakPerS`, with and without headroom, and what stands in the way. */
export function sizeLink(l: LinkFigures, peakPerS: number): Sizing {
  const s = l.settings
  const w = Math.min(s.window, s.operatorWindow)
  const inFlight = (peakPerS * l.segments * l.holdMs) / 1000
  const need = (share: number) => {
    let b = Math.max(1, Math.ceil(inFlight / (w * share) - 1e-9))
    if (s.pacing !== null) b = Math.max(b, Math.ceil(peakPerS / (s.pacing * share) - 1e-9))
    if (l.throttleRate !== Infinity && l.throttlePerBind) b = Math.max(b, Math.ceil(peakPerS / ((l.throttleRate / s.binds) * share) - 1e-9))
    return b
  }
  const bindsNeeded = need(1)
  const bindsWithHeadroom = need(HEADROOM)
  let blocker: string | null = null
  const notes: string[] = []
  if (l.throttleRate !== Infinity && !l.throttlePerBind && peakPerS > l.throttleRate) {
    blocker = 'throttle per operator'
    notes.push(`its throttle of ${round(l.throttleRate)} msg/s is for the whole operator: more binds do not help; the peak needs ${round(peakPerS)} msg/s (ask the operator, or plan for the queue and its drain)`)
  } else if (bindsNeeded > s.maxBinds) {
    blocker = 'max_binds'
    notes.push(`${bindsNeeded} binds are needed but the account allows ${s.maxBinds} (max_binds): ask for more binds, or a window of ${Math.ceil(inFlight / s.maxBinds)} per bind`)
  } else if (bindsNeeded <= s.binds) {
    notes.push(`${s.binds} x ${w} carries the peak (${round(inFlight)} submits in flight at it)` + (bindsWithHeadroom > s.binds ? `; ${Math.min(bindsWithHeadroom, s.maxBinds)} binds for 20% headroom` : ''))
  } else {
    notes.push(`${bindsNeeded} binds x ${w} carry the peak (now ${s.binds})` + (bindsWithHeadroom > bindsNeeded ? `, ${bindsWithHeadroom} for 20% headroom` : '') + (bindsWithHeadroom > s.maxBinds ? ` (the account allows ${s.maxBinds})` : ''))
  }
  return { inFlightAtPeak: inFlight, window: w, bindsNow: s.binds, bindsNeeded, bindsWithHeadroom, maxBinds: s.maxBinds, blocker, advice: notes.join('; ') }
}

function round(x: number): string {
  return x >= 100 ? String(Math.round(x)) : x.toFixed(1)
}

/** Thresholds on submit latency that no sizing can meet: the operator's own latency already breaks them. */
export function unreachable(defs: readonly ThresholdDef[], links: readonly LinkFigures[]): string[] {
  const out: string[] = []
  for (const d of defs) {
    if (d.metric !== 'submit_latency' || d.aggregation.kind !== 'p' || (d.op !== '<' && d.op !== '<=')) continue
    for (const l of links) {
      // A stream's latency is not modelled apart from the others': judge it on the operator's.
      if (d.operator !== null && d.operator !== l.id) continue
      if (d.aggregation.p >= 99 && l.latencyP99 > d.value) out.push(`${l.id}: submit_latency ${d.expression} cannot hold: the operator alone answers in ${round(l.latencyP99)} ms at p99`)
    }
  }
  return out
}
