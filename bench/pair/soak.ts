// Soak: many messages through the same two-process pair as full-cycle, at a steady planned rate,
// printing both sides' RSS as it goes (every million up to 10 million messages, every 10 million
// beyond). It ends by itself after --messages, then checks that every message is accounted for:
// the engine's books balance (it throws otherwise), nothing missing, no duplicate or unknown
// receipt, and the simulator counted exactly the submits and receipts the load generator did.
import { int, mb } from '../format.js'
import { runPair } from './mtsim-pair.js'

export interface SoakOptions {
  messages: number
  rate: number
  window: number
  binds: number
  /** Peak RSS each side must stay under. */
  rssLimit: number
  log: (line: string) => void
}

/** Returns the problems found (empty: passed). */
export async function soak(o: SoakOptions): Promise<string[]> {
  const every = o.messages <= 10_000_000 ? 1_000_000 : 10_000_000
  o.log(`soak: ${int(o.messages)} messages planned at ${int(o.rate)} msg/s (window ${o.window} x ${o.binds}); RSS every ${int(every)}`)
  const started = performance.now()
  const r = await runPair(
    {
      messages: o.messages,
      rate: o.rate,
      window: o.window,
      binds: o.binds,
      maxLagMs: 2000,
      progressEvery: every,
      onProgress: (n, loadRss, simRss) => {
        const s = (performance.now() - started) / 1000
        o.log(`  ${int(n).padStart(11)} cycles  ${s.toFixed(0).padStart(5)} s  RSS load generator ${mb(loadRss).padStart(7)}, simulator ${mb(simRss).padStart(7)}`)
      },
    },
    'soak',
  )
  const t = r.totals
  o.log(`  done: ${int(t.delivered)} cycles in ${(r.elapsedMs / 1000).toFixed(0)} s = ${int((t.delivered / r.elapsedMs) * 1000)} msg/s; peak RSS load generator ${mb(r.load.peakRss)}, simulator ${mb(r.sim.peakRss)}`)
  o.log(
    `  books: planned ${t.planned}, sent ${t.sent}, dropped ${t.dropped}, accepted ${t.accepted}, rejected ${t.rejected}, failed ${t.failed}, ` +
      `delivered ${t.delivered}, missing ${t.missing}, duplicates ${t.duplicate_receipts}, unknown ${t.unknown_receipts}`,
  )
  o.log(`  simulator: submits ${r.sim.submits}, receipts sent ${r.sim.receiptsSent}, acked ${r.sim.receiptsAcked}, pending ${r.sim.pending}`)
  const problems: string[] = []
  const expect = (ok: boolean, what: string) => ok || problems.push(what)
  expect(t.planned === o.messages, `planned ${t.planned}, expected ${o.messages}`)
  expect(t.sent + t.dropped === t.planned, `sent ${t.sent} + dropped ${t.dropped} != planned ${t.planned}`)
  expect(t.accepted + t.rejected + t.failed === t.sent, `accepted + rejected + failed != sent ${t.sent}`)
  expect(t.delivered === t.accepted, `delivered ${t.delivered} != accepted ${t.accepted}`)
  expect(t.missing === 0, `missing ${t.missing}`)
  expect(t.duplicate_receipts === 0, `duplicate receipts ${t.duplicate_receipts}`)
  expect(t.unknown_receipts === 0, `unknown receipts ${t.unknown_receipts}`)
  expect(r.sim.submits === t.sent, `simulator saw ${r.sim.submits} submits, load generator sent ${t.sent}`)
  expect(r.sim.receiptsSent === t.delivered, `simulator sent ${r.sim.receiptsSent} receipts, load generator matched ${t.delivered}`)
  expect(r.sim.receiptsAcked === r.sim.receiptsSent, `simulator got ${r.sim.receiptsAcked} receipt acks for ${r.sim.receiptsSent}`)
  expect(r.sim.pending === 0, `simulator still holds ${r.sim.pending} receipts`)
  expect(r.load.peakRss < o.rssLimit, `load generator peak RSS ${mb(r.load.peakRss)} over ${mb(o.rssLimit)}`)
  expect(r.sim.peakRss < o.rssLimit, `simulator peak RSS ${mb(r.sim.peakRss)} over ${mb(o.rssLimit)}`)
  // bench/main.ts prints the problems (`soak: FAILED: ...`).
  if (!problems.length) o.log(`soak: passed (books balance, missing 0, duplicates 0, peak RSS under ${mb(o.rssLimit)} each side)`)
  return problems
}
