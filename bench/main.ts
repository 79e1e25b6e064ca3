// `npm run bench`: how fast mtsim is against the `smpp` package, whether memory stays flat over
// a long soak, the HTTP paths, and the pending-receipt store's size. Issue 6: a load harness
// slower than the system it tests measures itself. The LAST line is always
//   full-cycle: <N> msg/s, baseline <M> msg/s, ratio <R>x
// Before it: `mo: <N> MO/s ...` (bench/mo/mo-bench.ts, MO deliver_sm through the full path).
// Options: --only full-cycle|mo|soak|http|receipt-store|timeouts|fuzz|model|model-check, --seconds N, --messages N (soak; fuzz: PDUs),
// --window N, --binds N, --rate N (planned msg/s; full-cycle default: probe for the ceiling,
// soak default 60000).
import { parseArgs } from 'node:util'
import { header } from './format.js'
import { fullCycle } from './pair/full-cycle.js'
import { fuzzBench } from './fuzz/fuzz.js'
import { httpBench } from './http/http.js'
import { modelBench } from './model/model.js'
import { moBench } from './mo/mo-bench.js'
import { modelCheck } from './model/model-check.js'
import { receiptStoreBench } from './receipt-store.js'
import { soak } from './pair/soak.js'
import { timeoutsBench } from './timeouts.js'

const SECTIONS = ['full-cycle', 'mo', 'soak', 'http', 'receipt-store', 'timeouts', 'fuzz', 'model', 'model-check'] as const
type Section = (typeof SECTIONS)[number]
/**
 * Soak rate unless --rate: about half of what the pair sustains on a 2-core machine (~120k msg/s),
 * so a brief burst of other work does not make it drop sends; 100 million messages take ~28 min.
 */
const SOAK_RATE = 60_000

function usage(why: string): never {
  process.stderr.write(`bench: ${why}\nusage: npm run bench -- [--only ${SECTIONS.join('|')}] [--seconds N] [--messages N] [--window N] [--binds N] [--rate N]\n`)
  process.exit(2)
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) usage(`--${name} must be a number above 0 (found ${JSON.stringify(value)})`)
  return n
}

let args
try {
  args = parseArgs({
    options: {
      only: { type: 'string' },
      seconds: { type: 'string' },
      messages: { type: 'string' },
      window: { type: 'string' },
      binds: { type: 'string' },
      rate: { type: 'string' },
    },
  }).values
} catch (err) {
  usage((err as Error).message)
}
if (args.only !== undefined && !SECTIONS.includes(args.only as Section)) usage(`--only must be one of ${SECTIONS.join(', ')} (found ${JSON.stringify(args.only)})`)
const only = args.only as Section | undefined
const seconds = positive('seconds', args.seconds, 10)
const window = Math.round(positive('window', args.window, 2000))
const binds = Math.round(positive('binds', args.binds, 1))
const rate = args.rate === undefined ? 0 : positive('rate', args.rate, 0)
const log = (line: string) => process.stdout.write(line + '\n')

log(header())
/** fuzz and timeouts run only when asked for (--only): they measure robustness and accuracy, not speed. */
const want = (s: Section) => (only === undefined ? s !== 'fuzz' && s !== 'timeouts' : only === s)

/** Runs one section; its problems (or a failure) are printed and fail the exit code, the rest still runs. */
async function section(name: Section, run: () => Promise<string[]>): Promise<void> {
  if (!want(name)) return
  try {
    const problems = await run()
    if (problems.length) {
      log(`${name}: FAILED: ${problems.join('; ')}`)
      process.exitCode = 1
    }
  } catch (err) {
    log(`${name}: FAILED: ${(err as Error).message}`)
    process.exitCode = 1
  }
}

let summary: string | undefined
await section('full-cycle', async () => {
  const r = await fullCycle({ seconds, window, binds, rate, log })
  summary = `full-cycle: ${Math.round(r.mtsimRate)} msg/s, baseline ${Math.round(r.baselineRate)} msg/s, ratio ${(r.mtsimRate / r.baselineRate).toFixed(1)}x`
  return r.problems
})
await section('receipt-store', () => receiptStoreBench(10_000_000, 400 * 1048576, log))
await section('http', () => httpBench(Math.round(5000 * seconds), log))
await section('model', () => modelBench(log))
// Ten minutes of real runs against the model: only when asked for (--only model-check).
if (only === 'model-check') await section('model-check', () => modelCheck(log))
// Without --only soak or --messages (a plain `npm run bench`), a short soak of a million messages.
const soakMessages = Math.round(positive('messages', args.messages, only === 'soak' ? 10_000_000 : 1_000_000))
await section('soak', () => soak({ messages: soakMessages, rate: rate || SOAK_RATE, window, binds, rssLimit: 256 * 1048576, log }))
await section('timeouts', () => timeoutsBench(log))
let moLine: string | undefined
await section('mo', async () => {
  const r = await moBench({ seconds: Math.min(seconds, 5), log })
  moLine = `mo: ${Math.round(r.rate)} MO/s beside the MT full cycle`
  return r.problems
})
await section('fuzz', () => fuzzBench(Math.round(positive('messages', args.messages, 1_000_000)), log))
// MO beside MT, just above the last line.
if (moLine) log(summary ? `${moLine} (${summary.replace(/,.*/, '')})` : moLine)
// Issue 6 reads this line: it stays the last one.
if (summary) log(summary)
