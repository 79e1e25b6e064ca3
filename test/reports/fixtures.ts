// A seeded synthetic run, built the way `mtsim run` builds results.json: every planned message
// is drawn once (the same stream whatever the --segment cut, so shares and the whole agree),
// counted in the books, recorded in HDR histograms (whole, per operator, per interval) and in the
// gauges; faults shape the traffic (an outage leaves submits unanswered, a latency spike slows
// answers, a generator stall makes sends late and drops some). Thresholds are evaluated by the
// real results/thresholds.ts. Aggregates only: nothing per message is kept.
import { Rng, WeightedPicker } from '../../lib/rng.js'
import { createHistogram, recordUs, encodeHistogram, type Histogram } from '../../lib/hdr.js'
import { parseThresholds, evaluateThresholds } from '../../results/thresholds.js'
import type { ResultsFile, Totals, FaultWindow, TimePoint, OperatorResults } from '../../results/results-format.js'

export interface SyntheticOptions {
  seed?: number
  /** Planned messages per second. */
  rate?: number
  durationS?: number
  segment?: { index: number; count: number } | null
  name?: string
  /** Multiplies every latency (a slower release, for baseline tests). */
  slowdown?: number
  thresholds?: Record<string, string[]>
}

export const OPERATORS = ['telco-a', 'telco-b', 'telco-c'] as const
const WEIGHTS = [0.5, 0.3, 0.2]
const SUBMIT_MEDIAN_MS = { 'telco-a': 18, 'telco-b': 30, 'telco-c': 45 }
const INTERVAL_MS = 1000
const LATE_TOLERANCE_MS = 50
const DROP_AFTER_MS = 1500
const SUBMIT_TIMEOUT_MS = 5000
const RECEIPT_WAIT_MS = 30_000

export const FAULTS: FaultWindow[] = [
  { operator: 'telco-b', kind: 'outage', start: 20_000, end: 30_000, source: 'timeline' },
  { operator: 'telco-a', kind: 'latency_spike', start: 45_000, end: 50_000, source: 'timeline' },
]
/** The load generator itself stalls (a GC pause, a slow gateway): sends in here go out late. */
const STALL = { start: 38_000, end: 40_000 }

export const DEFAULT_THRESHOLDS: Record<string, string[]> = {
  submit_latency: ['p(99)<250', 'p(50)<40'],
  receipt_latency: ['p(95)<5000'],
  delivery_rate: ['rate>0.9'],
  dropped: ['count==0'],
  'submit_latency{operator:telco-c}': ['p(99)<120'],
  'accept_rate{operator:telco-b}': ['rate>0.95'],
}

export function emptyTotals(): Totals {
  return {
    planned: 0, sent: 0, dropped: 0, late: 0, accepted: 0, rejected: 0, failed: 0, delivered: 0, undelivered: 0, expired: 0,
    rejected_by_operator: 0, failed_in_gateway: 0, other_final: 0, pending: 0, missing: 0, no_receipt_requested: 0, held_by_gateway: 0,
    arrived: 0, lost_in_gateway: 0, duplicate_receipts: 0, unknown_receipts: 0,
    intermediate_receipts: 0, misrouted: 0, duplicate_submits: 0, segments: 0,
  }
}

interface HistSet {
  submit: [Histogram, Histogram]
  receipt: [Histogram, Histogram]
  transit: [Histogram, Histogram]
}
const histSet = (): HistSet => ({
  submit: [createHistogram(), createHistogram()],
  receipt: [createHistogram(), createHistogram()],
  transit: [createHistogram(), createHistogram()],
})
const encodeSet = (h: HistSet) => ({
  submit: { corrected: encodeHistogram(h.submit[0]), uncorrected: encodeHistogram(h.submit[1]) },
  receipt: { corrected: encodeHistogram(h.receipt[0]), uncorrected: encodeHistogram(h.receipt[1]) },
  transit: { corrected: encodeHistogram(h.transit[0]), uncorrected: encodeHistogram(h.transit[1]) },
})

interface Bucket {
  point: Omit<TimePoint, 'submit' | 'receipt'>
  submit: Histogram
  receipt: Histogram
  inFlightDelta: number
  awaitingDelta: number
}

export function syntheticRun(opts: SyntheticOptions = {}): ResultsFile {
  const seed = opts.seed ?? 42
  const rate = opts.rate ?? 200
  const durationS = opts.durationS ?? 60
  const segment = opts.segment ?? null
  const slow = opts.slowdown ?? 1
  const thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS
  const rng = new Rng(seed)
  const pickOp = new WeightedPicker([...OPERATORS], WEIGHTS)

  const totals = emptyTotals()
  const statuses: Record<string, number> = {}
  const receipts: Record<string, number> = {}
  const hists = histSet()
  const ops = new Map<string, { totals: Totals; statuses: Record<string, number>; receipts: Record<string, number>; h: HistSet }>()
  for (const id of OPERATORS) ops.set(id, { totals: emptyTotals(), statuses: {}, receipts: {}, h: histSet() })
  const buckets: Bucket[] = []
  const bucket = (ms: number): Bucket => {
    const i = Math.floor(ms / INTERVAL_MS)
    while (buckets.length <= i) {
      const t = buckets.length * INTERVAL_MS
      buckets.push({
        point: { t, planned: 0, sent: 0, accepted: 0, rejected: 0, failed: 0, dropped: 0, late: 0, receipts: 0, inFlight: 0, awaitingReceipt: 0, errors: {}, operators: {} },
        submit: createHistogram(),
        receipt: createHistogram(),
        inFlightDelta: 0,
        awaitingDelta: 0,
      })
    }
    return buckets[i]!
  }
  const add = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1)
  const lognormal = (medianMs: number, sigma: number) => medianMs * Math.exp(sigma * rng.normal())
  let lastEvent = durationS * 1000

  const n = Math.round(rate * durationS)
  for (let i = 0; i < n; i++) {
    // Every draw happens for every message, in the same order, whichever share this is.
    const plan = (i * 1000) / rate
    const opId = pickOp.pick(rng)
    const base = lognormal(SUBMIT_MEDIAN_MS[opId], 0.35) * slow
    const transitMs = 1 + rng.next() * 3
    const statusDraw = rng.next()
    const receiptDelay = lognormal(800, 0.9) * slow
    const outcomeDraw = rng.next()
    const multipart = rng.chance(0.1)
    if (segment && i % segment.count !== segment.index) continue

    const op = ops.get(opId)!
    const inShare = [totals, op.totals]
    const b = bucket(plan)
    b.point.planned++
    for (const t of inShare) t.planned++
    // The stall: sends planned inside it go out when it ends; too late ones are dropped.
    const actual = plan >= STALL.start && plan < STALL.end ? STALL.end : plan
    const lateness = actual - plan
    if (lateness > DROP_AFTER_MS) {
      b.point.dropped++
      for (const t of inShare) t.dropped++
      continue
    }
    const sb = bucket(actual)
    const pointOp = (sb.point.operators![opId] ??= { sent: 0, accepted: 0, rejected: 0, failed: 0, receipts: 0 })
    sb.point.sent++
    pointOp.sent++
    for (const t of inShare) {
      t.sent++
      t.segments += multipart ? 2 : 1
      if (lateness > LATE_TOLERANCE_MS) t.late++
    }
    if (lateness > LATE_TOLERANCE_MS) sb.point.late++
    sb.inFlightDelta++

    const down = FAULTS.some((f) => f.kind === 'outage' && f.operator === opId && actual >= f.start && actual < f.end)
    if (down) {
      // No answer: counted failed when the submit timeout expires.
      const fb = bucket(actual + SUBMIT_TIMEOUT_MS)
      fb.point.failed++
      fb.inFlightDelta--
      fb.point.operators![opId] ??= { sent: 0, accepted: 0, rejected: 0, failed: 0, receipts: 0 }
      fb.point.operators![opId]!.failed++
      // As the engine does: a failure has a status name (TIMEOUT) but no latency.
      add(fb.point.errors, 'TIMEOUT')
      add(statuses, 'TIMEOUT')
      add(op.statuses, 'TIMEOUT')
      for (const t of inShare) t.failed++
      lastEvent = Math.max(lastEvent, actual + SUBMIT_TIMEOUT_MS)
      continue
    }
    const spike = FAULTS.some((f) => f.kind === 'latency_spike' && f.operator === opId && actual >= f.start && actual < f.end) ? 6 : 1
    const submitMs = base * spike
    const answeredAt = actual + submitMs
    const ab = bucket(answeredAt)
    ab.inFlightDelta--
    const abOp = (ab.point.operators![opId] ??= { sent: 0, accepted: 0, rejected: 0, failed: 0, receipts: 0 })
    for (const h of [hists, op.h]) {
      recordUs(h.submit[0], (submitMs + lateness) * 1000)
      recordUs(h.submit[1], submitMs * 1000)
      recordUs(h.transit[0], (transitMs + lateness) * 1000)
      recordUs(h.transit[1], transitMs * 1000)
    }
    recordUs(ab.submit, (submitMs + lateness) * 1000)
    const status = statusDraw < 0.015 ? 'ESME_RTHROTTLED' : statusDraw < 0.02 ? 'ESME_RSYSERR' : opId === 'telco-c' && statusDraw < 0.03 ? 'ESME_RINVDSTADR' : 'ESME_ROK'
    add(statuses, status)
    add(op.statuses, status)
    if (status !== 'ESME_ROK') {
      ab.point.rejected++
      abOp.rejected++
      add(ab.point.errors, status)
      for (const t of inShare) t.rejected++
      continue
    }
    ab.point.accepted++
    abOp.accepted++
    ab.awaitingDelta++
    for (const t of inShare) t.accepted++
    add(receipts, 'ENROUTE')
    add(op.receipts, 'ENROUTE')
    for (const t of inShare) t.intermediate_receipts++
    if (outcomeDraw < 0.005) {
      // Never receipted: missing once the receipt wait is over.
      const mb = bucket(answeredAt + RECEIPT_WAIT_MS)
      mb.awaitingDelta--
      for (const t of inShare) t.missing++
      lastEvent = Math.max(lastEvent, answeredAt + RECEIPT_WAIT_MS)
      continue
    }
    const stat = outcomeDraw < 0.94 ? 'DELIVRD' : outcomeDraw < 0.97 ? 'UNDELIV' : outcomeDraw < 0.985 ? 'EXPIRED' : outcomeDraw < 0.997 ? 'REJECTD' : 'UNKNOWN'
    const key = ({ DELIVRD: 'delivered', UNDELIV: 'undelivered', EXPIRED: 'expired', REJECTD: 'rejected_by_operator', UNKNOWN: 'other_final' } as const)[stat]
    const receiptAt = answeredAt + receiptDelay
    const rb = bucket(receiptAt)
    rb.point.receipts++
    rb.awaitingDelta--
    ;(rb.point.operators![opId] ??= { sent: 0, accepted: 0, rejected: 0, failed: 0, receipts: 0 }).receipts++
    add(receipts, stat)
    add(op.receipts, stat)
    for (const t of inShare) t[key]++
    for (const h of [hists, op.h]) {
      recordUs(h.receipt[0], (submitMs + receiptDelay + lateness) * 1000)
      recordUs(h.receipt[1], (submitMs + receiptDelay) * 1000)
    }
    recordUs(rb.receipt, (submitMs + receiptDelay + lateness) * 1000)
    lastEvent = Math.max(lastEvent, receiptAt)
  }

  // The whole timeline, whatever this share saw; gauges are running sums at interval ends.
  bucket(lastEvent)
  let inFlight = 0
  let awaiting = 0
  const timeseries: TimePoint[] = buckets.map((b) => {
    inFlight += b.inFlightDelta
    awaiting += b.awaitingDelta
    return { ...b.point, inFlight, awaitingReceipt: awaiting, submit: encodeHistogram(b.submit), receipt: encodeHistogram(b.receipt) }
  })
  const durationMs = buckets.length * INTERVAL_MS
  const operators: Record<string, OperatorResults> = {}
  for (const [id, o] of ops) operators[id] = { totals: o.totals, statuses: o.statuses, receipts: o.receipts, histograms: encodeSet(o.h) }
  const histograms = encodeSet(hists)
  const name = opts.name ?? 'synthetic-mixed-faults'
  const defs = parseThresholds(thresholds, 'fixtures.ts')
  return {
    schema: 'mtsim/results',
    version: 2,
    meta: {
      name,
      scenarioFile: `scenarios/${name}.yaml`,
      scenario: { name, seed, duration: `${durationS}s`, rate, thresholds },
      network: { operators: OPERATORS.map((id) => ({ id })) },
      seed,
      versions: { mtsim: '0.1.0', node: process.versions.node, results: '1' },
      gateway: 'direct',
      startedAt: '2026-11-24T10:00:00.000Z',
      endedAt: new Date(Date.parse('2026-11-24T10:00:00.000Z') + durationMs).toISOString(),
      durationMs,
      interrupted: false,
      segment,
      intervalMs: INTERVAL_MS,
    },
    totals,
    statuses,
    receipts,
    histograms,
    operators,
    timeseries,
    faults: FAULTS.map((f) => ({ ...f })),
    thresholds: evaluateThresholds(defs, { durationMs, totals, histograms, operators }),
  }
}

/** The --segment shares of the same run. */
export function syntheticShares(count: number, opts: SyntheticOptions = {}): ResultsFile[] {
  return Array.from({ length: count }, (_, index) => syntheticRun({ ...opts, segment: { index, count } }))
}
