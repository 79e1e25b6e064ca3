// Ties answers, receipts and (in-process) arrivals back to the messages sent, and turns them into
// metrics. State lives in MessageStore (typed arrays, live window only); the gateway id index holds
// open messages and a bounded number of recently closed ones; the seq map holds open messages only.
// Times are performance.now() milliseconds.
import { MtsimError } from '../../lib/errors.js'
import { MessageStore, SlotState } from './message-store.js'
import { EarlyReceipts, RecentlyClosed } from './early-receipts.js'
import { IdIndex, MAX_K, kOf, cellOf, packId, segOf } from './id-index.js'
import { FinalKind, finalKindOf, type Metrics } from '../measure/run-metrics.js'
import { RingQueue } from '../../lib/ring-queue.js'
import type { IncomingReceipt, SubmitOutcome } from '../transports/transport.js'
import type { Scenario } from '../scenario/scenario.js'

/**
 * Closed messages remembered, so a late receipt is a duplicate rather than unknown: at least half
 * of this many (a simulated or real SMSC sends its duplicates right after the first receipt, or on
 * a rebind seconds later; at a few hundred msg/s 8k ids are tens of seconds). Larger generations
 * cost the hot path: with 50k-id maps their sets were ~5% of the load generator's CPU at 115k
 * msg/s, ~2.5% with 8k (cache-resident maps, less old-space garbage).
 */
const RECENT_MAX = 16_384
/**
 * Bits of MessageStore.arrived: what the in-process network and the gateway did with a message.
 * TAKEN: an operator accepted a copy; SWALLOWED: an operator took a copy in and never answered it;
 * ACCEPTED: the gateway accepted the submit; WAIT_ARRIVAL: asked for no receipt, kept open until it
 * reaches the network; UNSEEN_CLOSED: its books closed before the network took it (held or lost
 * in the gateway), so a late arrival does not count it as arrived as well; REFUSED: an operator
 * refused a copy for good (it arrived; the gateway's failure receipt is that refusal passed on).
 */
const TAKEN = 1
const SWALLOWED = 2
const ACCEPTED = 4
const WAIT_ARRIVAL = 8
const UNSEEN_CLOSED = 16
const REFUSED = 32

/** Key under which a receipt carrying our seq (HTTP dlr-url) waits or is remembered. */
const seqKey = (seq: number) => `#${seq}`

export interface CorrelatorOptions {
  /** How long an accepted message waits for its final receipt before it is missing. */
  waitMs: number
  /** Tag in the message text -> plan seq (undefined: not one of ours). */
  parseTag: (text: string) => number | undefined
  /**
   * Operators (by index) whose SMSC sends ONE receipt for a whole multipart message (per_message):
   * the first final receipt for any of its segment ids closes the message.
   */
  receiptPerMessage?: (op: number) => boolean
  /** Each message's first arrival at an operator (loadgen/measure/failover-tracker.ts); called once per message. */
  onArrival?: (op: number, operatorId: string, nowMs: number, sentAtMs: number) => void
  /**
   * Whether receipts may name our seq instead of a gateway id (HTTP dlr-url) or the in-process
   * network reports arrivals: then a seq -> message map is kept. Default true; the SMPP transport's
   * receipts always carry ids, so the engine turns it off there (one Map set and delete per message).
   */
  bySeq?: boolean
  /**
   * The network runs in this process behind a gateway, and reports every message it takes: then a
   * final receipt for a message it never took is the gateway's own (failed_in_gateway), an accepted
   * message it never took is held_by_gateway, and `arrived` is counted. Default false.
   */
  networkSeen?: boolean
  earlyMax?: number
  earlyHoldMs?: number
  /** Closed messages remembered (ids, seqs) so late receipts count as duplicates: at least half of this. */
  recentMax?: number
}

export class Correlator {
  readonly store = new MessageStore()
  private readonly byId: IdIndex
  private readonly bySeq: Map<number, number> | undefined
  /** (k, deadline ms) in acceptance order: deadlines are monotonic since waitMs is fixed. */
  private readonly deadlines = new RingQueue(2)
  private readonly early: EarlyReceipts
  private readonly recent: RecentlyClosed
  private open = 0
  private waiting = 0
  /** Answers for a message that was not in flight: a transport breaking its one-callback contract. */
  contractViolations = 0
  /** Most gateway ids + seqs mapped at once (sampled at each sweep). */
  peakMapped = 0

  constructor(
    private readonly metrics: Metrics,
    private readonly opts: CorrelatorOptions,
  ) {
    this.early = new EarlyReceipts(opts.earlyMax ?? 50_000, opts.earlyHoldMs ?? Math.max(30_000, opts.waitMs))
    const recentMax = opts.recentMax ?? RECENT_MAX
    this.recent = new RecentlyClosed(recentMax)
    this.byId = new IdIndex(Math.max(1, recentMax >> 1), (v) => this.isOpen(kOf(v)))
    this.bySeq = opts.bySeq === false ? undefined : new Map()
  }

  private isOpen(k: number): boolean {
    const s = this.store
    return s.holds(k) && s.state[s.slot(k)] !== SlotState.closed
  }

  /** Sent, no answer yet. */
  get inFlight(): number {
    return this.open
  }

  /** Accepted, no final receipt yet. */
  get awaiting(): number {
    return this.waiting
  }

  /** Receipts held for an answer not yet in. */
  get earlyHeld(): number {
    return this.early.size
  }

  /** Gateway ids (open and recently closed) and seqs (open) currently mapped. */
  get mappedIds(): number {
    return this.byId.size + (this.bySeq?.size ?? 0)
  }

  sent(seq: number, cell: number, intendedMs: number, sentMs: number): number {
    const k = this.store.open(seq, cell, intendedMs, sentMs)
    if (k > MAX_K) throw new MtsimError('MTSIM_ERR_TOO_MANY_SENDS', [String(MAX_K)])
    this.bySeq?.set(seq, k)
    this.open++
    return k
  }

  /** `expectReceipt` false: the message asked for none (registered_delivery 0); accepted, it closes at once. */
  answer(k: number, outcome: SubmitOutcome, nowMs: number, expectReceipt = true): void {
    const s = this.store
    const i = s.slot(k)
    if (!s.holds(k) || s.state[i] !== SlotState.inFlight) {
      this.contractViolations++
      return
    }
    this.open--
    const cell = s.cell[i]
    this.metrics.answer(cell, outcome.kind, outcome.status, (nowMs - s.intended[i]) * 1000, (nowMs - s.sentAt[i]) * 1000)
    if (outcome.kind !== 'accepted') {
      s.state[i] = SlotState.closed
      return
    }
    s.state[i] = SlotState.awaiting
    this.waiting++
    const seen = s.arrived[i]
    s.arrived[i] = seen | ACCEPTED
    if (seen & (TAKEN | REFUSED)) this.metrics.arrived(cell)
    // Without a receipt to wait for, a message the network has not taken yet still waits for its
    // arrival (receipts.wait at most): otherwise it could not be told from one held by the gateway.
    const waitArrival = !expectReceipt && this.opts.networkSeen === true && (seen & TAKEN) === 0
    if (expectReceipt || waitArrival) this.deadlines.push(k, nowMs + this.opts.waitMs)
    const ids = outcome.messageIds
    s.segsLeft[i] = ids.length && !this.opts.receiptPerMessage?.(this.metrics.operatorOf(cell)) ? ids.length : 1
    s.bySeqOnly[i] = ids.length ? 0 : 1
    for (let seg = 0; seg < ids.length; seg++) this.byId.set(ids[seg], packId(k, seg, cell))
    if (waitArrival) {
      s.arrived[i] |= WAIT_ARRIVAL
      return
    }
    if (!expectReceipt) {
      // Its ids stay known, so a receipt that comes anyway counts as an extra, not as unknown.
      this.metrics.noReceiptRequested(cell)
      this.close(i)
      return
    }
    if (this.early.size === 0) return
    for (let seg = 0; seg < ids.length; seg++) this.early.take(ids[seg], (r, at) => this.apply(k, seg, r, at))
    this.early.take(seqKey(s.seq[i]), (r, at) => this.apply(k, 0, r, at))
  }

  receipt(r: IncomingReceipt, nowMs: number): void {
    if (r.messageId !== undefined) {
      const v = this.byId.get(r.messageId)
      if (v === undefined) return this.unmatched(r.messageId, r, nowMs)
      const k = kOf(v)
      // Retired from the store: closed long ago, so anything more is an extra receipt.
      if (!this.store.holds(k)) return this.extra(cellOf(v), r)
      return this.apply(k, segOf(v), r, nowMs)
    }
    if (r.seq !== undefined) {
      const k = this.bySeq?.get(r.seq)
      if (k !== undefined && this.store.state[this.store.slot(k)] !== SlotState.inFlight) return this.apply(k, 0, r, nowMs)
      return this.unmatched(seqKey(r.seq), r, nowMs)
    }
    this.metrics.unknownReceipt()
  }

  /** No open message has this id: a late duplicate, or early (answer not in yet), or unknown. */
  private unmatched(key: string, r: IncomingReceipt, nowMs: number): void {
    const cell = this.recent.get(key)
    if (cell !== undefined) return this.extra(cell, r)
    const givenUp = this.early.hold(key, r, nowMs)
    for (let n = 0; n < givenUp; n++) this.metrics.unknownReceipt()
  }

  private apply(k: number, seg: number, r: IncomingReceipt, atMs: number): void {
    const s = this.store
    const i = s.slot(k)
    const cell = s.cell[i]
    // Closed = final already in, or given up as missing: anything more is an extra receipt (so is
    // any receipt for a message that asked for none).
    if (s.state[i] !== SlotState.awaiting || s.arrived[i] & WAIT_ARRIVAL) return this.extra(cell, r)
    if (!r.final) {
      this.metrics.intermediate(cell)
      this.metrics.receiptStat(cell, r.stat)
      return
    }
    if (seg < 32) {
      const bit = 1 << seg
      if (s.finalMask[i] & bit) return this.metrics.duplicateReceipt(cell)
      s.finalMask[i] |= bit
    }
    this.metrics.receiptStat(cell, r.stat)
    const kind = finalKindOf(r.stat)
    if (kind > s.worst[i]) s.worst[i] = kind
    if (--s.segsLeft[i] > 0) return
    this.close(i)
    const correctedUs = (atMs - s.intended[i]) * 1000
    const uncorrectedUs = (atMs - s.sentAt[i]) * 1000
    // A final for a message no operator took can only be the gateway's own (a discard after its
    // resends): the gateway's failure, never the operator's rejection.
    if (this.unseen(i)) return this.metrics.gatewayFinal(cell, correctedUs, uncorrectedUs)
    this.metrics.final(cell, s.worst[i] as (typeof FinalKind)[keyof typeof FinalKind], correctedUs, uncorrectedUs)
  }

  /**
   * A receipt for a message already closed. A final one is a duplicate; an intermediate one is
   * still an intermediate that lost a race: Kannel posts its SMSC-ack callback (dlr 8) and the
   * final one at nearly the same moment, and on a busy machine they arrive in either order.
   */
  private extra(cell: number, r: IncomingReceipt): void {
    if (r.final) return this.metrics.duplicateReceipt(cell)
    this.metrics.intermediate(cell)
    this.metrics.receiptStat(cell, r.stat)
  }

  /**
   * The in-process network took (taken) or swallowed one of our messages at operatorId (nowUs on
   * the performance.now() clock). A copy after one taken or swallowed is a duplicate submit: the
   * operator has it twice (a copy answered with an error is not reported, its resend is no duplicate).
   */
  /**
   * @param member for a message sent in a submit_multi: the tag is the group's, the destination
   *   tells which of its messages this is (the transport's memberSeq).
   */
  arrival(operatorId: string, text: string, nowUs: number, taken = true, member?: (tagSeq: number) => number): void {
    const tagged = this.opts.parseTag(text)
    if (tagged === undefined) return
    const seq = member ? member(tagged) : tagged
    const k = this.bySeq?.get(seq)
    if (k === undefined) return
    const s = this.store
    const i = s.slot(k)
    const cell = s.cell[i]
    const seen = s.arrived[i]
    if (seen & (TAKEN | SWALLOWED)) this.metrics.duplicateSubmit(cell)
    if (!taken) {
      s.arrived[i] = seen | SWALLOWED
      return
    }
    if (seen & TAKEN) return
    s.arrived[i] = seen | TAKEN
    this.metrics.transit(cell, nowUs - s.intended[i] * 1000, nowUs - s.sentAt[i] * 1000)
    const opIndex = this.metrics.operatorOf(cell)
    if (this.metrics.operatorIds[opIndex] !== operatorId) this.metrics.misrouted(cell)
    this.opts.onArrival?.(opIndex, operatorId, nowUs / 1000, s.sentAt[i])
    if (!(seen & ACCEPTED) || seen & (UNSEEN_CLOSED | REFUSED)) return
    this.metrics.arrived(cell)
    if (seen & WAIT_ARRIVAL && s.state[i] === SlotState.awaiting) {
      this.close(i)
      this.metrics.noReceiptRequested(cell)
    }
  }

  /**
   * An operator refused a copy of one of our messages for good (not a throttle): it reached the
   * network (arrived, once), and a failure receipt for it is the operator's rejection passed on by
   * the gateway, not the gateway's own. A copy taken later (a resend) is not a duplicate of it.
   */
  refused(_operatorId: string, text: string, _nowUs: number): void {
    const tagged = this.opts.parseTag(text)
    if (tagged === undefined) return
    const k = this.bySeq?.get(tagged)
    if (k === undefined) return
    const s = this.store
    const i = s.slot(k)
    const seen = s.arrived[i]
    if (seen & (TAKEN | REFUSED)) return
    s.arrived[i] = seen | REFUSED
    if (seen & ACCEPTED && !(seen & UNSEEN_CLOSED)) this.metrics.arrived(s.cell[i])
  }

  /** Tracking the network, and no operator has taken message i: marked so a late arrival is not also counted arrived. */
  private unseen(i: number): boolean {
    const s = this.store
    if (!this.opts.networkSeen || s.arrived[i] & (TAKEN | REFUSED)) return false
    s.arrived[i] |= UNSEEN_CLOSED
    return true
  }

  /** Housekeeping: receipt waits that ran out become missing, stale early receipts unknown, closed slots retire. */
  sweep(nowMs: number): void {
    const q = this.deadlines
    const s = this.store
    while (q.length) {
      const k = q.peek(0)
      const i = s.slot(k)
      const open = s.holds(k) && s.state[i] === SlotState.awaiting
      // Entries of messages already closed go now, not at their deadline: otherwise the queue holds
      // receipts.wait worth of sends (60 s x the rate: 43 MB at 45k msg/s in the soak bench).
      if (open && q.peek(1) > nowMs) break
      q.shift()
      if (open) {
        this.close(i)
        // Never reached the network: the gateway still has it (or lost it without a word).
        if (this.unseen(i)) this.metrics.heldByGateway(s.cell[i])
        else this.metrics.missing(s.cell[i])
      }
    }
    const mapped = this.mappedIds
    if (mapped > this.peakMapped) this.peakMapped = mapped
    const givenUp = this.early.expire(nowMs)
    for (let n = 0; n < givenUp; n++) this.metrics.unknownReceipt()
    this.retire()
  }

  /** Closes an accepted message's books (final receipt in, or given up). */
  private close(i: number): void {
    const s = this.store
    s.state[i] = SlotState.closed
    this.waiting--
    // Receipts by seq (no gateway ids) are remembered here, so a late one is a duplicate, not unknown.
    // (Gateway ids stay in byId, which remembers closed messages itself.)
    if (s.bySeqOnly[i]) this.recent.add(seqKey(s.seq[i]), s.cell[i])
  }

  private retire(): void {
    const s = this.store
    while (s.base < s.next) {
      const i = s.slot(s.base)
      if (s.state[i] !== SlotState.closed) break
      this.bySeq?.delete(s.seq[i])
      s.base++
    }
  }

  /**
   * End of run: whatever still awaits a receipt is pending (interrupted run) or missing (the wait
   * is over); held early receipts never matched and are unknown.
   */
  finish(interrupted: boolean): void {
    const s = this.store
    for (let k = s.base; k < s.next; k++) {
      const i = s.slot(k)
      if (s.state[i] !== SlotState.awaiting) continue
      this.close(i)
      if (this.unseen(i)) this.metrics.heldByGateway(s.cell[i])
      else if (interrupted) this.metrics.pending(s.cell[i])
      else this.metrics.missing(s.cell[i])
    }
    const n = this.early.clear()
    for (let j = 0; j < n; j++) this.metrics.unknownReceipt()
    this.retire()
  }
}

/**
 * Which operators send one receipt per multipart message: the scenario's receipts.multipart when
 * set; in direct mode (mtsim binds straight to the simulated operators) each operator's own
 * setting; otherwise per segment, as most SMSCs do.
 */
export function receiptPerMessage(scenario: Pick<Scenario, 'network' | 'receipts'> & { gateway?: { kind: string } }, operatorIds: readonly string[]): ((op: number) => boolean) | undefined {
  const byId = new Map(scenario.network.operators.map((o) => [o.id, o.receipts.multipart]))
  const direct = scenario.gateway?.kind === 'direct'
  const flags = operatorIds.map((id) => (scenario.receipts.multipart ?? (direct ? byId.get(id) : undefined)) === 'per_message')
  return flags.some(Boolean) ? (op) => flags[op] === true : undefined
}
