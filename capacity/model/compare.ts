// The model against a real run of the same scenario: throughput (accepted), drops, and p50/p99 of
// submit and receipt latency, overall and per operator, each with its tolerance: 10% of the run's
// figure, or the HDR precision (0.1%) plus scheduler jitter, whichever is larger. Jitter covers
// what a real run adds that the model does not (event-loop turns, socket writes, timers): 25 ms
// for latencies; counts get 2 messages.
//
// API: compareModel(model, run) -> ComparisonRow[]; formatComparison(rows) -> text table.
import { decodeHistogram } from '../../lib/hdr.js'
import type { ResultsFile, Totals, Histograms } from '../../results/results-format.js'

export const RELATIVE_TOLERANCE = 0.1
export const HDR_PRECISION = 0.001
export const JITTER_MS = 25
export const COUNT_SLACK = 2

export interface ComparisonRow {
  scope: string
  metric: string
  model: number | null
  run: number | null
  tolerance: number
  ok: boolean
}

interface Scope {
  totals: Totals
  histograms: Histograms
}

function pct(b64: string, q: number): number | null {
  const h = decodeHistogram(b64)
  return h.totalCount ? h.getValueAtPercentile(q) / 1000 : null
}

function rows(scope: string, m: Scope, r: Scope): ComparisonRow[] {
  const out: ComparisonRow[] = []
  const count = (metric: string, a: number, b: number) => {
    const tol = Math.max(RELATIVE_TOLERANCE * Math.max(a, b), COUNT_SLACK)
    out.push({ scope, metric, model: a, run: b, tolerance: tol, ok: Math.abs(a - b) <= tol })
  }
  const latency = (metric: string, a: number | null, b: number | null) => {
    if (a === null && b === null) return
    const tol = b === null ? 0 : Math.max(RELATIVE_TOLERANCE * b, HDR_PRECISION * b + JITTER_MS)
    out.push({ scope, metric, model: a, run: b, tolerance: tol, ok: a !== null && b !== null && Math.abs(a - b) <= tol })
  }
  count('accepted', m.totals.accepted, r.totals.accepted)
  count('dropped', m.totals.dropped, r.totals.dropped)
  count('rejected', m.totals.rejected, r.totals.rejected)
  latency('submit p50 (ms)', pct(m.histograms.submit.corrected, 50), pct(r.histograms.submit.corrected, 50))
  latency('submit p99 (ms)', pct(m.histograms.submit.corrected, 99), pct(r.histograms.submit.corrected, 99))
  latency('receipt p50 (ms)', pct(m.histograms.receipt.corrected, 50), pct(r.histograms.receipt.corrected, 50))
  latency('receipt p99 (ms)', pct(m.histograms.receipt.corrected, 99), pct(r.histograms.receipt.corrected, 99))
  return out
}

export function compareModel(model: ResultsFile, run: ResultsFile): ComparisonRow[] {
  const out = rows('overall', model, run)
  for (const [id, m] of Object.entries(model.operators)) {
    const r = run.operators[id]
    if (r) out.push(...rows(id, m, r))
  }
  return out
}

const fmt = (x: number | null, metric: string) => (x === null ? '-' : metric.includes('ms') ? x.toFixed(1) : String(Math.round(x)))

export function formatComparison(rows: readonly ComparisonRow[]): string {
  const head = ['scope', 'figure', 'model', 'run', 'tolerance', '']
  const body = rows.map((r) => [r.scope, r.metric, fmt(r.model, r.metric), fmt(r.run, r.metric), `±${fmt(r.tolerance, r.metric)}`, r.ok ? 'ok' : 'DIFFERS'])
  const all = [head, ...body]
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)))
  return all.map((r) => r.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n')
}
