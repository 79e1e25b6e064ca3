// A load generator worker thread of `mtsim run --workers N`: loads the scenario again, plays its
// execution segment of the plan through its own transport (its own binds, its own receipt
// webhook) with the ordinary engine, and writes its share's results to its own folder. The main
// thread (run-workers.ts) holds every worker at the starting line until all binds are up, feeds
// it the arrivals of its messages, and merges the shares.
import { bug } from '../../lib/errors.js'
import { parentPort, workerData } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { runLoad } from '../engine/engine.js'
import { buildPlan } from '../plan/plan.js'
import { loadScenario } from '../scenario/scenario.js'
import { formatTag } from '../../lib/tag.js'
import type { FaultWindow } from '../../results/results-format.js'
import type { ReceiptSink, Transport } from '../transports/transport.js'
import { createTransport, HttpTransport, kannelHttpGateway } from '../transports/index.js'
import type { SubmitObserver } from '../../simulator/types.js'
import { serializeError } from '../../simulator/cluster/worker-support.js'
import type { FromLoadWorker, LoadWorkerData, ToLoadWorker } from './worker-messages.js'
import { spreadCount, workerGateway, workerOperator } from './split.js'
import type { GatewayConfig } from '../scenario/gateway-config.js'

const port = parentPort
if (!port) bug('load-worker.ts runs as a worker thread (loadgen/workers/run-workers.ts starts it)')
const data = workerData as LoadWorkerData
const post = (m: FromLoadWorker) => port.postMessage(m)

/** Holds the engine at the starting line: start() resolves once the binds are up and the main thread says go. */
class StartingLine implements Transport {
  private go!: () => void
  private readonly going = new Promise<void>((resolve) => (this.go = resolve))
  constructor(private readonly inner: Transport) {}
  get name(): string {
    return this.inner.name
  }
  get receiptsCarryIds(): boolean | undefined {
    return this.inner.receiptsCarryIds
  }
  async start(receipts: ReceiptSink): Promise<void> {
    await this.inner.start(receipts)
    post({ type: 'ready' })
    await this.going
  }
  release(): void {
    this.go()
  }
  capacity(): number {
    return this.inner.capacity()
  }
  canSend(msg: Parameters<NonNullable<Transport['canSend']>>[0]): boolean {
    return this.inner.canSend ? this.inner.canSend(msg) : true
  }
  send(...args: Parameters<Transport['send']>): void {
    this.inner.send(...args)
  }
  close(): Promise<void> {
    return this.inner.close()
  }
}

function transportFor(gateway: GatewayConfig): Transport {
  const t = data.target
  switch (t.kind) {
    case 'direct': {
      // Each worker binds with its own copy of the account (split.ts workerNetwork), so its receipts come back to it.
      const network = {
        operators: scenario.network.operators.map((op) => ({ config: workerOperator(op, gateway, data.worker), port: t.ports[op.id]!, tls: t.tls?.[op.id] })),
      }
      return createTransport({ gateway }, network)
    }
    case 'kannel': {
      const g = kannelHttpGateway(t.sendsmsUrl, t.username, t.password)
      return new HttpTransport({ ...g, connections: spreadCount(g.connections, data.workers, data.worker) })
    }
    case 'scenario':
      return createTransport({ gateway })
  }
}

const scenario = loadScenario(data.scenarioFile)
const controller = new AbortController()
let observer: SubmitObserver | undefined
let faults: FaultWindow[] = []
// Arrival times come on the main thread's clock: add this to put them on ours.
const shiftUs = (data.mainTimeOrigin - performance.timeOrigin) * 1000
const ids = scenario.network.operators.map((o) => o.id)
let line: StartingLine | undefined

port.on('message', (m: ToLoadWorker) => {
  switch (m.type) {
    case 'go':
      return line?.release()
    case 'abort':
      // Also from the starting line (another worker failed to bind): the engine then ends at once, interrupted.
      controller.abort()
      return line?.release()
    case 'faults':
      faults = m.windows
      return
    case 'arrivals': {
      const o = observer
      if (!o) return
      // arrival-router.ts sets the operator index's top bit for a copy the operator swallowed.
      for (let i = 0; i < m.seqs.length; i++) {
        const op = m.operators[i]!
        o.onMessage(ids[op & 0x7fff]!, '', formatTag(m.seqs[i]!), m.timesUs[i]! + shiftUs, (op & 0x8000) === 0)
      }
      return
    }
  }
})

async function main(): Promise<void> {
  const gateway = data.target.kind === 'kannel' ? scenario.gateway : workerGateway(scenario.gateway, scenario.network, data.workers, data.worker)
  const plan = buildPlan(scenario, { segment: data.segment, rateScale: data.rateScale, durationCapMs: data.durationCapMs })
  line = new StartingLine(transportFor(gateway))
  if (controller.signal.aborted) line.release()
  const results = await runLoad({
    scenario,
    plan,
    transport: line,
    outDir: data.outDir,
    signal: controller.signal,
    progress: false,
    observerHook: (o) => (observer = o),
    onStart: (t) => post({ type: 'started', atAbs: performance.timeOrigin + t }),
    onProgress: (snapshot) => post({ type: 'progress', snapshot }),
    faults: () => faults,
    failover: scenario.gateway.kind === 'kannel' ? scenario.gateway.failover : undefined,
    meta: { ...data.meta, segment: { index: data.worker, count: data.workers } },
  })
  post({ type: 'done', results })
}

main().then(
  () => port.close(),
  (err: unknown) => {
    post({ type: 'failed', error: serializeError(err) })
    port.close()
  },
)
