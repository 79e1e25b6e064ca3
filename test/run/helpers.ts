// Wiring for the acceptance tests of `mtsim run`: scenarios built inline (parsed through the same
// strict schema as files), output folders under out/test-run/, histogram percentiles, and the
// simulator's counters summed the way the load generator's totals are.
import { mkdirSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { parseScenario, type Scenario } from '../../loadgen/scenario/scenario.js'
import { decodeHistogram, percentiles, type Percentiles } from '../../lib/hdr.js'
import type { OperatorStats } from '../../simulator/types.js'

export const REPO = new URL('../../', import.meta.url).pathname
export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname
export const CLI = join(REPO, 'dist/cli/main.js')

/** An operator on a free port with one account; `over` replaces or adds keys. */
export function operator(id: string, prefix: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    mcc: '242',
    mnc: String(10 + prefix.length).padStart(2, '0'),
    prefixes: [prefix],
    smpp: { port: 0, accounts: [{ system_id: id.slice(0, 15), password: 'pw' }] },
    latency: { distribution: 'uniform', min: '1ms', max: '4ms' },
    receipts: { delay: { distribution: 'uniform', min: '10ms', max: '80ms' } },
    ...over,
  }
}

/** One constant-rate stream of `messages` sends over `seconds`, to the given operators by weight. */
export function stream(messages: number, seconds: number, operators: string[], more: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'load',
    executor: 'constant-arrival-rate',
    rate: messages / seconds,
    duration: `${seconds}s`,
    traffic: { destinations: operators.map((operator) => ({ operator })), msisdn_length: 10, templates: ['Your code is {{otp}}'] },
    ...more,
  }
}

export function scenario(value: Record<string, unknown>): Scenario {
  return parseScenario({ name: 'run-test', seed: 11, ...value }, 'run-test.yaml', REPO)
}

export function outDir(name: string): string {
  const root = join(REPO, 'out', 'test-run')
  mkdirSync(root, { recursive: true })
  return mkdtempSync(join(root, `${name}-`))
}

/** Percentiles (ms) of an encoded results.json histogram. */
export function pct(b64: string): Percentiles {
  const p = percentiles(decodeHistogram(b64))
  return { count: p.count, min: p.min / 1000, mean: p.mean / 1000, p50: p.p50 / 1000, p90: p.p90 / 1000, p99: p.p99 / 1000, p999: p.p999 / 1000, max: p.max / 1000 }
}

export const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0)

/** The simulator's submit answers other than ESME_ROK, by name. */
export function simRejections(s: OperatorStats): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [name, n] of Object.entries(s.statuses)) if (name !== 'ESME_ROK') out[name] = n
  return out
}
