// The model's answers as plain text (console and summary.md): the peak hour, one row per operator
// (offered, carried, what was lost, the limit that binds first, the queue and its drain, latency),
// then the sizing advice. Aligned columns, no colour codes.
import { fmtInt, fmtMs } from '../../reports/report-figures.js'
import type { ModelAnswers, OperatorAnswer } from '../model/analysis.js'
import type { ModelRun } from '../model/run-model.js'
import type { ResultsFile } from '../../results/results-format.js'
import { decodeHistogram } from '../../lib/hdr.js'
import { scopePrefix } from '../../results/thresholds.js'

/** A time since the start: "13:05" for runs of an hour or more (a day's clock), else "42.0s". */
export function clock(ms: number, long: boolean): string {
  if (!long) return `${(ms / 1000).toFixed(1)}s`
  const m = Math.floor(ms / 60_000)
  const d = Math.floor(m / 1440)
  const hh = String(Math.floor((m % 1440) / 60)).padStart(2, '0')
  const mm = String(m % 60).padStart(2, '0')
  return d ? `day ${d + 1} ${hh}:${mm}` : `${hh}:${mm}`
}

export function span(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`
  const m = Math.round(ms / 60_000)
  return m >= 120 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`
}

export const rate = (perS: number) => (perS === Infinity ? '-' : perS >= 100 ? fmtInt(perS) : perS.toFixed(1))

export function table(head: string[], rows: string[][], numericFrom = 1): string {
  const all = [head, ...rows]
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)))
  return all.map((r) => r.map((c, i) => (i >= numericFrom ? (c ?? '').padStart(widths[i]!) : (c ?? '').padEnd(widths[i]!))).join('  ').trimEnd()).join('\n')
}

function opP99(r: ResultsFile, id: string, kind: 'submit' | 'receipt' | 'transit'): string {
  const h = decodeHistogram(r.operators[id]!.histograms[kind].corrected)
  return h.totalCount ? fmtMs(h.getValueAtPercentile(99)) : '-'
}

/** Whether the results are direct mode's (mtsim's sends are the operators' submits). */
export function directView(r: ResultsFile): boolean {
  return r.meta.gateway.startsWith('direct')
}

export function operatorRows(a: ModelAnswers, r: ResultsFile, long: boolean): string[][] {
  const direct = directView(r)
  return a.operators.map((o: OperatorAnswer) => [
    o.id,
    fmtInt(o.offered),
    fmtInt(o.carried),
    fmtInt(o.dropped),
    fmtInt(o.throttled),
    rate(o.peakOfferedPerS),
    o.firstToBind === 'none' ? 'none' : `${o.firstToBind} ${rate(o.limits[o.firstToBind])}/s`,
    `${Math.round(o.utilisation * 100)}%`,
    o.peakQueued > 0 ? `${fmtInt(o.peakQueued)} at ${clock(o.peakQueuedAtMs, long)}` : '0',
    o.drainMs === Infinity ? 'not drained' : o.drainMs > 0 ? span(o.drainMs) : '-',
    opP99(r, o.id, 'transit'),
    ...(direct ? [opP99(r, o.id, 'submit')] : []),
    opP99(r, o.id, 'receipt'),
    o.sizing.blocker === 'throttle per operator' ? `${o.sizing.bindsNow}: throttle` : `${o.sizing.bindsNow} -> ${o.sizing.bindsNeeded}${o.sizing.blocker ? ` (max ${o.sizing.maxBinds})` : ''}`,
  ])
}

/** The operator table's columns; a gateway answers mtsim at once (not modelled), so its submit latency is left out. */
export function operatorHead(direct: boolean): string[] {
  return ['operator', 'offered', 'carried', 'lost', 'refused', 'peak/s', 'first limit', 'use', 'peak queue', 'drain', 'queue p99', ...(direct ? ['submit p99'] : []), 'receipt p99', 'binds']
}

export function formatAnswers(run: ModelRun, r: ResultsFile, a: ModelAnswers): string {
  const long = run.planMs >= 3_600_000
  const t = r.totals
  const ph = a.peakHour
  const out: string[] = []
  out.push(`MODELLED (no sockets): ${r.meta.name}, ${fmtInt(t.planned)} messages over ${span(run.planMs)}, modelled in ${(run.elapsedMs / 1000).toFixed(1)} s`)
  out.push(
    `peak hour ${clock(ph.startMs, long)}-${clock(ph.endMs, long)}: ${rate(ph.offeredPerS)} msg/s offered (busy-hour TPS), ${rate(ph.carriedPerS)} carried, ` +
      `busiest interval ${rate(ph.peakIntervalPerS)}/s; receipt p99 ${ph.receiptP99Ms === null ? '-' : fmtMs(ph.receiptP99Ms * 1000)}`,
  )
  out.push(
    `drain: ${a.drainMs > 0 ? `the longest queue emptied ${a.drainMs === Infinity ? 'never' : span(a.drainMs)} after its peak` : 'no queue built'}; the last receipt ${span(a.receiptTailMs)} after the plan ended` +
      (run.unfinished ? `; ${fmtInt(run.unfinished)} messages still queued when the model stopped` : ''),
  )
  out.push('')
  out.push(table(operatorHead(directView(r)), operatorRows(a, r, long)))
  out.push('')
  out.push("sizing (binds x window that carry each operator's busiest interval; headroom: the window at most 80% full):")
  for (const o of a.operators) out.push(`  ${o.id}: ${o.sizing.advice}`)
  const failed = r.thresholds.filter((x) => !x.ok)
  out.push('')
  out.push(r.thresholds.length ? (failed.length ? `thresholds: ${failed.length} of ${r.thresholds.length} FAIL in the model:` : `thresholds: all ${r.thresholds.length} hold in the model`) : 'thresholds: none defined')
  for (const x of failed) out.push(`  FAIL ${scopePrefix(x.scope)}${x.metric} ${x.expression} (modelled ${x.observed === null ? 'no data' : +x.observed.toFixed(3)})`)
  return out.join('\n')
}
