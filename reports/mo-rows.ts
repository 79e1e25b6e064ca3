// MO and opt-out figures (results.mo) as text: one row per operator and a one-line summary. The
// console summary and summary.md print them; report.html has its own section (html-mo.ts).
import { decodeHistogram, percentiles } from '../lib/hdr.js'
import type { MoCounts, ResultsFile } from '../results/results-format.js'
import { fmtInt, fmtMs } from './report-figures.js'

export const MO_HEAD = ['operator', 'MO sent', 'received', 'lost', 'dup', 'replies', 'STOPs', 'STOPs at app', 'MO p99', 'STOP->app p99', 'suppressed', 'violations']

/** p99 in microseconds of an encoded histogram, null when it is empty. */
export function p99Of(b64: string): number | null {
  const p = percentiles(decodeHistogram(b64))
  return p.count ? p.p99 : null
}

function row(id: string, c: MoCounts, latency: string, stopLatency: string): string[] {
  return [
    id, fmtInt(c.sent), fmtInt(c.received), fmtInt(c.lost), fmtInt(c.duplicated), fmtInt(c.replies), fmtInt(c.stops), fmtInt(c.stops_received),
    fmtMs(p99Of(latency)), fmtMs(p99Of(stopLatency)), fmtInt(c.suppressed), fmtInt(c.optout_violations),
  ]
}

export function moRows(r: ResultsFile): string[][] {
  const mo = r.mo
  if (!mo) return []
  const rows = Object.entries(mo.operators).map(([id, o]) => row(id, o, o.latency, o.stopLatency))
  if (rows.length > 1) rows.push(row('all', mo.totals, mo.latency, mo.stopLatency))
  return rows
}

/** "MO: 104 sent, 104 received, ...; application naive: 16 STOPs received, 0 sends suppressed, 27 violations". */
export function moSummary(r: ResultsFile): string | undefined {
  const mo = r.mo
  if (!mo) return undefined
  const t = mo.totals
  const unknown = t.unknown ? `, ${fmtInt(t.unknown)} unknown` : ''
  return (
    `MO: ${fmtInt(t.sent)} sent by subscribers (${fmtInt(t.replies)} replies, ${fmtInt(t.stops)} STOPs, ${fmtInt(t.spontaneous)} spontaneous), ` +
    `${fmtInt(t.received)} received, ${fmtInt(t.lost)} lost, ${fmtInt(t.duplicated)} duplicated${unknown}; ` +
    `application ${mo.application}: ${fmtInt(t.stops_received)} STOPs received, ${fmtInt(t.suppressed)} sends suppressed, ` +
    `${fmtInt(t.optout_violations)} opt-out violations`
  )
}
