// A compact Markdown summary for CI job pages ($GITHUB_STEP_SUMMARY and the like): the verdict
// first, then the few figures people scan for, then only what failed in detail.
import type { ResultsFile } from '../results/results-format.js'
import type { Comparison } from '../results/compare.js'
import { runLine } from './console.js'
import { FAILOVER_HEAD, failoverRows } from './failover-rows.js'
import { attribute } from './attribution.js'
import { GATEWAY_BOOKS_HEAD, NETWORK_HEAD, gatewayBookRows, networkRows } from './network-rows.js'
import { MO_HEAD, moRows, moSummary } from './mo-rows.js'
import { sendReasonLines } from './send-reasons.js'
import { hasStreamRows, streamRows, thresholdVerdict } from './stream-rows.js'
import { formatDeltaValue, formatChange, formatVerdict } from './delta-format.js'
import { resultsFigures, runFigures } from '../results/run-figures.js'
import { errorStatusRows, fmtMs, fmtPct, fmtInt, fmtRate, fmtOutcome, sendingRate } from './report-figures.js'

export function formatSummaryMarkdown(r: ResultsFile, comparison?: Comparison): string {
  const f = resultsFigures(r)
  const t = r.totals
  const failed = r.thresholds.filter((th) => !th.ok)
  const verdict = failed.length
    ? `**FAILED**: ${failed.length} of ${r.thresholds.length} thresholds`
    : r.thresholds.length
      ? `**PASSED**: all ${r.thresholds.length} thresholds`
      : 'no thresholds defined'
  const blame = attribute(r)
  const why = blame.causes.slice(0, 2).join('; ')
  const out: string[] = [`### mtsim: ${cell(r.meta.name)}`, '', `${verdict}${why ? `: ${cell(why)}` : ''}. ${cell(runLine(r))}.`, '']
  out.push('| sent | accepted | delivered | delivery rate | accepted/s | submit p99 | receipt p99 | dropped | failed |')
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  out.push(
    `| ${[
      fmtInt(t.sent),
      fmtInt(t.accepted),
      fmtInt(t.delivered),
      fmtPct(f.deliveryRate),
      fmtRate(f.acceptedPerS),
      f.latency.submit.count ? fmtMs(f.latency.submit.p99) : '-',
      f.latency.receipt.count ? fmtMs(f.latency.receipt.p99) : '-',
      fmtInt(t.dropped),
      fmtInt(t.failed),
    ].join(' | ')} |`,
  )
  out.push('', `Rates are over the sending period: sent ${sendingRate(f)}.`)
  const reasons = sendReasonLines(r)
  if (reasons.length) out.push('', `**${cell(reasons[0]!.replace(/:$/, ''))}**:`, '', ...reasons.slice(1).map((l) => `- ${cell(l)}`))
  const ops = Object.entries(r.operators)
  if (ops.length > 1) {
    out.push('', '| operator | sent | accepted | delivery rate | submit p99 | receipt p99 |', '|---|---:|---:|---:|---:|---:|')
    for (const [id, o] of ops) {
      const of = runFigures(o.totals, o.histograms, r.meta.durationMs)
      out.push(
        `| ${cell(id)} | ${fmtInt(o.totals.sent)} | ${fmtInt(o.totals.accepted)} | ${fmtPct(of.deliveryRate)} | ${of.latency.submit.count ? fmtMs(of.latency.submit.p99) : '-'} | ${of.latency.receipt.count ? fmtMs(of.latency.receipt.p99) : '-'} |`,
      )
    }
  }
  if (hasStreamRows(r)) {
    out.push('', '| stream | sent | accepted | delivery rate | submit p99 | receipt p99 | thresholds |', '|---|---:|---:|---:|---:|---:|---|')
    for (const row of streamRows(r, false)) {
      const lat = row.figures.latency
      const verdict = thresholdVerdict(row.thresholds)
      out.push(
        `| ${cell(row.stream)} | ${fmtInt(row.totals.sent)} | ${fmtInt(row.totals.accepted)} | ${fmtPct(row.figures.deliveryRate)} | ${lat.submit.count ? fmtMs(lat.submit.p99) : '-'} | ${lat.receipt.count ? fmtMs(lat.receipt.p99) : '-'} | ${row.thresholds.failed ? `**${verdict}**` : verdict} |`,
      )
    }
  }
  const mdTable = (head: readonly string[], rows: string[][]) => {
    out.push('', `| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`)
    for (const row of rows) out.push(`| ${row.map(cell).join(' | ')} |`)
  }
  const net = networkRows(r)
  if (net.length) mdTable(NETWORK_HEAD, net)
  const books = gatewayBookRows(r)
  if (books.length) mdTable(GATEWAY_BOOKS_HEAD, books)
  if (blame.held.length) out.push('', ...blame.held.map((l) => `${cell(l)}.`))
  if (blame.rows.length) {
    out.push('', '| outcome | count | caused by |', '|---|---:|---|')
    for (const a of blame.rows) out.push(`| ${a.outcome} | ${fmtInt(a.count)} | ${a.cause}: ${cell(a.what)} |`)
  }
  const failover = failoverRows(r)
  if (failover.length) {
    out.push('', `| ${FAILOVER_HEAD.join(' | ')} |`, `|${FAILOVER_HEAD.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`)
    for (const row of failover) out.push(`| ${row.map(cell).join(' | ')} |`)
  }
  const mo = moSummary(r)
  if (mo) {
    out.push('', mo, '', `| ${MO_HEAD.join(' | ')} |`, `|---|${MO_HEAD.slice(1).map(() => '---:').join('|')}|`)
    for (const row of moRows(r)) out.push(`| ${row.map(cell).join(' | ')} |`)
  }
  if (r.thresholds.length) {
    out.push('', '| | scope | threshold | observed |', '|---|---|---|---:|')
    for (const th of r.thresholds) {
      out.push(`| ${th.ok ? 'pass' : '**FAIL**'} | ${cell(th.scope)} | \`${cell(th.metric)} ${cell(th.expression)}\` | ${fmtOutcome(th)} |`)
    }
  }
  const errors = errorStatusRows(r)
  if (errors.length) {
    out.push('', `Error statuses: ${errors.map((s) => `${cell(s.name)}${s.code ? ` (${s.code})` : ''} ${fmtInt(s.count)}`).join(', ')}.`)
  }
  if (comparison) {
    out.push(
      '',
      `Against baseline "${cell(comparison.baselineName)}", tolerance ${fmtPct(comparison.tolerance, 0)}: ${comparison.worse ? `**${comparison.worse} figure(s) worse**` : 'nothing worse'}.`,
      '',
      '| figure | baseline | now | change | |',
      '|---|---:|---:|---:|---|',
    )
    for (const d of comparison.deltas) {
      const mark = d.worse ? '**worse**' : d.population ? 'not comparable' : ''
      out.push(`| ${d.label} | ${formatDeltaValue(d, d.baseline)} | ${formatDeltaValue(d, d.current)} | ${formatChange(d)} | ${mark} |`)
    }
    for (const d of comparison.deltas) if (d.population) out.push('', `${cell(d.label)}: ${cell(d.population)}.`)
    out.push('', `Verdict: **${cell(formatVerdict(comparison))}**.`)
  }
  return out.join('\n') + '\n'
}

/** Text safe inside a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ')
}
