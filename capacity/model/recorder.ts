// What one operator's link did in an interval, written down the way `mtsim run` writes a run: the
// books (planned, sent, accepted, rejected, failed, dropped and the final outcomes, whole numbers
// that balance), submit answers by status, receipts by state, and HDR histograms of submit, receipt
// and transit latency, corrected (from the plan time) and uncorrected (from the send), recorded
// with counts: each group of messages that waited alike, once per latency bin.
//
// Who sees what depends on the link's view (capacity/model/links.ts):
//   direct   mtsim's sends are the operator's submits: the operator's answer is the submit answer,
//            its errors are rejections, a send that waited too long is dropped.
//   gateway  the gateway answers at once and queues: every message is accepted (or refused when
//            its queue is full); what the operator then refuses comes back as a REJECTD receipt;
//            a submit lost to a dropped connection or left unanswered is sent again later.
//
// Messages of k segments are their own class: k submits, answered when the slowest is, a
// dropped connection or a lost receipt on any segment counts for the message (capacity/model/
// operator-model.ts LatencyPhase.segments).
//
// Receipts arrive over the following intervals (latency + delay after the hand-over, later when the
// operator holds them back): capacity/model/receipt-timeline.ts.
import { createHistogram, type Histogram } from '../../lib/hdr.js'
import { emptyTotals } from '../../loadgen/measure/run-metrics.js'
import type { Totals } from '../../results/results-format.js'
import { statusName } from '../../smpp/constants.js'
import { Allocator } from './allocator.js'
import type { Bins } from './bins.js'
import { addHistogram, recordUsCount } from './hdr-count.js'
import type { Link } from './link.js'
import { OUTCOMES, type OperatorModel } from './operator-model.js'
import { ReceiptTimeline } from './receipt-timeline.js'

export interface OperatorPoint {
  offered: number
  sent: number
  /** Accepted by the operator (the carried traffic). */
  carried: number
  accepted: number
  rejected: number
  failed: number
  /** Lost before the operator: dropped by mtsim (direct), refused or dropped by the gateway. */
  dropped: number
  late: number
  throttled: number
  /** Waiting at the gateway at the interval's end. */
  queued: number
  inFlight: number
  /** Final outcomes that arrived in the interval (receipts, and missing ones declared). */
  receipts: number
  awaiting: number
  maxWaitMs: number
  /** Corrected percentiles of the interval, ms (null without data). */
  submitP50: number | null
  submitP99: number | null
  receiptP50: number | null
  receiptP99: number | null
}

export interface LatencyHists {
  corrected: Histogram
  uncorrected: Histogram
}

/** The name the client sees for a gateway's acceptance, by gateway kind. */
export function gatewayAcceptName(kind: string): string {
  return kind === 'kannel' ? 'KANNEL_ACCEPTED' : kind === 'http' ? 'HTTP_202' : 'ESME_ROK'
}

const REFUSED_NAME: Record<string, string> = { kannel: 'HTTP_503', http: 'HTTP_503', smpp: 'ESME_RMSGQFUL' }
const MISSING = OUTCOMES.length - 1

/** Messages of one segment count on this link. */
interface SegmentClass {
  k: number
  /** Past the throttle: dropped connection, no answer, unapproved sender, failure statuses, accepted. */
  answers: Allocator
  /** OUTCOMES order, missing last. */
  outcomes: Allocator
}

export class OperatorRecorder {
  readonly totals: Totals = emptyTotals()
  readonly statuses: Record<string, number> = {}
  readonly receipts: Record<string, number> = {}
  readonly submit: LatencyHists = { corrected: createHistogram(), uncorrected: createHistogram() }
  readonly receipt: LatencyHists = { corrected: createHistogram(), uncorrected: createHistogram() }
  readonly transit: LatencyHists = { corrected: createHistogram(), uncorrected: createHistogram() }
  /** This interval's corrected latencies (added into the totals and the run's interval histograms at each roll). */
  readonly ivSubmit = createHistogram()
  readonly ivReceipt = createHistogram()
  /** Errors of this interval by status name. */
  ivErrors: Record<string, number> = {}

  private readonly classes: SegmentClass[]
  private readonly classSplit: Allocator
  private readonly answerNames: string[]
  private readonly duplicates: Allocator
  private readonly binAlloc = new Map<Bins, Allocator>()
  private readonly out = new Float64Array(512)
  private readonly okByClass: Float64Array
  private readonly thrByClass: Float64Array
  private readonly cats: Float64Array
  private readonly oc = new Float64Array(OUTCOMES.length)
  private lossResidue = 0
  /** When outcomes reach mtsim (and the windows in which the operator holds receipts back). */
  private readonly timeline: ReceiptTimeline
  /** The interval being flushed: receipts of messages handed over in it are due from its middle. */
  private ivMid = 0
  private cumAccepted = 0
  private segmentsFloat = 0

  constructor(
    private readonly link: Link,
    private readonly op: OperatorModel,
    senderRefused: number,
    /** Share of messages by segment count (index k - 1). */
    segmentShares: Float64Array,
    private readonly gatewayKind: string,
    private readonly intervalMs: number,
    private readonly receiptWaitMs: number,
    maxReceiptMs: number,
  ) {
    const f = op.failures
    const failShare = f.reduce((a, x) => a + x.share, 0)
    this.answerNames = ['DISCONNECTED', 'TIMEOUT', 'ESME_RINVSRCADR', ...f.map((x) => x.name), 'ESME_ROK']
    const senderStatus = op.config.senders?.rejectStatus
    if (senderStatus !== undefined) this.answerNames[2] = statusName(senderStatus)
    const present: number[] = []
    segmentShares.forEach((x, i) => x > 0 && present.push(i + 1))
    if (!present.length) present.push(1)
    this.classSplit = new Allocator(present.map((k) => segmentShares[k - 1] ?? 1))
    this.classes = present.map((k) => {
      // Any of k segments: a dropped connection, an unanswered submit, a lost or late receipt.
      const d = 1 - (1 - op.disconnectShare) ** k
      const nr = (1 - d) * (1 - (1 - op.noResponseShare) ** k)
      const rest = 1 - d - nr
      const m = op.perSegment ? 1 - (1 - op.missingShare) ** k : op.missingShare
      return {
        k,
        answers: new Allocator([d, nr, rest * senderRefused, ...f.map((x) => rest * (1 - senderRefused) * x.share), rest * (1 - senderRefused) * (1 - failShare)]),
        outcomes: new Allocator([...Array.from(op.outcomeShares, (x) => x * (1 - m)), m]),
      }
    })
    this.okByClass = new Float64Array(present.length)
    this.thrByClass = new Float64Array(present.length)
    this.cats = new Float64Array(this.answerNames.length)
    this.duplicates = new Allocator([op.config.receipts.duplicateRate, 1 - op.config.receipts.duplicateRate])
    this.timeline = new ReceiptTimeline(intervalMs, maxReceiptMs + receiptWaitMs, op.faults)
  }

  /**
   * Receipts of n messages handed over in this interval that waited w: like record(), but a receipt
   * due while the operator holds receipts back comes when it stops (and the ring hears the same).
   */
  private recordReceipts(iv: number, h: Histogram, b: Bins, w: number, n: number, extra = 0): void {
    if (n <= 0) return
    const from = this.ivMid + extra + b.value[0]!
    const to = this.ivMid + extra + b.value[b.value.length - 1]!
    if (!this.timeline.holdsBetween(from, to)) {
      this.record(h, b, w + extra, n)
      this.timeline.schedule(iv, n, b, extra)
      return
    }
    const out = this.out
    this.alloc(b).split(n, out)
    for (let i = 0; i < b.value.length; i++) {
      const c = out[i]!
      if (c <= 0) continue
      const v = b.value[i]! + extra
      const late = this.timeline.heldFor(this.ivMid + v)
      recordUsCount(h, (w + v + late) * 1000, c)
      this.timeline.schedule(iv, c, null, v + late)
    }
  }

  private get direct(): boolean {
    return this.link.settings.view === 'direct'
  }

  private status(name: string, n: number, error: boolean): void {
    if (n <= 0) return
    this.statuses[name] = (this.statuses[name] ?? 0) + n
    if (error) this.ivErrors[name] = (this.ivErrors[name] ?? 0) + n
  }

  private alloc(b: Bins): Allocator {
    let a = this.binAlloc.get(b)
    if (!a) this.binAlloc.set(b, (a = new Allocator(b.share)))
    return a
  }

  /** Records n values of (shift + each bin's value) ms, split over the bins. */
  private record(h: Histogram, b: Bins, shift: number, n: number): void {
    if (n <= 0) return
    if (b.value.length === 1) return recordUsCount(h, (shift + b.value[0]!) * 1000, n)
    const out = this.out
    this.alloc(b).split(n, out)
    const v = b.value
    for (let i = 0; i < v.length; i++) if (out[i]! > 0) recordUsCount(h, (shift + v[i]!) * 1000, out[i]!)
  }

  /** Reads and clears the link's interval `iv` (its index from the run start); returns the operator's figures for it. */
  flush(iv: number): OperatorPoint {
    const link = this.link
    const c = link.iv
    const b = link.batches
    const phase = link.phase
    const t = this.totals
    const direct = this.direct
    const s = link.settings
    this.ivMid = (iv + 0.5) * this.intervalMs
    // Random arrivals meeting an empty bucket: whole messages move from passed to refused (reject)
    // or to a retry one retry_after later (retry).
    const lossWant = c.freeFlowLoss + this.lossResidue
    const moved = b.takeFreeFlow(Math.floor(lossWant))
    this.lossResidue = lossWant - moved
    if (moved > 0) {
      if (s.onThrottle === 'reject') b.add(0, 0, moved)
      else b.add(s.retryAfterMs, moved, 0)
    }
    let accepted = 0
    let rejected = 0
    let failed = 0
    let throttled = 0
    let carried = 0
    let missing = 0
    let opRejected = 0
    let excess = 0
    const cats = this.cats
    const names = this.answerNames
    const last = names.length - 1
    const oc = this.oc
    for (let i = 0; i < b.size; i++) {
      const w = b.wait(i)
      const exc = b.excess[i]!
      const lost = b.lost[i]!
      throttled += b.throttled[i]!
      excess += exc
      this.classSplit.split(b.ok[i]!, this.okByClass)
      this.classSplit.split(b.throttled[i]!, this.thrByClass)
      for (let ci = 0; ci < this.classes.length; ci++) {
        const cl = this.classes[ci]!
        const ok = this.okByClass[ci]!
        const thr = this.thrByClass[ci]!
        if (ok + thr <= 0) continue
        const bins = phase.segments(cl.k)
        cl.answers.split(ok, cats)
        const refused = thr + sumRange(cats, 2, last)
        if (direct) {
          // Answered by the operator: everything but dropped connections and unanswered submits.
          const answered = ok - cats[0]! - cats[1]! + thr
          this.record(this.ivSubmit, bins.latency, w, answered)
          this.record(this.submit.uncorrected, bins.latency, 0, answered)
          this.status('DISCONNECTED', cats[0]!, true)
          this.status('TIMEOUT', cats[1]!, true)
          for (let k = 2; k < last; k++) this.status(names[k]!, cats[k]!, true)
          this.status(this.op.throttle?.status ?? 'ESME_RTHROTTLED', thr, true)
          failed += cats[0]! + cats[1]!
          rejected += refused
          const acc = cats[last]!
          cl.outcomes.split(acc, oc)
          const f = acc - oc[MISSING]!
          this.recordReceipts(iv, this.ivReceipt, bins.receipt, w, f)
          this.record(this.receipt.uncorrected, bins.receipt, 0, f)
          this.countOutcomes(oc)
          recordUsCount(this.transit.corrected, w * 1000, acc)
          recordUsCount(this.transit.uncorrected, 0, acc)
          accepted += acc
          carried += acc
          missing += oc[MISSING]!
          this.status('ESME_ROK', acc, false)
        } else {
          // The gateway sends again what was lost to a dropped connection or left unanswered.
          const resentTimeout = cats[1]!
          const resentDrop = cats[0]!
          const acc = cats[last]! + resentTimeout + resentDrop
          cl.outcomes.split(acc, oc)
          const f = acc - oc[MISSING]!
          const late = acc > 0 ? Math.round((f * resentTimeout) / acc) : 0
          const drop = acc > 0 ? Math.round((f * resentDrop) / acc) : 0
          const onTime = f - late - drop
          for (const [n, extra] of [[onTime, 0], [late, s.responseTimeoutMs], [drop, s.retryAfterMs]] as const) {
            this.recordReceipts(iv, this.ivReceipt, bins.receipt, w, n, extra)
          }
          this.countOutcomes(oc)
          // The operator's refusals come back as REJECTD receipts, one latency after the hand-over.
          this.record(this.ivReceipt, bins.latency, w, refused)
          this.timeline.schedule(iv, refused, bins.latency, 0)
          if (refused > 0) this.receipts.REJECTD = (this.receipts.REJECTD ?? 0) + refused
          t.rejected_by_operator += refused
          opRejected += refused
          recordUsCount(this.transit.corrected, w * 1000, acc)
          recordUsCount(this.transit.uncorrected, w * 1000, acc)
          carried += acc
          missing += oc[MISSING]!
        }
      }
      if (direct && exc > 0) {
        // Refused at once by the operator's full window: answered with no latency.
        recordUsCount(this.ivSubmit, w * 1000, exc)
        recordUsCount(this.submit.uncorrected, 0, exc)
        this.status(this.op.excessStatus, exc, true)
        rejected += exc
      }
      if (lost > 0) {
        this.status('TIMEOUT', lost, true)
        failed += lost
      }
    }
    let ivAccepted = accepted
    let ivRejected = rejected
    let ivSent = c.dispatched
    if (!direct) {
      // The gateway answers mtsim at arrival (its own answer time is not modelled).
      const answered = c.offered - c.refused
      recordUsCount(this.ivSubmit, 0, answered)
      recordUsCount(this.submit.uncorrected, 0, answered)
      this.status(gatewayAcceptName(this.gatewayKind), answered, false)
      this.status(REFUSED_NAME[this.gatewayKind] ?? 'QUEUE_FULL', c.refused, true)
      ivAccepted = answered
      ivRejected = c.refused
      ivSent = c.offered
      // Accepted by the gateway, then dropped from its queue (max_wait): no receipt ever comes.
      missing += c.dropped
      addHistogram(this.receipt.uncorrected, this.ivReceipt)
    }
    const t0 = this.totals
    t0.planned += c.offered
    t0.sent += ivSent
    if (direct) t0.dropped += c.dropped
    t0.late += c.late
    t0.accepted += ivAccepted
    t0.rejected += ivRejected
    t0.failed += failed
    t0.missing += missing
    this.segmentsFloat += ivSent * link.segments
    t0.segments = Math.round(this.segmentsFloat)
    // Missing outcomes are declared when the wait runs out.
    this.timeline.schedule(iv, missing, null, phase.latency.mean + this.receiptWaitMs)
    // Every accepted message closes with a final receipt or as missing (gateway: also the operator's refusals).
    const closed = direct ? accepted : carried + opRejected + c.dropped
    const finals = closed - missing
    this.timeline.add(closed)
    this.cumAccepted += ivAccepted
    const closedInt = this.timeline.take(iv)
    // Duplicates: extra receipts beside the books.
    if (finals > 0) {
      this.duplicates.split(finals, oc)
      t0.duplicate_receipts += oc[0]!
    }
    const p = (h: Histogram, q: number) => (h.totalCount ? h.getValueAtPercentile(q) / 1000 : null)
    const w = Math.min(s.window, s.operatorWindow) * s.binds
    const point: OperatorPoint = {
      offered: c.offered,
      sent: ivSent,
      carried,
      accepted: ivAccepted,
      rejected: ivRejected,
      failed,
      dropped: c.dropped + c.refused,
      late: c.late,
      throttled: throttled + excess,
      queued: link.queued,
      inFlight: Math.round(Math.min((c.dispatched * link.segments * link.hold()) / this.intervalMs, w)),
      receipts: closedInt,
      awaiting: Math.max(0, this.cumAccepted - this.timeline.arrived),
      maxWaitMs: c.maxWait,
      submitP50: p(this.ivSubmit, 50),
      submitP99: p(this.ivSubmit, 99),
      receiptP50: p(this.ivReceipt, 50),
      receiptP99: p(this.ivReceipt, 99),
    }
    addHistogram(this.submit.corrected, this.ivSubmit)
    addHistogram(this.receipt.corrected, this.ivReceipt)
    link.resetInterval()
    return point
  }

  /**
   * The model ends with `point` as its last interval: outcomes still expected count in it, and
   * messages still queued (only when stopped early) are dropped (direct: never sent) or pending
   * (gateway: accepted, no outcome).
   */
  finish(point: OperatorPoint): void {
    point.receipts += this.timeline.rest()
    const q = this.link.queued
    if (q > 0) {
      if (this.direct) {
        this.totals.dropped += q
        point.dropped += q
      } else this.totals.pending += q
    }
    point.awaiting = Math.max(0, this.cumAccepted - this.timeline.arrived)
  }

  /** Clears the interval histograms (after the run's interval histograms took them). */
  endInterval(): void {
    this.ivSubmit.reset()
    this.ivReceipt.reset()
    this.ivErrors = {}
  }

  /** Whether outcomes are still expected. */
  get receiptsDue(): boolean {
    return this.timeline.due
  }

  private countOutcomes(oc: Float64Array): void {
    const t = this.totals
    t.delivered += oc[0]!
    t.undelivered += oc[1]!
    t.expired += oc[2]!
    t.rejected_by_operator += oc[3]!
    t.other_final += oc[4]!
    for (let k = 0; k < MISSING; k++) {
      if (oc[k]! > 0) {
        const stat = this.op.outcomeStats[k]!
        this.receipts[stat] = (this.receipts[stat] ?? 0) + oc[k]!
      }
    }
  }
}

function sumRange(a: Float64Array, from: number, to: number): number {
  let s = 0
  for (let i = from; i < to; i++) s += a[i]!
  return s
}
