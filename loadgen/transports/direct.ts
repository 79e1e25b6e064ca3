// The `direct` gateway target: mtsim plays the gateway itself and binds straight to every simulated
// operator of a running network, with each operator's first account that allows the bind mode.
// A message goes to the binds of msg.operator; a message without a known operator is routed by
// its destination's prefix, and one no operator serves fails with NO_ROUTE. Message ids are
// reported as "<operator id>:<id>" because every operator's ids start at 1.

import { MtsimError } from '../../lib/errors.js'
import { PrefixTable } from '../../lib/prefix.js'
import type { BindType } from '../../simulator/network.js'
import type { ClientTls } from '../scenario/gateway-config.js'
import type { OperatorHandle } from '../../simulator/types.js'
import type { OutboundMessage, ReceiptSink, SubmitOutcome, Transport } from './transport.js'
import type { SmppClientStats } from './smpp-client.js'
import { BindPool, type LinkSettings } from './smpp.js'

export interface DirectTargetOptions extends Omit<LinkSettings, 'tls'> {
  /** Binds per operator: one number for all, or per operator id (others get `defaultBinds`). */
  binds: number | Readonly<Record<string, number>>
  defaultBinds: number
  startTimeoutMs?: number
  /**
   * false: the plain ports only. Otherwise an operator with a TLS port is reached on it, verified
   * with these settings; without a CA the operator's own certificate is the one trusted.
   */
  tls?: ClientTls | false
}

/** What direct mode reads of a network: each operator's config, port and TLS port (a worker thread has just these). */
export interface DirectNetwork {
  readonly operators: readonly Pick<OperatorHandle, 'config' | 'port' | 'tls'>[]
}

const NO_ROUTE: SubmitOutcome = Object.freeze({ kind: 'failed', status: 'NO_ROUTE', messageIds: [] }) as SubmitOutcome

export class DirectTransport implements Transport {
  readonly name = 'direct'
  private readonly pools = new Map<string, BindPool>()
  private readonly byPrefix = new PrefixTable<BindPool>()

  constructor(network: DirectNetwork, opts: DirectTargetOptions) {
    const need: BindType[] = opts.mode === 'transceiver' ? ['transceiver'] : ['transmitter', 'receiver']
    for (const op of network.operators) {
      const binds = typeof opts.binds === 'number' ? opts.binds : (opts.binds[op.config.id] ?? opts.defaultBinds)
      // The operator's cert is '' when it cannot be known here (a remote network's made certificate, insecure: true).
      const ca = opts.tls && opts.tls.ca !== undefined ? opts.tls.ca : op.tls?.cert || undefined
      const tls = opts.tls !== false && op.tls ? { ...opts.tls, insecure: opts.tls?.insecure ?? false, ...(ca !== undefined ? { ca } : {}) } : undefined
      const pool = new BindPool({
        host: op.config.host === '0.0.0.0' ? '127.0.0.1' : op.config.host,
        port: tls ? op.tls!.port : op.port,
        ...(tls ? { tls } : {}),
        ...account(op, need, binds),
        systemType: '',
        binds,
        mode: opts.mode,
        window: opts.window,
        responseTimeoutMs: opts.responseTimeoutMs,
        enquireLinkMs: opts.enquireLinkMs,
        reconnectInitialMs: opts.reconnectInitialMs,
        reconnectMaxMs: opts.reconnectMaxMs,
        // A simulated operator writes its ids in one base everywhere (id_format: hex applies to
        // submit_sm_resp, receipt text and TLV alike), so nothing needs converting or guessing.
        receiptIdFormat: 'same',
        // Every simulated operator numbers its messages from 1: namespace the ids so the engine's
        // one id map cannot match opa's receipt 7 to opb's message 7.
        idPrefix: `${op.config.id}:`,
        startTimeoutMs: opts.startTimeoutMs,
      })
      this.pools.set(op.config.id, pool)
      for (const p of op.config.prefixes) this.byPrefix.add(p, pool)
    }
  }

  start(receipts: ReceiptSink): Promise<void> {
    return this.startAll(receipts)
  }

  private async startAll(receipts: ReceiptSink): Promise<void> {
    const pools = [...this.pools.values()]
    const results = await Promise.allSettled(pools.map((p) => p.start(receipts)))
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) {
      await this.close()
      throw failed.reason
    }
  }

  private route(msg: OutboundMessage): BindPool | undefined {
    return (msg.operator ? this.pools.get(msg.operator) : undefined) ?? this.byPrefix.lookup(msg.destination)
  }

  capacity(): number {
    let n = 0
    for (const p of this.pools.values()) n += p.capacity()
    return n
  }

  /** True when the operator this message goes to has a bind with window room (or it has no route: it fails at once). */
  canSend(msg: OutboundMessage): boolean {
    const pool = this.route(msg)
    return pool === undefined || pool.canSend()
  }

  send(msg: OutboundMessage, done: (o: SubmitOutcome) => void): void {
    const pool = this.route(msg)
    if (pool) pool.send(msg, done)
    else queueMicrotask(() => done({ ...NO_ROUTE, messageIds: [] }))
  }

  /** Per operator id. */
  stats(): Record<string, SmppClientStats> {
    const out: Record<string, SmppClientStats> = {}
    for (const [id, p] of this.pools) out[id] = p.stats()
    return out
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()))
  }
}

function account(op: DirectNetwork['operators'][number], need: BindType[], binds: number): { systemId: string; password: string } {
  const id = op.config.id
  const a = op.config.accounts.find((acc) => need.every((t) => acc.bindTypes.has(t)))
  if (!a) {
    throw new MtsimError('MTSIM_ERR_GATEWAY_ACCOUNT', [
      `operator ${id} has no account that allows ${need.join(' and ')} binds (gateway.mode); add one to its smpp.accounts or change the mode`,
    ])
  }
  if (binds > a.maxBinds) {
    throw new MtsimError('MTSIM_ERR_GATEWAY_ACCOUNT', [
      `gateway.binds asks for ${binds} binds to operator ${id}, but its account ${a.systemId} allows max_binds ${a.maxBinds}`,
    ])
  }
  return { systemId: a.systemId, password: a.password }
}
