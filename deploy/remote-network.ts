// `mtsim run --remote-network`: the scenario's network already runs elsewhere (`mtsim simulate`
// on another host or in a Kubernetes Deployment), on the hosts and fixed ports its file names, so
// the run starts none. Shares of a split run all send to that one network.
//
// Receipts: an SMSC delivers a receipt on any receiver bind of the account that submitted, so
// shares binding with one account would get each other's receipts. As `--workers` does in one
// process (loadgen/workers/split.ts), share i of n binds with its own copy of the account
// ("<system_id>~i"), which `mtsim simulate --shares n` adds to the network: every receipt returns
// to the share that sent the message. An unsplit run binds with the original account.
import { MtsimError } from '../lib/errors.js'
import type { NetworkConfig } from '../simulator/network.js'
import type { Scenario } from '../loadgen/scenario.js'
import type { Transport } from '../loadgen/transport.js'
import { createTransport } from '../loadgen/transports/index.js'
import { workerAccount, workerOperator } from '../loadgen/workers/split.js'
import type { Segment } from './segment.js'

export interface RemoteOptions {
  segment?: Segment
  workers?: number
  controlPort?: number
}

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
  }))
  return createTransport(scenario, { operators })
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
      if (clash) throw new MtsimError('MTSIM_ERR_USAGE', [`--shares ${shares}: operator ${op.id} has an account ${clash.systemId} already, the name of a share's copy of another (copies keep 15 characters of the system_id)`])
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
    throw new MtsimError('MTSIM_ERR_USAGE', [
      `--operators: expected operator ids of network "${network.name}" (${known.join(', ')}) separated by commas, found ${JSON.stringify(list)}`,
    ])
  }
  return { ...network, operators: network.operators.filter((op) => ids.includes(op.id)) }
}

/** `mtsim simulate --listen-host H`: every operator listens on H (0.0.0.0 in a container), whatever host its file names for clients. */
export function listenOn(network: NetworkConfig, host: string): NetworkConfig {
  if (!host.trim()) throw new MtsimError('MTSIM_ERR_USAGE', ['--listen-host: expected an address like 0.0.0.0, found ""'])
  return { ...network, operators: network.operators.map((op) => ({ ...op, host: host.trim() })) }
}
