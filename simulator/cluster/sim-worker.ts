// A simulator worker thread: runs some operators of a network (each whole: binds, receipts and
// faults of an account stay together) on its own scheduler and event loop, and talks to the main
// thread's proxy (cluster-network.ts) over its parentPort: ports at start, a stats snapshot a few
// times a second and after every command, accepted messages in batches, an exact snapshot at close.
import { bug } from '../../lib/errors.js'
import { parentPort, workerData } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { Operator } from '../operator.js'
import { Scheduler } from '../scheduler.js'
import type { ActiveFault, SubmitObserver } from '../types.js'
import type { FromWorker, SimWorkerData, Snapshot, ToWorker } from './cluster-messages.js'
import { serializeError } from './worker-support.js'

const port = parentPort
if (!port) bug('sim-worker.ts runs as a worker thread (simulator/cluster/cluster-network.ts starts it)')
const data = workerData as SimWorkerData
const post = (m: FromWorker) => port.postMessage(m)

/** Set in an arrival's operator index for a copy the operator swallowed (never answered). */
const SWALLOWED_BIT = 0x8000

/** Accepted (and swallowed) messages, flushed once per event-loop turn: one post for everything a socket read brought. */
class ArrivalBatch implements SubmitObserver {
  private ops: number[] = []
  private dests: string[] = []
  private texts: string[] = []
  private times: number[] = []
  private scheduled = false
  private readonly index = new Map(data.config.operators.map((o, i) => [o.id, i]))

  onMessage(operatorId: string, destination: string, text: string, nowUs: number, taken: boolean): void {
    // A swallowed copy (not taken) travels with the operator index's top bit set.
    this.ops.push(this.index.get(operatorId)! | (taken ? 0 : SWALLOWED_BIT))
    this.dests.push(destination)
    this.texts.push(text)
    this.times.push(nowUs)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.flush)
    }
  }

  readonly flush = (): void => {
    this.scheduled = false
    if (!this.ops.length) return
    post({ type: 'arrivals', operators: Uint16Array.from(this.ops), destinations: this.dests, texts: this.texts, timesUs: Float64Array.from(this.times) })
    this.ops = []
    this.dests = []
    this.texts = []
    this.times = []
  }
}

const scheduler = new Scheduler()
// The proxy's network start on this thread's clock: fault windows of every worker share one origin.
const startedAt = data.startedAtAbs - performance.timeOrigin
const history: ActiveFault[] = []
const arrivals = data.observe ? new ArrivalBatch() : undefined
const operators = data.operators.map(
  (i) =>
    new Operator(data.config.operators[i]!, {
      seed: data.config.seed, scheduler, startedAt, observer: arrivals, history, manualTimeline: data.manualTimeline,
    }),
)
let acked = -1
let statsTimer: NodeJS.Timeout | undefined

function snapshot(binds?: Snapshot['stats'][number]['binds'][]): Snapshot {
  return {
    stats: operators.map((op, i) => {
      const s = op.stats()
      return binds ? { ...s, binds: binds[i]! } : s
    }),
    active: operators.map((op) => op.activeFaults()),
    history,
    acked,
  }
}

async function start(): Promise<void> {
  try {
    for (const op of operators) await op.listen()
  } catch (err) {
    scheduler.stop()
    await Promise.all(operators.map((op) => op.close()))
    post({ type: 'start-failed', error: serializeError(err) })
    port!.close()
    return
  }
  post({ type: 'ready', ports: operators.map((op) => op.port), tls: operators.map((op) => op.tls ?? null), timeOrigin: performance.timeOrigin })
  statsTimer = setInterval(() => post({ type: 'snapshot', snapshot: snapshot() }), data.statsEveryMs)
  port!.on('message', onCommand)
}

function onCommand(m: ToWorker): void {
  switch (m.type) {
    case 'inject':
      operators[m.operator]!.injectFault(m.fault)
      acked = m.cmd
      return post({ type: 'snapshot', snapshot: snapshot() })
    case 'clear':
      operators[m.operator]!.clearFaults()
      acked = m.cmd
      return post({ type: 'snapshot', snapshot: snapshot() })
    case 'timeline': {
      const origin = m.originAbs - performance.timeOrigin
      for (const op of operators) op.startTimeline(origin)
      return
    }
    case 'close':
      return void close()
  }
}

/** Stops like startNetwork's close(); the final snapshot keeps the binds as they were when close began. */
async function close(): Promise<void> {
  clearInterval(statsTimer)
  const binds = operators.map((op) => op.stats().binds)
  scheduler.stop()
  await Promise.all(operators.map((op) => op.close()))
  arrivals?.flush()
  post({ type: 'final', snapshot: snapshot(binds) })
  port!.close()
}

void start()
