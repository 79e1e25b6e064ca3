// The per-stream figures (results.streams) as table rows: one per stream, each followed by its
// (stream, operator) cells, with the verdict of the thresholds scoped to the stream. The console
// and summary.md print them as text; report.html's section (html-streams.ts) formats the same rows.
import type { OperatorResults, ResultsFile } from '../results/results-format.js'
import { runFigures, type RunFigures } from '../results/run-figures.js'
import { scopeTags } from '../results/thresholds.js'
import { fmtInt, fmtMs, fmtPct } from './report-figures.js'

export interface StreamRow {
  stream: string
  /** null: the stream's own row; an operator id: the stream's messages to that operator. */
  operator: string | null
  totals: OperatorResults['totals']
  figures: RunFigures
  /** Thresholds scoped to this stream (stream rows) or to this stream and operator (cell rows). */
  thresholds: { total: number; failed: number }
}

/** Per-stream rows are worth showing when the run had more than one stream. */
export function hasStreamRows(r: ResultsFile): boolean {
  return Object.keys(r.streams ?? {}).length > 1
}

/** Stream rows, each followed by its cells when `cells` is true. */
export function streamRows(r: ResultsFile, cells = true): StreamRow[] {
  const rows: StreamRow[] = []
  const tagged = r.thresholds.map((t) => ({ t, tags: scopeTags(t.scope) }))
  const verdict = (stream: string, operator: string | null) => {
    const mine = tagged.filter((x) => x.tags.stream === stream && (operator === null || x.tags.operator === operator))
    return { total: mine.length, failed: mine.filter((x) => !x.t.ok).length }
  }
  for (const [name, s] of Object.entries(r.streams ?? {})) {
    rows.push({ stream: name, operator: null, totals: s.totals, figures: runFigures(s.totals, s.histograms, r.meta.durationMs), thresholds: verdict(name, null) })
    if (!cells) continue
    for (const [id, c] of Object.entries(s.operators)) {
      rows.push({ stream: name, operator: id, totals: c.totals, figures: runFigures(c.totals, c.histograms, r.meta.durationMs), thresholds: verdict(name, id) })
    }
  }
  return rows
}

/** "4 of 4 ok", "1 of 3 FAILED", "-" (none scoped here). */
export function thresholdVerdict(v: StreamRow['thresholds']): string {
  if (!v.total) return '-'
  return v.failed ? `${v.failed} of ${v.total} FAILED` : `${v.total} of ${v.total} ok`
}

export const STREAM_HEAD = ['stream', 'planned', 'sent', 'accepted', 'rejected', 'failed', 'delivered', 'delivery', 'submit p99', 'receipt p99', 'thresholds']

/** Text cells in STREAM_HEAD order; a cell row is named "  to <operator>" under its stream. */
export function streamTextRow(row: StreamRow): string[] {
  const t = row.totals
  const lat = row.figures.latency
  return [
    row.operator === null ? row.stream : `  to ${row.operator}`,
    fmtInt(t.planned),
    fmtInt(t.sent),
    fmtInt(t.accepted),
    fmtInt(t.rejected),
    fmtInt(t.failed),
    fmtInt(t.delivered),
    fmtPct(row.figures.deliveryRate),
    lat.submit.count ? fmtMs(lat.submit.p99) : '-',
    lat.receipt.count ? fmtMs(lat.receipt.p99) : '-',
    thresholdVerdict(row.thresholds),
  ]
}
