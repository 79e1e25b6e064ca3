// An operator's TLS port: a tls.Server whose handshakes are bounded (the operator's bind_timeout)
// and whose failures are counted by kind. A client that speaks plain SMPP to it (its first bytes
// are a PDU header, not a TLS record) is refused: the connection is closed at once, nothing is
// answered, and it is counted as plaintextRefused. Every failed socket is destroyed here (Node
// leaves a socket whose handshake timed out open unless the server's owner closes it).
import tls from 'node:tls'
import type { Socket } from 'node:net'
import { MtsimError } from '../../lib/errors.js'
import type { TlsCredentials } from './certificate.js'

export interface TlsStats {
  port: number
  /** The certificate was made at start (no cert_file/key_file). */
  selfSigned: boolean
  /** Handshakes completed: connections handed on to SMPP. */
  handshakes: number
  /** Connections whose first bytes were not TLS (a plain SMPP client on the TLS port): closed. */
  plaintextRefused: number
  /** Handshakes that failed for another reason (the client refused our certificate, no common cipher...). */
  handshakeFailures: number
  /** Handshakes not finished within bind_timeout: closed. */
  handshakeTimeouts: number
}

/** OpenSSL's words for a first record that is not TLS at all. */
const PLAINTEXT_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_HTTP_REQUEST', 'ERR_SSL_UNKNOWN_PROTOCOL', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_RECORD_LENGTH_MISMATCH'])

export class TlsListener {
  private readonly server: tls.Server
  private readonly counts = { handshakes: 0, plaintextRefused: 0, handshakeFailures: 0, handshakeTimeouts: 0 }
  private listenPort = 0
  /** Every raw socket still open (in its handshake or carrying a session), so close() leaves none behind. */
  private readonly sockets = new Set<Socket>()

  constructor(
    readonly credentials: TlsCredentials,
    /** ms; 0 = Node's default of 120 s (a handshake is never left open for good). */
    handshakeTimeoutMs: number,
    onSecure: (socket: tls.TLSSocket) => void,
  ) {
    this.server = tls.createServer(
      { cert: credentials.cert, key: credentials.key, handshakeTimeout: handshakeTimeoutMs > 0 ? handshakeTimeoutMs : 120_000 },
      (socket) => {
        this.counts.handshakes++
        onSecure(socket)
      },
    )
    this.server.prependListener('connection', (raw: Socket) => {
      this.sockets.add(raw)
      raw.once('close', () => this.sockets.delete(raw))
    })
    this.server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: tls.TLSSocket) => {
      if (err.code === 'ERR_TLS_HANDSHAKE_TIMEOUT') this.counts.handshakeTimeouts++
      else if (err.code !== undefined && PLAINTEXT_CODES.has(err.code)) this.counts.plaintextRefused++
      else this.counts.handshakeFailures++
      socket.destroy()
    })
  }

  get port(): number {
    return this.listenPort
  }

  async listen(host: string, port: number, operatorId: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const failed = (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE') reject(new MtsimError('MTSIM_ERR_PORT_IN_USE', [`operator ${operatorId} (TLS)`, String(port)]))
        else reject(new MtsimError('MTSIM_ERR_LISTEN', [`operator ${operatorId} (TLS)`, `${host}:${port}`, err.code ?? err.message]))
      }
      this.server.once('error', failed)
      this.server.listen(port, host, () => {
        this.server.off('error', failed)
        resolve()
      })
    })
    this.listenPort = (this.server.address() as { port: number }).port
  }

  stats(): TlsStats {
    return { port: this.listenPort, selfSigned: this.credentials.selfSigned, ...this.counts }
  }

  /** Stops listening and ends every connection (the operator has closed its sessions first). */
  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const raw of this.sockets) raw.destroy()
    this.sockets.clear()
    return closed
  }
}
