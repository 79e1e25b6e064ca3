// A deliberately bare SMPP peer for tests of misbehaviour: a socket that writes whatever bytes the
// test gives it (well-formed or not, in as many segments as it likes), half-closes when told, and
// collects every PDU the simulator sends back. allowHalfOpen keeps our side writable after the
// server's FIN, so a test can send "more bytes in a later segment" after the server gave up.
import net from 'node:net'
import { decodePdu, encodePdu, Framer, type Pdu, type PduInput } from '../../smpp/index.js'

export class RawPeer {
  readonly received: Pdu[] = []
  /** The server's FIN arrived. */
  ended = false
  /** The socket is fully closed (with allowHalfOpen, only after we end too, or on a reset). */
  closed = false
  private readonly waiters: (() => void)[] = []

  private constructor(readonly socket: net.Socket) {
    const framer = new Framer((frame) => this.received.push(decodePdu(Buffer.from(frame))))
    socket.on('data', (chunk) => {
      try {
        framer.push(chunk)
      } catch {
        // The server never sends a broken frame; if it did, the test's expectations say so.
      }
      this.wake()
    })
    socket.on('end', () => ((this.ended = true), this.wake()))
    socket.on('close', () => ((this.closed = true), this.wake()))
    socket.on('error', () => {})
  }

  static connect(port: number): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true })
      socket.once('connect', () => resolve(new RawPeer(socket)))
      socket.once('error', reject)
    })
  }

  /** The server closed the connection (FIN or reset). */
  get gone(): boolean {
    return this.ended || this.closed
  }

  send(pdu: PduInput): void {
    this.socket.write(encodePdu(pdu))
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes)
  }

  /** Resolves when `check` holds, re-checked on every read, FIN and close (no polling, no timer). */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve()
    return new Promise((resolve) => {
      const again = () => (check() ? resolve() : this.waiters.push(again))
      this.waiters.push(again)
    })
  }

  /** The first PDU received with this command name. */
  async next(command: Pdu['command']): Promise<Pdu> {
    await this.until(() => this.received.some((p) => p.command === command))
    return this.received.find((p) => p.command === command)!
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w()
  }
}

export const bindPdu = (systemId = 'esme', password = 'secret', command: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver' = 'bind_transceiver', sequence = 1): PduInput => ({
  command,
  status: 0,
  sequence,
  systemId,
  password,
  systemType: '',
  interfaceVersion: 0x34,
  addrTon: 0,
  addrNpi: 0,
  addressRange: '',
})
