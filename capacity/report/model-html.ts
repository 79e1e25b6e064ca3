// The model's report.html, written for a planner: the answers first (peak hour, drain, one row
// per operator with the limit that binds first, and the sizing advice), then the day in charts
// (offered against carried, the gateway's queues and waits, receipt latency and receipts pending,
// messages lost), the link settings with where each came from, the thresholds and, when a real run
// was given, the two side by side. Marked MODELLED throughout.
import { decodeHistogram } from '../../lib/hdr.js'
import type { ResultsFile } from '../../results/results-format.js'
import { distribution } from '../../reports/report-data.js'
import { thresholdTable } from '../../reports/html-tables.js'
import { fmtInt, fmtMs } from '../../reports/report-figures.js'
import { chartCard, esc, renderPageShell, table, verdictBox } from './page.js'
import type { ModelAnswers } from '../model/analysis.js'
import type { ComparisonRow } from '../model/compare.js'
import { MODEL_CLIENT_SCRIPT } from './model-html-client.js'
import type { ModelRun } from '../model/run-model.js'
import { clock, directView, operatorHead, operatorRows, rate, span } from './model-text.js'

const HOUR_MS = 3_600_000

function chartData(run: ModelRun, r: ResultsFile, a: ModelAnswers): unknown {
  const long = run.planMs >= HOUR_MS
  const unit = long ? HOUR_MS : 1000
  const perS = 1000 / run.intervalMs
  const round = (x: number | null, d = 3) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d)
  const dist = (label: string, b64: string) => ({
    label,
    points: distribution(decodeHistogram(b64)).map((p) => ({ x: p.x, y: Math.max(0.001, p.y / 1000) })),
  })
  return {
    x: run.t.map((t) => round(t / unit, 4)),
    xMax: run.durationMs / unit,
    xTitle: long ? 'hour of the day' : 'seconds since start',
    peak: { start: a.peakHour.startMs / unit, end: a.peakHour.endMs / unit },
    ops: run.links.map((l, i) => {
      const s = run.series[i]!
      return {
        id: l.id,
        offered: s.offered.map((x) => round(x * perS, 2)),
        carried: s.carried.map((x) => round(x * perS, 2)),
        queued: s.queued,
        waitS: s.maxWaitMs.map((x) => round(x / 1000)),
        receiptP50S: s.receiptP50.map((x) => round(x === null ? null : x / 1000)),
        receiptP99S: s.receiptP99.map((x) => round(x === null ? null : x / 1000)),
        awaiting: s.awaiting,
        lostPerS: s.dropped.map((x) => round(x * perS, 2)),
      }
    }),
    distribution: [dist('receipt (send to final receipt)', r.histograms.receipt.corrected), dist('transit (send to the operator)', r.histograms.transit.corrected)],
  }
}

function linkTable(run: ModelRun): string {
  const rows = run.links.map((l) => {
    const s = l.settings
    return [
      `<b>${esc(l.id)}</b>`,
      String(s.binds),
      String(s.window),
      String(s.operatorWindow),
      s.pacing === null ? 'none' : `${fmtInt(s.pacing)}/s`,
      esc(s.onThrottle) + (s.onThrottle === 'retry' ? ` (${fmtInt(s.retryAfterMs)} ms)` : ''),
      s.queueLimit === null ? 'none' : fmtInt(s.queueLimit),
      s.maxWaitMs === null ? 'none' : `${fmtInt(s.maxWaitMs)} ms`,
      l.segments.toFixed(2),
      `${l.holdMs.toFixed(1)} ms`,
      rate(l.windowRate),
      rate(l.throttleRate),
      rate(l.pacingRate),
    ]
  })
  const sources = run.links.map((l) => {
    const s = l.settings.sources
    const parts = Object.entries(s).map(([k, v]) => `${k}: ${v}`)
    return `<li><b>${esc(l.id)}</b>: ${esc(parts.join('; '))}</li>`
  })
  return `${table(['operator', 'binds', 'window', 'op. window', 'pacing/bind', 'on throttle', 'queue limit', 'max wait', 'segments', 'E[hold]', 'window/s', 'throttle/s', 'pacing/s'], rows, 1)}
<p class="muted">Where each setting comes from:</p><ul class="muted">${sources.join('')}</ul>`
}

function comparisonTable(rows: readonly ComparisonRow[]): string {
  const f = (x: number | null, m: string) => (x === null ? '-' : m.includes('ms') ? x.toFixed(1) : fmtInt(x))
  return table(
    ['scope', 'figure', 'model', 'run', 'tolerance', ''],
    rows.map((r) => [esc(r.scope), esc(r.metric), f(r.model, r.metric), f(r.run, r.metric), `±${f(r.tolerance, r.metric)}`, r.ok ? '<span class="pill pass">agrees</span>' : '<span class="pill fail">differs</span>']),
    2,
    (i) => (rows[i]!.ok ? '' : 'bad'),
  )
}

export function renderModelHtml(run: ModelRun, r: ResultsFile, a: ModelAnswers, comparison?: ComparisonRow[]): string {
  const long = run.planMs >= HOUR_MS
  const ph = a.peakHour
  const t = r.totals
  const failed = r.thresholds.filter((x) => !x.ok).length
  const ops = a.operators
  const lost = ops.reduce((x, o) => x + o.dropped, 0)
  const tiles = [
    { label: 'Messages', value: fmtInt(t.planned), note: `over ${span(run.planMs)}, modelled in ${(run.elapsedMs / 1000).toFixed(1)} s` },
    { label: 'Peak hour', value: `${clock(ph.startMs, long)}`, note: `${rate(ph.offeredPerS)} msg/s offered (busy-hour TPS)` },
    { label: 'Carried at peak', value: `${rate(ph.carriedPerS)}/s`, note: `busiest interval ${rate(ph.peakIntervalPerS)}/s offered`, bad: ph.carriedPerS < ph.offeredPerS * 0.99 },
    { label: 'Longest queue', value: fmtInt(ops.reduce((x, o) => Math.max(x, o.peakQueued), 0)), note: a.drainMs > 0 ? `drained ${a.drainMs === Infinity ? 'never' : span(a.drainMs)} after its peak` : 'no queue built', bad: a.drainMs > 0 },
    { label: 'Receipt p99 at peak', value: ph.receiptP99Ms === null ? '-' : fmtMs(ph.receiptP99Ms * 1000), note: 'send to final receipt, peak hour' },
    { label: 'Lost', value: fmtInt(lost), note: 'dropped, or refused by a full queue', bad: lost > 0 },
  ]
  const tileHtml = `<section class="tiles">${tiles.map((x) => `<div class="tile${x.bad ? ' bad' : ''}"><div class="label">${esc(x.label)}</div><div class="value">${esc(x.value)}</div><div class="tnote">${esc(x.note)}</div></div>`).join('\n')}</section>`
  const answers = `<div class="answers">
<p><b>Peak hour</b> ${esc(clock(ph.startMs, long))}-${esc(clock(ph.endMs, long))}: ${esc(rate(ph.offeredPerS))} msg/s offered, ${esc(rate(ph.carriedPerS))} carried.</p>
<p><b>Drain</b>: ${a.drainMs > 0 ? `the longest queue emptied ${esc(a.drainMs === Infinity ? 'never' : span(a.drainMs))} after its peak` : 'no queue built'}; the last receipt came ${esc(span(a.receiptTailMs))} after the plan ended.</p>
<p><b>Sizing</b> (binds x window that carry each operator's busiest interval; headroom keeps the window at most 80% full):</p>
<ul>${ops.map((o) => `<li><b>${esc(o.id)}</b>: ${esc(o.sizing.advice)}</li>`).join('')}</ul>
</div>`
  const opRows = operatorRows(a, r, long).map((row) => row.map((c, i) => (i === 0 ? `<b>${esc(c)}</b>` : esc(c))))
  const body = `${tileHtml}
<h2>Answers</h2>
${answers}
${table(operatorHead(directView(r)), opRows, 1, (i) => (ops[i]!.peakQueued > 0 || ops[i]!.dropped > 0 ? 'bad' : ''))}
<p class="muted">first limit: the lowest of the window (binds x window / E[hold]), the throttle and the gateway's pacing, in msg/s; use: the busiest interval's offered rate against it. lost: dropped or refused before the operator; refused: by the operator's throttle or full window.</p>
${comparison ? `<h2>Model against a real run <span class="muted">(tolerance: 10%, or HDR precision + 25 ms jitter)</span></h2>\n${comparisonTable(comparison)}` : ''}
<h2>The run modelled <span class="muted">(shaded: the peak hour)</span></h2>
<section class="grid">
${chartCard('chart-offered', 'Offered and carried per operator', 'Messages per second: offered (dashed) is what the plan sends; carried (solid) what the operator accepted. A gap is a queue building.', true)}
${chartCard('chart-queue', "Queue at the gateway", 'Messages waiting for each operator at the end of each interval.')}
${chartCard('chart-wait', 'Longest wait', 'The longest a message handed on in the interval had waited at the gateway (seconds).')}
${chartCard('chart-receipt', 'Receipt latency', 'Send to final receipt per interval, p50 (dashed) and p99, seconds, from the intended send time.')}
${chartCard('chart-pending', 'Receipts pending', 'Messages accepted and still without a final receipt (waiting at the gateway included).')}
${chartCard('chart-lost', 'Lost before the operator', 'Dropped (waited longer than allowed) or refused by a full gateway queue, per second.')}
${chartCard('chart-dist', 'Latency distribution (whole run)', 'HDR percentile plot: send to final receipt, and send to the operator (shown from 1 ms).')}
</section>
<h2>Links as modelled</h2>
${linkTable(run)}
<h2>Thresholds</h2>
${thresholdTable(r)}`
  const notes = ['MODELLED by mtsim model: no message was sent. Fluid flows of whole messages through each operator link (window, pacing, throttle, queue); latency from the network file\'s own distributions. What the model leaves out: docs/model.md.']
  if (run.interrupted) notes.push('The model was interrupted: figures cover the part modelled.')
  if (run.unfinished) notes.push(`${fmtInt(run.unfinished)} messages were still queued when the model stopped (drain limit).`)
  return renderPageShell({
    title: r.meta.name,
    badge: 'MODELLED',
    subtitle: [r.meta.scenarioFile ?? 'scenario', `seed ${r.meta.seed}`, `${span(run.planMs)} plan`, `gateway ${r.meta.gateway}`, `interval ${span(run.intervalMs)}`, `modelled ${r.meta.startedAt}`].join(' \u00b7 '),
    verdict: verdictBox(r.thresholds.length, failed, 'MODEL'),
    notes,
    body,
    footer: `Generated by mtsim model at ${r.meta.endedAt}.`,
    data: chartData(run, r, a),
    clientJs: MODEL_CLIENT_SCRIPT,
  })
}
