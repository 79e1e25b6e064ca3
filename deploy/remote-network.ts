// `mtsim run --remote-network`: the scenario's network already runs elsewhere (`mtsim simulate`
// on another host or in a Kubernetes Deployment), on the hosts and fixed ports its file names, so
// the run starts none. Shares of a split run all send to that one network.
//
// Receipts: an SMSC delivers a receipt on any receiver bind of the account that submitted, so
// shares binding with one account would get each other's receipts. As `--workers` does in one
// process (loadgen/workers/split.ts), share i of n binds with its own copy of the account
// ("<system_id>~i"), which `mtsim simulate --shares n` adds to the network: every receipt returns
// to the share that sent the message. An unsplit run binds with the original account.
import { readFileSync } from 'node:fs'
import { MtsimError } from '../lib/errors.js'
import type { NetworkConfig, OperatorConfig } from '../simulator/network.js'
import type { ClientTls } from '../loadgen/scenario/gateway-config.js'
import type { Scenario } from '../loadgen/scenario/scenario.js'
import type { OutboundMessage, ReceiptSink, SubmitOutcome, Transport } from '../loadgen/transports/transport.js'
import { createTransport } from '../loadgen/transports/index.js'
import { workerAccount, workerOperator } from '../loadgen/workers/split.js'
import type { Segment } from './segment.js'

export interface RemoteOptions {
  segment?: Segment
  workers?: number
  controlPort?: number
  log?: (line: string) => void
}

/**
 * How long a share waits for the network (binds) or the gateway (HTTP) to come up. In a cluster
 * the shares' pods may start minutes before the network's (image pulls, scheduling); a share is
 * checked in with the coordinator only once it can send.
 */
export const REMOTE_START_MS = 10 * 60_000

export function remoteTransport(scenario: Scenario, o: RemoteOptions): Transport {
  const refuse = (what: string) => new MtsimError('MTSIM_ERR_REMOTE_NETWORK', [what])
  if ((o.workers ?? 1) > 1) {
    throw refuse(`--workers ${o.workers} needs the network in this process (each worker binds with its own copy of the account); split the run into more shares instead`)
  }
  if (o.controlPort !== undefined) throw refuse('--control-port serves the control API of a network this run starts; use the remote network\'s own (mtsim simulate --control-port)')
  const g = scenario.gateway
  if (g.kind === 'kannel') {
    throw refuse(
      'gateway kind kannel starts a Kannel bound to a network in this process; run `mtsim gateway kannel` beside the remote network and send to it with gateway kind http, preset: kannel (mtsim k8s writes it so)',
    )
  }
  if (g.kind === 'http') return new GatewayReady(createTransport(scenario), g.url, o.log)
  if (g.kind !== 'direct') return createTransport(scenario)
  const unreachable = scenario.network.operators.filter((op) => op.port === 0).map((op) => op.id)
  if (unreachable.length) {
    throw refuse(
      `operator${unreachable.length === 1 ? '' : 's'} ${unreachable.join(', ')} of network "${scenario.network.name}" listen${unreachable.length === 1 ? 's' : ''} on port 0 (any free port): ` +
        'a network reached from elsewhere needs fixed ports in its file (smpp.port)',
    )
  }
  const share = o.segment && o.segment.count > 1 ? o.segment.index - 1 : undefined
  const operators = scenario.network.operators.map((op) => ({
    config: share === undefined ? op : workerOperator(op, g, share),
    port: op.port,
    ...remoteTls(op, g.tls, refuse),
  }))
  return createTransport(scenario, { operators }, REMOTE_START_MS)
}

/**
 * An operator with a TLS port is reached on it, as in a run that starts its own network (README
 * "SMPP over TLS"). What to trust: the gateway's ca_file or insecure when given, else the
 * certificate the network file names (the remote operator presents that very file). A certificate
 * made at start on the other host cannot be known here: that is an error, never a silent fall
 * back to the plain port. `tls: false` keeps to the plain ports.
 */
function remoteTls(
  op: OperatorConfig,
  tls: ClientTls | false | undefined,
  refuse: (what: string) => MtsimError,
): { tls: { port: number; cert: string } } | Record<string, never> {
  if (!op.tls || tls === false) return {}
  if (op.tls.port === 0) {
    throw refuse(`operator ${op.id} listens for TLS on port 0 (any free port): a network reached from elsewhere needs a fixed smpp.tls.port in its file (or gateway tls: false for the plain port)`)
  }
  // The gateway's ca (or no verification) is used over any cert given here: none needed.
  if (tls?.ca !== undefined || tls?.insecure) return { tls: { port: op.tls.port, cert: '' } }
  if (op.tls.certFile) return { tls: { port: op.tls.port, cert: readFileSync(op.tls.certFile, 'utf8') } }
  throw refuse(
    `operator ${op.id} requires TLS with a certificate made when its network started, which this run cannot know: ` +
      'give smpp.tls cert_file and key_file in the network file, or gateway tls: { ca_file: ... } (or { insecure: true }), or tls: false for the plain port',
  )
}

/**
 * An HTTP gateway's transport that starts only once the gateway answers at all (any HTTP status:
 * a sendsms URL without parameters is an error, but an answer), so a share does not check in and
 * start sending into a gateway that is still starting.
 */
class GatewayReady implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly url: string,
    private readonly log?: (line: string) => void,
  ) {}
  get name(): string {
    return this.inner.name
  }
  get receiptsCarryIds(): boolean | undefined {
    return this.inner.receiptsCarryIds
  }
  async start(receipts: ReceiptSink): Promise<void> {
    const limit = Date.now() + REMOTE_START_MS
    let said = false
    for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
      try {
        const res = await fetch(this.url, { signal: AbortSignal.timeout(5000) })
        await res.arrayBuffer()
        break
      } catch (err) {
        const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message
        if (Date.now() > limit) throw new MtsimError('MTSIM_ERR_REMOTE_NETWORK', [`the gateway at ${this.url} did not answer within ${REMOTE_START_MS / 60_000} min (${why})`])
        if (!said) this.log?.(`gateway: waiting for ${this.url} to answer (${why})`), (said = true)
        await new Promise((resolve) => setTimeout(resolve, delay))
      }
    }
    await this.inner.start(receipts)
  }
  capacity(): number {
    return this.inner.capacity()
  }
  canSend(msg: OutboundMessage): boolean {
    return this.inner.canSend ? this.inner.canSend(msg) : true
  }
  send(msg: OutboundMessage, done: (outcome: SubmitOutcome) => void): void {
    this.inner.send(msg, done)
  }
  close(): Promise<void> {
    return this.inner.close()
  }
}

/** What a run with a remote network binds to, for the log. */
export function describeRemote(scenario: Scenario): string[] {
  if (scenario.gateway.kind !== 'direct') return [`network "${scenario.network.name}": runs elsewhere; sending through gateway ${scenario.gateway.kind}`]
  return scenario.network.operators.map((op) => `operator ${op.id}: smpp://${op.host}:${op.port} (remote network)`)
}

/**
 * The network `mtsim simulate --shares n` runs: every account also as n copies ("<id>~1" ..
 * "<id>~n"), so each share of a split run binds with its own and gets its own receipts.
 */
export function shareAccountsNetwork(network: NetworkConfig, shares: number): NetworkConfig {
  if (shares <= 1) return network
  return {
    ...network,
    operators: network.operators.map((op) => {
      const taken = new Set(op.accounts.map((a) => a.systemId))
      const copies = op.accounts.flatMap((a) => Array.from({ length: shares }, (_, i) => workerAccount(a, i)))
      const clash = copies.find((c) => {
        if (taken.has(c.systemId)) return true
        taken.add(c.systemId)
        return false
      })
      if (clash) throw new MtsimError('MTSIM_ERR_SHARE_ACCOUNTS', [String(shares), `operator ${op.id} has an account ${clash.systemId} already, the name of a share's copy of another (copies keep 15 characters of the system_id)`])
      return { ...op, accounts: [...op.accounts, ...copies] }
    }),
  }
}

/** `mtsim simulate --operators a,b`: just these operators (the network spread over several hosts). */
export function operatorSubset(network: NetworkConfig, list: string): NetworkConfig {
  const ids = list.split(',').map((s) => s.trim()).filter(Boolean)
  const known = network.operators.map((op) => op.id)
  const unknown = ids.filter((id) => !known.includes(id))
  if (!ids.length || unknown.length) {
    throw new MtsimError('MTSIM_ERR_OPTION', ['--operators', `operator ids of network "${network.name}" (${known.join(', ')}) separated by commas`, JSON.stringify(list)])
  }
  return { ...network, operators: network.operators.filter((op) => ids.includes(op.id)) }
}

/** `mtsim simulate --listen-host H`: every operator listens on H (0.0.0.0 in a container), whatever host its file names for clients. */
export function listenOn(network: NetworkConfig, host: string): NetworkConfig {
  if (!host.trim()) throw new MtsimError('MTSIM_ERR_OPTION', ['--listen-host', 'an address like 0.0.0.0', '""'])
  return { ...network, operators: network.operators.map((op) => ({ ...op, host: host.trim() })) }
}
