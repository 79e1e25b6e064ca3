// `npm run bench`: how fast mtsim is against the `smpp` package, whether memory stays flat over
// a long soak, the HTTP paths, and the pending-receipt store's size. Issue 6: a load harness
// slower than the system it tests measures itself. The LAST line is always
//   full-cycle: <N> msg/s, baseline <M> msg/s, ratio <R>x
// Options: --only full-cycle|soak|http|receipt-store, --seconds N, --messages N (soak),
// --window N, --binds N, --rate N (planned msg/s; full-cycle default: probe for the ceiling,
// soak default 40000).
import { parseArgs } from 'node:util'
import { header } from './format.js'
import { fullCycle } from './full-cycle.js'
import { httpBench } from './http.js'
import { receiptStoreBench } from './receipt-store.js'
import { soak } from './soak.js'

const SECTIONS = ['full-cycle', 'soak', 'http', 'receipt-store'] as const
type Section = (typeof SECTIONS)[number]
/** Soak rate unless --rate: below what the pair sustains on a 2-core machine, so nothing is dropped. */
const SOAK_RATE = 40_000

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
const want = (s: Section) => only === undefined || only === s
let summary: string | undefined
if (want('full-cycle')) {
  const r = await fullCycle({ seconds, window, binds, rate, log })
  summary = `full-cycle: ${Math.round(r.mtsimRate)} msg/s, baseline ${Math.round(r.baselineRate)} msg/s, ratio ${(r.mtsimRate / r.baselineRate).toFixed(1)}x`
}
if (want('receipt-store')) {
  const problems = await receiptStoreBench(10_000_000, 400 * 1048576, log)
  if (problems.length) {
    log(`receipt store: FAILED: ${problems.join('; ')}`)
    process.exitCode = 1
  }
}
if (want('http')) {
  const problems = await httpBench(Math.round(5000 * seconds), log)
  if (problems.length) {
    log(`http: FAILED: ${problems.join('; ')}`)
    process.exitCode = 1
  }
}
if (want('soak')) {
  // Without --only soak (a plain `npm run bench`), a short soak; --messages asks for a long one.
  const messages = Math.round(positive('messages', args.messages, only === 'soak' ? 10_000_000 : 1_000_000))
  const problems = await soak({ messages, rate: rate || SOAK_RATE, window, binds, rssLimit: 256 * 1048576, log })
  if (problems.length) process.exitCode = 1
}
if (summary) log(summary)
