// One operator's mobile-originated traffic: subscribers who reply to an MT, who opt out with a
// STOP keyword, and who write on their own (spontaneous MO). Each MO is a deliver_sm with
// esm_class 0 (not a receipt) to a receiver-capable bind of the account the MT came from (or the
// account `mo.account` names; spontaneous MO: that one or the first account that can receive).
// With no such bind up it is held and sent when one binds, and one sent on a bind that drops before
// its deliver_sm_resp is sent again, as receipts are (receipts/receipts.ts).
//
// Correlation: the text ends with " #M<id>" (id base36, network-wide), so the load generator can
// find the MO again after any gateway and measure handset -> application time. The decision to
// answer an MT is drawn from the MT's own key (simulator/draws.ts), so it does not depend on order.
//
// Volumes are far below MT (a share of MT recipients answer), so MO live in a Map while pending;
// their due times go through the network's one scheduler (no timer per MO).
import { Rng, WeightedPicker } from '../../lib/rng.js'
import { Status } from '../../smpp/constants.js'
import type { DeliverSm, Pdu } from '../../smpp/pdu.js'
import { smBody } from '../../smpp/pdu.js'
import { encodeGsm7 } from '../../smpp/text.js'
import type { AccountBinds } from '../account-binds.js'
import type { BindConnection } from '../bind.js'
import { DelaySampler } from '../delay.js'
import type { MessageDraws } from '../draws.js'
import type { MoConfig, MoText, OperatorConfig } from '../network.js'
import type { Scheduler } from '../scheduler.js'
import type { MoKind, MoStats, SubmitObserver } from '../types.js'
import { OptOutRegistry } from './opt-outs.js'

/** Draw streams of MO decisions (simulator/draws.ts Decision uses 1..8 and 16..18). */
export const MoDecision = { ANSWER: 9, DELAY: 10, TEXT: 11 } as const

/** Spontaneous MO generated per scheduler wake-up at most. */
const SPONTANEOUS_PER_WAKE = 1000

/** Network-wide MO ids, so " #M<id>" is unique across operators. */
export interface MoIds {
  next: number
}

interface MoItem {
  id: number
  kind: MoKind
  from: string
  to: string
  text: string
  account: number
  /** The MT this answers ('' for spontaneous MO). */
  mtText: string
  /** Clock ms when the subscriber sent it. */
  at: number
  sent: boolean
  /** Waiting in `held` for a receiver bind. */
  held: boolean
}

/** A FIFO of held MO: an array read from a moving head (Array.shift is O(n) on long queues). */
class HeldQueue {
  private items: MoItem[] = []
  private head = 0

  get length(): number {
    return this.items.length - this.head
  }

  push(item: MoItem): void {
    this.items.push(item)
  }

  shift(): MoItem {
    const item = this.items[this.head++]!
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }
}

/** The " #M<id>" tag at the end of every MO text. */
export function moTag(id: number): string {
  return ' #M' + id.toString(36).toUpperCase()
}

export class MoEngine {
  readonly optOuts: OptOutRegistry
  private readonly items = new Map<number, MoItem>()
  /** MO waiting for a receiver bind, per account, in order. */
  private readonly held: HeldQueue[]
  private readonly kind: number
  private readonly spontKind: number
  private readonly replyDelay: DelaySampler | undefined
  private readonly stopDelay: DelaySampler | undefined
  private readonly replyTexts: WeightedPicker<string> | undefined
  private readonly spontTexts: WeightedPicker<string> | undefined
  private readonly rng: Rng
  /** Subscribers whose STOP is scheduled but not yet sent: they send no second one meanwhile. */
  private readonly stopping = new Set<string>()
  private readonly fixedAccount: number
  private readonly spontAccount: number
  private stopped = false
  private spontStarted = false
  /** Clock ms of the next spontaneous MO: absolute, so the rate holds however late the scheduler wakes. */
  private spontNext = 0
  readonly stats: MoStats = { generated: 0, sent: 0, acked: 0, nacked: 0, resent: 0, held: 0, cancelled: 0, stops: 0, replies: 0, spontaneous: 0, optedOut: 0, violations: 0 }

  constructor(
    private readonly cfg: MoConfig,
    private readonly op: OperatorConfig,
    private readonly draws: MessageDraws,
    private readonly scheduler: Scheduler,
    private readonly accounts: AccountBinds,
    private readonly ids: MoIds,
    seed: number | string,
    private readonly observer: SubmitObserver | undefined,
  ) {
    this.optOuts = new OptOutRegistry(cfg.optOut?.graceMs ?? 0)
    this.held = op.accounts.map(() => new HeldQueue())
    this.kind = scheduler.register(this.due)
    this.spontKind = scheduler.register(this.spontaneousDue)
    this.replyDelay = cfg.replies && new DelaySampler(cfg.replies.delay)
    this.stopDelay = cfg.optOut && new DelaySampler(cfg.optOut.delay)
    this.replyTexts = cfg.replies && picker(cfg.replies.texts)
    this.spontTexts = cfg.spontaneous && picker(cfg.spontaneous.texts)
    this.rng = Rng.derive(seed, `${op.id}/mo`)
    this.fixedAccount = cfg.account === undefined ? -1 : op.accounts.findIndex((a) => a.systemId === cfg.account)
    const canReceive = op.accounts.findIndex((a) => a.bindTypes.has('receiver') || a.bindTypes.has('transceiver'))
    this.spontAccount = this.fixedAccount >= 0 ? this.fixedAccount : Math.max(0, canReceive)
  }

  /** Starts spontaneous MO (with the operator's timeline: `mtsim run` starts it with the load). */
  start(): void {
    if (this.spontStarted || this.stopped || !this.cfg.spontaneous) return
    this.spontStarted = true
    this.spontNext = this.scheduler.clock() + this.spontaneousGap()
    this.scheduler.schedule(this.spontKind, this.spontNext, 0)
  }

  /**
   * Subscribers stop writing: nothing new is generated and MO scheduled but not yet sent are
   * cancelled (counted). MO already sent or held for a bind stay in the books.
   */
  stop(): void {
    if (this.stopped) return
    this.stopped = true
    for (const item of this.items.values()) {
      if (!item.sent && !item.held) {
        this.items.delete(item.id)
        this.stats.cancelled++
      }
    }
  }

  /**
   * An MT for `destination` was accepted at `now` (clock ms): a violation if the number opted out
   * (beyond the grace period); otherwise the subscriber may reply or opt out.
   */
  mtAccepted(destination: string, source: string, account: number, mtText: string, key: number, now: number): void {
    const delay = this.optOuts.check(destination, now)
    if (delay >= 0) {
      this.stats.violations++
      this.observer?.onViolation?.(this.op.id, destination, mtText, delay, now * 1000)
      return
    }
    if (this.stopped || this.optOuts.has(destination) || this.stopping.has(destination)) return
    const x = this.draws.for(key, MoDecision.ANSWER).next()
    const optOut = this.cfg.optOut
    const replies = this.cfg.replies
    const to = account >= 0 ? (this.fixedAccount >= 0 ? this.fixedAccount : account) : this.spontAccount
    if (optOut && x < optOut.share) {
      const word = optOut.keywords[this.draws.for(key, MoDecision.TEXT).int(optOut.keywords.length)]!
      this.stopping.add(destination)
      this.schedule('stop', destination, source, word, to, mtText, now + this.stopDelay!.sample(this.draws.for(key, MoDecision.DELAY)))
    } else if (replies && x < (optOut?.share ?? 0) + replies.share) {
      const text = this.replyTexts!.pick(this.draws.for(key, MoDecision.TEXT))
      this.schedule('reply', destination, source, text, to, mtText, now + this.replyDelay!.sample(this.draws.for(key, MoDecision.DELAY)))
    }
  }

  /** A receiver-capable bind of `account` appeared or drained: send what it holds. */
  release(account: number): void {
    const queue = this.held[account]
    if (!queue?.length) return
    while (queue.length) {
      const conn = this.accounts.pickReceiver(account)
      if (!conn) {
        // Binds exist but their queues are full without being backed up: no 'drain' will come,
        // so look again after this turn's writes went out (as receipts do).
        if (this.accounts.hasReceiver(account) && !this.retryScheduled) {
          this.retryScheduled = true
          setImmediate(this.retry)
        }
        return
      }
      const item = queue.shift()
      item.held = false
      this.sendOn(conn, item)
    }
  }

  /** MO waiting for a bind now. */
  get heldNow(): number {
    let n = 0
    for (const q of this.held) n += q.length
    return n
  }

  snapshot(): MoStats {
    return { ...this.stats, held: this.heldNow, optedOut: this.optOuts.size }
  }

  private schedule(kind: MoKind, from: string, to: string, text: string, account: number, mtText: string, at: number): void {
    const id = (this.ids.next = this.ids.next >= 0xfffffffe ? 1 : this.ids.next + 1)
    const item: MoItem = { id, kind, from, to, text: text + moTag(id), account, mtText, at, sent: false, held: false }
    this.items.set(id, item)
    this.stats.generated++
    // Due already (a spontaneous MO caught up with): sent now rather than on the next wake-up.
    if (at <= this.scheduler.clock()) this.due(id, at)
    else this.scheduler.schedule(this.kind, at, id)
  }

  private due = (id: number, now: number): void => {
    const item = this.items.get(id)
    if (!item) return // cancelled by stop()
    // The scheduler may run a task up to a tick early: the subscriber sends it now, not later.
    if (now < item.at) item.at = now
    if (item.kind === 'stop') {
      this.stopping.delete(item.from)
      this.optOuts.add(item.from, item.at)
      this.stats.stops++
    } else if (item.kind === 'reply') this.stats.replies++
    else this.stats.spontaneous++
    // The subscriber has sent it: from now on it is the operator's to deliver (or hold).
    this.observer?.onMo?.(this.op.id, { id, kind: item.kind, from: item.from, to: item.to, text: item.text, mtText: item.mtText }, item.at * 1000)
    const queue = this.held[item.account]!
    const conn = queue.length ? undefined : this.accounts.pickReceiver(item.account)
    if (conn) return this.sendOn(conn, item)
    this.hold(item)
    this.release(item.account)
  }

  private retryScheduled = false
  private readonly retry = (): void => {
    this.retryScheduled = false
    for (let a = 0; a < this.held.length; a++) this.release(a)
  }

  private hold(item: MoItem): void {
    item.held = true
    this.held[item.account]!.push(item)
  }

  private sendOn(conn: BindConnection, item: MoItem): void {
    const numeric = /^[0-9]+$/.test(item.to)
    const pdu: Omit<DeliverSm, 'commandId'> = {
      command: 'deliver_sm',
      status: 0,
      sequence: 0,
      ...smBody({
        sourceAddrTon: 1, sourceAddrNpi: 1, sourceAddr: item.from,
        destAddrTon: numeric ? (item.to.length <= 6 ? 3 : 1) : 5, destAddrNpi: numeric ? 1 : 0, destinationAddr: item.to,
        esmClass: 0, // an ordinary message, not a receipt
        shortMessage: encodeGsm7(item.text),
      }),
    }
    if (item.sent) this.stats.resent++
    else {
      item.sent = true
      this.stats.sent++
    }
    conn.session.request(pdu, (resp: Pdu | undefined) => this.answered(item, resp))
  }

  private answered(item: MoItem, resp: Pdu | undefined): void {
    if (resp === undefined) {
      // The bind dropped before the deliver_sm_resp: hold it for the next bind, as a real SMSC does.
      this.hold(item)
      this.release(item.account)
      return
    }
    this.items.delete(item.id)
    if (resp.status === Status.ESME_ROK) this.stats.acked++
    else this.stats.nacked++
  }

  /** Poisson arrivals: exponential gaps, in ms. */
  private spontaneousGap(): number {
    return (-Math.log(1 - this.rng.next()) * 1000) / this.cfg.spontaneous!.rate
  }

  /** Every spontaneous MO due by `now` (the scheduler wakes at most once a tick), at its own time. */
  private spontaneousDue = (_token: number, now: number): void => {
    const sp = this.cfg.spontaneous!
    // A plan beyond what the machine carries would starve everything else: at most a slice per
    // wake-up, and more than a second behind the subscribers skip ahead (fewer MO are sent: the
    // counts say how many were).
    if (now - this.spontNext > 1000) this.spontNext = now
    let budget = SPONTANEOUS_PER_WAKE
    while (!this.stopped && this.spontNext <= now && budget-- > 0) {
      const n = sp.from[0] + Math.floor(this.rng.next() * (sp.from[1] - sp.from[0] + 1))
      const from = String(n).padStart(sp.digits, '0')
      const to = sp.to[this.rng.int(sp.to.length)]!
      if (!this.optOuts.has(from) && !this.stopping.has(from)) {
        const text = this.spontTexts!.pick(this.rng)
        // A spontaneous text that is an opt-out keyword is a STOP like any other (opt-outs at a rate).
        const stop = this.cfg.optOut?.keywords.includes(text.split(' ')[0]!.toUpperCase()) ?? false
        if (stop) this.stopping.add(from)
        this.schedule(stop ? 'stop' : 'spontaneous', from, to, text, this.spontAccount, '', this.spontNext)
      }
      this.spontNext += this.spontaneousGap()
    }
    if (!this.stopped) this.scheduler.schedule(this.spontKind, this.spontNext, 0)
  }
}

function picker(texts: MoText[]): WeightedPicker<string> {
  return new WeightedPicker(texts.map((t) => t.text), texts.map((t) => t.weight))
}
