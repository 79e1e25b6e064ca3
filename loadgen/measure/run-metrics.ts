// What a run measured, as it goes: counters, statuses and HDR histograms, plus the current interval
// (for the time series). Everything is recorded in place: no per-message objects, no arrays that
// grow with the message count.
//
// Recorded per cell, one (stream, operator) pair (cells.ts): the engine picks a message's cell once,
// when the send is taken due, and every later count, latency and interval count of that message
// goes to that cell by array index. Per-operator and per-stream figures are sums of cells, made
// only when results or thresholds are read. Overall counts and statuses are also kept live (the
// progress line reads them every interval); overall histograms are the cells' added up.
import { createHistogram, encodeHistogram, recordUs, type Histogram } from '../../lib/hdr.js'
import type { Histograms, OperatorResults, StreamResults, TimePoint, Totals } from '../../results/results-format.js'
import type { ThresholdData } from '../../results/thresholds.js'
import { Cells } from './cells.js'

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
    delivered: 0, undelivered: 0, expired: 0, rejected_by_operator: 0, failed_in_gateway: 0, other_final: 0, pending: 0, missing: 0,
    no_receipt_requested: 0, held_by_gateway: 0, arrived: 0, lost_in_gateway: 0,
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

/** One scope of results: one cell, or a sum of cells (an operator, a stream, the whole run). */
export class Scope {
  readonly totals = emptyTotals()
  readonly statuses: Record<string, number> = {}
  readonly receipts: Record<string, number> = {}
  readonly submit = new LatencyHists()
  readonly receipt = new LatencyHists()
  readonly transit = new LatencyHists()
  /** Counts in the current interval (per-operator and per-stream time series). */
  readonly interval: PointCounts = { sent: 0, accepted: 0, rejected: 0, failed: 0, receipts: 0 }

  histograms(): Histograms {
    return { submit: this.submit.encode(), receipt: this.receipt.encode(), transit: this.transit.encode() }
  }

  results(): OperatorResults {
    return { totals: { ...this.totals }, statuses: { ...this.statuses }, receipts: { ...this.receipts }, histograms: this.histograms() }
  }

  /** Adds another scope's counts and histograms into this one (HDR adds exactly). */
  add(o: Scope): void {
    const t = this.totals as unknown as Record<string, number>
    for (const [k, v] of Object.entries(o.totals)) t[k] = (t[k] ?? 0) + (v ?? 0)
    addInto(this.statuses, o.statuses)
    addInto(this.receipts, o.receipts)
    for (const name of ['submit', 'receipt', 'transit'] as const) {
      this[name].corrected.add(o[name].corrected)
      this[name].uncorrected.add(o[name].uncorrected)
    }
  }
}

function addInto(to: Record<string, number>, from: Record<string, number>): void {
  for (const k in from) to[k] = (to[k] ?? 0) + from[k]
}

/** The per-operator and per-stream counts of one interval (TimePoint.operators / .streams). */
export type PointCounts = NonNullable<TimePoint['operators']>[string]

/** The per-interval counts of a TimePoint (the time series' columns). */
type IntervalCounts = Pick<TimePoint, 'planned' | 'sent' | 'accepted' | 'rejected' | 'failed' | 'dropped' | 'late' | 'receipts'>

/**
 * Every method that records takes a cell index (cellIndex(stream, operator)): the message's stream
 * and the operator it was routed to.
 */
export class Metrics {
  /** Overall counts and statuses, kept live. Its histograms stay empty: latencies are recorded per cell only. */
  readonly overall = new Scope()
  /** One Scope per cell, by cell index. */
  readonly cells: Scope[] = []
  private readonly layout: Cells
  /** Per operator index: the MO figures (setMo), for runs whose subscribers write back. */
  private mo: readonly MoFigures[] | undefined
  private iv: IntervalCounts = Metrics.zeroInterval()
  private ivErrors: Record<string, number> = {}
  private readonly ivSubmit: Histogram = createHistogram()
  private readonly ivReceipt: Histogram = createHistogram()

  /** `streamNames` in the plan's stream order (the engine's stream index); at least one stream is assumed. */
  constructor(operatorIds: readonly string[], streamNames: readonly string[] = ['default']) {
    this.layout = new Cells(operatorIds, streamNames)
  }

  get operatorIds(): readonly string[] {
    return this.layout.operatorIds
  }

  get streamNames(): readonly string[] {
    return this.layout.streamNames
  }

  /** The dense index of an operator (new ids, e.g. a message for an operator outside the network, get one). */
  operatorIndex(id: string): number {
    return this.layout.operatorIndex(id)
  }

  /** The cell of (stream index, operator index), created on first use. Once per message, when its send is taken due. */
  cellIndex(stream: number, op: number): number {
    const c = this.layout.cell(stream, op)
    while (this.cells.length <= c) this.cells.push(new Scope())
    return c
  }

  /** The operator index of a cell. */
  operatorOf(cell: number): number {
    return this.layout.cellOperator[cell]
  }

  /** The stream index of a cell. */
  streamOf(cell: number): number {
    return this.layout.cellStream[cell]
  }

  private bump(cell: number, key: Counter, n = 1): void {
    this.overall.totals[key] += n
    if (cell >= 0) this.cells[cell].totals[key] += n
  }

  // planned, sent, answer and final run once per message: they name their counters directly,
  // since bump()'s keyed access with a different key per call site goes megamorphic (2% of the
  // load generator's CPU in the full-cycle bench profile).

  planned(cell: number): void {
    this.overall.totals.planned++
    this.cells[cell].totals.planned++
    this.iv.planned++
  }

  sent(cell: number, late: boolean, segments: number): void {
    const o = this.overall.totals
    const t = this.cells[cell].totals
    o.sent++
    t.sent++
    o.segments += segments
    t.segments += segments
    this.iv.sent++
    this.cells[cell].interval.sent++
    if (late) {
      this.bump(cell, 'late')
      this.iv.late++
    }
  }

  /**
   * A planned send a compliant application left out (its number opted out by MO STOP): counted per
   * cell, so the books hold per stream too (planned = sent + dropped + suppressed).
   */
  suppressed(cell: number): void {
    const o = this.overall.totals
    const t = this.cells[cell].totals
    o.suppressed = (o.suppressed ?? 0) + 1
    t.suppressed = (t.suppressed ?? 0) + 1
  }

  /**
   * Runs with MO (loadgen/mo/mo-tracker.ts), at the end: its counters per operator (index = this
   * run's operator index) go into the overall and every operator's totals, 0 where nothing
   * happened. MO is the subscribers' traffic, not a stream's: stream totals get only `suppressed`
   * (counted per cell as it happens), 0 where nothing was suppressed.
   */
  setMo(perOperator: readonly MoFigures[]): void {
    this.mo = perOperator
    const o = this.overall.totals
    for (const k of MO_KEYS) o[k] = 0
    for (const f of perOperator) for (const k of MO_KEYS) o[k] = (o[k] ?? 0) + f[k]
    for (const c of this.cells) c.totals.suppressed ??= 0
  }

  dropped(cell: number): void {
    this.bump(cell, 'dropped')
    this.iv.dropped++
  }

  /** A submit answer (or failure); latencies in microseconds from the intended and the actual send time. */
  answer(cell: number, kind: 'accepted' | 'rejected' | 'failed', status: string, correctedUs: number, uncorrectedUs: number): void {
    const scope = this.cells[cell]
    if (kind === 'accepted') {
      this.overall.totals.accepted++
      scope.totals.accepted++
    } else this.bump(cell, kind)
    this.iv[kind]++
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
  receiptStat(cell: number, stat: string): void {
    this.overall.receipts[stat] = (this.overall.receipts[stat] ?? 0) + 1
    const r = this.cells[cell].receipts
    r[stat] = (r[stat] ?? 0) + 1
  }

  intermediate(cell: number): void {
    this.bump(cell, 'intermediate_receipts')
  }

  /** The message's final outcome (its last segment's final receipt arrived). */
  final(cell: number, kind: FinalKindValue, correctedUs: number, uncorrectedUs: number): void {
    const scope = this.cells[cell]
    if (kind === FinalKind.delivered) {
      this.overall.totals.delivered++
      scope.totals.delivered++
    } else this.bump(cell, FINAL_KEYS[kind])
    this.receiptLatency(scope, correctedUs, uncorrectedUs)
  }

  /** A message closed by its final receipt: the receipt latency and the interval's receipt count. */
  private receiptLatency(scope: (typeof this.cells)[number], correctedUs: number, uncorrectedUs: number): void {
    this.iv.receipts++
    scope.interval.receipts++
    recordUs(scope.receipt.corrected, correctedUs)
    recordUs(scope.receipt.uncorrected, uncorrectedUs)
    recordUs(this.ivReceipt, correctedUs)
  }

  missing(cell: number): void {
    this.bump(cell, 'missing')
  }

  /**
   * A final receipt for a message the network never took: the gateway's own (a discard after its
   * resends). It closes the message like any final, but counts failed_in_gateway and lost_in_gateway.
   */
  gatewayFinal(cell: number, correctedUs: number, uncorrectedUs: number): void {
    this.bump(cell, 'failed_in_gateway')
    this.bump(cell, 'lost_in_gateway')
    this.receiptLatency(this.cells[cell], correctedUs, uncorrectedUs)
  }

  /** Accepted, never taken by the network, no final receipt when its books closed: still in the gateway. */
  heldByGateway(cell: number): void {
    this.bump(cell, 'held_by_gateway')
  }

  /** An accepted message an operator took (counted once, whichever came first: the answer or the arrival). */
  arrived(cell: number): void {
    this.bump(cell, 'arrived')
  }

  /** Accepted with registered_delivery 0: no receipt is expected, the message leaves the receipt books. */
  noReceiptRequested(cell: number): void {
    this.bump(cell, 'no_receipt_requested')
  }

  pending(cell: number): void {
    this.bump(cell, 'pending')
  }

  /** cell < 0: the receipt's message is no longer known, only the overall count moves. */
  duplicateReceipt(cell: number): void {
    this.bump(cell, 'duplicate_receipts')
  }

  unknownReceipt(): void {
    this.bump(-1, 'unknown_receipts')
  }

  transit(cell: number, correctedUs: number, uncorrectedUs: number): void {
    recordUs(this.cells[cell].transit.corrected, correctedUs)
    recordUs(this.cells[cell].transit.uncorrected, uncorrectedUs)
  }

  misrouted(cell: number): void {
    this.bump(cell, 'misrouted')
  }

  duplicateSubmit(cell: number): void {
    this.bump(cell, 'duplicate_submits')
  }

  /** The sum of the cells `which` picks (an empty Scope when none does). */
  /**
   * The sum of the cells `which` picks (an empty Scope when none does). A lone cell is handed back
   * itself, not copied (6 histograms of ~190 KB each): callers only read it, unless `copy`.
   */
  private sum(which: (op: number, stream: number) => boolean, copy = false): Scope {
    const { cellOperator, cellStream } = this.layout
    const picked: Scope[] = []
    for (let c = 0; c < this.cells.length; c++) if (which(cellOperator[c], cellStream[c])) picked.push(this.cells[c])
    if (picked.length === 1 && !copy) return picked[0]
    const out = new Scope()
    for (const p of picked) out.add(p)
    return out
  }

  /** One operator's figures (its cells added up, and its MO figures in runs with MO). Read only. */
  operatorScope(op: number): Scope {
    if (!this.mo) return this.sum((o) => o === op)
    const scope = this.sum((o) => o === op, true)
    const f = this.mo[op]
    for (const k of MO_KEYS) scope.totals[k] = f?.[k] ?? 0
    return scope
  }

  /** One stream's figures (its cells added up). Read only. */
  streamScope(stream: number): Scope {
    return this.sum((_o, s) => s === stream)
  }

  /** The whole run's histograms: the cells' added up (HDR adds exactly). */
  overallHistograms(): Histograms {
    return this.sum(() => true).histograms()
  }

  overallResults(): OperatorResults {
    return { ...this.overall.results(), histograms: this.overallHistograms() }
  }

  /** Per operator id: every operator of the network, and any other a message was routed to. */
  operatorResults(): Record<string, OperatorResults> {
    const out: Record<string, OperatorResults> = {}
    this.operatorIds.forEach((id, op) => (out[id] = this.operatorScope(op).results()))
    return out
  }

  /** Per stream name: the stream's figures, and per operator the figures of its cell (operators it sent nothing to are absent). */
  streamResults(): Record<string, StreamResults> {
    const out: Record<string, StreamResults> = {}
    this.streamNames.forEach((name, stream) => {
      const operators: Record<string, OperatorResults> = {}
      this.operatorIds.forEach((id, op) => {
        const c = this.layout.existing(stream, op)
        if (c >= 0) operators[id] = this.cells[c].results()
      })
      out[name] = { ...this.streamScope(stream).results(), operators }
    })
    return out
  }

  /**
   * The figures so far, as thresholds.ts evaluates them (histograms encoded: call it once per
   * interval at most). `withStreams` false leaves the per-stream figures out (no threshold asks).
   */
  thresholdData(durationMs: number, withStreams = true): ThresholdData {
    const data: ThresholdData = { durationMs, totals: this.overall.totals, histograms: this.overallHistograms(), operators: this.operatorResults() }
    if (withStreams) data.streams = this.streamResults()
    return data
  }

  /** Closes the current interval (starting at tMs) into a TimePoint and starts the next one. */
  rollInterval(tMs: number, inFlight: number, awaitingReceipt: number): TimePoint {
    const operators: NonNullable<TimePoint['operators']> = {}
    const streams: NonNullable<TimePoint['streams']> = {}
    for (const id of this.operatorIds) operators[id] = { sent: 0, accepted: 0, rejected: 0, failed: 0, receipts: 0 }
    for (const name of this.streamNames) streams[name] = { sent: 0, accepted: 0, rejected: 0, failed: 0, receipts: 0 }
    for (let c = 0; c < this.cells.length; c++) {
      const iv = this.cells[c].interval
      addPoint(operators[this.operatorIds[this.layout.cellOperator[c]]], iv)
      addPoint(streams[this.streamNames[this.layout.cellStream[c]]], iv)
      iv.sent = iv.accepted = iv.rejected = iv.failed = iv.receipts = 0
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
      streams,
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

function addPoint(to: PointCounts, c: PointCounts): void {
  to.sent += c.sent
  to.accepted += c.accepted
  to.rejected += c.rejected
  to.failed += c.failed
  to.receipts += c.receipts
}
