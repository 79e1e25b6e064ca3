// The console summary: what `mtsim report` and `mtsim run` print at the end. Plain text, aligned
// columns, no colour codes (it ends up in CI logs and pasted into tickets).
import type { ResultsFile } from '../results/results-format.js'
import type { Comparison } from '../results/compare.js'
import { formatDeltaValue, formatChange, formatVerdict, deltaMark } from './delta-format.js'
import { resultsFigures, runFigures } from '../results/run-figures.js'
import { errorStatusRows, fmtMs, fmtPct, fmtInt, fmtRate, fmtDuration, fmtOutcome, sendingRate } from './report-figures.js'
import { FAILOVER_HEAD, failoverRows } from './failover-rows.js'
import { attribute } from './attribution.js'
import { GATEWAY_BOOKS_HEAD, NETWORK_HEAD, gatewayBookRows, networkRows } from './network-rows.js'
import { MO_HEAD, moRows, moSummary } from './mo-rows.js'
import { sendReasonLines } from './send-reasons.js'
import { STREAM_HEAD, hasStreamRows, streamRows, streamTextRow } from './stream-rows.js'

/** Most (stream, operator) rows the console lists under the streams; past it only the streams. */
const CONSOLE_CELL_ROWS = 24

export interface ConsoleOptions {
  comparison?: Comparison
}

export function formatConsoleSummary(r: ResultsFile, opts: ConsoleOptions = {}): string {
  const f = resultsFigures(r)
  const t = r.totals
  const out: string[] = []
  out.push(`mtsim results: ${runLine(r)}`)
  out.push('')
  out.push(
    table(
      ['', 'count', ''],
      [
        ['planned', fmtInt(t.planned), `dropped ${fmtInt(t.dropped)}, late ${fmtInt(t.late)}`],
        ['sent', fmtInt(t.sent), sendingRate(f)],
        ['accepted', fmtInt(t.accepted), `${fmtPct(f.acceptRate)} of sent, ${fmtRate(f.acceptedPerS)}`],
        ['rejected', fmtInt(t.rejected), 'error status'],
        ['failed', fmtInt(t.failed), 'no answer'],
        ['delivered', fmtInt(t.delivered), `${fmtPct(f.deliveryRate)} of accepted`],
        ['not delivered', fmtInt(t.undelivered + t.expired + t.rejected_by_operator + t.other_final), `by the operator: undeliv ${fmtInt(t.undelivered)}, expired ${fmtInt(t.expired)}, rejectd ${fmtInt(t.rejected_by_operator)}, other ${fmtInt(t.other_final)}`],
        ...(t.failed_in_gateway ? [['failed in gateway', fmtInt(t.failed_in_gateway), 'the gateway\'s own failure receipts: no operator ever took these']] : []),
        ['no receipt', fmtInt(t.missing + t.pending + t.held_by_gateway), `missing ${fmtInt(t.missing)}, pending ${fmtInt(t.pending)}, held by gateway ${fmtInt(t.held_by_gateway)}` + (t.no_receipt_requested ? `; ${fmtInt(t.no_receipt_requested)} asked for none (registered_delivery 0)` : '')],
      ],
    ),
  )
  const reasons = sendReasonLines(r)
  if (reasons.length) out.push('', reasons[0]!, ...reasons.slice(1).map((l) => `  - ${l}`))
  out.push('')
  const lat = f.latency
  out.push(
    table(
      ['latency (corrected)', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max'],
      (['submit', 'receipt', 'transit'] as const).map((k) => [
        k === 'transit' ? 'to operator (accepted)' : k,
        fmtInt(lat[k].count),
        ...(lat[k].count ? [lat[k].p50, lat[k].p90, lat[k].p99, lat[k].p999, lat[k].max].map(fmtMs) : ['-', '-', '-', '-', '-']),
      ]),
    ),
  )
  const ops = Object.entries(r.operators)
  if (ops.length) {
    out.push('')
    out.push(
      table(
        ['operator', 'sent', 'accepted', 'rejected', 'failed', 'delivered', 'delivery', 'submit p99', 'receipt p99'],
        ops.map(([id, o]) => {
          const of = runFigures(o.totals, o.histograms, r.meta.durationMs)
          return [
            id,
            fmtInt(o.totals.sent),
            fmtInt(o.totals.accepted),
            fmtInt(o.totals.rejected),
            fmtInt(o.totals.failed),
            fmtInt(o.totals.delivered),
            fmtPct(of.deliveryRate),
            of.latency.submit.count ? fmtMs(of.latency.submit.p99) : '-',
            of.latency.receipt.count ? fmtMs(of.latency.receipt.p99) : '-',
          ]
        }),
      ),
    )
  }
  if (hasStreamRows(r)) {
    const cells = Object.values(r.streams!).reduce((n, s) => n + Object.keys(s.operators).length, 0)
    out.push('')
    out.push(table(STREAM_HEAD, streamRows(r, cells <= CONSOLE_CELL_ROWS).map(streamTextRow)))
  }
  const errors = errorStatusRows(r)
  if (errors.length) {
    out.push('')
    out.push(table(['error status', 'code', 'count', 'share'], errors.map((s) => [s.name, s.code || '-', fmtInt(s.count), fmtPct(s.share)])))
  }
  const net = networkRows(r)
  if (net.length) {
    out.push('')
    out.push('the network\'s side (what the simulated operators saw: first-segment copies by tag, answers, binds, receipts)')
    out.push(table(NETWORK_HEAD, net))
  }
  const books = gatewayBookRows(r)
  if (books.length) {
    out.push('')
    out.push('across the gateway (accepted = arrived + held by gateway + lost in gateway)')
    out.push(table(GATEWAY_BOOKS_HEAD, books))
  }
  const blame = attribute(r)
  for (const line of blame.held) out.push(line)
  if (blame.rows.length) {
    out.push('')
    out.push(table(['outcome', 'count', 'caused by', ''], blame.rows.map((a) => [a.outcome, fmtInt(a.count), a.cause, a.what])))
  }
  const failover = failoverRows(r)
  if (failover.length) {
    out.push('')
    out.push('failover (times from run start; "first at backup" after the outage began)')
    out.push(table(FAILOVER_HEAD, failover))
  }
  const mo = moSummary(r)
  if (mo) {
    out.push('', mo)
    out.push(table(MO_HEAD, moRows(r)))
  }
  if (r.thresholds.length) {
    out.push('')
    const failed = r.thresholds.filter((th) => !th.ok).length
    const unjudged = r.thresholds.filter((th) => th.insufficient).length
    const note = unjudged ? ` (${unjudged} on insufficient data: too few samples to judge; set min_samples to accept fewer)` : ''
    out.push(`thresholds: ${failed ? `${failed} of ${r.thresholds.length} FAILED${note}` : `all ${r.thresholds.length} passed`}`)
    out.push(
      table(
        ['', 'scope', 'threshold', 'observed'],
        r.thresholds.map((th) => [th.ok ? 'ok' : 'FAIL', th.scope, `${th.metric} ${th.expression}`, fmtOutcome(th)]),
      ),
    )
  }
  out.push('')
  out.push(verdictLine(r, blame.causes))
  if (opts.comparison) {
    const c = opts.comparison
    out.push('')
    out.push(`against baseline "${c.baselineName}" (${c.baselineStartedAt}), tolerance ${fmtPct(c.tolerance, 0)}: ${c.worse ? `${c.worse} figure(s) WORSE` : 'nothing worse'}`)
    out.push(
      table(
        ['', 'figure', 'baseline', 'now', 'change'],
        c.deltas.map((d) => [deltaMark(d), d.label, formatDeltaValue(d, d.baseline), formatDeltaValue(d, d.current), formatChange(d)]),
      ),
    )
    for (const d of c.deltas) if (d.population) out.push(`  ${d.label}: ${d.population}`)
    out.push(`verdict: ${formatVerdict(c)}`)
  }
  return out.join('\n') + '\n'
}

/** `verdict: FAILED (1 of 6 thresholds): telco-c throttled 41 submits; Kannel discarded 14 after 1 retry` */
export function verdictLine(r: ResultsFile, causes: string[]): string {
  const failed = r.thresholds.filter((th) => !th.ok).length
  const head = !r.thresholds.length ? 'no thresholds' : failed ? `FAILED (${failed} of ${r.thresholds.length} thresholds)` : `PASSED (${r.thresholds.length} thresholds)`
  const why = causes.slice(0, 2).join('; ')
  return `verdict: ${head}${why ? `: ${why}` : ''}`
}

export function runLine(r: ResultsFile): string {
  const m = r.meta
  const parts = [`"${m.name}"`, `seed ${m.seed}`, fmtDuration(m.durationMs), `gateway ${m.gateway}`]
  if (m.segment) parts.push(`share ${m.segment.index + 1} of ${m.segment.count}`)
  if (m.interrupted) parts.push('INTERRUPTED')
  return parts.join(', ')
}

/** Numeric columns right-aligned, text columns left-aligned, two spaces between columns. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const numeric = head.map((_, i) => i > 0 && rows.every((r) => !r[i] || /^[-+]?\d/.test(r[i]!) || r[i] === '-'))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(head), ...rows.map(line)].map((l) => '  ' + l).join('\n')
}
