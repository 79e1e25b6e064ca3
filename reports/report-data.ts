// Everything the HTML report's charts draw, computed here in Node (one decode per histogram) so
// the page's own script only hands ready series to chart.js. Times in seconds since run start,
// latencies in milliseconds, rates in messages per second.
import { decodeHistogram, type Histogram } from '../lib/hdr.js'
import type { ResultsFile, LatencyPair } from '../results/results-format.js'
import { statusCode } from './report-figures.js'

export type Series = (number | null)[]

export interface XY {
  x: number
  y: number
}

export interface ReportData {
  /** Interval start times, seconds. */
  t: number[]
  intervalS: number
  durationS: number
  faults: { operator: string; kind: string; start: number; end: number; source: string }[]
  throughput: { planned: Series; sent: Series; accepted: Series }
  latencyOverTime: { submit: PercentileSeries; receipt: PercentileSeries }
  distribution: Record<'submit' | 'receipt' | 'transit', { corrected: XY[]; uncorrected: XY[] }>
  outcomes: { operators: string[]; kinds: { label: string; data: number[] }[] }
  errors: { label: string; data: number[] }[]
  gauges: { inFlight: number[]; awaitingReceipt: number[] }
  /** The network's side over time, per operator (results.network): null when the network ran elsewhere. */
  network: { operators: string[]; throttled: Series[]; unanswered: Series[]; binds: Series[] } | null
  /** The gateway's queues at each poll (results.gateway): x in seconds since run start. */
  gateway: { total: XY[]; links: { label: string; data: XY[] }[] } | null
  /** Per stream, messages per second (results.timeseries[].streams); empty without per-stream figures. */
  streams: { name: string; sent: Series; accepted: Series }[]
}

export interface PercentileSeries {
  p50: Series
  p90: Series
  p99: Series
  p999: Series
}

export function reportData(r: ResultsFile): ReportData {
  const ts = r.timeseries
  const intervalS = r.meta.intervalMs / 1000
  const perS = (n: number) => round(n / intervalS, 3)
  return {
    t: ts.map((p) => p.t / 1000),
    intervalS,
    durationS: r.meta.durationMs / 1000,
    faults: r.faults.map((f) => ({ operator: f.operator, kind: f.kind, start: f.start / 1000, end: f.end / 1000, source: f.source })),
    throughput: {
      planned: ts.map((p) => perS(p.planned)),
      sent: ts.map((p) => perS(p.sent)),
      accepted: ts.map((p) => perS(p.accepted)),
    },
    latencyOverTime: {
      submit: percentilesOverTime(ts.map((p) => p.submit)),
      receipt: percentilesOverTime(ts.map((p) => p.receipt)),
    },
    distribution: {
      submit: distributionPair(r.histograms.submit),
      receipt: distributionPair(r.histograms.receipt),
      transit: distributionPair(r.histograms.transit),
    },
    outcomes: outcomes(r),
    errors: errorsOverTime(r),
    gauges: { inFlight: ts.map((p) => p.inFlight), awaitingReceipt: ts.map((p) => p.awaitingReceipt) },
    network: networkOverTime(r),
    gateway: gatewayOverTime(r),
    streams: Object.keys(r.streams ?? {}).map((name) => ({
      name,
      sent: ts.map((p) => (p.streams?.[name] ? perS(p.streams[name].sent) : null)),
      accepted: ts.map((p) => (p.streams?.[name] ? perS(p.streams[name].accepted) : null)),
    })),
  }
}

/** The network's per-interval counts on the load generator's time axis (both count from the run start). */
function networkOverTime(r: ResultsFile): ReportData['network'] {
  if (!r.network) return null
  const intervalS = r.meta.intervalMs / 1000
  const operators = Object.keys(r.network.operators)
  const at = new Map(r.network.timeseries.map((p) => [Math.round(p.t / r.meta.intervalMs), p]))
  const column = (id: string, pick: (p: NonNullable<ResultsFile['network']>['timeseries'][number]['operators'][string]) => number, perS: boolean): Series =>
    r.timeseries.map((_, i) => {
      const p = at.get(i)?.operators[id]
      return p === undefined ? null : round(perS ? pick(p) / intervalS : pick(p), 3)
    })
  return {
    operators,
    throttled: operators.map((id) => column(id, (p) => p.throttled, true)),
    unanswered: operators.map((id) => column(id, (p) => p.unanswered, true)),
    binds: operators.map((id) => column(id, (p) => p.binds, false)),
  }
}

function gatewayOverTime(r: ResultsFile): ReportData['gateway'] {
  const g = r.gateway
  if (!g) return null
  const samples = g.end ? [...g.samples, g.end] : g.samples
  const links = [...new Set(samples.flatMap((s) => Object.keys(s.links)))]
  return {
    total: samples.map((s) => ({ x: s.t / 1000, y: s.queued ?? 0 })),
    links: links.map((id) => ({ label: id, data: samples.map((s) => ({ x: s.t / 1000, y: s.links[id]?.queued ?? 0 })) })),
  }
}

function percentilesOverTime(encoded: string[]): PercentileSeries {
  const out: PercentileSeries = { p50: [], p90: [], p99: [], p999: [] }
  for (const b64 of encoded) {
    const h = decodeHistogram(b64)
    const has = h.totalCount > 0
    out.p50.push(has ? ms(h.getValueAtPercentile(50)) : null)
    out.p90.push(has ? ms(h.getValueAtPercentile(90)) : null)
    out.p99.push(has ? ms(h.getValueAtPercentile(99)) : null)
    out.p999.push(has ? ms(h.getValueAtPercentile(99.9)) : null)
  }
  return out
}

function distributionPair(pair: LatencyPair): { corrected: XY[]; uncorrected: XY[] } {
  return { corrected: distribution(decodeHistogram(pair.corrected)), uncorrected: distribution(decodeHistogram(pair.uncorrected)) }
}

/**
 * The percentile distribution as HdrHistogram's plotter draws it: x = 1/(1-q) on a log axis (so
 * 90%, 99%, 99.9% are evenly spaced), five points per halving of the remaining tail, up to the
 * point where the tail holds a single value, then the maximum.
 */
export function distribution(h: Histogram): XY[] {
  const n = h.totalCount
  if (n === 0) return []
  const points: XY[] = []
  const lastX = Math.max(n, 2)
  for (let i = 0; ; i++) {
    const x = Math.pow(2, i / 5)
    if (x >= lastX) break
    const q = 1 - 1 / x
    points.push({ x: round(x, 4), y: ms(h.getValueAtPercentile(q * 100)) })
  }
  points.push({ x: lastX, y: ms(h.maxValue) })
  return points
}

const OUTCOME_KINDS = [
  ['DELIVRD', 'delivered'],
  ['UNDELIV', 'undelivered'],
  ['EXPIRED', 'expired'],
  ['REJECTD', 'rejected_by_operator'],
  ['failed in gateway', 'failed_in_gateway'],
  ['other final', 'other_final'],
  ['no receipt', 'missing'],
  ['held by gateway', 'held_by_gateway'],
  ['pending', 'pending'],
] as const

function outcomes(r: ResultsFile): ReportData['outcomes'] {
  const operators = Object.keys(r.operators)
  const kinds = OUTCOME_KINDS.map(([label, key]) => ({ label, data: operators.map((id) => r.operators[id]!.totals[key]) })).filter(
    (k) => k.data.some((v) => v > 0) || k.label === 'DELIVRD',
  )
  return { operators, kinds }
}

function errorsOverTime(r: ResultsFile): ReportData['errors'] {
  const totals = new Map<string, number>()
  for (const p of r.timeseries) for (const [name, n] of Object.entries(p.errors)) totals.set(name, (totals.get(name) ?? 0) + n)
  // Most frequent first so the largest band sits at the bottom of the stack.
  const series = [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name]) => {
      const code = statusCode(name)
      return { label: code ? `${name} (${code})` : name, data: r.timeseries.map((p) => p.errors[name] ?? 0) }
    })
  // The engine names failures too (TIMEOUT, DISCONNECTED); whatever rejected or failed submits
  // an interval has beyond its named errors still shows, as unnamed.
  const unnamed = r.timeseries.map((p) => Math.max(0, p.rejected + p.failed - Object.values(p.errors).reduce((a, b) => a + b, 0)))
  if (unnamed.some((n) => n > 0)) series.push({ label: 'no status recorded', data: unnamed })
  return [...series, ...networkErrors(r)]
}

/**
 * Through a gateway the load generator's answers are the gateway's (KANNEL_ACCEPTED); the
 * operators' error answers (throttling above all) only show at the network: its per-interval
 * counts, per operator, on the same time axis.
 */
function networkErrors(r: ResultsFile): ReportData['errors'] {
  if (!r.network || r.meta.gateway === 'direct') return []
  const at = (t: number) => Math.round(t / r.meta.intervalMs)
  const out: ReportData['errors'] = []
  for (const id of Object.keys(r.network.operators)) {
    for (const [key, label] of [['throttled', 'ESME_RTHROTTLED (0x00000058)'], ['errors', 'other error answers'], ['unanswered', 'unanswered']] as const) {
      const data = r.timeseries.map(() => 0)
      for (const p of r.network.timeseries) {
        const i = at(p.t)
        if (i < data.length) data[i]! += p.operators[id]?.[key] ?? 0
      }
      if (data.some((n) => n > 0)) out.push({ label: `${id} at the network: ${label}`, data })
    }
  }
  return out
}

function ms(us: number): number {
  return round(us / 1000, 3)
}

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
