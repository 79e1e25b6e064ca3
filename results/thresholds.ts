// Pass/fail criteria in k6's threshold syntax, parsed once from the scenario and evaluated on the
// figures of a run (by the engine at the end and for abortOnFail, and by the report merger on the
// merged shares of a segmented run, which is why evaluation takes encoded data, not live objects).
//
//   thresholds:
//     submit_latency: ["p(99)<250"]                      # overall
//     "submit_latency{operator:telco-a}": ["p(95)<100"]  # one operator's sub-metric
//     "delivery_rate{stream:otp}": ["rate>0.99"]         # one stream's
//     "submit_latency{stream:otp,operator:telco-a}": ["p(95)<100"]  # one stream to one operator
//     accepted: [{ threshold: "rate>=90", abortOnFail: true, delayAbortEval: "10s" }]
//
// Metrics:
//   trends, in milliseconds (aggregations avg, min, max, med, p(N) with 0 <= N <= 100):
//     submit_latency, receipt_latency, transit_latency           measured from the planned send time
//     submit_latency_uncorrected, receipt_latency_uncorrected,
//     transit_latency_uncorrected                                  measured from the actual send time
//   counters (aggregations count, and rate = count per second of run): every field of Totals in
//     results/results-format.ts: planned, sent, accepted, rejected, failed, dropped, late, delivered,
//     undelivered, expired, rejected_by_operator, failed_in_gateway, other_final, missing, pending,
//     held_by_gateway, arrived, lost_in_gateway, duplicate_receipts,
//     unknown_receipts, intermediate_receipts, misrouted, duplicate_submits, segments; with MO
//     (loadgen/mo/): suppressed, mo_sent, mo_received, mo_lost, mo_duplicated, stops_received,
//     optout_violations
//   rates, 0 to 1 (aggregation rate): delivery_rate = delivered/accepted, accept_rate =
//     accepted/sent, missing_rate = missing/accepted, drop_rate = dropped/planned; for
//     delivery_rate and missing_rate, accepted counts only messages that asked for a receipt
//     (registered_delivery 0 leaves the receipt books: no_receipt_requested)
// Operators: <, <=, >, >=, ==, !=. Tags (k6 syntax, comma-separated, at most one of each):
//   operator:<id of a network operator>, stream:<name of a scenario stream>.
// No data (no latency samples, a rate over 0, an empty run) gives observed null and a FAIL: a
// threshold cannot be shown to hold on nothing. Too little data (p(99) over fewer than 100
// latencies, a rate over fewer than 10 messages: threshold-samples.ts) is a FAIL too, reported as
// insufficient data, unless the threshold says `min_samples: N` (0: judge whatever there is).
//
// API: thresholdIssues(value, operators, streams) for the scenario check, parseThresholds(value,
// file, operators?, streams?) -> ThresholdDef[], evaluateThresholds(defs, data) -> ThresholdOutcome[],
// scopeTag({ stream, operator }) -> the outcome's scope, scopeLabel(scope) -> "{stream:otp}".
import { configError, describe, type Issue } from '../config/load-config.js'
import { parseDuration } from '../lib/duration.js'
import { decodeHistogram, type Histogram } from '../lib/hdr.js'
import type { Histograms, ThresholdOutcome, Totals } from './results-format.js'
import type { ThresholdsFile } from './thresholds-schema.js'
import { neededSamples, samplesOf } from './threshold-samples.js'

export type Comparison = '<' | '<=' | '>' | '>=' | '==' | '!='
export type Aggregation = { kind: 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' } | { kind: 'p'; p: number }

type TrendName = (typeof TRENDS)[number]
type RateName = keyof typeof RATES

const TRENDS = [
  'submit_latency', 'submit_latency_uncorrected', 'receipt_latency', 'receipt_latency_uncorrected', 'transit_latency', 'transit_latency_uncorrected',
] as const
const COUNTERS: readonly (keyof Totals)[] = [
  'planned', 'sent', 'accepted', 'rejected', 'failed', 'dropped', 'late', 'delivered', 'undelivered', 'expired', 'rejected_by_operator',
  'failed_in_gateway', 'other_final', 'missing', 'no_receipt_requested', 'pending', 'held_by_gateway', 'arrived', 'lost_in_gateway', 'duplicate_receipts', 'unknown_receipts', 'intermediate_receipts', 'misrouted', 'duplicate_submits', 'segments',
  'suppressed', 'mo_sent', 'mo_received', 'mo_lost', 'mo_duplicated', 'stops_received', 'optout_violations',
]
/** The subscribers' MO counters are per operator, not per stream: a stream tag on them is refused. */
const NOT_PER_STREAM: readonly string[] = ['mo_sent', 'mo_received', 'mo_lost', 'mo_duplicated', 'stops_received', 'optout_violations']
const RATES = {
  delivery_rate: ['delivered', 'accepted'],
  accept_rate: ['accepted', 'sent'],
  missing_rate: ['missing', 'accepted'],
  drop_rate: ['dropped', 'planned'],
} as const satisfies Record<string, readonly [keyof Totals, keyof Totals]>

export type MetricType = 'trend' | 'counter' | 'rate'

/** An Issue that also carries the offending value, for reporters that describe values themselves. */
export type ThresholdIssue = Issue & { value: string }

export interface ThresholdDef {
  /** The key as written, e.g. "submit_latency{operator:telco-a}". */
  key: string
  metric: string
  type: MetricType
  /** 'overall', an operator id, or stream tags ('stream:otp', 'stream:otp,operator:telia'): scopeTag(). */
  scope: string
  /** The operator tag, null when the threshold covers every operator. */
  operator: string | null
  /** The stream tag, null when the threshold covers every stream. */
  stream: string | null
  expression: string
  aggregation: Aggregation
  op: Comparison
  value: number
  abortOnFail: boolean
  /** abortOnFail is not acted on before this many ms into the run. */
  delayAbortEvalMs: number
  /** Samples the figure needs to be judged (`min_samples`); null: the default (threshold-samples.ts). */
  minSamples: number | null
}

/** The figures of one scope. */
export interface ScopedData {
  totals: Totals
  histograms: Histograms
}

export interface ThresholdData extends ScopedData {
  durationMs: number
  operators: Record<string, ScopedData>
  /** Per stream, with its per-operator cells; absent for results not measured per stream (version 1, modelled). */
  streams?: Record<string, ScopedData & { operators: Record<string, ScopedData> }>
}

const KEY = /^([a-z_]+)(?:\{([^{}]*)\})?$/
const TAG = /^\s*([^:,\s]+)\s*:\s*([^,]*?)\s*$/
const TAG_NAMES = ['operator', 'stream'] as const

/**
 * The scope of a threshold as outcomes name it: 'overall', the operator id alone (as in version 1
 * results), or the stream tags 'stream:otp' / 'stream:otp,operator:telia'.
 */
export function scopeTag(t: { stream?: string | null; operator?: string | null }): string {
  if (!t.stream) return t.operator ?? 'overall'
  return t.operator ? `stream:${t.stream},operator:${t.operator}` : `stream:${t.stream}`
}

/** The tags of an outcome's scope (the inverse of scopeTag). */
export function scopeTags(scope: string): { stream: string | null; operator: string | null } {
  if (scope === 'overall') return { stream: null, operator: null }
  if (!scope.startsWith('stream:')) return { stream: null, operator: scope }
  const [stream, operator] = scope.slice('stream:'.length).split(',operator:')
  return { stream: stream!, operator: operator ?? null }
}

/** A scope as the scenario writes it: '' for overall, '{operator:telia}', '{stream:otp,operator:telia}'. */
export function scopeLabel(scope: string): string {
  if (scope === 'overall') return ''
  return scope.startsWith('stream:') ? `{${scope}}` : `{operator:${scope}}`
}

/** scopeLabel plus a space, or nothing for overall: the prefix of "{operator:telia} missing count==0". */
export function scopePrefix(scope: string): string {
  const label = scopeLabel(scope)
  return label ? `${label} ` : ''
}

/** The figures a threshold's scope covers; undefined when the results hold none for it. */
export function scopedData(d: Pick<ThresholdDef, 'stream' | 'operator'>, data: ThresholdData): ScopedData | undefined {
  if (d.stream === null) return d.operator === null ? data : data.operators[d.operator]
  const stream = data.streams?.[d.stream]
  return d.operator === null ? stream : stream?.operators[d.operator]
}
const EXPR = /^\s*(avg|min|max|med|count|rate|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/

function metricType(name: string): MetricType | undefined {
  if ((TRENDS as readonly string[]).includes(name)) return 'trend'
  if ((COUNTERS as readonly string[]).includes(name)) return 'counter'
  if (name in RATES) return 'rate'
  return undefined
}

const ALLOWED: Record<MetricType, string> = {
  trend: 'avg, min, max, med or p(N)',
  counter: 'count or rate',
  rate: 'rate',
}

/** Every problem in a thresholds mapping (paths start at `thresholds`), and the defs if none. */
export function thresholdIssues(
  value: ThresholdsFile,
  operators?: readonly string[],
  streams?: readonly string[],
): { issues: ThresholdIssue[]; defs: ThresholdDef[] } {
  const issues: ThresholdIssue[] = []
  const bad = (path: (string | number)[], expected: string, value: string) => issues.push({ path, expected, found: describe(value), value })
  const defs: ThresholdDef[] = []
  for (const [key, list] of Object.entries(value)) {
    const m = KEY.exec(key)
    const type = m ? metricType(m[1]) : undefined
    if (!m || !type) {
      const known = [...TRENDS, ...COUNTERS, ...Object.keys(RATES)].join(', ')
      bad(['thresholds', key], `a metric name (${known}), optionally with tags {operator:id}, {stream:name} or {stream:name,operator:id}`, key)
      continue
    }
    const tags: { operator: string | null; stream: string | null } = { operator: null, stream: null }
    let tagsOk = true
    for (const part of m[2] === undefined ? [] : m[2].split(',')) {
      const t = TAG.exec(part)
      const name = t?.[1] as (typeof TAG_NAMES)[number] | undefined
      if (!t || !name || !TAG_NAMES.includes(name) || t[2] === '') {
        bad(['thresholds', key], 'tags operator and/or stream, as in {operator:telco-a}, {stream:otp} or {stream:otp,operator:telco-a}', `{${m[2]}}`)
        tagsOk = false
        break
      }
      if (tags[name] !== null) {
        bad(['thresholds', key], `the tag "${name}" once`, `{${m[2]}}`)
        tagsOk = false
        break
      }
      const known = name === 'operator' ? operators : streams
      if (known && !known.includes(t[2])) {
        bad(['thresholds', key], name === 'operator' ? `an operator of the network (${known.join(', ')})` : `a stream of the scenario (${known.join(', ')})`, t[2])
        tagsOk = false
        break
      }
      tags[name] = t[2]
    }
    if (!tagsOk) continue
    if (tags.stream !== null && NOT_PER_STREAM.includes(m[1])) {
      bad(['thresholds', key], `a metric measured per stream (${m[1]} is counted per operator only: drop the stream tag)`, key)
      continue
    }
    const scope = scopeTag(tags)
    list.forEach((item, i) => {
      const text = typeof item === 'string' ? item : item.threshold
      const at = typeof item === 'string' ? ['thresholds', key, i] : ['thresholds', key, i, 'threshold']
      const e = EXPR.exec(text)
      if (!e) {
        bad(at, 'an expression like "p(99)<250", "avg<100", "count==0" or "rate>0.95"', text)
        return
      }
      const agg: Aggregation = e[2] !== undefined ? { kind: 'p', p: Number(e[2]) } : { kind: e[1] as 'avg' }
      const okAgg = type === 'trend' ? agg.kind !== 'count' && agg.kind !== 'rate' : type === 'counter' ? agg.kind === 'count' || agg.kind === 'rate' : agg.kind === 'rate'
      if (!okAgg) {
        bad(at, `an aggregation of the ${type} ${m[1]}: ${ALLOWED[type]}`, text)
        return
      }
      if (agg.kind === 'p' && agg.p > 100) {
        bad(at, 'a percentile p(N) with N from 0 to 100', text)
        return
      }
      defs.push({
        key,
        metric: m[1],
        type,
        scope,
        operator: tags.operator,
        stream: tags.stream,
        expression: text.replace(/\s+/g, ''),
        aggregation: agg,
        op: e[3] as Comparison,
        value: Number(e[4]),
        abortOnFail: typeof item === 'string' ? false : (item.abortOnFail ?? false),
        delayAbortEvalMs: typeof item === 'string' || item.delayAbortEval === undefined ? 0 : parseDuration(item.delayAbortEval),
        minSamples: typeof item === 'string' ? null : (item.min_samples ?? null),
      })
    })
  }
  return { issues, defs }
}

/** Thresholds from an already schema-valid mapping; throws MtsimError listing every problem. */
export function parseThresholds(value: ThresholdsFile, file: string, operators?: readonly string[], streams?: readonly string[]): ThresholdDef[] {
  const { issues, defs } = thresholdIssues(value, operators, streams)
  if (issues.length) throw configError({ file }, issues)
  return defs
}

export function evaluateThresholds(defs: readonly ThresholdDef[], data: ThresholdData): ThresholdOutcome[] {
  // Decode each histogram once per evaluation, however many thresholds read it.
  const decoded = new Map<string, Histogram>()
  return defs.map((d) => {
    const scoped = scopedData(d, data)
    const observed = observe(d, scoped, data.durationMs, decoded)
    const needed = neededSamples(d)
    const samples = samplesOf(d, scoped, () => decoded.get(`${d.scope}\u0000${d.metric}`)?.totalCount ?? 0, () => rateDenominator(d, scoped))
    const outcome: ThresholdOutcome = {
      metric: d.metric,
      scope: d.scope,
      expression: d.expression,
      ok: observed !== null && samples >= needed && compare(observed, d.op, d.value),
      observed,
      abortOnFail: d.abortOnFail,
    }
    if (samples < needed) outcome.insufficient = { samples, needed }
    return outcome
  })
}

function rateDenominator(d: ThresholdDef, scoped: ScopedData | undefined): number {
  const totals = scoped?.totals
  if (!totals) return 0
  const den = RATES[d.metric as RateName][1]
  // Receipt rates are over the messages that asked for a receipt.
  const noReceipt = den === 'accepted' && (d.metric === 'delivery_rate' || d.metric === 'missing_rate') ? (totals.no_receipt_requested ?? 0) : 0
  return totals[den] - noReceipt
}

function observe(d: ThresholdDef, scoped: ScopedData | undefined, durationMs: number, decoded: Map<string, Histogram>): number | null {
  const totals = scoped?.totals
  switch (d.type) {
    case 'counter': {
      const count = totals ? (totals[d.metric as keyof Totals] ?? 0) : 0
      if (d.aggregation.kind === 'count') return count
      return durationMs > 0 ? count / (durationMs / 1000) : null
    }
    case 'rate': {
      const [num] = RATES[d.metric as RateName]
      const den = rateDenominator(d, scoped)
      return totals && den > 0 ? (totals[num] ?? 0) / den : null
    }
    case 'trend': {
      if (!scoped) return null
      const cacheKey = `${d.scope}\u0000${d.metric}`
      let h = decoded.get(cacheKey)
      if (!h) {
        h = decodeHistogram(pick(scoped.histograms, d.metric as TrendName))
        decoded.set(cacheKey, h)
      }
      if (h.totalCount === 0) return null
      return trendValue(h, d.aggregation) / 1000 // histograms hold microseconds
    }
  }
}

function pick(h: Histograms, name: TrendName): string {
  const pair = name.startsWith('submit') ? h.submit : name.startsWith('receipt') ? h.receipt : h.transit
  return name.endsWith('_uncorrected') ? pair.uncorrected : pair.corrected
}

function trendValue(h: Histogram, a: Aggregation): number {
  switch (a.kind) {
    case 'avg':
      return h.mean
    case 'min':
      return h.minNonZeroValue
    case 'max':
      return h.maxValue
    case 'med':
      return h.getValueAtPercentile(50)
    case 'p':
      return h.getValueAtPercentile(a.p)
    default:
      return NaN
  }
}

function compare(x: number, op: Comparison, v: number): boolean {
  switch (op) {
    case '<':
      return x < v
    case '<=':
      return x <= v
    case '>':
      return x > v
    case '>=':
      return x >= v
    case '==':
      return x === v
    case '!=':
      return x !== v
  }
}
