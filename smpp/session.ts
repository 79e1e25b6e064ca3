// SmppSession: one SMPP connection over a net.Socket, used by both the simulator (server side)
// and the load generator (client side). It frames, decodes and hands every PDU to ONE hook,
// `onPdu`; the owner does the spec-named dispatch. Responses to `request()` are routed to their
// callbacks instead. Writes are queued in one Writer and flushed once per setImmediate (or at a
// byte threshold) as a single socket.write. Hooks are plain fields: no EventEmitter per PDU.
// Every way a session ends leads to 'close' and onClose: a graceful end() that the peer does not
// complete is cut off after closeGraceMs, and reading never stays paused once the session ends
// (a paused socket never sees the peer's FIN, so it would stay open for good).

import { bug } from '../lib/errors.js'
import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { CommandId, DEFAULT_MAX_PDU_LENGTH, RESPONSE_BIT, commandName } from './constants.js'
import { PduError, decodePdu } from './decode.js'
import { type ReceiptDeliverSm, writeDeliverSmResp, writeHeader, writePdu, writeReceiptDeliverSm, writeSubmitSmResp } from './encode.js'
import { Framer } from './framer.js'
import type { Pdu, PduInput } from './pdu.js'
import { PendingRequests } from './pending.js'
import { Writer } from './writer.js'
import { clampTimerMs } from '../lib/limits.js'

export interface SessionOptions {
  /** Largest command_length accepted; larger closes the connection. Default 64 KiB. */
  maxPduLength?: number
  /** request() response timeout. Default 30 s; 0 disables timeouts. */
  responseTimeoutMs?: number
  /** Monotonic ms for response deadlines and lastReadAt. Default performance.now(). */
  clock?: () => number
  /** After end(), how long the peer has to close before the socket is destroyed. Default 2 s. */
  closeGraceMs?: number
  /**
   * Bytes of incomplete PDUs that many sessions share (an operator's): a session whose partial
   * PDU takes the total over the limit is closed and counted in `exceeded`.
   */
  budget?: ByteBudget
  /** Flush immediately once this many bytes are queued. Default 64 KiB. */
  flushThreshold?: number
  /** Send enquire_link when nothing was read for this long. Default 0 (off). */
  enquireLinkIntervalMs?: number
  /** Answer enquire_link inside the session (not passed to onPdu). Default true. */
  autoEnquireLinkResp?: boolean
}

/** `resp` is undefined on timeout (timedOut true) or when the session closed (timedOut false). */
export type ResponseCallback = (resp: Pdu | undefined, timedOut: boolean) => void

/** A byte allowance shared by sessions (see SessionOptions.budget). */
export interface ByteBudget {
  used: number
  readonly limit: number
  /** Sessions closed for taking `used` over `limit`. */
  exceeded: number
}

export const DEFAULT_CLOSE_GRACE_MS = 2000

const noop = (): void => {}

export class SmppSession {
  /** Every PDU that is not a response to one of our request()s (and not an auto-answered enquire_link). */
  onPdu: (pdu: Pdu) => void = noop
  /** A PDU failed to decode. Default: generic_nack with err.status; on fatal errors also close. */
  onInvalid: (err: PduError) => void = (err) => this.answerInvalid(err)
  /** Fired exactly once, after pending requests were failed. */
  onClose: (err?: Error) => void = noop
  /** The socket drained after backedUp was true: producers may resume. */
  onDrain: () => void = noop
  /**
   * Optional fast path: sees every request frame (not responses) before it is decoded; returning
   * true means it was handled (answered) and it goes no further. Returning false hands the frame to
   * the full decoder and onPdu as usual. Not called while `debug` is set, so tracing sees every PDU.
   */
  onRequestFrame: ((frame: Buffer) => boolean) | undefined = undefined
  /** Optional tracing; only called when set. */
  debug: ((event: string, detail?: unknown) => void) | undefined = undefined

  private readonly framer: Framer
  private readonly out = new Writer(16 * 1024)
  private readonly pending: PendingRequests<Pdu>
  private readonly clock: () => number
  private readonly flushThreshold: number
  private readonly autoEnquireLinkResp: boolean
  private readonly closeGraceMs: number
  private readonly budget: ByteBudget | undefined
  /** Bytes of this session's incomplete PDU counted in the budget. */
  private budgeted = 0
  private keepaliveTimer: NodeJS.Timeout | undefined
  private graceTimer: NodeJS.Timeout | undefined
  /** clock() when the peer last sent bytes (or when the session began). */
  lastReadAt: number
  private flushScheduled = false
  private _backedUp = false
  private closed = false
  private ending = false
  private readSinceKeepalive = false
  private error: Error | undefined
  private seq = 0

  constructor(
    readonly socket: Socket,
    options: SessionOptions = {},
  ) {
    this.framer = new Framer(this.handleFrame, options.maxPduLength ?? DEFAULT_MAX_PDU_LENGTH)
    this.clock = options.clock ?? (() => performance.now())
    this.pending = new PendingRequests(options.responseTimeoutMs ?? 30_000, this.clock)
    this.flushThreshold = options.flushThreshold ?? 64 * 1024
    this.autoEnquireLinkResp = options.autoEnquireLinkResp ?? true
    this.closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS
    this.budget = options.budget
    this.lastReadAt = this.clock()
    socket.setNoDelay(true) // we batch ourselves; Nagle would only add latency
    socket.on('data', this.handleData)
    socket.on('drain', this.handleDrain)
    socket.on('error', this.handleError)
    socket.on('close', this.handleClose)
    const keepalive = options.enquireLinkIntervalMs ?? 0
    if (keepalive > 0) this.keepaliveTimer = setInterval(this.keepalive, clampTimerMs(keepalive)).unref()
  }

  /** False once closed or while the socket is backed up: producers should wait for onDrain. */
  get writable(): boolean {
    return !this.closed && !this.ending && !this._backedUp
  }

  /** socket.write returned false; reading is paused until 'drain'. */
  get backedUp(): boolean {
    return this._backedUp
  }

  get isClosed(): boolean { return this.closed }

  get pendingCount(): number { return this.pending.size }

  /** Bytes queued here plus bytes Node holds for the socket. */
  get queuedBytes(): number {
    return this.out.pos + this.socket.writableLength
  }

  /** Next sequence_number, 1..0x7FFFFFFF, wrapping to 1. */
  nextSequence(): number {
    this.seq = this.seq >= 0x7fffffff ? 1 : this.seq + 1
    return this.seq
  }

  /** Queue a PDU. Throws RangeError for out-of-spec fields (nothing is queued then). */
  send(pdu: PduInput): void {
    if (this.closed || this.ending) return
    writePdu(this.out, pdu)
    this.queued()
  }

  /** Queue already-encoded bytes (one or more whole PDUs). They are copied. */
  sendBuffer(buf: Uint8Array): void {
    if (this.closed || this.ending) return
    this.out.octets(buf)
    this.queued()
  }

  sendSubmitSmResp(sequence: number, status: number, messageId: string): void {
    if (this.closed || this.ending) return
    writeSubmitSmResp(this.out, sequence, status, messageId)
    this.queued()
  }

  sendDeliverSmResp(sequence: number, status: number): void {
    if (this.closed || this.ending) return
    writeDeliverSmResp(this.out, sequence, status)
    this.queued()
  }

  /** Queues a receipt deliver_sm with the next sequence_number (0 when closed or ending: nothing was queued). */
  sendReceipt(r: ReceiptDeliverSm): number {
    if (this.closed || this.ending) return 0
    const seq = this.nextSequence()
    writeReceiptDeliverSm(this.out, seq, r)
    this.queued()
    return seq
  }

  sendEnquireLinkResp(sequence: number): void {
    if (this.closed || this.ending) return
    writeHeader(this.out, CommandId.enquire_link_resp, sequence)
    this.queued()
  }

  sendGenericNack(sequence: number, status: number): void {
    if (this.closed || this.ending) return
    writeHeader(this.out, CommandId.generic_nack, sequence, status)
    this.queued()
  }

  /**
   * Send a request and route its response (matched by sequence_number) to `onResponse` instead of
   * onPdu. A zero `pdu.sequence` is replaced by nextSequence() (the object is updated). Responses
   * time out responseTimeoutMs after the request (smpp/pending.ts: one timer per session); on
   * close every pending callback gets (undefined, false). Returns the sequence number.
   */
  request(pdu: PduInput, onResponse: ResponseCallback): number {
    if (pdu.sequence === 0) pdu.sequence = this.nextSequence()
    const seq = pdu.sequence
    if (this.closed || this.ending) {
      onResponse(undefined, false)
      return seq
    }
    if (this.pending.has(seq)) bug(`sequence ${seq} already has a pending request`)
    writePdu(this.out, pdu)
    this.pending.add(seq, onResponse)
    this.queued()
    return seq
  }

  /** Write everything queued now (normally done for you once per event-loop turn). */
  flush = (): void => {
    this.flushScheduled = false
    if (this.closed || this.out.pos === 0 || this._backedUp) return
    if (!this.socket.write(this.out.take())) {
      // The peer (or the kernel) is not keeping up: stop reading so the peer's requests stop
      // turning into more queued responses, and resume on 'drain'.
      this._backedUp = true
      this.socket.pause()
      if (this.debug) this.debug('backedUp', this.socket.writableLength)
    }
  }

  /**
   * Graceful close: flush what is queued, then FIN; nothing more is sent. Input is still read (a
   * client's last deliver_sm_resp counts) so the peer's FIN is seen; a peer that neither closes
   * nor reads is cut off after closeGraceMs. onClose fires when the socket closes.
   */
  end(): void {
    if (this.closed || this.ending) return
    this.ending = true
    if (this.out.pos > 0) this.socket.end(this.out.take())
    else this.socket.end()
    if (this._backedUp) {
      this._backedUp = false
      this.socket.resume()
    }
    this.graceTimer = setTimeout(this.cutOff, clampTimerMs(this.closeGraceMs))
    this.graceTimer.unref()
  }

  /** Immediate close. */
  close(err?: Error): void {
    if (this.closed) return
    if (err && !this.error) this.error = err
    this.socket.destroy()
  }

  private queued(): void {
    if (this.out.pos >= this.flushThreshold) {
      if (!this._backedUp) this.flush()
    } else if (!this.flushScheduled) {
      this.flushScheduled = true
      setImmediate(this.flush)
    }
  }

  private cutOff = (): void => {
    this.close(new Error(`the peer did not close within ${this.closeGraceMs} ms of our end`))
  }

  private handleData = (chunk: Buffer): void => {
    this.readSinceKeepalive = true
    this.lastReadAt = this.clock()
    try {
      this.framer.push(chunk)
    } catch (err) {
      if (!(err instanceof PduError)) throw err
      // The stream cannot be resynchronised: the framer ignores the rest. Reading goes on (never
      // pause here: a paused socket would never see the peer's FIN and never close).
      this.onInvalid(err)
    }
    if (this.budget !== undefined) this.account(this.budget)
  }

  /** Keeps this session's share of the budget equal to its incomplete PDU; over the limit closes it. */
  private account(budget: ByteBudget): void {
    const held = this.framer.buffered
    if (held === this.budgeted) return
    budget.used += held - this.budgeted
    this.budgeted = held
    if (held > 0 && budget.used > budget.limit && !this.closed) {
      budget.exceeded++
      this.close(new Error(`incomplete PDUs over the ${budget.limit}-byte budget`))
    }
  }

  private handleFrame = (frame: Buffer): void => {
    if (this.onRequestFrame !== undefined && this.debug === undefined && frame[4]! < 0x80 && this.onRequestFrame(frame)) return
    let pdu: Pdu
    try {
      pdu = decodePdu(frame)
    } catch (err) {
      if (!(err instanceof PduError)) throw err
      this.onInvalid(err)
      return
    }
    if (this.debug) this.debug('in', pdu)
    if (pdu.commandId >= RESPONSE_BIT) {
      const cb = this.pending.take(pdu.sequence)
      if (cb !== undefined) {
        cb(pdu, false)
        return
      }
    } else if (pdu.commandId === CommandId.enquire_link && this.autoEnquireLinkResp) {
      this.sendEnquireLinkResp(pdu.sequence)
      return
    }
    this.onPdu(pdu)
  }

  /** Default onInvalid. Malformed responses are dropped: nacking a nack could loop forever. */
  answerInvalid(err: PduError): void {
    if (this.debug) this.debug('invalid', err)
    if (err.fatal) {
      this.sendGenericNack(err.sequence, err.status)
      this.end()
      return
    }
    if (err.commandId >= RESPONSE_BIT && commandName(err.commandId) !== undefined) return
    this.sendGenericNack(err.sequence, err.status)
  }

  private handleDrain = (): void => {
    if (!this._backedUp || this.closed) return
    this._backedUp = false
    this.socket.resume()
    this.flush()
    if (!this._backedUp) this.onDrain()
  }

  private keepalive = (): void => {
    if (this.readSinceKeepalive || this.closed || this.ending) {
      this.readSinceKeepalive = false
      return
    }
    this.request({ command: 'enquire_link', status: 0, sequence: 0 }, this.keepaliveAnswered)
  }

  private keepaliveAnswered = (_resp: Pdu | undefined, timedOut: boolean): void => {
    if (timedOut) this.close(new Error('enquire_link not answered'))
  }

  private handleError = (err: Error): void => {
    this.error ??= err // 'close' follows and reports it
  }

  private handleClose = (): void => {
    if (this.closed) return
    this.closed = true
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer)
    if (this.graceTimer) clearTimeout(this.graceTimer)
    if (this.budget !== undefined && this.budgeted > 0) {
      this.budget.used -= this.budgeted
      this.budgeted = 0
    }
    this.out.reset()
    this.pending.failAll()
    this.onClose(this.error)
  }
}
