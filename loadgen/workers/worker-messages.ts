// Messages between `mtsim run --workers N`'s main thread (run-workers.ts) and its load generator
// worker threads (load-worker.ts). Structured-cloneable data only; times that cross threads are
// absolute epoch ms (performance.timeOrigin + performance.now()) or carry the sender's origin.
import type { SerializedError } from '../../simulator/cluster/cluster-messages.js'
import type { RunMeta } from '../engine/engine.js'
import type { ProgressSnapshot } from '../engine/progress.js'
import type { FaultWindow, ResultsFile } from '../../results/results-format.js'
import type { Segment } from './split.js'

/** How a worker reaches the gateway: as the scenario says, the main thread's simulated operators, or its managed Kannel. */
export type WorkerTarget =
  | { kind: 'scenario' }
  | { kind: 'direct'; ports: Record<string, number>; tls?: Record<string, { port: number; cert: string }> }
  | { kind: 'kannel'; sendsmsUrl: string; username: string; password: string }

export interface LoadWorkerData {
  /** The scenario file, loaded again in the worker (compiled templates cannot cross threads). */
  scenarioFile: string
  worker: number
  workers: number
  /** The plan segment this worker plays (split.ts workerSegment). */
  segment: Segment
  rateScale?: number
  durationCapMs?: number
  outDir: string
  target: WorkerTarget
  /** meta.segment of this worker's results is { index: worker, count: workers }: the shares results/merge.ts adds. */
  meta: Omit<RunMeta, 'segment'>
  /** The main thread's performance.timeOrigin, to move arrival times onto the worker's clock. */
  mainTimeOrigin: number
}

export type ToLoadWorker =
  /** Every worker's binds are up: start the plan clock now. */
  | { type: 'go' }
  | { type: 'abort' }
  /** Our messages the simulated network accepted: operator index, plan seq, time in µs on the main thread's clock. */
  | { type: 'arrivals'; operators: Uint16Array; seqs: Float64Array; timesUs: Float64Array }
  /** The network's fault windows so far, in ms from the run's start (for the share's failover figures). */
  | { type: 'faults'; windows: FaultWindow[] }

export type FromLoadWorker =
  /** The transport started (binds up, webhook listening). */
  | { type: 'ready' }
  /** Plan time 0, as absolute epoch ms. */
  | { type: 'started'; atAbs: number }
  | { type: 'progress'; snapshot: ProgressSnapshot }
  | { type: 'done'; results: ResultsFile }
  | { type: 'failed'; error: SerializedError }
