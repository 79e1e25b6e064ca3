// The report's per-stream section (results.streams): one row per stream with the verdict of the
// thresholds scoped to it, its (stream, operator) cells indented beneath, and a chart of each
// stream's sends and acceptances over time (drawn by html-client.ts from reportData().streams).
// Shown when the run had more than one stream; a single stream's figures are the run's own.
import type { ResultsFile } from '../results/results-format.js'
import { esc } from './html-tables.js'
import { fmtInt, fmtMs, fmtPct } from './report-figures.js'
import { hasStreamRows, streamRows, thresholdVerdict, type StreamRow } from './stream-rows.js'

// The verdict right after the name: on a narrow screen the table scrolls, and the verdict is what a reader looks for.
const HEAD = ['stream', 'thresholds', 'planned', 'sent', 'accepted', 'rejected', 'failed', 'delivered', 'not delivered', 'no receipt', 'delivery', 'submit p99', 'receipt p99']
const NUMERIC_FROM = 2

export function streamsSection(r: ResultsFile): string {
  if (!hasStreamRows(r)) return ''
  // Through a gateway: its own failure receipts get a column (results/results-format.ts failed_in_gateway).
  const gatewayFailed = Object.values(r.streams!).some((st) => (st.totals.failed_in_gateway ?? 0) > 0)
  const head = gatewayFailed ? [...HEAD.slice(0, 9), 'gateway failed', ...HEAD.slice(9)] : HEAD
  const rows = streamRows(r).map((row) => rowHtml(row, gatewayFailed)).join('\n')
  const th = head.map((h, i) => `<th${i >= NUMERIC_FROM ? ' class="num"' : ''}>${h}</th>`).join('')
  return `<h2>Streams</h2>
<div class="tw"><table class="streams"><thead><tr>${th}</tr></thead><tbody>
${rows}
</tbody></table></div>
<p class="muted">Each stream's messages, then the same messages by the operator they went to. Thresholds: those written with <code>{stream:name}</code> (on the stream's row) or <code>{stream:name,operator:id}</code> (on the operator's).</p>
<section class="grid">
<div class="card wide"><h3>Sent and accepted per stream</h3><p>Messages per second of each stream: sent (solid) and accepted (dashed).</p><div class="chart"><canvas id="chart-streams" role="img" aria-label="Sent and accepted per stream"></canvas></div></div>
</section>`
}

function rowHtml(row: StreamRow, gatewayFailed: boolean): string {
  const t = row.totals
  const lat = row.figures.latency
  const v = row.thresholds
  const verdict = !v.total ? '-' : `<span class="pill ${v.failed ? 'fail' : 'pass'}">${esc(thresholdVerdict(v))}</span>`
  const name = row.operator === null ? `<b>${esc(row.stream)}</b>` : `<span class="cell">to ${esc(row.operator)}</span>`
  const cells = [
    name,
    verdict,
    fmtInt(t.planned),
    fmtInt(t.sent),
    fmtInt(t.accepted),
    fmtInt(t.rejected),
    fmtInt(t.failed),
    fmtInt(t.delivered),
    fmtInt(t.undelivered + t.expired + t.rejected_by_operator + t.other_final),
    ...(gatewayFailed ? [fmtInt(t.failed_in_gateway ?? 0)] : []),
    fmtInt(t.missing + t.pending + (t.held_by_gateway ?? 0)),
    fmtPct(row.figures.deliveryRate),
    lat.submit.count ? fmtMs(lat.submit.p99) : '-',
    lat.receipt.count ? fmtMs(lat.receipt.p99) : '-',
  ]
  const cls = [row.operator === null ? 'stream' : 'cellrow', v.failed ? 'bad' : ''].filter(Boolean).join(' ')
  return `<tr class="${cls}">${cells.map((c, i) => `<td${i >= NUMERIC_FROM ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`
}
