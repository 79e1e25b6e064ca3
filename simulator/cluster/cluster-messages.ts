// Messages between the main thread's network proxy (cluster-network.ts) and the simulator worker
// threads (sim-worker.ts). Plain structured-cloneable data only. Times that cross threads travel
// as absolute epoch ms (performance.timeOrigin + performance.now()), because every thread's
// performance.now() counts from its own origin.
import type { Fault, NetworkConfig } from '../network.js'
import type { ActiveFault, OperatorStats } from '../types.js'

export interface SimWorkerData {
  config: NetworkConfig
  /** Indexes into config.operators this worker runs (each operator whole inside one worker). */
  operators: number[]
  /** The proxy's network start as absolute epoch ms: fault times in every worker count from it. */
  startedAtAbs: number
  manualTimeline: boolean
  /** Report accepted messages (the main thread has a SubmitObserver). */
  observe: boolean
  /** How often the worker pushes a stats snapshot, ms. */
  statsEveryMs: number
}

/**
 * Commands carry a number; snapshots say the last one applied, so the proxy knows when to drop its
 * overlay. `operator` is the index within this worker's SimWorkerData.operators.
 */
export type ToWorker =
  | { type: 'inject'; cmd: number; operator: number; fault: Fault }
  | { type: 'clear'; cmd: number; operator: number }
  | { type: 'timeline'; originAbs: number }
  | { type: 'close' }

export interface Snapshot {
  /** Stats of this worker's operators, in the order of SimWorkerData.operators. */
  stats: OperatorStats[]
  active: ActiveFault[][]
  /** Every fault window this worker's operators had (times in ms since the proxy's network start). */
  history: ActiveFault[]
  /** Last command applied. */
  acked: number
}

export type FromWorker =
  /** tls: each operator's TLS port and certificate (PEM), or null without smpp.tls. */
  | { type: 'ready'; ports: number[]; tls: ({ port: number; cert: string } | null)[]; timeOrigin: number }
  | { type: 'start-failed'; error: SerializedError }
  | { type: 'snapshot'; snapshot: Snapshot }
  /** Accepted messages since the last batch: operator index (network-wide), destination, text, time in µs on the worker's clock. */
  | { type: 'arrivals'; operators: Uint16Array; destinations: string[]; texts: string[]; timesUs: Float64Array }
  | { type: 'final'; snapshot: Snapshot }

export interface SerializedError {
  name: string
  message: string
  code?: string
  details?: string[]
  stack?: string
}
