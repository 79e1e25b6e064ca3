// Full cycle (submit_sm, submit_sm_resp, deliver_sm receipt, deliver_sm_resp) through the real
// product path, simulator and load generator in separate processes, at the highest rate the pair
// sustains; then the `smpp` package's client and server through the same cycle. The plan is an
// open loop, so the ceiling is found by short probes: rising rates until one is not sustained,
// then halving the gap between the last sustained and the first failed rate. The measured run
// plans the highest sustained rate (above it the generator falls behind its plan and the figure
// says more about the backlog than the pair), with a max lag long enough that nothing is dropped.
// Every run (probes, the measured run, the baseline) starts with WARMUP_MS at its rate that is not
// measured: both sides are fresh processes whose first seconds run slower (JIT tiers, heap and
// table sizes settling) and would otherwise count against whichever rate is being tried.
// This machine's speed drifts with its host's load over tens of seconds, so the measured runs
// and the baseline alternate for ROUNDS rounds and each side's figure is the median of its rounds
// (every round is printed). A round that did not hold its probed plan counts with what it
// delivered, and the next round plans just below that.
import { runBaseline, type BaselineResult } from './baseline.js'
import { int, mb, perMsgUs } from '../format.js'
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

const WARMUP_MS = 2000
const PROBE_START = 40_000
/** How many times the probe falls below a start rate that was not sustained. */
const FALL_STEPS = 8
const PROBE_STEP = 1.25
const PROBE_SECONDS = 3
/** Bisection stops when the gap is this close (share of the sustained rate). */
const PROBE_PRECISION = 0.03
/** A probe that delivers this share of its planned rate (start-up and last receipts included) sustained it. */
const SUSTAINED = 0.97
/** Interleaved rounds of (mtsim measured run, baseline run). */
const ROUNDS = 3
/** The smpp package's rate on these machines (README, Performance), to size its run to ~seconds. */
const BASELINE_EXPECTED_RATE = 30_000

/** Cycles for a run of `seconds` measured at `rate`, after the warm-up at the same rate. */
const cyclesFor = (rate: number, seconds: number): number => Math.round((rate * (seconds * 1000 + WARMUP_MS)) / 1000)

/** Highest planned rate the pair sustains, by probing. */
export async function probeCeiling(o: FullCycleOptions): Promise<number> {
  const probe = async (r: number): Promise<boolean> => {
    const messages = cyclesFor(r, PROBE_SECONDS)
    const p = await runPair({ messages, rate: r, window: o.window, binds: o.binds, maxLagMs: 2000, progressEvery: 1e9, warmupMs: WARMUP_MS }, 'full-cycle-probe')
    const achieved = (p.measured / p.elapsedMs) * 1000
    const ok = achieved >= r * SUSTAINED && p.totals.dropped === 0
    o.log(`probe: planned ${int(r)} msg/s, ${int(achieved)} msg/s delivered (${p.totals.dropped} dropped): ${ok ? 'sustained' : 'not sustained'}`)
    return ok
  }
  let good = 0
  let bad = 0
  for (let r = PROBE_START; ; r = Math.round(r * PROBE_STEP)) {
    if (await probe(r)) good = r
    else {
      bad = r
      break
    }
  }
  // The start itself was not sustained: fall by the same step until a rate is (a bounded number
  // of times), then bisect as above. Halving once and measuring there would report a ceiling up
  // to half below the real one whenever the start rate was only just missed.
  for (let i = 0; good === 0 && i < FALL_STEPS; i++) {
    const r = Math.round(bad / PROBE_STEP)
    if (await probe(r)) good = r
    else bad = r
  }
  if (good === 0) return bad
  while (bad - good > good * PROBE_PRECISION) {
    const mid = Math.round((good + bad) / 2)
    if (await probe(mid)) good = mid
    else bad = mid
  }
  return good
}

export async function fullCycle(o: FullCycleOptions): Promise<FullCycleResult> {
  let rate = o.rate > 0 ? o.rate : await probeCeiling(o)
  const baselineTotal = cyclesFor(BASELINE_EXPECTED_RATE, o.seconds)
  const mtsimRates: number[] = []
  const baselineRates: number[] = []
  const problems: string[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    const messages = cyclesFor(rate, o.seconds)
    const r = await runPair({ messages, rate, window: o.window, binds: o.binds, maxLagMs: o.seconds * 1000, progressEvery: 1e9, warmupMs: WARMUP_MS }, 'full-cycle')
    const achieved = (r.measured / r.elapsedMs) * 1000
    mtsimRates.push(achieved)
    printPair(o.log, r, `full-cycle mtsim, round ${round} of ${ROUNDS} (plan ${int(rate)} msg/s, window ${o.window} x ${o.binds} bind${o.binds > 1 ? 's' : ''})`)
    const t = r.totals
    if (t.delivered !== messages || t.missing || t.duplicate_receipts || t.unknown_receipts || r.sim.receiptsSent !== t.delivered) {
      problems.push(`books: delivered ${t.delivered} of ${messages}, missing ${t.missing}, duplicates ${t.duplicate_receipts}, unknown ${t.unknown_receipts}, simulator receipts ${r.sim.receiptsSent}`)
    }
    const b = await runBaseline(baselineTotal, o.window, WARMUP_MS)
    const baselineRate = (b.messages / b.elapsedMs) * 1000
    baselineRates.push(baselineRate)
    printBaseline(o.log, b, baselineRate, `round ${round} of ${ROUNDS}`)
    if (b.total !== baselineTotal) problems.push(`baseline completed ${b.total} of ${baselineTotal} cycles`)
    // A probed rate this round did not hold for the whole run: the next one plans just below what it delivered.
    if (o.rate <= 0 && achieved < rate * SUSTAINED) rate = Math.round(Math.min(rate * 0.95, achieved * 0.98))
  }
  const mtsimRate = median(mtsimRates)
  const baselineRate = median(baselineRates)
  const list = (xs: number[]) => xs.map((x) => int(x)).join(', ')
  o.log(`full-cycle medians of ${ROUNDS} interleaved rounds: mtsim ${int(mtsimRate)} msg/s (${list(mtsimRates)}), baseline ${int(baselineRate)} msg/s (${list(baselineRates)})`)
  return { mtsimRate, baselineRate, problems }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

function printPair(log: (line: string) => void, r: PairResult, title: string): void {
  const t = r.totals
  const n = r.measured
  log(`${title}: ${int(n)} cycles in ${(r.elapsedMs / 1000).toFixed(2)} s after a ${WARMUP_MS / 1000}-s warm-up = ${int((n / r.elapsedMs) * 1000)} msg/s`)
  log(`  load generator: ${perMsgUs(r.load.cpuUs, n)} CPU/msg, peak RSS ${mb(r.load.peakRss)}`)
  log(`  simulator:      ${perMsgUs(r.sim.cpuUs, n)} CPU/msg, peak RSS ${mb(r.sim.peakRss)}`)
  log(
    `  books: planned ${t.planned}, sent ${t.sent}, dropped ${t.dropped}, accepted ${t.accepted}, delivered ${t.delivered}, ` +
      `missing ${t.missing}, duplicates ${t.duplicate_receipts}, unknown ${t.unknown_receipts}; simulator submits ${r.sim.submits}, ` +
      `receipts sent ${r.sim.receiptsSent}, acked ${r.sim.receiptsAcked}, pending ${r.sim.pending}`,
  )
}

function printBaseline(log: (line: string) => void, b: BaselineResult, rate: number, round: string): void {
  log(`full-cycle smpp package (baseline), ${round}: ${int(b.messages)} cycles in ${(b.elapsedMs / 1000).toFixed(2)} s after a ${WARMUP_MS / 1000}-s warm-up = ${int(rate)} msg/s`)
  log(`  client: ${perMsgUs(b.client.cpuUs, b.total)} CPU/msg, peak RSS ${mb(b.client.peakRss)} (CPU since process start, over all ${int(b.total)} cycles)`)
  log(`  server: ${perMsgUs(b.server.cpuUs, b.total)} CPU/msg, peak RSS ${mb(b.server.peakRss)}; cycles ${b.server.cycles}`)
}
