// An ESME: one logical bind to an SMSC (a bind_transceiver, or a bind_transmitter plus a
// bind_receiver), with a window of outstanding submit_sm, per-message segmentation, and receipts
// handed to the engine. Connection life cycle (bind, keepalive, backoff) lives in smpp-link.ts.
//
// Hot path notes: one reused submit_sm object (the session encodes it synchronously), pooled
// per-message records whose response callback is bound once, no logging, no per-segment closures.

import { MtsimError } from '../../lib/errors.js'
import {
  CommandId,
  RESPONSE_BIT,
  Status,
  segmentText,
  smBody,
  statusName,
  type DeliverSm,
  type Pdu,
  type Segment,
  type SubmitMulti,
  type SubmitSm,
  deliverSmView,
  decodeShortMessage,
  viewDeliverSm,
} from '../../smpp/index.js'
import type { OutboundMessage, ReceiptSink, SubmitOutcome } from './transport.js'
import { ReceiptIdCanon } from './receipt-ids.js'
import { BindLink, type LinkHooks, type LinkOptions } from './smpp-link.js'
import { Flight, type FlightOwner } from './smpp-flight.js'
import { readReceipt, readReceiptView } from './smpp-receipt.js'
import { stripPlus, type MultiMember, type MultiSender } from './smpp-multi.js'

export interface SmppClientOptions extends Omit<LinkOptions, 'bind'> {
  mode: 'transceiver' | 'tx+rx'
  /** Most submit_sm (segments) awaiting a response on this bind. */
  window: number
  /** Shared by every bind to the same SMSC so receipt ids are canonicalised one way. */
  canon: ReceiptIdCanon
  /** How long start() waits for the first bind before giving up. */
  startTimeoutMs?: number
  /**
   * Ids are "<message_id>|<handset>" in outcomes and receipts alike (gateway.submit_multi: one id
   * answers a whole submit_multi, the handset tells its receipts apart).
   */
  idsByHandset?: boolean
}

export interface SmppClientStats {
  binds: number
  disconnects: number
  receipts: number
  malformedReceipts: number
  moMessages: number
  lateResponses: number
}

function noop(): void {}

export class SmppClient implements LinkHooks, FlightOwner, MultiSender {
  private readonly tx: BindLink
  private readonly rx: BindLink
  private sink: ReceiptSink = { onReceipt: noop }
  private outstanding = 0
  /** Segments of admitted messages waiting for window room (a multipart message may overrun it). */
  private backlog: { flight: Flight; seg: Segment }[] = []
  private backlogHead = 0
  private readonly pool: Flight[] = []
  private readonly pdu: SubmitSm = { command: 'submit_sm', commandId: CommandId.submit_sm, status: 0, sequence: 0, ...smBody() }
  private readonly canon: ReceiptIdCanon
  private readonly view = deliverSmView()
  private startWaiter: (() => void) | undefined
  private drainWaiter: (() => void) | undefined
  private closed = false
  private readonly counters = { receipts: 0, malformedReceipts: 0, moMessages: 0, lateResponses: 0 }

  constructor(readonly opts: SmppClientOptions) {
    this.canon = opts.canon
    const link = (bind: LinkOptions['bind']) => new BindLink({ ...opts, bind }, this)
    this.tx = link(opts.mode === 'transceiver' ? 'bind_transceiver' : 'bind_transmitter')
    this.rx = opts.mode === 'transceiver' ? this.tx : link('bind_receiver')
  }

  get name(): string {
    return `${this.opts.systemId}@${this.opts.host}:${this.opts.port}`
  }

  get bound(): boolean {
    return this.tx.bound && this.rx.bound
  }

  /** Resolves once bound; rejects (and closes) when not bound within startTimeoutMs. */
  start(sink: ReceiptSink): Promise<void> {
    this.sink = sink
    this.tx.open()
    this.rx.open()
    if (this.bound) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.startWaiter = undefined
        const why = this.tx.lastError || this.rx.lastError || 'no answer'
        void this.close()
        reject(new MtsimError('MTSIM_ERR_GATEWAY_BIND', [`${this.opts.host}:${this.opts.port}`, this.opts.systemId, why]))
      }, this.opts.startTimeoutMs ?? 10_000)
      this.startWaiter = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  /** Submit_sm slots free on this bind (0 while not bound). */
  capacity(): number {
    if (!this.tx.bound) return 0
    const free = this.opts.window - this.outstanding - (this.backlog.length - this.backlogHead)
    return free > 0 ? free : 0
  }

  canSend(): boolean {
    return this.capacity() > 0
  }

  get inFlight(): number {
    return this.outstanding
  }

  send(msg: OutboundMessage, done: (o: SubmitOutcome) => void): void {
    if (!this.tx.bound || this.closed) {
      queueMicrotask(() => done({ kind: 'failed', status: 'DISCONNECTED', messageIds: [] }))
      return
    }
    let segs: Segment[]
    try {
      segs = segmentText(msg.text, { encoding: msg.encoding, method: msg.multipart })
    } catch {
      queueMicrotask(() => done({ kind: 'failed', status: 'ENCODING', messageIds: [] }))
      return
    }
    const flight = this.pool.pop() ?? new Flight(this)
    flight.begin(msg, segs.length, done)
    for (let i = 0; i < segs.length; i++) {
      if (this.outstanding < this.opts.window && this.backlogHead === this.backlog.length) this.submit(flight, segs[i]!)
      else this.backlog.push({ flight, seg: segs[i]! })
    }
  }

  private submit(flight: Flight, seg: Segment): void {
    const msg = flight.msg!
    const p = this.pdu
    p.sequence = 0
    if (msg.source !== p.sourceAddr) {
      // Streams reuse a few senders, so the TON/NPI test runs only when the sender changes.
      p.sourceAddr = msg.source
      const alpha = !/^\+?[0-9]+$/.test(msg.source)
      p.sourceAddrTon = alpha ? 5 : 1 // alphanumeric sender ids are TON 5 / NPI 0, numbers international
      p.sourceAddrNpi = alpha ? 0 : 1
    }
    p.destinationAddr = msg.destination.startsWith('+') ? msg.destination.slice(1) : msg.destination
    p.destAddrTon = 1
    p.destAddrNpi = 1
    p.registeredDelivery = Number(msg.registeredDelivery) & 0xff
    p.esmClass = seg.esmClass
    p.dataCoding = seg.dataCoding
    p.shortMessage = seg.shortMessage
    p.tlvs = seg.tlvs
    if (this.tx.session!.isClosed) {
      // A closed session would answer request() synchronously, before its sequence is recorded in
      // the flight (which may then be recycled with a stale sequence): fail the segment here.
      flight.fail('failed', 'DISCONNECTED')
      this.resolveSegment(flight)
      return
    }
    this.outstanding++
    try {
      flight.seqs.push(this.tx.session!.request(p, flight.onResp))
    } catch {
      // Out-of-spec field (e.g. an address over 20 digits): nothing was queued.
      this.outstanding--
      flight.fail('failed', 'INVALID_PDU')
      this.resolveSegment(flight)
    }
  }

  /**
   * One submit_multi for a group (smpp-multi.ts) of single-segment messages with one text: one
   * window slot. Each member gets its own outcome: accepted as "<message_id>|<destination>", or
   * rejected with its unsuccess_sme status, or the PDU's error / TIMEOUT / DISCONNECTED.
   */
  sendMulti(group: MultiMember[]): void {
    const fail = (kind: SubmitOutcome['kind'], status: string) => {
      for (const m of group) m.done({ kind, status, messageIds: [] })
    }
    const session = this.tx.session
    if (!this.tx.bound || this.closed || !session || session.isClosed) return queueMicrotask(() => fail('failed', 'DISCONNECTED'))
    const first = group[0]!.msg
    let seg: Segment
    try {
      seg = segmentText(first.text, { encoding: first.encoding, method: first.multipart })[0]!
    } catch {
      return queueMicrotask(() => fail('failed', 'ENCODING'))
    }
    const alpha = !/^\+?[0-9]+$/.test(first.source)
    const pdu: SubmitMulti = {
      command: 'submit_multi', commandId: CommandId.submit_multi, status: 0, sequence: 0, ...smBody(),
      sourceAddrTon: alpha ? 5 : 1, sourceAddrNpi: alpha ? 0 : 1, sourceAddr: first.source,
      destAddresses: group.map((m) => ({ destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: m.destination })),
      registeredDelivery: Number(first.registeredDelivery) & 0xff, esmClass: seg.esmClass, dataCoding: seg.dataCoding, shortMessage: seg.shortMessage, tlvs: seg.tlvs,
    }
    this.outstanding++
    const answered = (resp: Pdu | undefined, timedOut: boolean) => {
      this.outstanding--
      if (resp === undefined) fail('failed', timedOut ? 'TIMEOUT' : 'DISCONNECTED')
      else if (resp.status !== Status.ESME_ROK) fail('rejected', statusName(resp.status))
      else if (resp.command !== 'submit_multi_resp') fail('rejected', resp.command.toUpperCase())
      else {
        const refused = new Map(resp.unsuccessSmes.map((u) => [stripPlus(u.destinationAddr), u.errorStatusCode]))
        const id = this.canon.submitId(resp.messageId)
        for (const m of group) {
          const code = refused.get(m.destination)
          m.done(code === undefined ? { kind: 'accepted', status: 'ESME_ROK', messageIds: [`${id}|${m.destination}`] } : { kind: 'rejected', status: statusName(code), messageIds: [] })
        }
      }
      if (this.backlogHead < this.backlog.length) this.pump()
      else if (this.outstanding === 0 && this.drainWaiter) this.drainWaiter()
    }
    try {
      session.request(pdu, answered)
    } catch {
      this.outstanding--
      queueMicrotask(() => fail('failed', 'INVALID_PDU'))
    }
  }

  /** Called through Flight.onResp for every segment: response, timeout or connection loss. */
  segmentAnswered(flight: Flight, resp: Pdu | undefined, timedOut: boolean): void {
    this.outstanding--
    if (resp === undefined) flight.fail('failed', timedOut ? 'TIMEOUT' : 'DISCONNECTED')
    else if (resp.status !== Status.ESME_ROK) flight.fail('rejected', statusName(resp.status))
    else if (resp.command === 'submit_sm_resp') flight.accepted(resp.sequence, this.canon.submitId(resp.messageId))
    else flight.fail('rejected', resp.command.toUpperCase()) // e.g. an ESME_ROK generic_nack
    this.resolveSegment(flight)
    if (this.backlogHead < this.backlog.length) this.pump()
    else if (this.outstanding === 0 && this.drainWaiter) this.drainWaiter()
  }

  private resolveSegment(flight: Flight): void {
    if (!flight.settle()) return
    const done = flight.done
    const handset = this.opts.idsByHandset ? stripPlus(flight.msg!.destination) : undefined
    const outcome = flight.finish()
    if (handset !== undefined) outcome.messageIds = outcome.messageIds.map((id) => `${id}|${handset}`)
    this.pool.push(flight)
    done(outcome)
  }

  /** Move waiting segments into the window. */
  private pump(): void {
    const s = this.tx.session
    if (!this.tx.bound || !s || s.isClosed) return
    while (this.backlogHead < this.backlog.length && this.outstanding < this.opts.window) {
      const e = this.backlog[this.backlogHead++]!
      this.submit(e.flight, e.seg)
    }
    if (this.backlogHead === this.backlog.length) {
      this.backlog.length = 0
      this.backlogHead = 0
    }
  }

  private failBacklog(status: string): void {
    while (this.backlogHead < this.backlog.length) {
      const e = this.backlog[this.backlogHead++]!
      e.flight.fail('failed', status)
      this.resolveSegment(e.flight)
    }
    this.backlog.length = 0
    this.backlogHead = 0
  }

  // ---- LinkHooks ----

  onBound(): void {
    if (this.bound && this.startWaiter) {
      const w = this.startWaiter
      this.startWaiter = undefined
      w()
    }
  }

  onDown(link: BindLink): void {
    if (link === this.tx) this.failBacklog('DISCONNECTED')
  }

  /** The one dispatch of everything the SMSC sends us unasked. */
  onPdu(link: BindLink, pdu: Pdu): void {
    switch (pdu.commandId) {
      case CommandId.deliver_sm: // 0x00000005
        this.deliverSm(link, pdu as DeliverSm)
        break
      case CommandId.enquire_link: // 0x00000015 (normally answered inside the session)
        link.session?.sendEnquireLinkResp(pdu.sequence)
        break
      case CommandId.unbind: // 0x00000006
        this.unbind(link, pdu)
        break
      case CommandId.submit_sm_resp: // 0x80000004: answered after we gave up on it
        this.counters.lateResponses++
        break
      case CommandId.generic_nack: // 0x80000000 without a request of ours to match
        break
      default:
        if (pdu.commandId < RESPONSE_BIT) link.session?.sendGenericNack(pdu.sequence, Status.ESME_RINVCMDID)
    }
  }

  /**
   * Receipts straight from the frame (no PDU object): the load generator reads one per message.
   * Anything the view cannot settle (MO, UCS-2 text, odd fields) goes the full way through onPdu.
   */
  onRequestFrame(link: BindLink, frame: Buffer): boolean {
    // Ids by handset: the full path reads the handset (source_addr).
    if (this.opts.idsByHandset) return false
    const v = this.view
    if (!viewDeliverSm(frame, v)) return false
    const r = readReceiptView(frame, v, this.canon)
    if (r === undefined) return false
    link.session?.sendDeliverSmResp(v.sequence, Status.ESME_ROK)
    this.counters.receipts++
    this.sink.onReceipt(r)
    return true
  }

  private deliverSm(link: BindLink, pdu: DeliverSm): void {
    link.session?.sendDeliverSmResp(pdu.sequence, Status.ESME_ROK) // at once: a slow ack throttles the SMSC
    const r = readReceipt(pdu, this.canon)
    if (r === 'mo') {
      this.counters.moMessages++
      this.sink.onMo?.({ from: pdu.sourceAddr, to: pdu.destinationAddr, text: decodeShortMessage(pdu) })
    }
    else if (r === undefined) this.counters.malformedReceipts++
    else {
      if (this.opts.idsByHandset && r.messageId !== undefined) r.messageId = `${r.messageId}|${stripPlus(pdu.sourceAddr)}`
      this.counters.receipts++
      this.sink.onReceipt(r)
    }
  }

  private unbind(link: BindLink, pdu: Pdu): void {
    const s = link.session
    if (!s) return
    s.send({ command: 'unbind_resp', status: 0, sequence: pdu.sequence })
    s.end() // the link reconnects with backoff
  }

  stats(): SmppClientStats {
    return {
      binds: this.tx.binds + (this.rx === this.tx ? 0 : this.rx.binds),
      disconnects: this.tx.disconnects + (this.rx === this.tx ? 0 : this.rx.disconnects),
      ...this.counters,
    }
  }

  /**
   * Wait (at most graceMs) for answers already due, then unbind and close. Segments still waiting
   * for window room, and those not answered by then, fail as DISCONNECTED.
   */
  async close(graceMs = 2000): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.failBacklog('DISCONNECTED')
    if (this.outstanding > 0 && this.tx.bound) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs)
        this.drainWaiter = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.drainWaiter = undefined
    }
    await Promise.all(this.rx === this.tx ? [this.tx.close()] : [this.tx.close(), this.rx.close()])
  }
}
