// One simulated operator (SMSC): its SMPP server, accounts and binds, and the submit pipeline
// that decides each submit_sm's answer. Answers and receipts are delayed through the network's
// one scheduler. Each message's random decisions come from MessageDraws (draws.ts), keyed by the
// network seed, the operator and the message's content, so they do not depend on arrival order;
// bind refusals draw from the operator's sequential Rng. Its limits (smpp.limits, failed_binds)
// keep a misbehaving peer from costing more than its own connection: a connection cap, a bind
// timeout, an inactivity timeout, one byte budget for incomplete PDUs and a delayed answer to
// failed authentication; each runs on the network's scheduler and is counted (ProtectionStats).
import net from 'node:net'
import type { TLSSocket } from 'node:tls'
import { MtsimError } from '../lib/errors.js'
import { PrefixTable } from '../lib/prefix.js'
import { Rng } from '../lib/rng.js'
import { Status } from '../smpp/constants.js'
import type { DeliverSmResp, SubmitMulti, SubmitSm } from '../smpp/pdu.js'
import { SmppSession, type ByteBudget } from '../smpp/session.js'
import { decodeShortMessage, segmentInfo } from '../smpp/text.js'
import { AccountBinds } from './account-binds.js'
import { BindConnection, type BindOwner } from './bind.js'
import { DelaySampler } from './delay.js'
import { Decision, MessageDraws } from './draws.js'
import { MoEngine, type MoIds } from './mo/mo-engine.js'
import { FaultController } from './faults.js'
import { Reassembly, type PartialMessage } from './multipart.js'
import type { BindType, Fault, OperatorConfig } from './network.js'
import { OperatorCounters } from './operator-stats.js'
import { ReceiptEngine } from './receipts/receipts.js'
import { ResponseSlots } from './responses.js'
import { SeenTags } from './seen-tags.js'
import type { Scheduler } from './scheduler.js'
import { Throttle } from './throttle.js'
import { SubmitMultiPipeline } from './submit-multi.js'
import { operatorCredentials } from './tls/certificate.js'
import { TlsListener } from './tls/tls-listener.js'
import type { ActiveFault, OperatorHandle, OperatorState, OperatorStats, SubmitObserver } from './types.js'

export interface OperatorContext {
  seed: number | string
  scheduler: Scheduler
  startedAt: number
  observer?: SubmitObserver
  /** Network-wide fault history. */
  history: ActiveFault[]
  /** Wait for startTimeline() instead of starting the timeline on listen. */
  manualTimeline?: boolean
  /** Network-wide MO ids (simulator/mo/mo-engine.ts); one per network. */
  moIds?: MoIds
}

export class Operator implements OperatorHandle, BindOwner {
  readonly smscId: string
  private readonly server = net.createServer((socket) => this.connected(socket))
  private listenPort = 0
  /** The TLS port (smpp.tls), made in listen(). */
  private tlsListener: TlsListener | undefined
  private readonly multi: SubmitMultiPipeline
  private readonly counters = new OperatorCounters()
  /** Sequential: bind refusals only. */
  private readonly rng: Rng
  private readonly draws: MessageDraws
  private readonly scheduler: Scheduler
  private readonly conns = new Map<number, BindConnection>()
  private readonly accounts: AccountBinds
  private readonly prefixes = new PrefixTable<true>()
  private readonly latency: DelaySampler | undefined
  private readonly throttle: Throttle
  private readonly responses = new ResponseSlots()
  private readonly respondKind: number
  private readonly receipts: ReceiptEngine
  private readonly faults: FaultController
  private readonly reassembly = new Reassembly()
  /** Subscribers who write back (network file `mo:`). */
  readonly mo: MoEngine | undefined
  /** Bytes of incomplete PDUs held for all connections (smpp.limits.max_buffered_bytes). */
  private readonly budget: ByteBudget
  private readonly bindTimeoutKind: number
  private readonly inactivityKind: number
  /** Failed-authentication answers waiting out failed_binds.delay, by scheduler token. */
  private readonly lateRefusals = new Map<number, () => void>()
  private readonly lateRefusalKind: number
  private nextRefusal = 0
  private lastMessageId = 0
  private closing = false

  constructor(
    readonly config: OperatorConfig,
    private readonly ctx: OperatorContext,
  ) {
    this.smscId = config.id.slice(0, 15)
    this.rng = Rng.derive(ctx.seed, config.id)
    this.draws = new MessageDraws(ctx.seed, config.id)
    this.scheduler = ctx.scheduler
    this.accounts = new AccountBinds(config.accounts, config.receipts.window)
    for (const p of config.prefixes) this.prefixes.add(p, true)
    this.latency = config.latency ? new DelaySampler(config.latency) : undefined
    this.throttle = new Throttle(config.throttle, ctx.startedAt)
    this.respondKind = ctx.scheduler.register(this.respondDue)
    this.receipts = new ReceiptEngine(config.receipts, this.draws, ctx.scheduler, ctx.startedAt, this.counters, this.accounts, config.accounts.length)
    this.multi = new SubmitMultiPipeline({
      config,
      draws: this.draws,
      scheduler: ctx.scheduler,
      counters: this.counters,
      receipts: this.receipts,
      state: () => this.faults.state(),
      latency: () => this.faults.latency() ?? this.latency,
      throttleBucket: (conn) => this.throttle.bucketFor(conn.bucket),
      served: (destination) => this.prefixes.lookup(destination) !== undefined,
      nextMessageId: () => this.nextMessageId(),
      messageIdText: (id) => (config.receipts.idFormat === 'hex' ? id.toString(16) : String(id)),
      connection: (id) => this.conns.get(id),
      arrived: (conn, destination, source, text, key, now, taken) => {
        this.ctx.observer?.onMessage(config.id, destination, text, now * 1000, taken)
        if (taken) this.mo?.mtAccepted(destination, source, conn.account, text, key, now)
      },
      seen: (text, copies) => this.counters.seen?.note(text, copies),
    })
    this.faults = new FaultController(config.timeline, ctx.scheduler, ctx.startedAt, this.faultHooks, ctx.history, config.id)
    this.budget = { used: 0, limit: config.limits.maxBufferedBytes, exceeded: 0 }
    this.bindTimeoutKind = ctx.scheduler.register(this.bindTimeoutDue)
    this.inactivityKind = ctx.scheduler.register(this.inactivityDue)
    this.lateRefusalKind = ctx.scheduler.register(this.lateRefusalDue)
    this.mo = config.mo ? new MoEngine(config.mo, config, this.draws, ctx.scheduler, this.accounts, ctx.moIds ?? { next: 0 }, ctx.seed, ctx.observer) : undefined
    // Copies are told apart by tag only where texts are decoded anyway: for an observer.
    if (ctx.observer) this.counters.seen = new SeenTags()
  }

  get port(): number {
    return this.listenPort
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const failed = (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE') reject(new MtsimError('MTSIM_ERR_PORT_IN_USE', [`operator ${this.config.id}`, String(this.config.port)]))
        else reject(err)
      }
      this.server.once('error', failed)
      this.server.listen(this.config.port, this.config.host, () => {
        this.server.off('error', failed)
        resolve()
      })
    })
    this.listenPort = (this.server.address() as net.AddressInfo).port
    const tls = this.config.tls
    if (tls) {
      const credentials = await operatorCredentials(tls, this.config.host, this.config.id)
      // The handshake counts as part of getting bound: bind_timeout bounds it (and the bind after it).
      this.tlsListener = new TlsListener(credentials, this.config.limits.bindTimeoutMs, (socket) => this.connected(socket))
      try {
        await this.tlsListener.listen(this.config.host, tls.port, this.config.id)
      } catch (err) {
        await new Promise<void>((resolve) => this.server.close(() => resolve()))
        throw err
      }
    }
    if (!this.ctx.manualTimeline) {
      this.faults.start()
      this.mo?.start()
    }
  }

  /** The TLS port and the certificate it presents (PEM), when smpp.tls is set. */
  get tls(): { port: number; cert: string } | undefined {
    const l = this.tlsListener
    return l ? { port: l.port, cert: l.credentials.cert } : undefined
  }

  /** Starts the timeline now (networks started with timeline: 'manual'), and spontaneous MO with it. */
  startTimeline(origin: number): void {
    this.faults.start(origin)
    this.mo?.start()
  }

  async close(): Promise<void> {
    this.closing = true
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const conn of this.conns.values()) conn.drop()
    await Promise.all([closed, this.tlsListener?.close()])
  }

  // ---- OperatorHandle ----

  state(): OperatorState {
    return this.faults.state()
  }

  activeFaults(): ActiveFault[] {
    return this.faults.list()
  }

  injectFault(fault: Fault): ActiveFault {
    return this.faults.inject(fault)
  }

  clearFaults(): number {
    return this.faults.clear()
  }

  stats(): OperatorStats {
    const binds = { transmitter: 0, receiver: 0, transceiver: 0 }
    for (const c of this.conns.values()) if (c.type) binds[c.type]++
    const stats = this.counters.snapshot(
      this.config.id, this.state(), binds, this.responses.size, this.receipts.pending, this.conns.size, this.budget,
    )
    if (this.tlsListener) stats.tls = this.tlsListener.stats()
    if (this.mo) stats.mo = this.mo.snapshot()
    const multi = this.multi.stats()
    if (multi) stats.multi = multi
    return stats
  }

  // ---- BindOwner ----

  authenticate(type: BindType, systemId: string, password: string): { status: number; account: number; close: boolean; authFailed: boolean } {
    const refuse = (status: number, close = false, authFailed = false) => {
      this.counters.bindRefusals++
      this.counters.bindEvent(this.scheduler.clock(), 'refused')
      return { status, account: -1, close, authFailed }
    }
    if (this.faults.state() === 'outage') return refuse(Status.ESME_RBINDFAIL, true)
    const account = this.accounts.find(systemId)
    if (account === undefined) return refuse(Status.ESME_RINVSYSID, false, true)
    const a = this.config.accounts[account]!
    if (a.password !== password) return refuse(Status.ESME_RINVPASWD, false, true)
    if (!a.bindTypes.has(type) || this.accounts.full(account)) return refuse(Status.ESME_RBINDFAIL)
    if (this.rng.chance(this.config.failures.bindRefusalRate)) return refuse(this.config.failures.bindRefusalStatus)
    return { status: Status.ESME_ROK, account, close: false, authFailed: false }
  }

  /**
   * An unknown system_id or a wrong password (already counted as a refusal): answered after
   * failed_binds.delay, and the close_after-th failure on a connection closes it after its answer.
   * Later binds on a connection that has used up its tries are not answered at all, so a peer that
   * pipelines guesses queues nothing here.
   */
  authFailed(conn: BindConnection, answer: () => void): void {
    const { delayMs, closeAfter } = this.config.failedBinds
    if (conn.authFailures >= closeAfter) return
    this.counters.authFailures++
    const last = ++conn.authFailures >= closeAfter
    if (last) this.counters.authDisconnects++
    const run = (): void => {
      answer()
      if (last) conn.session.end()
    }
    if (delayMs <= 0) return run()
    const token = this.nextRefusal = (this.nextRefusal + 1) >>> 0
    this.lateRefusals.set(token, run)
    this.scheduler.schedule(this.lateRefusalKind, this.scheduler.clock() + delayMs, token)
  }

  invalidPdu(): void {
    this.counters.invalidPdus++
  }

  bound(conn: BindConnection): void {
    this.accounts.add(conn)
    this.counters.bindEvent(this.scheduler.clock(), 'opened')
    conn.bucket = this.throttle.bindBucket(this.scheduler.clock())
    if (conn.canReceive) {
      this.receipts.release(conn.account)
      this.mo?.release(conn.account)
    }
  }

  closed(conn: BindConnection): void {
    if (!this.conns.delete(conn.id)) return
    if (conn.type) {
      this.accounts.remove(conn)
      this.counters.bindEvent(this.scheduler.clock(), 'dropped')
    }
    if (conn.unacked.size) {
      const slots = [...conn.unacked.values()]
      conn.unacked.clear()
      this.receipts.requeue(conn.account, slots)
    }
  }

  drained(conn: BindConnection): void {
    if (conn.canReceive) {
      this.receipts.release(conn.account)
      this.mo?.release(conn.account)
    }
  }

  deliverSmResp(conn: BindConnection, pdu: DeliverSmResp): void {
    if (pdu.status === Status.ESME_ROK) this.counters.receiptsAcked++
    const slot = conn.unacked.get(pdu.sequence)
    if (slot === undefined) return // an intermediate or duplicate receipt's answer
    conn.unacked.delete(pdu.sequence)
    this.receipts.acknowledged(slot, conn.account)
  }

  submitRefused(conn: BindConnection, sequence: number, status: number): void {
    this.counters.submits++
    this.sendResponse(conn, sequence, status, 0, this.scheduler.clock())
  }

  /** The pipeline, in the documented order: window, disconnect, no response, throttle, sender, destination, failures. */
  submitSm(conn: BindConnection, pdu: SubmitSm): void {
    const now = this.scheduler.clock()
    const c = this.counters
    const cfg = this.config
    c.submits++
    // Segments are tracked first so whole messages are counted whatever their answer.
    const seg = segmentInfo(pdu)
    let part: PartialMessage | undefined
    let key = ''
    if (seg !== undefined && seg.total > 1) {
      key = `${conn.id}|${pdu.sourceAddr}|${pdu.destinationAddr}|${seg.ref}|${seg.total}`
      part = this.reassembly.segment(key, seg.total, now)
      if (seg.seq === 1 && (this.ctx.observer || cfg.receipts.textExcerpt || this.mo)) part.text = decodeShortMessage(pdu)
    }
    const whole = part === undefined || part.seen >= part.total
    // The text (where the tag sits) is decoded once, only when someone reads it.
    let text = part ? part.text : ''
    const observer = this.ctx.observer
    if (part === undefined && (observer || cfg.receipts.textExcerpt || this.mo)) text = decodeShortMessage(pdu)
    if (c.seen && (seg === undefined || seg.seq === 1)) c.seen.note(part ? part.text : text)
    if (whole) {
      c.messages++
      if (part) this.reassembly.done(key)
    }
    if (this.faults.state() !== 'up') {
      c.unanswered++ // black hole: taken in, never answered
      if (whole && observer) observer.onMessage(cfg.id, pdu.destinationAddr, text, now * 1000, false)
      return
    }
    if (conn.outstanding >= cfg.window.maxOutstanding) return this.sendResponse(conn, pdu.sequence, cfg.window.excessStatus, 0, now)
    // The message's key decides its fate (failure, outcome); the segment's key its own draws.
    const draws = this.draws
    if (part && part.key < 0) part.key = draws.key(pdu, seg!.seq)
    const msgKey = part ? part.key : draws.key(pdu)
    const segKey = part ? draws.segmentKey(msgKey, seg!.seq) : msgKey
    if (draws.for(segKey, Decision.DISCONNECT).chance(cfg.failures.disconnectRate)) {
      c.disconnects++
      c.unanswered++
      conn.drop()
      if (whole && observer) observer.onMessage(cfg.id, pdu.destinationAddr, text, now * 1000, false)
      return
    }
    if (draws.for(segKey, Decision.NO_RESPONSE).chance(cfg.failures.noResponseRate)) {
      c.unanswered++
      if (whole && observer) observer.onMessage(cfg.id, pdu.destinationAddr, text, now * 1000, false)
      return
    }
    const bucket = this.throttle.bucketFor(conn.bucket)
    if (bucket !== undefined && (cfg.throttle?.countSegments || seg === undefined || seg.seq === 1) && !bucket.take(1, now)) {
      return void this.respond(conn, pdu.sequence, cfg.throttle?.status ?? Status.ESME_RTHROTTLED, 0, now, segKey)
    }
    if (cfg.senders && !cfg.senders.approved.has(pdu.sourceAddr)) return void this.refuse(conn, pdu.sequence, cfg.senders.rejectStatus, now, segKey, text)
    const served = this.prefixes.lookup(pdu.destinationAddr) !== undefined
    if (!served && cfg.unknownDestination === 'reject') return void this.refuse(conn, pdu.sequence, Status.ESME_RINVDSTADR, now, segKey, text)
    let status: number
    let outcome = 0
    if (part) {
      if (part.status < 0) {
        part.status = draws.failure(msgKey, cfg.failures.statuses)
        if (part.status === Status.ESME_ROK) part.outcome = this.receipts.pickOutcome(msgKey)
      }
      status = part.status
      outcome = part.outcome
    } else {
      status = draws.failure(msgKey, cfg.failures.statuses)
      if (status === Status.ESME_ROK) outcome = this.receipts.pickOutcome(msgKey)
    }
    if (status !== Status.ESME_ROK) return void this.refuse(conn, pdu.sequence, status, now, segKey, text)
    if (!served && whole) c.misrouted++
    // 32-bit ids (the receipt store keeps them in 4 bytes), wrapping after 4,294,967,294: unique
    // among far more messages than can be pending at once. 0xFFFFFFFF is the store's list end.
    const id = this.nextMessageId()
    const respondAt = this.respond(conn, pdu.sequence, Status.ESME_ROK, id, now, segKey)
    if (part === undefined || cfg.receipts.multipart === 'per_segment' || whole) {
      // A per-message receipt of a multipart message draws as the message, not as its last segment.
      const receiptKey = part && cfg.receipts.multipart !== 'per_segment' ? msgKey : segKey
      this.receipts.accept(id, pdu.destinationAddr, pdu.sourceAddr, conn.account, outcome, pdu.registeredDelivery, respondAt, text, receiptKey)
    }
    if (whole && observer) observer.onMessage(cfg.id, pdu.destinationAddr, text, now * 1000, true)
    // After the arrival: a violation is reported for an MT the load generator already saw arrive.
    if (whole && this.mo) this.mo.mtAccepted(pdu.destinationAddr, pdu.sourceAddr, conn.account, text, msgKey, now)
  }

  /**
   * An error answer. One a gateway does not retry (anything but a throttle or a full queue) is told
   * to the observer: the gateway's failure receipt that follows is this operator's refusal.
   */
  private refuse(conn: BindConnection, sequence: number, status: number, now: number, segKey: number, text: string): void {
    this.respond(conn, sequence, status, 0, now, segKey)
    if (text && status !== Status.ESME_RTHROTTLED && status !== Status.ESME_RMSGQFUL) this.ctx.observer?.onRefused?.(this.config.id, text, now * 1000)
  }

  /** Subscribers stop writing (end of a run). */
  stopMo(): void {
    this.mo?.stop()
  }

  /** submit_multi: simulator/submit-multi.ts decides each destination's fate. */
  submitMulti(conn: BindConnection, pdu: SubmitMulti): void {
    this.multi.submitMulti(conn, pdu)
  }

  // ---- internals ----

  private nextMessageId(): number {
    return (this.lastMessageId = this.lastMessageId >= 0xfffffffe ? 1 : this.lastMessageId + 1)
  }

  private connected(socket: net.Socket | TLSSocket): void {
    if (this.closing) {
      socket.destroy()
      return
    }
    const limits = this.config.limits
    if (this.conns.size >= limits.maxConnections) {
      this.counters.connectionsRefused++
      socket.destroy()
      return
    }
    const clock = this.scheduler.clock
    const session = new SmppSession(socket, {
      responseTimeoutMs: 0,
      autoEnquireLinkResp: false,
      clock,
      maxPduLength: limits.maxPduLength,
      budget: this.budget,
    })
    const conn = new BindConnection(session, this)
    this.conns.set(conn.id, conn)
    const now = clock()
    if (limits.bindTimeoutMs > 0) this.scheduler.schedule(this.bindTimeoutKind, now + limits.bindTimeoutMs, conn.id)
    if (limits.inactivityTimeoutMs > 0) this.scheduler.schedule(this.inactivityKind, now + limits.inactivityTimeoutMs, conn.id)
  }

  private bindTimeoutDue = (id: number): void => {
    const conn = this.conns.get(id)
    if (conn === undefined || conn.type !== undefined || conn.session.isClosed) return
    this.counters.bindTimeouts++
    conn.drop()
  }

  /** One scheduler entry per connection, moved on to lastReadAt + timeout while the peer talks. */
  private inactivityDue = (id: number, now: number): void => {
    const conn = this.conns.get(id)
    if (conn === undefined || conn.session.isClosed) return
    const due = conn.session.lastReadAt + this.config.limits.inactivityTimeoutMs
    if (due > now) return this.scheduler.schedule(this.inactivityKind, due, id)
    this.counters.inactivityTimeouts++
    conn.drop()
  }

  private lateRefusalDue = (token: number): void => {
    const run = this.lateRefusals.get(token)
    if (run === undefined) return
    this.lateRefusals.delete(token)
    run()
  }

  /** Answers after the current latency; returns when (clock ms) the answer goes out. */
  private respond(conn: BindConnection, sequence: number, status: number, id: number, now: number, drawKey: number): number {
    const sampler = this.faults.latency() ?? this.latency
    const delay = sampler ? sampler.sample(this.draws.for(drawKey, Decision.LATENCY)) : 0
    if (delay <= 0) {
      this.sendResponse(conn, sequence, status, id, now)
      return now
    }
    const r = this.responses
    const i = r.alloc()
    r.bind[i] = conn.id
    r.sequence[i] = sequence
    r.status[i] = status
    r.messageId[i] = id
    r.receivedAt[i] = now
    conn.outstanding++
    this.scheduler.schedule(this.respondKind, now + delay, i)
    return now + delay
  }

  private respondDue = (i: number, now: number): void => {
    const r = this.responses
    const conn = this.conns.get(r.bind[i]!)
    if (conn === undefined) this.counters.unanswered++ // the connection went away first
    else {
      conn.outstanding--
      this.sendResponse(conn, r.sequence[i]!, r.status[i]!, r.messageId[i]!, r.receivedAt[i]!, now)
    }
    r.free(i)
  }

  private sendResponse(conn: BindConnection, sequence: number, status: number, id: number, receivedAt: number, now = receivedAt): void {
    const text = status !== Status.ESME_ROK ? '' : this.config.receipts.idFormat === 'hex' ? id.toString(16) : String(id)
    conn.session.sendSubmitSmResp(sequence, status, text)
    this.counters.countStatus(status)
    this.counters.recordLatencyMs(now - receivedAt)
  }

  private readonly faultHooks = {
    outageStarted: (): void => {
      for (const conn of this.conns.values()) {
        if (conn.type) this.counters.disconnects++
        conn.drop()
      }
    },
    throttleChanged: (rate: number | undefined): void => this.throttle.change(rate, this.conns.values(), this.scheduler.clock()),
    backlogChanged: (on: boolean): void => this.receipts.setBacklog(on),
  }
}
