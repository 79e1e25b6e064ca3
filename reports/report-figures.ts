// How every report writes a figure (console, Markdown, HTML): status rows and number formats, one
// way, so the console and the HTML never disagree. The figures themselves: results/run-figures.ts.
import type { ResultsFile, ThresholdOutcome } from '../results/results-format.js'
import type { RunFigures } from '../results/run-figures.js'
import { insufficientText } from '../results/threshold-samples.js'
import { parseStatus } from '../smpp/constants.js'

export interface StatusRow {
  name: string
  /** Hex command_status, or '' for non-SMPP statuses such as HTTP_503. */
  code: string
  count: number
  share: number
}

/** Statuses that accepted a submit, for files whose time series cannot say (no points). */
const SUCCESS = /^(ESME_ROK|KANNEL_ACCEPTED|KANNEL_QUEUED|HTTP_2\d\d)$/

/**
 * The error statuses of a run, most frequent first: those its submits were rejected or failed
 * with. The time series names each interval's rejections and failures by status, so a success
 * (ESME_ROK, Kannel's KANNEL_ACCEPTED, an HTTP reply that met the success rule) is never listed.
 */
export function errorStatusRows(r: Pick<ResultsFile, 'statuses' | 'timeseries'>): StatusRow[] {
  const seen = new Set<string>()
  for (const p of r.timeseries) for (const name of Object.keys(p.errors)) seen.add(name)
  const isError = r.timeseries.length ? (name: string) => seen.has(name) : (name: string) => !SUCCESS.test(name)
  return statusRows(r.statuses).filter((s) => isError(s.name))
}

/** Submit answer statuses, most frequent first, with their SMPP codes where they have one. */
export function statusRows(statuses: Record<string, number>): StatusRow[] {
  const total = Object.values(statuses).reduce((a, b) => a + b, 0)
  return Object.entries(statuses)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count]) => ({ name, code: statusCode(name), count, share: total ? count / total : 0 }))
}

export function statusCode(name: string): string {
  if (!name.startsWith('ESME_') && !/^0x/i.test(name)) return ''
  const code = parseStatus(name)
  return code === undefined ? '' : '0x' + code.toString(16).toUpperCase().padStart(8, '0')
}

// --- formatting shared by the text views ---

export function fmtMs(us: number | null | undefined): string {
  if (us === null || us === undefined) return '-'
  const ms = us / 1000
  if (ms >= 10_000) return (ms / 1000).toFixed(1) + ' s'
  if (ms >= 100) return ms.toFixed(0) + ' ms'
  if (ms >= 10) return ms.toFixed(1) + ' ms'
  return ms.toFixed(2) + ' ms'
}

export function fmtPct(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined ? '-' : (x * 100).toFixed(digits) + '%'
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

export function fmtRate(perS: number): string {
  return (perS >= 100 ? perS.toFixed(0) : perS.toFixed(1)) + '/s'
}

/** "300/s over 2.0 s of sending (plan 300/s)": the rate over the sending period, the plan's beside it. */
export function sendingRate(f: Pick<RunFigures, 'sentPerS' | 'durationS' | 'plannedPerS'>): string {
  return `${fmtRate(f.sentPerS)} over ${f.durationS.toFixed(1)} s of sending` + (f.plannedPerS !== null ? ` (plan ${fmtRate(f.plannedPerS)})` : '')
}

export function fmtDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  return h ? `${h}h${String(m).padStart(2, '0')}m${String(sec).padStart(2, '0')}s` : m ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`
}

/** A threshold's observed value, and when too few samples were behind it, that it was not judged (results/threshold-samples.ts). */
export function fmtOutcome(th: Pick<ThresholdOutcome, 'observed' | 'metric' | 'insufficient'>): string {
  const v = fmtObserved(th.observed, th.metric)
  return th.insufficient ? `${th.observed === null ? '' : `${v}, `}${insufficientText(th.insufficient)}` : v
}

/** Observed threshold values in the unit the expression uses (latency trends are in ms there). */
export function fmtObserved(v: number | null, metric = ''): string {
  if (v === null) return 'no data'
  const unit = /_latency(_uncorrected)?$/.test(metric) ? ' ms' : ''
  if (Number.isInteger(v)) return String(v) + unit
  return (Math.abs(v) < 1 ? v.toFixed(4) : v.toFixed(2)) + unit
}
