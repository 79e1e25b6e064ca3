// How one run is cut into worker shares, all pure arithmetic:
//
// - Plan: worker i of N plays an execution segment of the plan (plan.ts: share j of n plays stream
//   message k when k mod n == j). Inside an outer `--segment a/b` the shares compose: worker i
//   plays k with k mod (b*N) == (a-1) + b*i, so the N workers' shares add up to exactly share a/b.
// - Arrivals: the worker owning a seq is found from the same arithmetic (ShareRouter).
// - Binds and HTTP connections: a gateway's count is spread over the workers, at least 1 each; a
//   simulated operator's account must allow the total (max_binds), or the run is refused up front.
// - Receipts: an SMSC delivers a receipt on any receiver bind of the account that submitted, so
//   workers sharing one account would get each other's receipts. For the direct gateway the
//   simulated network therefore gets one copy of the account per worker (workerNetwork; system_id
//   "<id>~<worker>"), and worker i binds with copy i: its receipts come back to it. An external
//   SMPP gateway's accounts are not ours to copy, so `gateway.kind: smpp` runs with one worker;
//   HTTP and Kannel receipts come to each worker's own webhook (the dlr-url says which).
import { MtsimError } from '../../lib/errors.js'
import type { Account, BindType, NetworkConfig, OperatorConfig } from '../../simulator/network.js'
import type { GatewayConfig } from '../scenario/gateway-config.js'

export interface Segment {
  /** 1-based, as in `--segment 2/4`. */
  index: number
  count: number
}

/** The plan segment worker `worker` (0-based) of `workers` plays inside `outer` (default: the whole plan). */
export function workerSegment(outer: Segment | undefined, worker: number, workers: number): Segment {
  const a = outer?.index ?? 1
  const b = outer?.count ?? 1
  return { index: a + b * worker, count: b * workers }
}

/** `total` spread over `workers` as evenly as possible, at least 1 each: share of worker i. */
export function spreadCount(total: number, workers: number, worker: number): number {
  const base = Math.floor(total / workers)
  return Math.max(1, base + (worker < total % workers ? 1 : 0))
}

/** Sum of every worker's spreadCount: max(total, workers). */
export function spreadTotal(total: number, workers: number): number {
  return Math.max(total, workers)
}

/** A stream's plan-wide seqs: firstSeq .. firstSeq + total - 1 (plan.ts StreamPlan). */
export interface SeqRange {
  readonly firstSeq: number
  readonly total: number
}

/** Which worker sent plan seq `seq` (undefined: not a message of this run's share). */
export class ShareRouter {
  private readonly a: number
  private readonly b: number

  constructor(
    private readonly streams: readonly SeqRange[],
    private readonly workers: number,
    outer?: Segment,
  ) {
    this.a = (outer?.index ?? 1) - 1
    this.b = outer?.count ?? 1
  }

  owner(seq: number): number | undefined {
    for (const s of this.streams) {
      if (seq < s.firstSeq || seq >= s.firstSeq + s.total) continue
      const k = seq - s.firstSeq
      if (k % this.b !== this.a) return undefined
      return Math.floor((k % (this.b * this.workers)) / this.b)
    }
    return undefined
  }
}

/**
 * The per-worker cut of the gateway: binds per operator (direct), binds (smpp) or connections
 * (http), as worker `worker` of `workers` uses them. Checks the totals against the network's
 * accounts first (direct) and says what to change when they do not fit.
 */
export function workerGateway(g: GatewayConfig, network: NetworkConfig, workers: number, worker: number): GatewayConfig {
  switch (g.kind) {
    case 'direct': {
      checkDirectBinds(g.binds, g.mode, network, workers)
      const binds: Record<string, number> = {}
      for (const [id, n] of Object.entries(g.binds)) binds[id] = spreadCount(n, workers, worker)
      return { ...g, binds }
    }
    case 'smpp':
      if (workers === 1) return g
      throw new MtsimError('MTSIM_ERR_WORKERS', [
        String(workers),
        `gateway kind smpp sends receipts on any bind of its account, so workers cannot each keep their own; run it with one worker (or several --segment runs)`,
      ])
    case 'http':
      if (g.webhook.port !== 0) {
        throw new MtsimError('MTSIM_ERR_WORKERS', [
          String(workers),
          `every worker listens for receipts on its own webhook, but gateway.webhook.port is fixed at ${g.webhook.port}; set it to 0 (a free port each)`,
        ])
      }
      return { ...g, connections: spreadCount(g.connections, workers, worker) }
    case 'kannel':
      return g
  }
}

function checkDirectBinds(binds: Record<string, number>, mode: 'transceiver' | 'tx+rx', network: NetworkConfig, workers: number): void {
  const need: BindType[] = mode === 'transceiver' ? ['transceiver'] : ['transmitter', 'receiver']
  const problems: string[] = []
  for (const op of network.operators) {
    const asked = binds[op.id] ?? 1
    const total = spreadTotal(asked, workers)
    const account = op.accounts.find((a) => need.every((t) => a.bindTypes.has(t)))
    if (account && total > account.maxBinds) {
      problems.push(
        `operator ${op.id}: ${workers} workers need ${total} binds (gateway.binds ${asked}, at least 1 per worker), ` +
          `but account ${account.systemId} allows max_binds ${account.maxBinds}`,
      )
    }
  }
  if (problems.length) {
    throw new MtsimError('MTSIM_ERR_WORKERS', [String(workers), 'needs more binds than the network allows; use fewer workers or raise max_binds'], problems)
  }
}

/** The account the direct gateway binds with (direct.ts picks the first that allows the bind mode). */
function directAccount(op: OperatorConfig, mode: 'transceiver' | 'tx+rx'): Account | undefined {
  const need: BindType[] = mode === 'transceiver' ? ['transceiver'] : ['transmitter', 'receiver']
  return op.accounts.find((a) => need.every((t) => a.bindTypes.has(t)))
}

/** Worker w's copy of an account: the same password and rights under its own system_id (15 characters at most). */
export function workerAccount(a: Account, worker: number): Account {
  const suffix = `~${worker + 1}`
  return { ...a, systemId: a.systemId.slice(0, 15 - suffix.length) + suffix }
}

/**
 * The network `mtsim run --workers N` starts for the direct gateway: the account each operator is
 * bound through becomes N accounts, one per worker, so every receipt returns to its sender's worker.
 */
export function workerNetwork(network: NetworkConfig, g: GatewayConfig, workers: number): NetworkConfig {
  if (workers === 1 || g.kind !== 'direct') return network
  return {
    ...network,
    operators: network.operators.map((op) => {
      const a = directAccount(op, g.mode)
      if (!a) return op // direct.ts explains the missing account when the worker builds its binds
      const copies = Array.from({ length: workers }, (_, w) => workerAccount(a, w))
      const taken = new Set(op.accounts.map((x) => x.systemId))
      const clash = copies.find((c) => taken.has(c.systemId))
      if (clash) throw new MtsimError('MTSIM_ERR_WORKERS', [String(workers), `operator ${op.id} already has an account ${clash.systemId}, the name worker copies of ${a.systemId} would take`])
      return { ...op, accounts: op.accounts.flatMap((x) => (x === a ? copies : [x])) }
    }),
  }
}

/** Worker w's view of an operator for the direct gateway: only its own copy of the account. */
export function workerOperator(op: OperatorConfig, g: GatewayConfig, worker: number): OperatorConfig {
  if (g.kind !== 'direct') return op
  const a = directAccount(op, g.mode)
  return a ? { ...op, accounts: [workerAccount(a, worker)] } : op
}
