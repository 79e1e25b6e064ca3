// A hand-written NetworkHandle for control-API and metrics tests: real configs (through
// parseNetwork), counters the test sets directly, faults that really change state.
import { performance } from 'node:perf_hooks'
import { parseNetwork, type Fault, type NetworkConfig } from '../../../simulator/network.js'
import type { ActiveFault, NetworkHandle, OperatorHandle, OperatorState, OperatorStats } from '../../../simulator/types.js'

export const fakeNetworkFile = {
  name: 'fake',
  operators: [
    {
      id: 'alpha',
      name: 'Alpha Mobile',
      mcc: '242',
      mnc: '01',
      prefixes: ['4790'],
      smpp: { port: 0, accounts: [{ system_id: 'alpha_a', password: 'pw' }, { system_id: 'alpha_b', password: 'pw' }] },
    },
    {
      id: 'beta',
      mcc: '242',
      mnc: '02',
      prefixes: ['4740'],
      smpp: { port: 0, accounts: [{ system_id: 'beta', password: 'pw' }] },
    },
  ],
}

export function emptyStats(id: string): OperatorStats {
  return {
    id,
    state: 'up',
    binds: { transmitter: 0, receiver: 0, transceiver: 0 },
    submits: 0,
    messages: 0,
    statuses: {},
    unanswered: 0,
    inFlight: 0,
    connections: 0,
    bufferedBytes: 0,
    disconnects: 0,
    bindRefusals: 0,
    misrouted: 0,
    protections: { connectionsRefused: 0, bindTimeouts: 0, inactivityTimeouts: 0, bufferOverflows: 0, invalidPdus: 0, authFailures: 0, authDisconnects: 0 },
    receipts: { pending: 0, sent: {}, acked: 0, lost: 0, duplicated: 0, resent: 0 },
    latency: { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 },
  }
}

export interface FakeOperator extends OperatorHandle {
  /** The stats the test wants stats() to report (state is filled in from the faults). */
  counters: OperatorStats
  statsCalls: number
}

export interface FakeNetwork extends NetworkHandle {
  readonly operators: readonly FakeOperator[]
  closed: boolean
}

export function fakeNetwork(file: unknown = fakeNetworkFile): FakeNetwork {
  return fakeNetworkFrom(parseNetwork(file, 'fake.yaml'))
}

/** Ports are 30000, 30001, ... whatever the config says, as if the real ones were picked at start. */
export function fakeNetworkFrom(config: NetworkConfig): FakeNetwork {
  const startedAt = performance.now()
  const history: ActiveFault[] = []
  const now = () => performance.now() - startedAt

  const operators = config.operators.map((opConfig, i): FakeOperator => {
    let active: ActiveFault[] = []
    const live = () => (active = active.filter((f) => f.end > now()))
    const state = (): OperatorState => {
      const kinds = live().map((f) => f.fault.kind)
      return kinds.includes('outage') ? 'outage' : kinds.includes('black_hole') ? 'black_hole' : 'up'
    }
    const op: FakeOperator = {
      config: opConfig,
      port: 30000 + i,
      counters: emptyStats(opConfig.id),
      statsCalls: 0,
      state,
      activeFaults: () => [...live()],
      stats() {
        op.statsCalls++
        return { ...op.counters, state: state() }
      },
      injectFault(fault: Fault) {
        const start = now()
        const a: ActiveFault = { operator: opConfig.id, fault: { ...fault, at: start }, start, end: start + fault.duration, source: 'api' }
        active.push(a)
        history.push(a)
        return a
      },
      clearFaults() {
        const n = live().length
        const t = now()
        for (const f of active) f.end = t
        active = []
        return n
      },
    }
    return op
  })

  const net: FakeNetwork = {
    config,
    operators,
    startedAt,
    closed: false,
    operator: (id) => operators.find((o) => o.config.id === id),
    faultHistory: () => [...history],
    startTimeline: () => {},
    async close() {
      net.closed = true
    },
  }
  return net
}
