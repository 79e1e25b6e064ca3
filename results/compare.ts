// Run against a baseline run (`mtsim report NEW.json --baseline OLD.json`): the few figures a QA
// lead compares between releases, each flagged when it got worse by more than the tolerance.
// Relative change, so one tolerance fits milliseconds and messages per second alike.
import { MtsimError } from '../lib/errors.js'
import type { ResultsFile } from './results-format.js'
import { resultsFigures, type RunFigures } from './run-figures.js'
import { populationNote, verdictOf, type Verdict } from './compare-verdict.js'
import type { Totals } from './results-format.js'

export type { Verdict }

export type Unit = 'us' | 'ratio' | 'perS' | 'count'

export interface Delta {
  key: string
  label: string
  unit: Unit
  /** Which way is better: latencies lower, rates higher. */
  better: 'lower' | 'higher'
  baseline: number | null
  current: number | null
  /** (current - baseline) / baseline; null when either side has no data or the baseline is 0. */
  change: number | null
  worse: boolean
  /** A latency figure over a very different share of messages than the baseline's (compare-verdict.ts); null when comparable. */
  population?: string | null
}

export interface Comparison {
  tolerance: number
  baselineName: string
  baselineStartedAt: string
  deltas: Delta[]
  /** How many figures got worse beyond the tolerance. */
  worse: number
  /** regression (something worse), inconclusive (latencies over different messages), no regression. */
  verdict: Verdict
}

export const DEFAULT_TOLERANCE = 0.1

interface Figure {
  key: string
  label: string
  unit: Unit
  better: 'lower' | 'higher'
  get: (f: RunFigures, t: Totals) => number | null
}

const nz = (count: number, v: number): number | null => (count > 0 ? v : null)

const FIGURES: Figure[] = [
  { key: 'submit_p50', label: 'Submit latency p50', unit: 'us', better: 'lower', get: (f) => nz(f.latency.submit.count, f.latency.submit.p50) },
  { key: 'submit_p90', label: 'Submit latency p90', unit: 'us', better: 'lower', get: (f) => nz(f.latency.submit.count, f.latency.submit.p90) },
  { key: 'submit_p99', label: 'Submit latency p99', unit: 'us', better: 'lower', get: (f) => nz(f.latency.submit.count, f.latency.submit.p99) },
  { key: 'receipt_p50', label: 'Receipt latency p50', unit: 'us', better: 'lower', get: (f) => nz(f.latency.receipt.count, f.latency.receipt.p50) },
  { key: 'receipt_p90', label: 'Receipt latency p90', unit: 'us', better: 'lower', get: (f) => nz(f.latency.receipt.count, f.latency.receipt.p90) },
  { key: 'receipt_p99', label: 'Receipt latency p99', unit: 'us', better: 'lower', get: (f) => nz(f.latency.receipt.count, f.latency.receipt.p99) },
  { key: 'delivery_rate', label: 'Delivery rate', unit: 'ratio', better: 'higher', get: (f) => f.deliveryRate },
  { key: 'accept_rate', label: 'Accept rate', unit: 'ratio', better: 'higher', get: (f) => f.acceptRate },
  { key: 'accepted_per_s', label: 'Accepted throughput', unit: 'perS', better: 'higher', get: (f) => f.acceptedPerS },
  // Counts: a message lost is a message lost, whatever the latencies of the others say.
  { key: 'missing', label: 'Missing (no receipt)', unit: 'count', better: 'lower', get: (_f, t) => t.missing },
  { key: 'dropped', label: 'Dropped (never sent)', unit: 'count', better: 'lower', get: (_f, t) => t.dropped },
  { key: 'rejected', label: 'Rejected (error status)', unit: 'count', better: 'lower', get: (_f, t) => t.rejected },
  { key: 'failed', label: 'Failed (no answer)', unit: 'count', better: 'lower', get: (_f, t) => t.failed },
]

export function compareResults(current: ResultsFile, baseline: ResultsFile, tolerance = DEFAULT_TOLERANCE): Comparison {
  if (!(tolerance >= 0)) throw new MtsimError('MTSIM_ERR_OPTION', ['--tolerance', 'a fraction of 0 or more like 0.1 (10%)', String(tolerance)])
  const now = resultsFigures(current)
  const then = resultsFigures(baseline)
  const deltas = FIGURES.map((fig): Delta => {
    const b = fig.get(then, baseline.totals)
    const c = fig.get(now, current.totals)
    const change = b === null || c === null || b === 0 ? null : (c - b) / b
    const population = fig.unit === 'us' ? populationNote(fig.key, current, baseline) : null
    return { key: fig.key, label: fig.label, unit: fig.unit, better: fig.better, baseline: b, current: c, change, worse: isWorse(fig.better, b, c, change, tolerance), population }
  })
  return {
    tolerance,
    baselineName: baseline.meta.name,
    baselineStartedAt: baseline.meta.startedAt,
    deltas,
    worse: deltas.filter((d) => d.worse).length,
    verdict: verdictOf(deltas),
  }
}

function isWorse(better: 'lower' | 'higher', b: number | null, c: number | null, change: number | null, tolerance: number): boolean {
  if (b === null) return false // nothing to compare against
  if (c === null) return true // the figure vanished: nothing delivered, nothing accepted
  if (change === null) {
    // Baseline of exactly 0: any rise is infinitely worse for a latency, never worse for a rate.
    return better === 'lower' ? c > 0 : false
  }
  return better === 'lower' ? change > tolerance : change < -tolerance
}
