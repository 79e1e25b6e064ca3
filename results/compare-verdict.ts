// The baseline comparison's verdict, and the check that keeps a latency comparison honest: a
// receipt p90 that "improved" by 93% because most messages got no receipt at all compares two
// different populations of messages, not two gateways. Such a delta is flagged (and never counts
// as better); the comparison's verdict is then at best inconclusive.
//
//   regression      a figure got worse beyond the tolerance (`--fail-on-regression`: exit 98)
//   inconclusive    nothing got worse, but a latency figure describes a different share of messages
//   no regression   nothing got worse, and the latencies compare like with like
//
// API: populationNote(key, current, baseline), verdictOf(deltas).
import type { ResultsFile } from './results-format.js'

export type Verdict = 'regression' | 'inconclusive' | 'no regression'

/** Shares of messages whose latency is in a histogram differing by more than this (absolute) are flagged. */
export const POPULATION_GAP = 0.1

/** The share of messages a latency figure covers: submit answers of sends, receipts of accepted messages. */
function coverage(key: string, r: ResultsFile): { share: number; of: string } | null {
  // The totals say how many samples each histogram holds without decoding it: every answered
  // submit has a submit latency, every final receipt a receipt latency.
  const t = r.totals
  if (key.startsWith('submit_')) return t.sent > 0 ? { share: (t.accepted + t.rejected) / t.sent, of: 'sent' } : null
  const finals = t.delivered + t.undelivered + t.expired + t.rejected_by_operator + t.failed_in_gateway + t.other_final
  if (key.startsWith('receipt_')) return t.accepted > 0 ? { share: finals / t.accepted, of: 'accepted' } : null
  return null
}

/**
 * For a latency figure: a note when this run's latencies cover a very different share of its
 * messages than the baseline's (e.g. "receipt latency covers 12.4% of accepted messages, 97.0% in
 * the baseline"); null when they compare like with like (or the figure is no latency).
 */
export function populationNote(key: string, current: ResultsFile, baseline: ResultsFile): string | null {
  const c = coverage(key, current)
  const b = coverage(key, baseline)
  if (!c || !b || Math.abs(c.share - b.share) <= POPULATION_GAP) return null
  const what = key.startsWith('submit_') ? 'submit latency covers' : 'receipt latency covers'
  return `${what} ${pct(c.share)} of ${c.of} messages, ${pct(b.share)} in the baseline: different messages, not comparable`
}

export function verdictOf(deltas: readonly { worse: boolean; population?: string | null }[]): Verdict {
  if (deltas.some((d) => d.worse)) return 'regression'
  if (deltas.some((d) => d.population)) return 'inconclusive'
  return 'no regression'
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`
}
