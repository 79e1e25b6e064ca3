// One SMPP connection of an ESME that stays bound: connect, bind, keep alive (enquire_link), and
// after any loss reconnect with exponential backoff. The owner (SmppClient) dispatches the PDUs;
// this file only owns the connection's life cycle. One timer per reconnect, never per message.

import { connect, isIP, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import type { ClientTls } from '../scenario/gateway-config.js'
import { INTERFACE_VERSION, Status, statusName, type BindCommand, type Pdu, SmppSession } from '../../smpp/index.js'

export interface LinkOptions {
  host: string
  port: number
  systemId: string
  password: string
  systemType: string
  bind: BindCommand
  /** submit_sm (and bind) response timeout. */
  responseTimeoutMs: number
  /** enquire_link after this long without reads; 0 = off. */
  enquireLinkMs: number
  reconnectInitialMs: number
  reconnectMaxMs: number
  /** SMPP over TLS (the bind is sent once the handshake is done and the certificate verified). */
  tls?: ClientTls
}

export type LinkState = 'idle' | 'connecting' | 'bound' | 'closed'

export interface LinkHooks {
  /** Every PDU that is not a response to one of our requests. */
  onPdu(link: BindLink, pdu: Pdu): void
  /** A request frame before it is decoded; true when handled (the receipt fast path). */
  onRequestFrame?(link: BindLink, frame: Buffer): boolean
  /** The bind succeeded: the link can carry traffic. */
  onBound(link: BindLink): void
  /** The bound connection (or a connection attempt) ended; pending requests were already failed. */
  onDown(link: BindLink, why: string): void
}

export class BindLink {
  state: LinkState = 'idle'
  session: SmppSession | undefined
  /** Why the last attempt or connection ended, for error messages. */
  lastError = ''
  binds = 0
  disconnects = 0
  private backoff: number
  private retryTimer: NodeJS.Timeout | undefined

  constructor(
    readonly opts: LinkOptions,
    private readonly hooks: LinkHooks,
  ) {
    this.backoff = opts.reconnectInitialMs
  }

  get bound(): boolean {
    return this.state === 'bound'
  }

  open(): void {
    if (this.state !== 'idle') return
    this.attempt()
  }

  private attempt = (): void => {
    this.retryTimer = undefined
    if (this.state === 'closed') return
    this.state = 'connecting'
    const tls = this.opts.tls
    const socket: Socket = tls ? this.tlsSocket(tls) : connect({ host: this.opts.host, port: this.opts.port })
    const session = new SmppSession(socket, {
      responseTimeoutMs: this.opts.responseTimeoutMs,
      enquireLinkIntervalMs: this.opts.enquireLinkMs,
    })
    this.session = session
    session.onPdu = (pdu) => this.hooks.onPdu(this, pdu)
    const hooks = this.hooks
    if (hooks.onRequestFrame) session.onRequestFrame = (frame) => hooks.onRequestFrame!(this, frame)
    let connected = false
    let secured = false
    if (tls) socket.once('connect', () => (connected = true))
    session.onClose = (err) => {
      // An error before the handshake finished is the TLS layer's: say so (a refused certificate reads "self-signed certificate").
      const why = err?.message ?? 'connection closed'
      this.lost(session, tls && connected && !secured && err ? `TLS handshake failed: ${why}${hasCode(err) ? ` (${err.code})` : ''}` : why)
    }
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      secured = true
      session.request(
        {
          command: this.opts.bind,
          status: 0,
          sequence: 0,
          systemId: this.opts.systemId,
          password: this.opts.password,
          systemType: this.opts.systemType,
          interfaceVersion: INTERFACE_VERSION,
          addrTon: 0,
          addrNpi: 0,
          addressRange: '',
        },
        (resp, timedOut) => this.bindAnswered(session, resp, timedOut),
      )
    })
  }

  private tlsSocket(tls: ClientTls): Socket {
    const { host, port } = this.opts
    // SNI carries names only: for an IP host the certificate is checked against the IP itself.
    const servername = tls.servername ?? (isIP(host) ? undefined : host)
    return tlsConnect({ host, port, ca: tls.ca, rejectUnauthorized: !tls.insecure, ...(servername ? { servername } : {}) })
  }

  private bindAnswered(session: SmppSession, resp: Pdu | undefined, timedOut: boolean): void {
    if (session !== this.session || this.state !== 'connecting') return
    if (resp === undefined) {
      if (timedOut) session.close(new Error(`${this.opts.bind} not answered`))
      return // closed: lost() handles it
    }
    if (resp.status !== Status.ESME_ROK) {
      session.close(new Error(`${this.opts.bind} refused with ${statusName(resp.status)}`))
      return
    }
    this.state = 'bound'
    this.binds++
    this.backoff = this.opts.reconnectInitialMs
    this.hooks.onBound(this)
  }

  private lost(session: SmppSession, why: string): void {
    if (session !== this.session) return
    const wasBound = this.state === 'bound'
    this.session = undefined
    this.lastError = why
    if (wasBound) this.disconnects++
    if (this.state !== 'closed') {
      this.state = 'idle'
      this.retryTimer = setTimeout(this.attempt, this.backoff)
      this.retryTimer.unref()
      this.backoff = Math.min(this.opts.reconnectMaxMs, this.backoff * 2)
    }
    this.hooks.onDown(this, why)
  }

  /** Unbind politely (bounded wait), then close. Pending requests fail as disconnected. */
  close(graceMs = 1000): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    const session = this.session
    const wasBound = this.state === 'bound'
    this.state = 'closed'
    if (!session || session.isClosed) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => session.close(), graceMs)
      const prevClose = session.onClose
      session.onClose = (err) => {
        clearTimeout(timer)
        prevClose(err)
        resolve()
      }
      if (wasBound) session.request({ command: 'unbind', status: 0, sequence: 0 }, () => session.end())
      else session.close()
    })
  }
}

function hasCode(err: Error): err is Error & { code: string } {
  return typeof (err as { code?: unknown }).code === 'string'
}
