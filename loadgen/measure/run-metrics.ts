// What a run measured, as it goes: counters, statuses and HDR histograms, overall and per operator,
// plus the current interval (for the time series). Everything is recorded in place: no per-message
// objects, no arrays that grow with the message count.
import { createHistogram, encodeHistogram, recordUs, type Histogram } from '../../lib/hdr.js'
import type { Histograms, OperatorResults, TimePoint, Totals } from '../../results/results-format.js'
import type { ThresholdData } from '../../results/thresholds.js'

/** Final receipt kinds, ordered from best to worst: a multipart message takes its worst segment's. */
export const FinalKind = { delivered: 0, other_final: 1, expired: 2, undelivered: 3, rejected_by_operator: 4 } as const
export type FinalKindValue = (typeof FinalKind)[keyof typeof FinalKind]
const FINAL_KEYS = ['delivered', 'other_final', 'expired', 'undelivered', 'rejected_by_operator'] as const

export function finalKindOf(stat: string): FinalKindValue {
  switch (stat.toUpperCase()) {
    case 'DELIVRD':
      return FinalKind.delivered
    case 'UNDELIV':
      return FinalKind.undelivered
    case 'EXPIRED':
      return FinalKind.expired
    case 'REJECTD':
      return FinalKind.rejected_by_operator
    default:
      return FinalKind.other_final
  }
}

export function emptyTotals(): Totals {
  return {
    planned: 0, sent: 0, dropped: 0, late: 0, accepted: 0, rejected: 0, failed: 0,
    delivered: 0, undelivered: 0, expired: 0, rejected_by_operator: 0, other_final: 0, pending: 0, missing: 0, no_receipt_requested: 0,
    duplicate_receipts: 0, unknown_receipts: 0, intermediate_receipts: 0, misrouted: 0, duplicate_submits: 0, segments: 0,
  }
}

type Counter = keyof Totals

const MO_KEYS = ['suppressed', 'mo_sent', 'mo_received', 'mo_lost', 'mo_duplicated', 'stops_received', 'optout_violations'] as const
export type MoFigures = Record<(typeof MO_KEYS)[number], number>

class LatencyHists {
  readonly corrected = createHistogram()
  readonly uncorrected = createHistogram()
  encode(): { corrected: string; uncorrected: string } {
    return { corrected: encodeHistogram(this.corrected), uncorrected: encodeHistogram(this.uncorrected) }
  }
}

/** One scope of results: the whole run or one operator. */
export class Scope {
  readonly totals = emptyTotals()
  readonly statuses: Record<string, number> = {}
  readonly receipts: Record<string, number> = {}
  readonly submit = new LatencyHists()
  readonly receipt = new LatencyHists()
  readonly transit = new LatencyHists()
  /** Counts in the current interval (per-operator time series). */
  readonly interval = { sent: 0, accepted: 0, rejected: 0, failed: 0, receipts: 0 }

  histograms(): Histograms {
    return { submit: this.submit.encode(), receipt: this.receipt.encode(), transit: this.transit.encode() }
  }

  results(): OperatorResults {
    return { totals: { ...this.totals }, statuses: { ...this.statuses }, receipts: { ...this.receipts }, histograms: this.histograms() }
  }
}

/** The per-interval counts of a TimePoint (the time series' columns). */
type IntervalCounts = Pick<TimePoint, 'planned' | 'sent' | 'accepted' | 'rejected' | 'failed' | 'dropped' | 'late' | 'receipts'>

export class Metrics {
  /** Overall counts. Its histograms stay empty: latencies are recorded per operator only (half the
   * hot-path cost) and added up exactly on demand by overallResults(). */
  readonly overall = new Scope()
  readonly operators: Scope[] = []
  readonly operatorIds: string[] = []
  private readonly index = new Map<string, number>()
  private iv: IntervalCounts = Metrics.zeroInterval()
  private ivErrors: Record<string, number> = {}
  private readonly ivSubmit: Histogram = createHistogram()
  private readonly ivReceipt: Histogram = createHistogram()

  constructor(operatorIds: readonly string[]) {
    for (const id of operatorIds) this.operatorIndex(id)
  }

  /** The dense index of an operator (new ids, e.g. a message for an operator outside the network, get one). */
  operatorIndex(id: string): number {
    let i = this.index.get(id)
    if (i === undefined) {
      i = this.operators.length
      this.index.set(id, i)
      this.operators.push(new Scope())
      this.operatorIds.push(id)
    }
    return i
  }

  private bump(op: number, key: Counter, n = 1): void {
    this.overall.totals[key] += n
    if (op >= 0) this.operators[op].totals[key] += n
  }

  // planned, sent, answer and final run once per message: they name their counters directly,
  // since bump()'s keyed access with a different key per call site goes megamorphic (2% of the
  // load generator's CPU in the full-cycle bench profile).

  planned(op: number): void {
    this.overall.totals.planned++
    this.operators[op].totals.planned++
    this.iv.planned++
  }

  sent(op: number, late: boolean, segments: number): void {
    const o = this.overall.totals
    const t = this.operators[op].totals
    o.sent++
    t.sent++
    o.segments += segments
    t.segments += segments
    this.iv.sent++
    this.operators[op].interval.sent++
    if (late) {
      this.bump(op, 'late')
      this.iv.late++
    }
  }

  /**
   * Runs with MO (loadgen/mo/mo-tracker.ts), at the end: its counters per operator (index = this
   * run's operator index) go into every scope's totals, 0 where nothing happened.
   */
  setMo(perOperator: readonly MoFigures[]): void {
    const o = this.overall.totals
    for (const k of MO_KEYS) o[k] = 0
    perOperator.forEach((f, op) => {
      const t = this.operators[op]?.totals
      if (!t) return
      for (const k of MO_KEYS) {
        t[k] = f[k]
        o[k] = (o[k] ?? 0) + f[k]
      }
    })
  }

  dropped(op: number): void {
    this.bump(op, 'dropped')
    this.iv.dropped++
  }

  /** A submit answer (or failure); latencies in microseconds from the intended and the actual send time. */
  answer(op: number, kind: 'accepted' | 'rejected' | 'failed', status: string, correctedUs: number, uncorrectedUs: number): void {
    if (kind === 'accepted') {
      this.overall.totals.accepted++
      this.operators[op].totals.accepted++
    } else this.bump(op, kind)
    this.iv[kind]++
    const scope = this.operators[op]
    scope.interval[kind]++
    this.overall.statuses[status] = (this.overall.statuses[status] ?? 0) + 1
    scope.statuses[status] = (scope.statuses[status] ?? 0) + 1
    if (kind !== 'accepted') this.ivErrors[status] = (this.ivErrors[status] ?? 0) + 1
    // A failure has no answer to time: only real answers go into the submit latency.
    if (kind === 'failed') return
    recordUs(scope.submit.corrected, correctedUs)
    recordUs(scope.submit.uncorrected, uncorrectedUs)
    recordUs(this.ivSubmit, correctedUs)
  }

  /** One receipt matched to a message (any segment, final or intermediate), by its stat text. */
  receiptStat(op: number, stat: string): void {
    this.overall.receipts[stat] = (this.overall.receipts[stat] ?? 0) + 1
    const r = this.operators[op].receipts
    r[stat] = (r[stat] ?? 0) + 1
  }

  intermediate(op: number): void {
    this.bump(op, 'intermediate_receipts')
  }

  /** The message's final outcome (its last segment's final receipt arrived). */
  final(op: number, kind: FinalKindValue, correctedUs: number, uncorrectedUs: number): void {
    if (kind === FinalKind.delivered) {
      this.overall.totals.delivered++
      this.operators[op].totals.delivered++
    } else this.bump(op, FINAL_KEYS[kind])
    this.iv.receipts++
    const scope = this.operators[op]
    scope.interval.receipts++
    recordUs(scope.receipt.corrected, correctedUs)
    recordUs(scope.receipt.uncorrected, uncorrectedUs)
    recordUs(this.ivReceipt, correctedUs)
  }

  missing(op: number): void {
    this.bump(op, 'missing')
  }

  /** Accepted with registered_delivery 0: no receipt is expected, the message leaves the receipt books. */
  noReceiptRequested(op: number): void {
    this.bump(op, 'no_receipt_requested')
  }

  pending(op: number): void {
    this.bump(op, 'pending')
  }

  /** op < 0: the receipt's message is no longer known, only the overall count moves. */
  duplicateReceipt(op: number): void {
    this.bump(op, 'duplicate_receipts')
  }

  unknownReceipt(): void {
    this.bump(-1, 'unknown_receipts')
  }

  transit(op: number, correctedUs: number, uncorrectedUs: number): void {
    recordUs(this.operators[op].transit.corrected, correctedUs)
    recordUs(this.operators[op].transit.uncorrected, uncorrectedUs)
  }

  misrouted(op: number): void {
    this.bump(op, 'misrouted')
  }

  duplicateSubmit(op: number): void {
    this.bump(op, 'duplicate_submits')
  }

  /** The whole run's histograms: the operators' added up (HDR adds exactly). */
  overallHistograms(): Histograms {
    const merged = new Scope()
    for (const op of this.operators) {
      for (const name of ['submit', 'receipt', 'transit'] as const) {
        merged[name].corrected.add(op[name].corrected)
        merged[name].uncorrected.add(op[name].uncorrected)
      }
    }
    return merged.histograms()
  }

  overallResults(): OperatorResults {
    return { ...this.overall.results(), histograms: this.overallHistograms() }
  }

  /** The figures so far, as thresholds.ts evaluates them (histograms encoded: call it once per interval at most). */
  thresholdData(durationMs: number): ThresholdData {
    const operators: ThresholdData['operators'] = {}
    this.operators.forEach((s, i) => (operators[this.operatorIds[i]] = { totals: s.totals, histograms: s.histograms() }))
    return { durationMs, totals: this.overall.totals, histograms: this.overallHistograms(), operators }
  }

  /** Closes the current interval (starting at tMs) into a TimePoint and starts the next one. */
  rollInterval(tMs: number, inFlight: number, awaitingReceipt: number): TimePoint {
    const operators: NonNullable<TimePoint['operators']> = {}
    for (let i = 0; i < this.operators.length; i++) {
      const c = this.operators[i].interval
      operators[this.operatorIds[i]] = { ...c }
      c.sent = c.accepted = c.rejected = c.failed = c.receipts = 0
    }
    const point: TimePoint = {
      t: tMs,
      ...this.iv,
      inFlight,
      awaitingReceipt,
      errors: this.ivErrors,
      submit: encodeHistogram(this.ivSubmit),
      receipt: encodeHistogram(this.ivReceipt),
      operators,
    }
    this.iv = Metrics.zeroInterval()
    this.ivErrors = {}
    this.ivSubmit.reset()
    this.ivReceipt.reset()
    return point
  }

  private static zeroInterval(): IntervalCounts {
    return { planned: 0, sent: 0, accepted: 0, rejected: 0, failed: 0, dropped: 0, late: 0, receipts: 0 }
  }
}
