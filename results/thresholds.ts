// Pass/fail criteria in k6's threshold syntax, parsed once from the scenario and evaluated on the
// figures of a run (by the engine at the end and for abortOnFail, and by the report merger on the
// merged shares of a segmented run, which is why evaluation takes encoded data, not live objects).
//
//   thresholds:
//     submit_latency: ["p(99)<250"]                      # overall
//     "submit_latency{operator:telco-a}": ["p(95)<100"]  # one operator's sub-metric
//     accepted: [{ threshold: "rate>=90", abortOnFail: true, delayAbortEval: "10s" }]
//
// Metrics:
//   trends, in milliseconds (aggregations avg, min, max, med, p(N) with 0 <= N <= 100):
//     submit_latency, receipt_latency, transit_latency           measured from the planned send time
//     submit_latency_uncorrected, receipt_latency_uncorrected,
//     transit_latency_uncorrected                                  measured from the actual send time
//   counters (aggregations count, and rate = count per second of run): every field of Totals in
//     results/results-format.ts: planned, sent, accepted, rejected, failed, dropped, late, delivered,
//     undelivered, expired, rejected_by_operator, other_final, missing, pending, duplicate_receipts,
//     unknown_receipts, intermediate_receipts, misrouted, duplicate_submits, segments; with MO
//     (loadgen/mo/): suppressed, mo_sent, mo_received, mo_lost, mo_duplicated, stops_received,
//     optout_violations
//   rates, 0 to 1 (aggregation rate): delivery_rate = delivered/accepted, accept_rate =
//     accepted/sent, missing_rate = missing/accepted, drop_rate = dropped/planned; for
//     delivery_rate and missing_rate, accepted counts only messages that asked for a receipt
//     (registered_delivery 0 leaves the receipt books: no_receipt_requested)
// Operators: <, <=, >, >=, ==, !=. The only tag is operator:<id of a network operator>.
// No data (no latency samples, a rate over 0, an empty run) gives observed null and a FAIL: a
// threshold cannot be shown to hold on nothing. Too little data (p(99) over fewer than 100
// latencies, a rate over fewer than 10 messages: threshold-samples.ts) is a FAIL too, reported as
// insufficient data, unless the threshold says `min_samples: N` (0: judge whatever there is).
//
// API: thresholdIssues(value, operators) for the scenario check, parseThresholds(value, file,
// operators?) -> ThresholdDef[], evaluateThresholds(defs, data) -> ThresholdOutcome[].
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
  'other_final', 'missing', 'no_receipt_requested', 'pending', 'duplicate_receipts', 'unknown_receipts', 'intermediate_receipts', 'misrouted', 'duplicate_submits', 'segments',
  'suppressed', 'mo_sent', 'mo_received', 'mo_lost', 'mo_duplicated', 'stops_received', 'optout_violations',
]
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
  /** 'overall' or an operator id. */
  scope: string
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

export interface ThresholdData {
  durationMs: number
  totals: Totals
  histograms: Histograms
  operators: Record<string, { totals: Totals; histograms: Histograms }>
}

const KEY = /^([a-z_]+)(?:\{([^:{}]+):([^{}]*)\})?$/
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
export function thresholdIssues(value: ThresholdsFile, operators?: readonly string[]): { issues: ThresholdIssue[]; defs: ThresholdDef[] } {
  const issues: ThresholdIssue[] = []
  const bad = (path: (string | number)[], expected: string, value: string) => issues.push({ path, expected, found: describe(value), value })
  const defs: ThresholdDef[] = []
  for (const [key, list] of Object.entries(value)) {
    const m = KEY.exec(key)
    const type = m ? metricType(m[1]) : undefined
    if (!m || !type) {
      const known = [...TRENDS, ...COUNTERS, ...Object.keys(RATES)].join(', ')
      bad(['thresholds', key], `a metric name (${known}), optionally with {operator:id}`, key)
      continue
    }
    let scope = 'overall'
    if (m[2] !== undefined) {
      if (m[2] !== 'operator') {
        bad(['thresholds', key], 'the tag "operator" (as in {operator:telco-a})', m[2])
        continue
      }
      if (operators && !operators.includes(m[3])) {
        bad(['thresholds', key], `an operator of the network (${operators.join(', ')})`, m[3])
        continue
      }
      scope = m[3]
    }
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
export function parseThresholds(value: ThresholdsFile, file: string, operators?: readonly string[]): ThresholdDef[] {
  const { issues, defs } = thresholdIssues(value, operators)
  if (issues.length) throw configError({ file }, issues)
  return defs
}

export function evaluateThresholds(defs: readonly ThresholdDef[], data: ThresholdData): ThresholdOutcome[] {
  // Decode each histogram once per evaluation, however many thresholds read it.
  const decoded = new Map<string, Histogram>()
  return defs.map((d) => {
    const observed = observe(d, data, decoded)
    const needed = neededSamples(d)
    const samples = samplesOf(d, data, () => decoded.get(`${d.scope}\u0000${d.metric}`)?.totalCount ?? 0, () => rateDenominator(d, data))
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

function rateDenominator(d: ThresholdDef, data: ThresholdData): number {
  const totals = d.scope === 'overall' ? data.totals : data.operators[d.scope]?.totals
  if (!totals) return 0
  const den = RATES[d.metric as RateName][1]
  // Receipt rates are over the messages that asked for a receipt.
  const noReceipt = den === 'accepted' && (d.metric === 'delivery_rate' || d.metric === 'missing_rate') ? (totals.no_receipt_requested ?? 0) : 0
  return totals[den] - noReceipt
}

function observe(d: ThresholdDef, data: ThresholdData, decoded: Map<string, Histogram>): number | null {
  const scoped = d.scope === 'overall' ? data : data.operators[d.scope]
  const totals = scoped?.totals
  switch (d.type) {
    case 'counter': {
      const count = totals ? (totals[d.metric as keyof Totals] ?? 0) : 0
      if (d.aggregation.kind === 'count') return count
      return data.durationMs > 0 ? count / (data.durationMs / 1000) : null
    }
    case 'rate': {
      const [num] = RATES[d.metric as RateName]
      const den = rateDenominator(d, data)
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
