// MO throughput: mobile-originated deliver_sm through the full path, in one process as `mtsim run`
// has it: a simulated operator's subscribers write (spontaneous MO at a high planned rate), the
// operator sends each as a deliver_sm (esm_class 0) to mtsim's bind, mtsim's SMPP client hands it
// to the MO tracker, which matches its " #M<id>" tag against the network's record of it. The
// figure is MO received and correlated per second from the first sent to the last received; every
// MO the network sent must arrive once (else the section fails).
import { performance } from 'node:perf_hooks'
import { decodeHistogram, percentiles } from '../../lib/hdr.js'
import { MoTracker } from '../../loadgen/mo/mo-tracker.js'
import { DirectTransport } from '../../loadgen/transports/direct.js'
import { parseNetwork } from '../../simulator/network.js'
import { startNetwork } from '../../simulator/start-network.js'
import { int } from '../format.js'
import { BENCH_ACCOUNT, BENCH_OPERATOR, BENCH_PREFIX } from '../pair/bench-network.js'

export interface MoBenchResult {
  /** MO received per second. */
  rate: number
  problems: string[]
}

/** Planned MO per second: above what one process carries, so the figure is the ceiling. */
const PLANNED_RATE = 150_000
/** After the subscribers stop: the most time MO already sent may take to arrive. */
const DRAIN_MS = 10_000

function moNetwork(rate: number): unknown {
  return {
    name: 'bench-mo',
    seed: 1,
    operators: [
      {
        id: BENCH_OPERATOR,
        mcc: '242',
        mnc: '01',
        prefixes: [BENCH_PREFIX],
        smpp: { port: 0, accounts: [{ ...BENCH_ACCOUNT, max_binds: 64 }] },
        receipts: { delay: { distribution: 'fixed', value: '0ms' }, window: 1_000_000 },
        mo: { spontaneous: { rate, from: `${BENCH_PREFIX}000000-${BENCH_PREFIX}999999`, to: ['4040'], texts: ['INFO'] } },
      },
    ],
  }
}

export async function moBench(opts: { seconds: number; log: (line: string) => void }): Promise<MoBenchResult> {
  const config = parseNetwork(moNetwork(PLANNED_RATE), 'bench-mo network')
  const tracker = new MoTracker([BENCH_OPERATOR], { application: 'naive', keywords: ['STOP'] })
  let first = 0
  let last = 0
  const network = await startNetwork(config, {
    timeline: 'manual',
    observer: {
      onMessage: () => {},
      onMo: (op, mo, atUs) => {
        if (!first) first = performance.now()
        tracker.moSent(op, mo, atUs)
      },
    },
  })
  const transport = new DirectTransport(network, { binds: 1, defaultBinds: 1, mode: 'transceiver', window: 100, responseTimeoutMs: 10_000, enquireLinkMs: 30_000, reconnectInitialMs: 250, reconnectMaxMs: 10_000 })
  try {
    await transport.start({
      onReceipt: () => {},
      onMo: (m) => {
        last = performance.now()
        tracker.arrived(m, last * 1000)
      },
    })
    network.startTimeline()
    await new Promise((r) => setTimeout(r, opts.seconds * 1000))
    network.stopMo!()
    const until = performance.now() + DRAIN_MS
    while (tracker.outstanding > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 20))
  } finally {
    await transport.close()
    await network.close()
  }
  const r = tracker.results()
  const t = r.totals
  const elapsed = last - first
  const rate = elapsed > 0 ? (t.received / elapsed) * 1000 : 0
  const p = percentiles(decodeHistogram(r.latency))
  opts.log(
    `mo: ${int(rate)} MO/s (deliver_sm MO through the full path: subscriber -> simulated operator -> SMPP bind -> mtsim's MO correlation; planned ${int(PLANNED_RATE)}/s), ` +
      `${int(t.received)} of ${int(t.sent)} received, ${t.lost} lost, ${t.duplicated} duplicated, transit p50 ${(p.p50 / 1000).toFixed(1)} ms p99 ${(p.p99 / 1000).toFixed(1)} ms`,
  )
  const problems: string[] = []
  if (t.lost || t.duplicated || t.unknown) problems.push(`MO books: ${t.sent} sent, ${t.received} received, ${t.lost} lost, ${t.duplicated} duplicated, ${t.unknown} unknown`)
  if (t.sent === 0) problems.push('no MO was sent')
  return { rate, problems }
}
