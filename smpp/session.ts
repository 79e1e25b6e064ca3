// SmppSession: one SMPP connection over a net.Socket, used by both the simulator (server side)
// and the load generator (client side). It frames, decodes and hands every PDU to ONE hook,
// `onPdu`; the owner does the spec-named dispatch. Responses to `request()` are routed to their
// callbacks instead. Writes are queued in one Writer and flushed once per setImmediate (or at a
// byte threshold) as a single socket.write. Hooks are plain fields: no EventEmitter per PDU.

import { bug } from '../lib/errors.js'
import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { CommandId, DEFAULT_MAX_PDU_LENGTH, RESPONSE_BIT, commandName } from './constants.js'
import { PduError, decodePdu } from './decode.js'
import { type ReceiptDeliverSm, writeDeliverSmResp, writeHeader, writePdu, writeReceiptDeliverSm, writeSubmitSmResp } from './encode.js'
import { Framer } from './framer.js'
import type { Pdu, PduInput } from './pdu.js'
import { Writer } from './writer.js'

export interface SessionOptions {
  /** Largest command_length accepted; larger closes the connection. Default 64 KiB. */
  maxPduLength?: number
  /** request() response timeout. Default 30 s; 0 disables the sweep. */
  responseTimeoutMs?: number
  /** How often the single sweep timer runs. Default timeout/4 clamped to 10..1000 ms. */
  sweepIntervalMs?: number
  /** Flush immediately once this many bytes are queued. Default 64 KiB. */
  flushThreshold?: number
  /** Send enquire_link when nothing was read for this long. Default 0 (off). */
  enquireLinkIntervalMs?: number
  /** Answer enquire_link inside the session (not passed to onPdu). Default true. */
  autoEnquireLinkResp?: boolean
}

/** `resp` is undefined on timeout (timedOut true) or when the session closed (timedOut false). */
export type ResponseCallback = (resp: Pdu | undefined, timedOut: boolean) => void

interface Pending { cb: ResponseCallback; deadline: number }

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
  private readonly pending = new Map<number, Pending>()
  private readonly timeoutMs: number
  private readonly flushThreshold: number
  private readonly autoEnquireLinkResp: boolean
  private sweepTimer: NodeJS.Timeout | undefined
  private keepaliveTimer: NodeJS.Timeout | undefined
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
    this.timeoutMs = options.responseTimeoutMs ?? 30_000
    this.flushThreshold = options.flushThreshold ?? 64 * 1024
    this.autoEnquireLinkResp = options.autoEnquireLinkResp ?? true
    socket.setNoDelay(true) // we batch ourselves; Nagle would only add latency
    socket.on('data', this.handleData)
    socket.on('drain', this.handleDrain)
    socket.on('error', this.handleError)
    socket.on('close', this.handleClose)
    if (this.timeoutMs > 0) {
      const every = options.sweepIntervalMs ?? Math.min(1000, Math.max(10, this.timeoutMs >> 2))
      this.sweepTimer = setInterval(this.sweep, every).unref()
    }
    const keepalive = options.enquireLinkIntervalMs ?? 0
    if (keepalive > 0) this.keepaliveTimer = setInterval(this.keepalive, keepalive).unref()
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
    if (this.closed) return
    writePdu(this.out, pdu)
    this.queued()
  }

  /** Queue already-encoded bytes (one or more whole PDUs). They are copied. */
  sendBuffer(buf: Uint8Array): void {
    if (this.closed) return
    this.out.octets(buf)
    this.queued()
  }

  sendSubmitSmResp(sequence: number, status: number, messageId: string): void {
    if (this.closed) return
    writeSubmitSmResp(this.out, sequence, status, messageId)
    this.queued()
  }

  sendDeliverSmResp(sequence: number, status: number): void {
    if (this.closed) return
    writeDeliverSmResp(this.out, sequence, status)
    this.queued()
  }

  /** Queue a receipt deliver_sm with the next sequence number (encode.ts writeReceiptDeliverSm). */
  /** Queues a receipt deliver_sm; returns its sequence_number (0 when closed: nothing was queued). */
  sendReceipt(r: ReceiptDeliverSm): number {
    if (this.closed) return 0
    const seq = this.nextSequence()
    writeReceiptDeliverSm(this.out, seq, r)
    this.queued()
    return seq
  }

  sendEnquireLinkResp(sequence: number): void {
    if (this.closed) return
    writeHeader(this.out, CommandId.enquire_link_resp, sequence)
    this.queued()
  }

  sendGenericNack(sequence: number, status: number): void {
    if (this.closed) return
    writeHeader(this.out, CommandId.generic_nack, sequence, status)
    this.queued()
  }

  /**
   * Send a request and route its response (matched by sequence_number) to `onResponse` instead of
   * onPdu. A zero `pdu.sequence` is replaced by nextSequence() (the object is updated). Responses
   * time out after responseTimeoutMs, checked by one sweep timer; on close every pending callback
   * gets (undefined, false). Returns the sequence number.
   */
  request(pdu: PduInput, onResponse: ResponseCallback): number {
    if (pdu.sequence === 0) pdu.sequence = this.nextSequence()
    const seq = pdu.sequence
    if (this.closed) {
      onResponse(undefined, false)
      return seq
    }
    if (this.pending.has(seq)) bug(`sequence ${seq} already has a pending request`)
    writePdu(this.out, pdu)
    // Constant timeout per session => deadlines are in insertion order, so the sweep can stop early.
    this.pending.set(seq, { cb: onResponse, deadline: this.timeoutMs > 0 ? performance.now() + this.timeoutMs : Infinity })
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

  /** Graceful close: flush what is queued, then FIN. onClose fires when the socket closes. */
  end(): void {
    if (this.closed || this.ending) return
    this.ending = true
    if (this.out.pos > 0) this.socket.end(this.out.take())
    else this.socket.end()
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

  private handleData = (chunk: Buffer): void => {
    this.readSinceKeepalive = true
    try {
      this.framer.push(chunk)
    } catch (err) {
      if (!(err instanceof PduError)) throw err
      this.socket.pause()
      this.onInvalid(err)
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
      const p = this.pending.get(pdu.sequence)
      if (p !== undefined) {
        this.pending.delete(pdu.sequence)
        p.cb(pdu, false)
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

  private sweep = (): void => {
    if (this.pending.size === 0) return
    const now = performance.now()
    for (const [seq, p] of this.pending) {
      if (p.deadline > now) break
      this.pending.delete(seq)
      p.cb(undefined, true)
    }
  }

  private keepalive = (): void => {
    if (this.readSinceKeepalive || this.closed) {
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
    if (this.sweepTimer) clearInterval(this.sweepTimer)
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer)
    this.out.reset()
    const pending = [...this.pending.values()]
    this.pending.clear()
    for (const p of pending) p.cb(undefined, false)
    this.onClose(this.error)
  }
}
