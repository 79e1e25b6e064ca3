// A network spread over worker threads: operators go round-robin to N workers (each operator whole
// inside one, so an account's binds, receipts and faults stay together), and the main thread holds
// a NetworkHandle proxy the control API, metrics, CLI and load generator use unchanged.
//
// - Ports: reported by each worker once its operators listen.
// - stats(): the latest snapshot a worker pushed (every statsEveryMs, default 250 ms, and right
//   after each injected or cleared fault), so live figures may be up to that old; after close()
//   they are exact (taken once every operator stopped; binds as they were when close began).
// - Faults: injectFault/clearFaults go to the owning worker; the proxy answers at once from the
//   fault and the current time and overlays it until the worker's snapshot confirms it. Fault
//   times in every worker count from the proxy's startedAt (passed as an absolute time).
// - Accepted messages reach the SubmitObserver in batches (one post per worker event-loop turn),
//   times moved onto this thread's performance.now() clock via performance.timeOrigin.
import { Worker } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import type { NetworkConfig } from '../network.js'
import type { ActiveFault, NetworkHandle, SubmitObserver } from '../types.js'
import type { FromWorker, SimWorkerData, Snapshot, ToWorker } from './cluster-messages.js'
import { InternalError, MtsimError } from '../../lib/errors.js'
import { RemoteOperator } from './remote-operator.js'
import { rebuildError, workerScript } from './worker-support.js'

export interface ClusterOptions {
  workers: number
  observer?: SubmitObserver
  timeline?: 'at-start' | 'manual'
  statsEveryMs?: number
}

export interface ClusterNetworkHandle extends NetworkHandle {
  /** Worker threads actually used: at most one per operator. */
  readonly workerCount: number
}

interface Member {
  index: number
  worker: Worker
  /** Network-wide operator indexes this worker runs. */
  operators: number[]
  remotes: RemoteOperator[]
  history: ActiveFault[]
  /** Its performance.timeOrigin minus ours, in µs: add to its times to get ours. */
  shiftUs: number
  final: boolean
  exited: Promise<void>
}

/** Operators per worker, round-robin: worker w runs operators w, w + n, w + 2n... */
export function spreadOperators(operatorCount: number, workers: number): number[][] {
  const n = Math.max(1, Math.min(workers, operatorCount))
  return Array.from({ length: n }, (_, w) => Array.from({ length: operatorCount }, (_, i) => i).filter((i) => i % n === w))
}

export async function startClusterNetwork(config: NetworkConfig, opts: ClusterOptions): Promise<ClusterNetworkHandle> {
  if (!Number.isInteger(opts.workers) || opts.workers < 1) {
    throw new MtsimError('MTSIM_ERR_OPTION', ['--workers', 'a whole number of 1 or more', String(opts.workers)])
  }
  const script = workerScript(import.meta.url, 'simulator/cluster/sim-worker', 2)
  const startedAt = performance.now()
  const groups = spreadOperators(config.operators.length, opts.workers)
  let cmd = 0
  let failure: Error | undefined
  const members: Member[] = groups.map((operators, index) => {
    const data: SimWorkerData = {
      config, operators, startedAtAbs: performance.timeOrigin + startedAt,
      manualTimeline: opts.timeline === 'manual', observe: opts.observer !== undefined, statsEveryMs: opts.statsEveryMs ?? 250,
    }
    const worker = new Worker(script, { workerData: data })
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
    return { index, worker, operators, remotes: [], history: [], shiftUs: 0, final: false, exited }
  })

  const ready = await Promise.allSettled(members.map((m) => started(m)))
  const failed = ready.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) {
    for (const m of members) m.worker.postMessage({ type: 'close' } satisfies ToWorker)
    await Promise.race([Promise.all(members.map((m) => m.exited)), delay(5000)])
    await Promise.all(members.map((m) => m.worker.terminate()))
    throw failed.reason
  }

  const byIndex: RemoteOperator[] = []
  for (const m of members) m.remotes.forEach((r, j) => (byIndex[m.operators[j]!] = r))
  const byId = new Map(byIndex.map((r) => [r.config.id, r]))

  function onMessage(m: Member, msg: FromWorker): void {
    switch (msg.type) {
      case 'arrivals': {
        const obs = opts.observer
        if (!obs) return
        for (let i = 0; i < msg.operators.length; i++) {
          // sim-worker.ts sets the top bit for a copy the operator swallowed rather than took.
          const op = msg.operators[i]!
          obs.onMessage(config.operators[op & 0x7fff]!.id, msg.destinations[i]!, msg.texts[i]!, msg.timesUs[i]! + m.shiftUs, (op & 0x8000) === 0)
        }
        return
      }
      case 'snapshot':
        return apply(m, msg.snapshot)
      case 'final':
        m.final = true
        return apply(m, msg.snapshot)
      default:
        return
    }
  }

  function apply(m: Member, s: Snapshot): void {
    m.remotes.forEach((r, j) => r.update(s.stats[j]!, s.active[j]!, s.acked))
    m.history = s.history
  }

  /** Waits for the worker's ports; builds its operators' proxies. */
  function started(m: Member): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(new MtsimError('MTSIM_ERR_WORKER_FAILED', [`simulator worker ${m.index + 1}`, `could not start: ${err.message}`]))
      m.worker.once('error', onError)
      m.worker.once('message', (msg: FromWorker) => {
        m.worker.off('error', onError)
        if (msg.type === 'start-failed') return reject(rebuildError(msg.error, `simulator worker ${m.index + 1}`))
        if (msg.type !== 'ready') return reject(new InternalError(`simulator worker ${m.index + 1}: expected "ready", got "${msg.type}"`))
        m.shiftUs = (msg.timeOrigin - performance.timeOrigin) * 1000
        const link = {
          inject: (local: number, fault: ActiveFault['fault']) => (m.worker.postMessage({ type: 'inject', cmd: ++cmd, operator: local, fault } satisfies ToWorker), cmd),
          clear: (local: number) => (m.worker.postMessage({ type: 'clear', cmd: ++cmd, operator: local } satisfies ToWorker), cmd),
          now: () => performance.now() - startedAt,
        }
        m.remotes = m.operators.map((i, j) => new RemoteOperator(config.operators[i]!, msg.ports[j]!, j, link, msg.tls[j] ?? undefined))
        // From here on every message counts (snapshots, arrivals): listen before yielding.
        m.worker.on('message', (next: FromWorker) => onMessage(m, next))
        m.worker.on('error', (err) => (failure ??= new Error(`simulator worker ${m.index + 1} failed: ${err.message}`)))
        resolve()
      })
    })
  }

  let closing: Promise<void> | undefined
  return {
    config,
    operators: byIndex,
    startedAt,
    workerCount: members.length,
    operator: (id) => byId.get(id),
    faultHistory: () =>
      members.flatMap((m) => [...m.history.map((f) => ({ ...f })), ...m.remotes.flatMap((r) => r.unconfirmed())]).sort((a, b) => a.start - b.start),
    startTimeline: () => {
      const originAbs = performance.timeOrigin + performance.now()
      for (const m of members) m.worker.postMessage({ type: 'timeline', originAbs } satisfies ToWorker)
    },
    close: () =>
      (closing ??= (async () => {
        for (const m of members) m.worker.postMessage({ type: 'close' } satisfies ToWorker)
        await Promise.all(members.map((m) => m.exited))
        const lost = members.filter((m) => !m.final).map((m) => m.index + 1)
        if (failure) throw failure
        if (lost.length) throw new MtsimError('MTSIM_ERR_WORKER_FAILED', [`simulator worker(s) ${lost.join(', ')}`, 'exited without their final stats'])
      })()),
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
