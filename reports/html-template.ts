// The report page: layout, plain CSS (screen and print), chart cards and tables. Scripts and data
// are handed in already made safe for inlining (see html.ts); nothing here loads from a network.
import type { ResultsFile } from '../results/results-format.js'
import type { Comparison } from '../results/compare.js'
import { fmtDuration } from './report-figures.js'
import { formatVerdict } from './delta-format.js'
import { esc, tiles, operatorTable, thresholdTable, statusTable, metadataTable, faultTable, comparisonTable } from './html-tables.js'
import { failoverSection } from './html-failover.js'
import { sendReasonLines } from './send-reasons.js'
import { streamsSection } from './html-streams.js'
import { moSection } from './html-mo.js'
import { attributionSection, gatewaySection, networkSection } from './html-network.js'

export interface PageParts {
  results: ResultsFile
  comparison?: Comparison
  /** JSON for the charts, already escaped for a <script> element. */
  dataJson: string
  chartJs: string
  clientJs: string
  generatedAt: string
}

const CHARTS: { id: string; title: string; caption: string; wide?: boolean }[] = [
  { id: 'chart-throughput', title: 'Throughput: planned, sent, accepted', caption: 'Messages per second. Sent below planned means the generator fell behind; accepted below sent means rejections or no answers.', wide: true },
  { id: 'chart-submit-time', title: 'Submit latency over time', caption: 'Send to submit answer, per interval, from the intended send time.' },
  { id: 'chart-receipt-time', title: 'Receipt latency over time', caption: 'Send to final delivery receipt, per interval, by the interval the receipt arrived in.' },
  { id: 'chart-dist-submit', title: 'Submit latency distribution', caption: 'HDR percentile plot. The gap between the lines is coordinated omission: what a naive tool would hide.' },
  { id: 'chart-dist-receipt', title: 'Receipt latency distribution', caption: 'Send to final receipt, corrected and uncorrected.' },
  { id: 'chart-dist-transit', title: 'To the operator: submits it accepted', caption: 'Send to the simulated operator accepting the submit (accepted submits only: refused, throttled or unanswered ones are not in it; empty when the network ran out of process).' },
  { id: 'chart-outcomes', title: 'Receipt outcomes per operator', caption: 'Final state of every accepted message; "no receipt" ran out of receipt wait.' },
  { id: 'chart-errors', title: 'Errors by command_status over time', caption: 'Error answers and unanswered submits per interval, stacked.' },
  { id: 'chart-gauges', title: 'In flight and awaiting receipt', caption: 'Submits without an answer yet, and accepted messages without a final receipt, at the end of each interval.' },
]

export const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:#f3f4f6}
main{max-width:1320px;margin:0 auto;padding:24px 28px 48px}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:24px;margin-bottom:18px}
h1{font-size:26px;margin:0 0 4px;letter-spacing:-.01em}
h2{font-size:17px;margin:30px 0 10px;padding-bottom:4px;border-bottom:2px solid #e5e7eb}
h3{font-size:14px;margin:0 0 2px}
.sub{color:#4b5563}
.muted{color:#6b7280}
.verdict{font-size:18px;font-weight:700;padding:10px 18px;border-radius:8px;white-space:nowrap;color:#fff}
.verdict.pass{background:#15803d}.verdict.fail{background:#b91c1c}.verdict.none{background:#6b7280}
.tiles{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin:8px 0 6px}
.tile{background:#fff;border-radius:8px;padding:12px 14px;border-left:4px solid #2563eb;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.tile.bad{border-left-color:#dc2626}
.tile .label{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#6b7280}
.tile .value{font-size:26px;font-weight:700;font-variant-numeric:tabular-nums}
.tile .tnote{font-size:12px;color:#4b5563}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.card{min-width:0;background:#fff;border-radius:8px;padding:14px 16px 10px;box-shadow:0 1px 2px rgba(0,0,0,.06);break-inside:avoid;page-break-inside:avoid}
.card.wide{grid-column:1/-1}
.card p{margin:0 0 8px;font-size:12px;color:#6b7280}
.chart{position:relative;height:280px}
.card.wide .chart{height:300px}
table{border-collapse:collapse;width:100%;background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 1px 2px rgba(0,0,0,.06);font-variant-numeric:tabular-nums;break-inside:avoid}
th,td{padding:6px 10px;white-space:nowrap;text-align:left;border-bottom:1px solid #eef0f3;vertical-align:top}
thead th{background:#f9fafb;font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:#4b5563}
td.num,th.num{text-align:right}
tr.bad td{background:#fef2f2}
table.failover th{white-space:normal;vertical-align:bottom}
table.failover th,table.failover td{padding:6px 7px}
ul.reasons{margin:6px 0 0;padding-left:20px}ul.reasons li{margin:3px 0}
table.streams tr.stream td{border-top:2px solid #e5e7eb}
table.streams th,table.streams td{padding:6px 7px}
table.streams .cell{padding-left:18px;color:#4b5563}
table.kv th{width:200px;color:#4b5563;font-weight:600}
td code{white-space:normal}
.tw{overflow-x:auto;border-radius:8px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
.pill{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:700}
.pill.pass{background:#dcfce7;color:#166534}.pill.fail{background:#fee2e2;color:#991b1b}.pill.warn{background:#fef3c7;color:#92400e}
.verdict-line{font-weight:700}.verdict-line.bad{color:#991b1b}
.two{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.two>div{min-width:0}
.note{background:#fffbeb;border:1px solid #fde68a;border-radius:8px;padding:8px 12px;margin:10px 0}
footer{margin-top:36px;color:#6b7280;font-size:12px}
@media (max-width:900px){.grid,.two{grid-template-columns:1fr}.tiles{grid-template-columns:repeat(2,1fr)}}
@media print{
  @page{size:A4 landscape;margin:12mm}
  body{background:#fff;font-size:11px}
  main{max-width:none;padding:0}
  .card,.tile,table{box-shadow:none;border:1px solid #e5e7eb}
  .chart{height:230px}
  .tw{overflow:visible}
  table{font-size:9.5px}
  th,td{padding:3px 5px}
  thead th{font-size:8.5px}
  h2{break-after:avoid}
}
`

export function renderPage(p: PageParts): string {
  const r = p.results
  const failed = r.thresholds.filter((t) => !t.ok).length
  const verdict = !r.thresholds.length
    ? '<div class="verdict none">No thresholds</div>'
    : failed
      ? `<div class="verdict fail">FAILED: ${failed} of ${r.thresholds.length} thresholds</div>`
      : `<div class="verdict pass">PASSED: ${r.thresholds.length} thresholds</div>`
  const notes: string[] = []
  if (r.meta.modelled) notes.push('Modelled by mtsim model: no message was sent; the figures are the model of this scenario (what it leaves out: docs/model.md).')
  if (r.meta.interrupted) notes.push('This run was interrupted: figures cover the run up to the interruption; "pending" messages were still awaiting receipts.')
  if (r.meta.segment) notes.push(`This is share ${r.meta.segment.index + 1} of ${r.meta.segment.count} of a segmented run; merge all shares for the whole (mtsim report a.json b.json ...).`)
  const c = p.comparison
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mtsim report: ${esc(r.meta.name)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
  <div>
    <h1>${esc(r.meta.name)}</h1>
    <div class="sub">${esc(subtitle(r))}</div>
  </div>
  ${verdict}
</header>
${notes.map((n) => `<div class="note">${esc(n)}</div>`).join('\n')}
<section class="tiles">
${tiles(r)
  .map((t) => `<div class="tile${t.bad ? ' bad' : ''}"><div class="label">${esc(t.label)}</div><div class="value">${esc(t.value)}</div><div class="tnote">${esc(t.note)}</div></div>`)
  .join('\n')}
</section>
${sendReasonsSection(r)}
${c ? `<h2>Against baseline "${esc(c.baselineName)}" <span class="muted">(${esc(c.baselineStartedAt)}, tolerance ${Math.round(c.tolerance * 100)}%: ${c.worse ? `${c.worse} figure(s) worse` : 'nothing worse'})</span></h2>\n<p class="verdict-line ${c.verdict === 'regression' ? 'bad' : ''}">${esc(formatVerdict(c))}</p>\n${comparisonTable(c)}${c.deltas.filter((d) => d.population).map((d) => `<p class="muted">${esc(d.label)}: ${esc(d.population!)}</p>`).join('')}` : ''}
<h2>Thresholds</h2>
${thresholdTable(r)}
<h2>Over time${r.faults.length ? ' <span class="muted">(shaded: fault windows)</span>' : ''}</h2>
<section class="grid">
${CHARTS.map(
  (ch) => `<div class="card${ch.wide ? ' wide' : ''}"><h3>${esc(ch.title)}</h3><p>${esc(ch.caption)}</p><div class="chart"><canvas id="${ch.id}" role="img" aria-label="${esc(ch.title)}"></canvas></div></div>`,
).join('\n')}
</section>
${attributionSection(r)}
<h2>Operators</h2>
${operatorTable(r)}
${networkSection(r)}
${gatewaySection(r)}
${streamsSection(r)}
<div class="two">
  <div><h2>Submit answers by command_status</h2>${statusTable(r)}</div>
  <div><h2>Fault windows</h2>${faultTable(r)}</div>
</div>
${r.failover ? `<h2>Failover</h2>\n${failoverSection(r.failover)}` : ''}
${r.mo ? `<h2>MO and opt-out compliance</h2>\n${moSection({ ...r, mo: r.mo })}` : ''}
<h2>Run</h2>
${metadataTable(r)}
<footer>Generated by mtsim report at ${esc(p.generatedAt)}. Latencies are measured from the intended send time (corrected) unless marked uncorrected. Self-contained: this file makes no network requests.</footer>
</main>
<script type="application/json" id="report-data">${p.dataJson}</script>
<script>${p.chartJs}</script>
<script>${p.clientJs}</script>
</body>
</html>
`
}

function subtitle(r: ResultsFile): string {
  const m = r.meta
  const parts = [`seed ${m.seed}`, fmtDuration(m.durationMs), `gateway ${m.gateway}`, `started ${m.startedAt}`]
  if (m.scenarioFile) parts.unshift(m.scenarioFile)
  if (m.segment) parts.push(`share ${m.segment.index + 1} of ${m.segment.count}`)
  if (m.interrupted) parts.push('INTERRUPTED')
  return parts.join(' \u00b7 ')
}

/** Why sends were dropped or late (reports/send-reasons.ts), when any were. */
function sendReasonsSection(r: ResultsFile): string {
  const lines = sendReasonLines(r)
  if (!lines.length) return ''
  const head = lines[0]!.replace(/:$/, '')
  return `<h2>${esc(head.charAt(0).toUpperCase() + head.slice(1))}</h2>\n<ul class="reasons">${lines.slice(1).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`
}
