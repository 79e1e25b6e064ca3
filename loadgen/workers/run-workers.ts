// `mtsim run --workers N`, main thread side: N load generator worker threads (load-worker.ts) each
// play one execution segment of the plan with their own binds, while this thread keeps the
// simulated network (and a managed Kannel), routes arrivals to the worker that sent each message,
// shows one progress line, and merges the shares exactly (results/merge.ts: counts add, HDR
// histograms add, time series align on t) into outDir/results.json.
//
// - Start: every worker binds first, then all start their plan clocks together ("go"); plan time
//   0 of the merged run is the earliest worker's start (they differ by well under a millisecond
//   to a few ms; each worker measures its own latencies from its own intended send times).
// - Interrupt: the signal aborts every worker; each writes its share, and the merge says
//   interrupted. A worker that stops on an abortOnFail threshold (evaluated on its own share)
//   stops the others too. Thresholds of the merged run are evaluated on the merged figures.
// - Failover figures (Kannel with failover routing) are per share: merged they are listed by share.
import { Worker } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { join } from 'node:path'
import { MtsimError } from '../../lib/errors.js'
import { mergeResults } from '../../results/merge.js'
import type { NetworkHandle, SubmitObserver } from '../../simulator/types.js'
import { rebuildError, workerScript } from '../../simulator/cluster/worker-support.js'
import type { RunMeta } from '../engine/engine.js'
import type { Plan } from '../plan/plan.js'
import { countsOf, Progress } from '../engine/progress.js'
import type { FaultWindow, ResultsFile } from '../../results/results-format.js'
import { booksError, checkBooks, writeResults } from '../../results/results-writer.js'
import type { Scenario } from '../scenario/scenario.js'
import { TimeseriesLog } from '../../results/timeseries-file.js'
import { ArrivalRouter } from './arrival-router.js'
import { ProgressMerge } from './progress-merge.js'
import type { FromLoadWorker, LoadWorkerData, ToLoadWorker, WorkerTarget } from './worker-messages.js'
import { ShareRouter, workerGateway, workerSegment, type Segment } from './split.js'

export interface WorkersRunOptions {
  scenario: Scenario
  workers: number
  /** The plan of the whole run (or of the outer --segment share): routing and the planned-count check. */
  plan: Plan
  segment?: Segment
  rateScale?: number
  durationCapMs?: number
  outDir: string
  network: NetworkHandle
  /** The network's observer slot: the router goes in it. */
  relay: { target: SubmitObserver | undefined }
  kannel?: { sendsmsUrl: string; username: string; password: string }
  signal?: AbortSignal
  progress?: boolean
  meta: RunMeta
  /** Plan time 0 on this thread's performance.now() clock (start the network's timeline here). */
  onStart: (startPerf: number) => void
  /** The network's fault windows in run time, given the run's start. */
  faults: (runStart: number) => FaultWindow[]
  /** The network's and the gateway's own sides, taken when every worker is done (see RunOptions.sides). */
  sides?: (runStart: number) => Promise<Pick<ResultsFile, 'network' | 'gateway'>>
}

interface Member {
  worker: Worker
  exited: Promise<void>
  results?: ResultsFile
  error?: Error
}

export async function runLoadInWorkers(o: WorkersRunOptions): Promise<ResultsFile> {
  const { scenario, workers } = o
  if (!Number.isInteger(workers) || workers < 1) throw new MtsimError('MTSIM_ERR_OPTION', ['--workers', 'a whole number of 1 or more', String(workers)])
  if (!scenario.file) throw new MtsimError('MTSIM_ERR_WORKERS', [String(workers), 'each worker loads the scenario file again; this scenario was built in code and has none'])
  // Refuse a cut that cannot work (binds over max_binds, a fixed webhook port) before any thread starts.
  for (let w = 0; w < workers; w++) if (scenario.gateway.kind !== 'kannel') workerGateway(scenario.gateway, scenario.network, workers, w)
  const script = workerScript(import.meta.url, 'loadgen/workers/load-worker', 2)

  const target: WorkerTarget = o.kannel
    ? // Only the three fields: the handle run-scenario passes has functions (status, stop), which
      // no worker message can carry (DataCloneError).
      { kind: 'kannel', sendsmsUrl: o.kannel.sendsmsUrl, username: o.kannel.username, password: o.kannel.password }
    : scenario.gateway.kind === 'direct'
      ? {
          kind: 'direct',
          ports: Object.fromEntries(o.network.operators.map((op) => [op.config.id, op.port])),
          tls: Object.fromEntries(o.network.operators.flatMap((op) => (op.tls ? [[op.config.id, op.tls]] : []))),
        }
      : { kind: 'scenario' }
  const { segment: _whole, ...meta } = o.meta
  const members: Member[] = Array.from({ length: workers }, (_, w) => {
    const data: LoadWorkerData = {
      scenarioFile: scenario.file!, worker: w, workers, segment: workerSegment(o.segment, w, workers),
      rateScale: o.rateScale, durationCapMs: o.durationCapMs, outDir: join(o.outDir, 'workers', String(w)),
      target, meta, mainTimeOrigin: performance.timeOrigin,
    }
    const worker = new Worker(script, { workerData: data })
    return { worker, exited: new Promise<void>((resolve) => worker.once('exit', () => resolve())) }
  })
  const send = (w: number, m: ToLoadWorker, transfer: ArrayBuffer[] = []) => members[w]!.worker.postMessage(m, transfer)
  const everyone = (m: ToLoadWorker) => members.forEach((_, w) => send(w, m))

  const arrivals = new ArrivalRouter(o.network.config.operators.map((op) => op.id), new ShareRouter(o.plan.streams, workers, o.segment), send, workers)
  o.relay.target = arrivals
  const progress = new Progress(o.progress ?? false)
  const lines = new ProgressMerge(workers, progress)
  let ready = 0
  let runStart: number | undefined
  let aborted = false
  let lastFaults = ''
  const abort = () => {
    if (aborted) return
    aborted = true
    arrivals.flush()
    everyone({ type: 'abort' })
  }
  const onSignal = () => abort()
  if (o.signal?.aborted) abort()
  else o.signal?.addEventListener('abort', onSignal, { once: true })

  members.forEach((m, w) => {
    m.worker.on('error', (err) => {
      m.error ??= new Error(`load generator worker ${w + 1} failed: ${err.message}`)
      abort()
    })
    m.worker.on('message', (msg: FromLoadWorker) => {
      switch (msg.type) {
        case 'ready':
          // Everyone's binds are up: start the plan clocks together.
          if (++ready === workers) everyone({ type: 'go' })
          return
        case 'started': {
          const t = msg.atAbs - performance.timeOrigin
          if (runStart === undefined) o.onStart(t)
          runStart = Math.min(runStart ?? t, t)
          return
        }
        case 'progress': {
          lines.update(w, msg.snapshot)
          const windows = runStart === undefined ? [] : o.faults(runStart)
          const key = JSON.stringify(windows)
          if (key !== lastFaults) (lastFaults = key), everyone({ type: 'faults', windows })
          return
        }
        case 'done':
          m.results = msg.results
          lines.finish(w)
          // Its share is written and here: end the thread even if a library left a handle open.
          void m.worker.terminate()
          // A share that stopped early (abortOnFail) stops the run.
          if (msg.results.meta.interrupted) abort()
          return
        case 'failed':
          m.error ??= rebuildError(msg.error, `load generator worker ${w + 1}`)
          lines.finish(w)
          // A failed run may leave binds open in the thread: end it (ours, by its handle).
          void m.worker.terminate()
          return abort()
      }
    })
  })

  try {
    await Promise.all(members.map((m) => m.exited))
  } finally {
    o.signal?.removeEventListener('abort', onSignal)
    o.relay.target = undefined
  }
  const failed = members.find((m) => m.error)
  if (failed) throw failed.error
  const lost = members.flatMap((m, w) => (m.results ? [] : [w + 1]))
  if (lost.length) throw new MtsimError('MTSIM_ERR_WORKER_FAILED', [`load generator worker(s) ${lost.join(', ')}`, 'ended without results'])

  return await finish(o, members.map((m) => m.results!), runStart ?? performance.now(), progress)
}

/** Merges the shares, checks the books of the whole, writes results.json and the merged time series. */
async function finish(o: WorkersRunOptions, shares: ResultsFile[], runStart: number, progress: Progress): Promise<ResultsFile> {
  const { results } = mergeResults(shares.map((r, w) => ({ file: join(o.outDir, 'workers', String(w), 'results.json'), results: r })))
  results.meta.segment = o.meta.segment ?? null
  results.faults = o.faults(runStart)
  const sides = await o.sides?.(runStart)
  if (sides?.network) results.network = sides.network
  if (sides?.gateway) results.gateway = sides.gateway
  const problems = checkBooks(results)
  if (!results.meta.interrupted && results.totals.planned !== o.plan.planned) problems.push(`planned ${results.totals.planned} != the plan's ${o.plan.planned}`)
  const series = new TimeseriesLog(join(o.outDir, 'timeseries.ndjson'))
  for (const p of results.timeseries) series.append(p)
  series.close()
  const path = writeResults(o.outDir, results)
  if (problems.length) throw booksError(problems, path)
  const t = results.totals
  progress.end(
    {
      elapsedMs: results.meta.durationMs, durationMs: o.plan.durationMs, draining: false, plannedRate: 0, sentRate: 0,
      plannedTotal: o.plan.planned, inFlight: 0, awaiting: 0, ...countsOf(t),
    },
    results.meta.interrupted ? 'interrupted' : 'done',
  )
  return results
}
