// Test helpers: a network from an inline config, and a tiny ESME built on smpp/session.ts.
import net from 'node:net'
import { afterEach } from 'vitest'
import { parseNetwork } from '../../simulator/network.js'
import { startNetwork, type StartOptions } from '../../simulator/start-network.js'
import type { NetworkHandle } from '../../simulator/types.js'
import { SmppSession } from '../../smpp/session.js'
import { smBody, type DeliverSm, type Pdu, type SmBody } from '../../smpp/pdu.js'
import { decodeShortMessage } from '../../smpp/text.js'

/** One operator "op" on a free port, serving 47, account esme/secret; `op` overrides its keys. */
export function operatorConfig(op: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'op',
    mcc: '242',
    mnc: '01',
    prefixes: ['47'],
    ...op,
    smpp: { port: 0, accounts: [{ system_id: 'esme', password: 'secret' }], ...((op.smpp as object) ?? {}) },
  }
}

export async function startOne(op: Record<string, unknown> = {}, opts: StartOptions & { seed?: number } = {}): Promise<NetworkHandle> {
  const config = parseNetwork({ seed: opts.seed ?? 7, operators: [operatorConfig(op)] }, 'test-network')
  return startNetwork(config, opts)
}

export type BindKind = 'transmitter' | 'receiver' | 'transceiver'

export class Esme {
  readonly received: DeliverSm[] = []
  closed = false
  /** Answer deliver_sm automatically (set false to leave receipts unacknowledged). */
  ackReceipts = true
  private submitted = 0

  private constructor(readonly session: SmppSession) {
    session.onPdu = (pdu) => {
      if (pdu.command === 'deliver_sm') {
        this.received.push({ ...pdu, shortMessage: Buffer.from(pdu.shortMessage) })
        if (this.ackReceipts) session.sendDeliverSmResp(pdu.sequence, 0)
      }
    }
    session.onClose = () => {
      this.closed = true
    }
  }

  static async connect(port: number): Promise<Esme> {
    const socket = net.connect(port, '127.0.0.1')
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    return new Esme(new SmppSession(socket, { responseTimeoutMs: 5000 }))
  }

  /** Connects and binds; resolves with the bind_*_resp status. */
  static async bound(port: number, type: BindKind = 'transceiver', systemId = 'esme', password = 'secret'): Promise<Esme> {
    const e = await Esme.connect(port)
    const status = await e.bind(type, systemId, password)
    if (status !== 0) throw new Error(`bind failed with ${status}`)
    return e
  }

  request(pdu: Parameters<SmppSession['request']>[0]): Promise<Pdu | undefined> {
    return new Promise((resolve) => this.session.request(pdu, (resp) => resolve(resp)))
  }

  async bind(type: BindKind, systemId = 'esme', password = 'secret'): Promise<number> {
    const resp = await this.request({
      command: `bind_${type}`,
      status: 0,
      sequence: 0,
      systemId,
      password,
      systemType: '',
      interfaceVersion: 0x34,
      addrTon: 0,
      addrNpi: 0,
      addressRange: '',
    })
    return resp ? resp.status : -1
  }

  /**
   * Sends a submit_sm; resolves with the response (undefined on timeout or close). The default
   * text is numbered per client ('hello 1', 'hello 2'...): the simulator draws each message's
   * fate from its content, so identical messages would all share one fate.
   */
  submit(fields: Partial<SmBody> = {}): Promise<Pdu | undefined> {
    const shortMessage = Buffer.from(`hello ${++this.submitted}`)
    return this.request({
      command: 'submit_sm',
      status: 0,
      sequence: 0,
      ...smBody({ sourceAddr: 'mtsim', destinationAddr: '4790000001', shortMessage, ...fields }),
    })
  }

  receiptTexts(): string[] {
    return this.received.map((d) => decodeShortMessage(d))
  }

  close(): void {
    this.session.close()
  }
}

export { waitFor } from '../support/wait.js'

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The network a test starts and the clients it opens, all closed after each test. Register once
 * per file (`const t = perTest()`), then `t.net = await startOne(...)` and `await t.bound()`.
 */
export function perTest() {
  const t = {
    net: undefined as NetworkHandle | undefined,
    clients: [] as Esme[],
    track(c: Esme): Esme {
      t.clients.push(c)
      return c
    },
    /** A connected, unbound client of the first operator. */
    connect: async (): Promise<Esme> => t.track(await Esme.connect(t.net!.operators[0]!.port)),
    /** A client of the first operator, bound as `type`. */
    bound: async (type: BindKind = 'transceiver'): Promise<Esme> => t.track(await Esme.bound(t.net!.operators[0]!.port, type)),
  }
  afterEach(async () => {
    for (const c of t.clients.splice(0)) c.close()
    await t.net?.close()
    t.net = undefined
  })
  return t
}
