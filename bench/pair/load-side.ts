// Bench child: the real load generator in its own process — a scenario (inline network, smpp
// gateway aimed at the simulator process), buildPlan, the engine (runLoad: HDR histograms,
// correlator, results.json with its books check) and the SmppTransport. Only the transport is
// wrapped, to count final receipts for progress lines and to time the last one.
// IPC (bench/side-messages.ts): <- 'run'; -> 'started', 'progress', 'finished' (last final receipt
// in), then 'done' with the figures or 'failed'.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { getHeapSpaceStatistics } from 'node:v8'
import { runLoad } from '../../loadgen/engine/engine.js'
import { buildPlan } from '../../loadgen/plan/plan.js'
import { parseScenario } from '../../loadgen/scenario/scenario.js'
import type { IncomingReceipt, OutboundMessage, ReceiptSink, SubmitOutcome, Transport } from '../../loadgen/transports/transport.js'
import { createTransport } from '../../loadgen/transports/index.js'
import { BENCH_ACCOUNT, BENCH_OPERATOR, benchNetwork } from './bench-network.js'
import { trackPeakRss } from '../side-report.js'
import type { LoadRun, LoadSideIn, LoadSideOut } from '../side-messages.js'

const peak = trackPeakRss()
const send = (m: LoadSideOut) => process.send!(m)

/** Counts final receipts on their way to the engine; costs one increment per receipt. */
class CountingTransport implements Transport {
  finals = 0
  lastFinalAt = 0
  cpuAtLastFinal = 0
  constructor(
    private readonly inner: Transport,
    private readonly total: number,
    private readonly every: number,
  ) {}
  get name(): string {
    return this.inner.name
  }
  get receiptsCarryIds(): boolean | undefined {
    return this.inner.receiptsCarryIds
  }
  start(sink: ReceiptSink): Promise<void> {
    return this.inner.start({
      onReceipt: (r: IncomingReceipt) => {
        sink.onReceipt(r)
        if (!r.final) return
        const n = ++this.finals
        if (n % this.every === 0) send({ type: 'progress', finals: n, rss: process.memoryUsage.rss(), memory: process.env.MTSIM_BENCH_MEMORY ? heapSpaces() : undefined })
        if (n === this.total) {
          this.lastFinalAt = performance.now()
          const cpu = process.cpuUsage()
          this.cpuAtLastFinal = cpu.user + cpu.system
          send({ type: 'finished' })
        }
      },
    })
  }
  capacity(): number {
    return this.inner.capacity()
  }
  canSend(msg: OutboundMessage): boolean {
    return this.inner.canSend ? this.inner.canSend(msg) : true
  }
  send(msg: OutboundMessage, done: (o: SubmitOutcome) => void): void {
    this.inner.send(msg, done)
  }
  close(): Promise<void> {
    return this.inner.close()
  }
}

/** MTSIM_BENCH_MEMORY=1: heap space sizes in MB with each progress line (memory investigations). */
function heapSpaces(): Record<string, number> {
  const m = process.memoryUsage()
  const out: Record<string, number> = { rss: Math.round(m.rss / 1048576), heapTotal: Math.round(m.heapTotal / 1048576), heapUsed: Math.round(m.heapUsed / 1048576), external: Math.round(m.external / 1048576), arrayBuffers: Math.round(m.arrayBuffers / 1048576) }
  for (const s of getHeapSpaceStatistics()) out[s.space_name.replace('_space', '')] = Math.round(s.space_used_size / 1048576)
  return out
}

async function run(o: LoadRun): Promise<void> {
  const seconds = Math.ceil(o.messages / o.rate) + 1
  const scenario = parseScenario(
    {
      name: 'bench',
      seed: 1,
      network: benchNetwork(),
      gateway: { kind: 'smpp', host: '127.0.0.1', port: o.port, ...BENCH_ACCOUNT, binds: o.binds, window: o.window, mode: 'transceiver' },
      streams: [
        {
          name: 'bench',
          executor: 'constant-arrival-rate',
          rate: o.rate,
          duration: `${seconds}s`,
          messages: o.messages,
          traffic: { destinations: [{ operator: BENCH_OPERATOR }], msisdn_length: 10, senders: ['MTSIM'], templates: ['Your code is {{otp}}'] },
        },
      ],
      receipts: { wait: '60s' },
      scheduling: { late_after: '10ms', max_lag: `${o.maxLagMs}ms` },
    },
    'bench scenario',
    process.cwd(),
  )
  const plan = buildPlan(scenario)
  const transport = new CountingTransport(createTransport(scenario), o.messages, o.progressEvery)
  mkdirSync(o.outDir, { recursive: true })
  let startedAt = 0
  let cpuAtStart = 0
  /** Final receipts in when the warm-up ended (the measured window starts there). */
  let finalsAtStart = 0
  const results = await runLoad({
    scenario,
    plan,
    transport,
    outDir: o.outDir,
    // results.json gets the series from timeseries.ndjson; the soak's memory must not grow with its hours.
    keepTimeseries: false,
    onStart: (t) => {
      const mark = () => {
        startedAt = performance.now()
        finalsAtStart = transport.finals
        const cpu = process.cpuUsage()
        cpuAtStart = cpu.user + cpu.system
        send({ type: 'started' })
      }
      startedAt = t
      // The warm-up (JIT tiers, heap and table sizes settling) runs at the same plan, unmeasured.
      if ((o.warmupMs ?? 0) > 0) setTimeout(mark, o.warmupMs)
      else mark()
    },
  })
  const end = transport.finals === o.messages ? transport.lastFinalAt : performance.now()
  const cpuEnd = transport.finals === o.messages ? transport.cpuAtLastFinal : process.cpuUsage().user + process.cpuUsage().system
  const rss = process.memoryUsage.rss()
  send({
    type: 'done',
    elapsedMs: end - startedAt,
    cpuUs: cpuEnd - cpuAtStart,
    peakRss: Math.max(peak.value, rss),
    finals: transport.finals,
    measured: transport.finals - finalsAtStart,
    totals: results.totals,
    results: join(o.outDir, 'results.json'),
  })
}

process.on('message', (m: LoadSideIn) => {
  if (m.type === 'run') run(m).catch((err: Error) => send({ type: 'failed', error: err.message }))
})
process.on('SIGTERM', () => process.exit(0))
send({ type: 'ready' })
