// Delivery receipts of one operator: chooses each message's fate (outcome by weight, loss,
// duplicate), keeps it in the compact ReceiptStore, and when due sends deliver_sm (esm_class 0x04,
// Appendix B text, optional TLVs) to a receiver-capable bind of the SAME account, round-robin.
// With no such bind (or all of them backed up, or a receipt_backlog fault) finals wait in a
// per-account queue threaded through the store and go out when a bind appears or drains.
// A final receipt keeps its slot until the client's deliver_sm_resp: if the bind drops first, the
// receipt goes back to the queue and is sent again (counted as resent), as a real SMSC does.
import { WeightedPicker } from '../../lib/rng.js'
import { MessageState, RegisteredDelivery, STAT_TEXT, stateOfStat } from '../../smpp/constants.js'
import type { ReceiptDeliverSm } from '../../smpp/encode.js'
import { formatReceiptAt } from '../../smpp/receipt.js'
import type { BindConnection } from '../bind.js'
import { DelaySampler } from '../delay.js'
import { Decision, type MessageDraws } from '../draws.js'
import type { OperatorConfig } from '../network.js'
import type { OperatorCounters } from '../operator-stats.js'
import { NIL_SLOT, RF, ReceiptStore } from './receipt-store.js'
import { ReceiptWheel } from './receipt-wheel.js'
import type { Scheduler } from '../scheduler.js'

export interface ReceiptSink {
  /** A bound receiver/transceiver bind of the account that can take more now, round-robin. */
  pickReceiver(account: number): BindConnection | undefined
  /** True if the account has a receiver-capable bind at all (maybe momentarily full). */
  hasReceiver(account: number): boolean
}

type ReceiptConfig = OperatorConfig['receipts']

/** At most this many intermediate notifications per message (two flag bits count them). */
const MAX_STAGES = 3

export class ReceiptEngine {
  readonly store: ReceiptStore
  /** When each pending receipt is due (4 bytes each; see receipt-wheel.ts). */
  readonly wheel: ReceiptWheel
  private readonly finalDelay: DelaySampler
  private readonly interDelay: DelaySampler | undefined
  private readonly interStates: number[]
  private readonly outcomeState: number[]
  private readonly picker: WeightedPicker<number>
  private readonly kind: number
  private readonly waitHead: number[]
  private readonly waitTail: number[]
  private backlog = false
  private retryScheduled = false
  /** The one deliver_sm record every receipt is written from (see send()). */
  private readonly out: ReceiptDeliverSm
  /** Wall-clock ms of the minute the network started in: `submit date:` is stored as minutes since it. */
  private readonly wallBaseMs = Math.floor(Date.now() / 60_000) * 60_000

  constructor(
    private readonly cfg: ReceiptConfig,
    private readonly draws: MessageDraws,
    private readonly scheduler: Scheduler,
    private readonly startedAt: number,
    private readonly counters: OperatorCounters,
    private readonly sink: ReceiptSink,
    accounts: number,
  ) {
    this.out = {
      sourceAddrTon: 1, sourceAddrNpi: 1, sourceAddr: '', destAddrTon: 5, destAddrNpi: 0, destinationAddr: '', // as for sender ''
      text: '', tlvs: cfg.tlvs, receiptedMessageId: '', messageState: 0, networkErrorCode: 0,
    }
    this.store = new ReceiptStore({ textExcerpt: cfg.textExcerpt })
    this.finalDelay = new DelaySampler(cfg.delay)
    this.interDelay = cfg.intermediate ? new DelaySampler(cfg.intermediate.delay) : undefined
    this.interStates = (cfg.intermediate?.states ?? []).slice(0, MAX_STAGES).map((s) => stateOfStat(s)!)
    this.outcomeState = cfg.outcomes.map((o) => stateOfStat(o.stat)!)
    this.picker = new WeightedPicker(
      cfg.outcomes.map((_, i) => i),
      cfg.outcomes.map((o) => o.weight),
    )
    this.kind = scheduler.register(this.due)
    this.wheel = new ReceiptWheel(this.store, scheduler, startedAt, this.due)
    this.waitHead = new Array<number>(accounts).fill(NIL_SLOT)
    this.waitTail = new Array<number>(accounts).fill(NIL_SLOT)
  }

  /** Scheduled or waiting receipts. */
  get pending(): number {
    return this.store.size
  }

  /** The final state of the message with draw key `key` (a multipart message draws once and shares it). */
  pickOutcome(key: number): number {
    return this.cfg.outcomes.length === 1 ? 0 : this.picker.pick(this.draws.for(key, Decision.OUTCOME))
  }

  /**
   * A message (or segment) was accepted with `messageId`; its submit_sm_resp goes out at
   * `respondAt` (clock ms) and its receipts follow from then, as registered_delivery asks.
   * `drawKey` (simulator/draws.ts) keys its loss, duplicate and delay draws.
   */
  accept(
    messageId: number,
    destination: string,
    source: string,
    account: number,
    outcome: number,
    registeredDelivery: number,
    respondAt: number,
    text: string,
    drawKey: number,
  ): void {
    const failed = this.outcomeState[outcome] !== MessageState.DELIVERED
    const mode = registeredDelivery & 0x03
    const wantsFinal = mode === RegisteredDelivery.FINAL || (mode === RegisteredDelivery.FAILURE && failed)
    const wantsInter = (registeredDelivery & RegisteredDelivery.INTERMEDIATE) !== 0 && this.interStates.length > 0
    // Each draw has its own stream, so a receipt's fate does not depend on which other receipts
    // a client requested.
    const d = this.draws
    const lostDraw = d.for(drawKey, Decision.LOSS).chance(this.cfg.lossRate)
    const dupDraw = d.for(drawKey, Decision.DUPLICATE).chance(this.cfg.duplicateRate)
    const finalAt = respondAt + this.finalDelay.sample(d.for(drawKey, Decision.FINAL_DELAY))
    const interAt = this.interDelay ? respondAt + this.interDelay.sample(d.for(drawKey, Decision.INTERMEDIATE_DELAY)) : finalAt
    if (!wantsFinal && !wantsInter) return
    const lost = wantsFinal && lostDraw
    const dup = wantsFinal && !lost && dupDraw
    if (lost && !wantsInter) {
      this.counters.receiptsLost++
      return
    }
    const s = this.store
    const i = s.alloc()
    const flags = (wantsFinal ? RF.WANTS_FINAL : 0) | (wantsInter ? RF.WANTS_INTERMEDIATE : 0) | (lost ? RF.LOST : 0) | (dup ? RF.DUPLICATE : 0)
    // Rounded up: the wheel runs a receipt at its whole ms, never before finalAt.
    const due = Math.max(0, Math.ceil(finalAt - this.startedAt))
    // Minute resolution, as `submit date:` shows it; a run past 45 days keeps the last minute.
    const minute = Math.min(0xffff, Math.max(0, Math.floor((Date.now() - this.wallBaseMs) / 60_000)))
    s.init(i, flags, due, messageId, minute, account, outcome, drawKey)
    s.setDestination(i, destination)
    s.setSource(i, source)
    s.setText(i, text)
    if (wantsInter && interAt < finalAt) this.scheduleStage(i, interAt)
    else this.wheel.add(i, finalAt - this.startedAt, true) // ceil(at) is `due`; a zero delay goes out with the response
  }

  /** An intermediate stage at clock time `at`: in the wheel, or the scheduler when beyond its fine horizon. */
  private scheduleStage(i: number, at: number): void {
    if (!this.wheel.add(i, at - this.startedAt, false)) this.scheduler.schedule(this.kind, at, i)
  }

  /** receipt_backlog: while on, due finals queue up; turning it off releases them together. */
  setBacklog(on: boolean): void {
    this.backlog = on
    if (!on) this.releaseAll()
  }

  /** A receiver-capable bind of `account` appeared or drained: send what waits for it. */
  release(account: number): void {
    const s = this.store
    while (this.waitHead[account] !== NIL_SLOT && !this.backlog) {
      const conn = this.sink.pickReceiver(account)
      if (!conn) {
        // The binds exist but their queues are full without being backed up yet: after the
        // session's flush either 'drain' calls us again or the bytes went out and we retry here.
        if (this.sink.hasReceiver(account) && !this.retryScheduled) {
          this.retryScheduled = true
          setImmediate(this.retry)
        }
        return
      }
      const i = this.waitHead[account]!
      this.waitHead[account] = s.due(i)
      if (this.waitHead[account] === NIL_SLOT) this.waitTail[account] = NIL_SLOT
      this.deliverFinal(conn, i)
    }
  }

  /** The client acknowledged the receipt in store slot `i`: it is done, and its bind has window room again. */
  acknowledged(i: number, account: number): void {
    this.store.free(i)
    if (this.waitHead[account] !== NIL_SLOT) this.release(account)
  }

  /** The bind these receipts went out on dropped before acknowledging them: send them again. */
  requeue(account: number, slots: Iterable<number>): void {
    const s = this.store
    for (const i of slots) {
      // The duplicate (if any) went out with the first send; the resend is one receipt.
      s.setFlags(i, (s.flags(i) & ~RF.DUPLICATE) | RF.RESEND)
      this.wait(account, i)
    }
    this.release(account)
  }

  releaseAll(): void {
    for (let a = 0; a < this.waitHead.length; a++) this.release(a)
  }

  private retry = (): void => {
    this.retryScheduled = false
    this.releaseAll()
  }

  private due = (i: number, now: number): void => {
    const s = this.store
    const f = s.flags(i)
    const stage = f & RF.STAGE_MASK
    if (f & RF.WANTS_INTERMEDIATE && stage < this.interStates.length) {
      // Intermediate notifications are best effort (as on real SMSCs): skipped when nobody can take them.
      const conn = this.backlog ? undefined : this.sink.pickReceiver(s.account(i))
      if (conn) this.send(conn, i, this.interStates[stage]!, '000')
      s.setFlags(i, (f & ~RF.STAGE_MASK) | (stage + 1))
      const finalAt = this.startedAt + s.due(i)
      if (stage + 1 < this.interStates.length) {
        const nextAt = now + this.interDelay!.sample(this.draws.for(s.drawKey(i), Decision.INTERMEDIATE_DELAY + stage + 1))
        // Not later than the final's time (which the wheel keeps as the store's due).
        if (nextAt < finalAt) this.scheduleStage(i, nextAt)
        else this.wheel.add(i, s.due(i), true)
      }
      else if (f & RF.WANTS_FINAL) this.wheel.add(i, s.due(i), true)
      else s.free(i)
      return
    }
    if (f & RF.LOST) {
      this.counters.receiptsLost++
      s.free(i)
      return
    }
    const account = s.account(i)
    const conn = this.backlog ? undefined : this.sink.pickReceiver(account)
    if (conn) this.deliverFinal(conn, i)
    else this.wait(account, i)
  }

  private wait(account: number, i: number): void {
    // The due time is spent, so its field becomes the queue's next link.
    this.store.setDue(i, NIL_SLOT)
    if (this.waitTail[account] === NIL_SLOT) this.waitHead[account] = i
    else this.store.setDue(this.waitTail[account]!, i)
    this.waitTail[account] = i
  }

  private deliverFinal(conn: BindConnection, i: number): void {
    const s = this.store
    const o = s.outcome(i)
    const state = this.outcomeState[o]!
    const err = this.cfg.outcomes[o]!.err
    const flags = s.flags(i)
    const seq = this.send(conn, i, state, err, (flags & RF.RESEND) !== 0)
    if (flags & RF.DUPLICATE) {
      this.send(conn, i, state, err, false)
      this.counters.receiptsDuplicated++
    }
    // Kept until the deliver_sm_resp (operator.deliverSmResp -> acknowledged), or sent again when
    // the bind drops first (operator.closed -> requeue).
    if (seq) conn.unacked.set(seq, i)
    else s.free(i)
  }

  /**
   * Hot path: one receipt per message. The deliver_sm goes through session.sendReceipt, which
   * encodes this one reused record straight into the session's queue (no PDU, TLV or Date objects).
   */
  private send(conn: BindConnection, i: number, state: number, err: string, resend = false): number {
    const s = this.store
    const num = s.messageId(i)
    const id = this.cfg.idFormat === 'hex' ? num.toString(16) : String(num)
    const r = this.out
    r.text = formatReceiptAt(id, state === MessageState.DELIVERED ? 1 : 0, this.wallBaseMs + s.submitMinute(i) * 60_000, Date.now(), STAT_TEXT[state]!, err, s.textOf(i), this.cfg.textLabel)
    r.sourceAddr = s.destinationOf(i)
    const sender = s.sourceOf(i)
    if (sender !== r.destinationAddr) {
      // Runs reuse a few senders: the numeric test runs only when the sender changes.
      const numeric = /^\+?[0-9]+$/.test(sender)
      r.destinationAddr = sender
      r.destAddrTon = numeric ? 1 : 5
      r.destAddrNpi = numeric ? 1 : 0
    }
    if (r.tlvs) {
      const errCode = Number.parseInt(err, 10)
      r.receiptedMessageId = id
      r.messageState = state
      r.networkErrorCode = Number.isFinite(errCode) ? errCode : 0
    }
    const seq = conn.session.sendReceipt(r)
    // A resend is the same receipt again: counted apart, so sent-by-stat stays one per receipt.
    if (resend) this.counters.receiptsResent++
    else this.counters.receiptsSent[state]!++
    return seq
  }
}
