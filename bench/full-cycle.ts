// Full cycle (submit_sm, submit_sm_resp, deliver_sm receipt, deliver_sm_resp) through the real
// product path, simulator and load generator in separate processes, at the highest rate the pair
// sustains; then the `smpp` package's client and server through the same cycle. The plan is an
// open loop, so the ceiling is found by short probes at rising rates (far above capacity the load
// generator would spend its time making and dropping messages it cannot send: the engine plans
// every message that falls due). The measured run plans a little above the best probe, so the
// window never idles, with a max lag long enough that nothing is dropped.
import { runBaseline, type BaselineResult } from './baseline.js'
import { int, mb, perMsgUs } from './format.js'
import { runPair, type PairResult } from './mtsim-pair.js'

export interface FullCycleOptions {
  seconds: number
  window: number
  binds: number
  /** Planned rate; 0 = probe for it. */
  rate: number
  log: (line: string) => void
}

export interface FullCycleResult {
  mtsimRate: number
  baselineRate: number
  /** Books that did not balance in the measured run (empty when every message was accounted for). */
  problems: string[]
}

const PROBE_START = 20_000
const PROBE_STEP = 1.4
const PROBE_SECONDS = 3
/** A probe that delivers this share of its planned rate (start-up included) sustained it. */
const SUSTAINED = 0.95
/** The smpp package's rate on these machines (reference/SMPP.md), to size its run to ~seconds. */
const BASELINE_EXPECTED_RATE = 30_000

export async function fullCycle(o: FullCycleOptions): Promise<FullCycleResult> {
  let rate = o.rate
  if (rate <= 0) {
    let best = 0
    for (let r = PROBE_START; ; r = Math.round(r * PROBE_STEP)) {
      const messages = r * PROBE_SECONDS
      const p = await runPair({ messages, rate: r, window: o.window, binds: o.binds, maxLagMs: 2000, progressEvery: 1e9 }, 'full-cycle-probe')
      const achieved = (p.totals.delivered / p.elapsedMs) * 1000
      best = Math.max(best, achieved)
      o.log(`probe: planned ${int(r)} msg/s, ${int(achieved)} msg/s delivered (${p.totals.dropped} dropped)`)
      if (achieved < r * SUSTAINED) break
    }
    rate = Math.round(best * 1.1)
  }
  const messages = Math.round(rate * o.seconds)
  const r = await runPair({ messages, rate, window: o.window, binds: o.binds, maxLagMs: o.seconds * 1000, progressEvery: 1e9 }, 'full-cycle')
  const mtsimRate = (r.totals.delivered / r.elapsedMs) * 1000
  printPair(o.log, r, `full-cycle mtsim (plan ${int(rate)} msg/s, window ${o.window} x ${o.binds} bind${o.binds > 1 ? 's' : ''})`)

  const b = await runBaseline(Math.round(BASELINE_EXPECTED_RATE * o.seconds), o.window)
  const baselineRate = (b.messages / b.elapsedMs) * 1000
  printBaseline(o.log, b, baselineRate)
  const t = r.totals
  const problems: string[] = []
  if (t.delivered !== messages || t.missing || t.duplicate_receipts || t.unknown_receipts || r.sim.receiptsSent !== t.delivered) {
    problems.push(`books: delivered ${t.delivered} of ${messages}, missing ${t.missing}, duplicates ${t.duplicate_receipts}, unknown ${t.unknown_receipts}, simulator receipts ${r.sim.receiptsSent}`)
  }
  if (b.messages !== Math.round(BASELINE_EXPECTED_RATE * o.seconds)) problems.push(`baseline completed ${b.messages} cycles`)
  return { mtsimRate, baselineRate, problems }
}

export function printPair(log: (line: string) => void, r: PairResult, title: string): void {
  const t = r.totals
  const n = t.delivered
  log(`${title}: ${int(n)} cycles in ${(r.elapsedMs / 1000).toFixed(2)} s = ${int((n / r.elapsedMs) * 1000)} msg/s`)
  log(`  load generator: ${perMsgUs(r.load.cpuUs, n)} CPU/msg, peak RSS ${mb(r.load.peakRss)}`)
  log(`  simulator:      ${perMsgUs(r.sim.cpuUs, n)} CPU/msg, peak RSS ${mb(r.sim.peakRss)}`)
  log(
    `  books: planned ${t.planned}, sent ${t.sent}, dropped ${t.dropped}, accepted ${t.accepted}, delivered ${t.delivered}, ` +
      `missing ${t.missing}, duplicates ${t.duplicate_receipts}, unknown ${t.unknown_receipts}; simulator submits ${r.sim.submits}, ` +
      `receipts sent ${r.sim.receiptsSent}, acked ${r.sim.receiptsAcked}, pending ${r.sim.pending}`,
  )
}

function printBaseline(log: (line: string) => void, b: BaselineResult, rate: number): void {
  log(`full-cycle smpp package (baseline): ${int(b.messages)} cycles in ${(b.elapsedMs / 1000).toFixed(2)} s = ${int(rate)} msg/s`)
  log(`  client: ${perMsgUs(b.client.cpuUs, b.messages)} CPU/msg, peak RSS ${mb(b.client.peakRss)} (CPU since process start)`)
  log(`  server: ${perMsgUs(b.server.cpuUs, b.messages)} CPU/msg, peak RSS ${mb(b.server.peakRss)}; cycles ${b.server.cycles}`)
}
