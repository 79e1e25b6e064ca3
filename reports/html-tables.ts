// The report's tables, as HTML strings. Every value from the results file goes through esc():
// scenario names, operator ids and status names are user-controlled text.
import type { ResultsFile } from '../results/results-format.js'
import type { Comparison } from '../results/compare.js'
import { formatDeltaValue, formatChange } from './delta-format.js'
import { resultsFigures, runFigures } from '../results/run-figures.js'
import { statusRows, errorStatusRows, fmtMs, fmtPct, fmtInt, fmtRate, fmtDuration, fmtOutcome, sendingRate } from './report-figures.js'

export function esc(s: unknown): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function tableHtml(head: string[], rows: string[][], numericFrom = 1, rowClass?: (i: number) => string): string {
  const th = head.map((h, i) => `<th${i >= numericFrom ? ' class="num"' : ''}>${h}</th>`).join('')
  const body = rows
    .map((r, ri) => `<tr${rowClass ? ` class="${rowClass(ri)}"` : ''}>${r.map((c, i) => `<td${i >= numericFrom ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`)
    .join('\n')
  // Wrapped so a wide table scrolls on a narrow screen instead of running off the page.
  return `<div class="tw"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`
}

export function operatorTable(r: ResultsFile): string {
  const rows = Object.entries(r.operators).map(([id, o]) => {
    const f = runFigures(o.totals, o.histograms, r.meta.durationMs)
    const t = o.totals
    return [
      `<b>${esc(id)}</b>`,
      fmtInt(t.sent),
      fmtInt(t.accepted),
      fmtInt(t.rejected),
      fmtInt(t.failed),
      fmtInt(t.delivered),
      fmtInt(t.undelivered + t.expired + t.rejected_by_operator + t.other_final),
      fmtInt(t.missing + t.pending),
      fmtPct(f.deliveryRate),
      f.latency.submit.count ? fmtMs(f.latency.submit.p50) : '-',
      f.latency.submit.count ? fmtMs(f.latency.submit.p99) : '-',
      f.latency.receipt.count ? fmtMs(f.latency.receipt.p50) : '-',
      f.latency.receipt.count ? fmtMs(f.latency.receipt.p99) : '-',
    ]
  })
  if (!rows.length) return '<p class="muted">No per-operator figures in this results file.</p>'
  return tableHtml(
    ['operator', 'sent', 'accepted', 'rejected', 'failed', 'delivered', 'not delivered', 'no receipt', 'delivery', 'submit p50', 'submit p99', 'receipt p50', 'receipt p99'],
    rows,
  )
}

export function thresholdTable(r: ResultsFile): string {
  if (!r.thresholds.length) return '<p class="muted">The scenario defines no thresholds.</p>'
  return tableHtml(
    ['result', 'scope', 'metric', 'limit', 'observed', 'abort on fail'],
    r.thresholds.map((t) => [
      t.ok ? '<span class="pill pass">pass</span>' : '<span class="pill fail">FAIL</span>',
      esc(t.scope),
      `<code>${esc(t.metric)}</code>`,
      `<code>${esc(t.expression)}</code>`,
      esc(fmtOutcome(t)),
      t.abortOnFail ? 'yes' : 'no',
    ]),
    4,
    (i) => (r.thresholds[i]!.ok ? '' : 'bad'),
  )
}

export function statusTable(r: ResultsFile): string {
  const rows = statusRows(r.statuses)
  if (!rows.length) return '<p class="muted">No submit answers recorded.</p>'
  const errors = new Set(errorStatusRows(r).map((s) => s.name))
  return tableHtml(
    ['status', 'code', 'count', 'share'],
    rows.map((s) => [`<code>${esc(s.name)}</code>`, s.code ? `<code>${s.code}</code>` : '-', fmtInt(s.count), fmtPct(s.share)]),
    2,
    (i) => (errors.has(rows[i]!.name) ? 'bad' : ''),
  )
}

export function metadataTable(r: ResultsFile): string {
  const m = r.meta
  const rows: [string, string][] = [
    ['scenario', esc(m.name)],
    ['scenario file', m.scenarioFile ? `<code>${esc(m.scenarioFile)}</code>` : '-'],
    ['seed', `<code>${esc(m.seed)}</code>`],
    ['gateway', esc(m.gateway)],
    ['started', esc(m.startedAt)],
    ['ended', esc(m.endedAt)],
    ['duration', `${fmtDuration(m.durationMs)} (${fmtInt(m.durationMs)} ms)`],
    ['interval', `${fmtInt(m.intervalMs)} ms`],
    ['segment', m.segment ? `share ${m.segment.index + 1} of ${m.segment.count}` : 'whole run'],
    ['interrupted', m.interrupted ? '<b>yes</b>: figures cover the run up to the interruption' : 'no'],
    ...Object.entries(m.versions).map(([k, v]): [string, string] => [`version: ${esc(k)}`, `<code>${esc(v)}</code>`]),
  ]
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>`
}

export function faultTable(r: ResultsFile): string {
  if (!r.faults.length) return '<p class="muted">No faults were injected.</p>'
  return tableHtml(
    ['operator', 'fault', 'from', 'to', 'length', 'source'],
    r.faults.map((f) => [esc(f.operator), esc(f.kind), `${(f.start / 1000).toFixed(1)} s`, `${(f.end / 1000).toFixed(1)} s`, `${((f.end - f.start) / 1000).toFixed(1)} s`, esc(f.source)]),
    2,
  )
}

/** Failover figures are free-form (see docs/results.md): one row per key, nested values as JSON. */
export function comparisonTable(c: Comparison): string {
  return tableHtml(
    ['figure', 'baseline', 'this run', 'change', ''],
    c.deltas.map((d) => [
      esc(d.label),
      formatDeltaValue(d, d.baseline),
      formatDeltaValue(d, d.current),
      formatChange(d),
      d.worse ? '<span class="pill fail">worse</span>' : d.population ? `<span class="pill warn" title="${esc(d.population)}">not comparable</span>` : '<span class="pill pass">ok</span>',
    ]),
    1,
    (i) => (c.deltas[i]!.worse ? 'bad' : ''),
  )
}

export interface Tile {
  label: string
  value: string
  note: string
  bad?: boolean
}

export function tiles(r: ResultsFile): Tile[] {
  const f = resultsFigures(r)
  const t = r.totals
  const lost = t.dropped + t.failed + t.missing
  return [
    { label: 'Sent', value: fmtInt(t.sent), note: `of ${fmtInt(t.planned)} planned (dropped ${fmtInt(t.dropped)}, late ${fmtInt(t.late)}); ${sendingRate(f)}`, bad: t.dropped > 0 },
    { label: 'Accepted', value: fmtPct(f.acceptRate, 1), note: `${fmtInt(t.accepted)} at ${fmtRate(f.acceptedPerS)}`, bad: judged(r, 'accept_rate', f.acceptRate !== null && f.acceptRate < 0.99) },
    { label: 'Delivered', value: fmtPct(f.deliveryRate, 1), note: `${fmtInt(t.delivered)} of accepted` , bad: judged(r, 'delivery_rate', f.deliveryRate !== null && f.deliveryRate < 0.95) },
    { label: 'Submit p99', value: f.latency.submit.count ? fmtMs(f.latency.submit.p99) : '-', note: `p50 ${fmtMs(f.latency.submit.p50)}` },
    { label: 'Receipt p99', value: f.latency.receipt.count ? fmtMs(f.latency.receipt.p99) : '-', note: `p50 ${fmtMs(f.latency.receipt.p50)}` },
    { label: 'Lost', value: fmtInt(lost), note: `dropped ${fmtInt(t.dropped)}, no answer ${fmtInt(t.failed)}, no receipt ${fmtInt(t.missing)}`, bad: lost > 0 },
  ]
}

/**
 * A tile is red when the scenario's own overall threshold on its metric failed; only a metric
 * with no such threshold falls back to the report's rule of thumb (`otherwise`).
 */
function judged(r: ResultsFile, metric: string, otherwise: boolean): boolean {
  const own = r.thresholds.filter((th) => th.metric === metric && th.scope === 'overall')
  return own.length ? own.some((th) => !th.ok) : otherwise
}
