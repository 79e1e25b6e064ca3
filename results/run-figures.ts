// The figures every view of a run shows (console, Markdown, HTML, baseline comparison), computed
// one way so they never disagree. Latencies stay in microseconds here; views format them.
import { decodeHistogram, percentiles, type Percentiles } from '../lib/hdr.js'
import type { ResultsFile, Totals, Histograms, TimePoint } from './results-format.js'

export interface LatencyFigures {
  submit: Percentiles
  receipt: Percentiles
  transit: Percentiles
}

export interface RunFigures {
  /** The period the rates are over (s): for a whole run its sending period (sendingPeriodMs), without the receipt wait. */
  durationS: number
  /** Accepted submits per second over the sending period. */
  acceptedPerS: number
  sentPerS: number
  /** What the plan asked: planned sends per second over the plan's own period (null when not known). */
  plannedPerS: number | null
  /** delivered / accepted that asked for a receipt (null when none was). */
  deliveryRate: number | null
  /** accepted / sent (null when nothing was sent). */
  acceptRate: number | null
  latency: LatencyFigures
}

/** Corrected latencies (from intended send time): the ones that count. */
export function latencyFigures(h: Histograms): LatencyFigures {
  return {
    submit: percentiles(decodeHistogram(h.submit.corrected)),
    receipt: percentiles(decodeHistogram(h.receipt.corrected)),
    transit: percentiles(decodeHistogram(h.transit.corrected)),
  }
}

/** Figures of one scope; rates over periodMs (the sending period), the plan's rate over planMs when given. */
export function runFigures(totals: Totals, histograms: Histograms, periodMs: number, planMs?: number): RunFigures {
  const durationS = periodMs / 1000
  return {
    durationS,
    acceptedPerS: durationS > 0 ? totals.accepted / durationS : 0,
    sentPerS: durationS > 0 ? totals.sent / durationS : 0,
    plannedPerS: planMs !== undefined && planMs > 0 ? totals.planned / (planMs / 1000) : null,
    deliveryRate: receiptsExpected(totals) > 0 ? totals.delivered / receiptsExpected(totals) : null,
    acceptRate: totals.sent > 0 ? totals.accepted / totals.sent : null,
    latency: latencyFigures(histograms),
  }
}

/** Accepted messages that asked for a receipt: the delivery rate's denominator. */
export function receiptsExpected(t: Totals): number {
  return t.accepted - (t.no_receipt_requested ?? 0)
}

/** The run's figures: rates over its sending period, the plan's rate beside them. */
export function resultsFigures(r: ResultsFile): RunFigures {
  return runFigures(r.totals, r.histograms, sendingPeriodMs(r), sendingPeriodMs(r, 'plan'))
}

/**
 * The sending period (ms): from the start of the first interval that planned or sent anything to
 * the end of the last one, without the receipt wait after it. Rates "/s" are over this period.
 * `plan`: the intervals that planned sends only (the period the plan's rate is about). Without a
 * time series (never in a run), the whole run.
 */
export function sendingPeriodMs(r: Pick<ResultsFile, 'timeseries' | 'meta'>, which: 'sending' | 'plan' = 'sending'): number {
  const points = r.timeseries
  const busy = which === 'plan' ? (p: TimePoint) => p.planned > 0 : (p: TimePoint) => p.planned > 0 || p.sent > 0
  const first = points.findIndex(busy)
  if (first < 0) return r.meta.durationMs
  let last = points.length - 1
  while (!busy(points[last]!)) last--
  const end = Math.min(points[last]!.t + r.meta.intervalMs, r.meta.durationMs)
  return Math.max(0, end - points[first]!.t)
}
