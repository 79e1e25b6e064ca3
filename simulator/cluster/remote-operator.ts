// The main thread's stand-in for an operator running in a simulator worker: it answers the
// OperatorHandle contract from the latest snapshot the worker pushed (a few times a second and
// right after every command), plus an overlay of the commands sent since that the worker has not
// yet confirmed, so an injected fault shows at once in state() and activeFaults().
import type { Fault, OperatorConfig } from '../network.js'
import type { ActiveFault, OperatorHandle, OperatorState, OperatorStats } from '../types.js'

/** How the operator reaches its worker (cluster-network.ts gives every operator of a worker the same one). */
export interface WorkerLink {
  /** Posts a command; returns its number. */
  inject(localIndex: number, fault: Fault): number
  clear(localIndex: number): number
  /** The network's clock: ms since network start. */
  now(): number
}

type Pending = { cmd: number; record: ActiveFault } | { cmd: number; record: null }

export class RemoteOperator implements OperatorHandle {
  private latest: OperatorStats
  private active: ActiveFault[] = []
  private pending: Pending[] = []

  constructor(
    readonly config: OperatorConfig,
    readonly port: number,
    private readonly localIndex: number,
    private readonly link: WorkerLink,
    readonly tls?: { port: number; cert: string },
  ) {
    this.latest = emptyStats(config.id)
  }

  /** A snapshot from the worker: commands up to `acked` are in it. */
  update(stats: OperatorStats, active: ActiveFault[], acked: number): void {
    this.latest = stats
    this.active = active
    if (this.pending.length) this.pending = this.pending.filter((p) => p.cmd > acked)
  }

  /** Injected faults the worker has not confirmed yet (for the network's fault history). */
  unconfirmed(): ActiveFault[] {
    return this.pending.flatMap((p) => (p.record ? [p.record] : []))
  }

  state(): OperatorState {
    let state: OperatorState = 'up'
    for (const f of this.activeFaults()) {
      if (f.fault.kind === 'outage') return 'outage'
      if (f.fault.kind === 'black_hole') state = 'black_hole'
    }
    return state
  }

  activeFaults(): ActiveFault[] {
    let list = this.active
    for (const p of this.pending) list = p.record ? [...list, p.record] : []
    return [...list]
  }

  /** The latest snapshot (up to a snapshot interval old while running; exact once the network closed). */
  stats(): OperatorStats {
    return { ...this.latest, state: this.state() }
  }

  injectFault(fault: Fault): ActiveFault {
    const start = this.link.now()
    const record: ActiveFault = { operator: this.config.id, fault, start, end: start + fault.duration, source: 'api' }
    this.pending.push({ cmd: this.link.inject(this.localIndex, fault), record })
    return record
  }

  clearFaults(): number {
    const n = this.activeFaults().length
    this.pending.push({ cmd: this.link.clear(this.localIndex), record: null })
    return n
  }
}

/** Before the first snapshot: an operator that has seen nothing yet. */
function emptyStats(id: string): OperatorStats {
  return {
    id, state: 'up', binds: { transmitter: 0, receiver: 0, transceiver: 0 }, submits: 0, messages: 0, statuses: {}, unanswered: 0, inFlight: 0,
    connections: 0, bufferedBytes: 0, disconnects: 0, bindRefusals: 0, misrouted: 0, receipts: { pending: 0, sent: {}, acked: 0, lost: 0, duplicated: 0, resent: 0 },
    latency: { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 },
    protections: { connectionsRefused: 0, bindTimeouts: 0, inactivityTimeouts: 0, bufferOverflows: 0, invalidPdus: 0, authFailures: 0, authDisconnects: 0 },
  }
}
