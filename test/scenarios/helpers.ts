// Runs a shipped scenario from scenarios/ in-process through the real Kannel, shortened for the
// test suite (a tweak of the loaded scenario: a shorter timeline, a lower cap, a shorter wait), and
// checks the books every result must balance. Skipped only when Kannel is missing outside CI;
// with CI=true a missing Kannel fails.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { kannelAvailable } from '../../gateways/kannel/index.js'
import { decodeHistogram, percentiles } from '../../lib/hdr.js'
import type { Totals, ResultsFile } from '../../results/results-format.js'
import { runScenario, type RunScenarioResult } from '../../run/run-scenario.js'
import { loadScenario, type Scenario } from '../../loadgen/scenario/scenario.js'
import type { OperatorConfig } from '../../simulator/network.js'
import type { OperatorStats } from '../../simulator/types.js'

/** true: the test file should skip (says why once); throws under CI=true when Kannel is missing. */
export function skipWithoutKannel(file: string): boolean {
  if (kannelAvailable()) return false
  if (process.env.CI) throw new Error(`${file}: Kannel is not installed (apt-get install -y kannel) and CI=true: this is a failure, not a skip`)
  console.warn(`${file} skipped: Kannel is not installed (apt-get install -y kannel); with CI=true this fails instead`)
  return true
}

export function scenario(name: string): Scenario {
  return loadScenario(new URL(`../../scenarios/${name}.yaml`, import.meta.url).pathname)
}

export function operator(s: Scenario, id: string): OperatorConfig {
  const op = s.network.operators.find((o) => o.id === id)
  if (!op) throw new Error(`no operator ${id} in ${s.name}`)
  return op
}

export async function runShort(
  s: Scenario,
  opts: { durationCapMs?: number; rateScale?: number; signal?: AbortSignal; controlPort?: number; log?: (line: string) => void } = {},
): Promise<RunScenarioResult> {
  mkdirSync(join(process.cwd(), 'out'), { recursive: true })
  const outDir = mkdtempSync(join(process.cwd(), 'out', `scenario-${s.name}-`))
  return runScenario(s, { outDir, ...opts })
}

/**
 * Every run: planned = sent + dropped; sent = accepted + rejected + failed; accepted = finals +
 * pending + missing + held_by_gateway; through a gateway also accepted = arrived + held + lost.
 */
export function expectBooksBalance(t: Totals, acrossGateway = false, interrupted = false): void {
  expect(t.planned).toBe(t.sent + t.dropped)
  expect(t.sent).toBe(t.accepted + t.rejected + t.failed)
  expect(t.accepted).toBe(finals(t) + t.pending + t.missing + t.held_by_gateway)
  // A finished run waits for every receipt; one stopped from outside leaves those still awaited
  // pending, and through a gateway those are messages that reached an operator (the rest are held).
  if (!interrupted) expect(t.pending).toBe(0)
  else if (acrossGateway) expect(t.pending).toBeLessThanOrEqual(t.arrived)
  if (acrossGateway) expect(t.accepted).toBe(t.arrived + t.held_by_gateway + t.lost_in_gateway)
}

export function expectAllOperatorsBalance(r: ResultsFile): void {
  const across = r.meta.gateway !== 'direct'
  expectBooksBalance(r.totals, across)
  for (const o of Object.values(r.operators)) expectBooksBalance(o.totals, across)
}

/** Final receipts, the operator's and the gateway's own. */
export const finals = (t: Totals) => t.delivered + t.undelivered + t.expired + t.rejected_by_operator + t.failed_in_gateway + t.other_final

export function sim(result: RunScenarioResult, id: string): OperatorStats {
  const s = result.simulator.find((o) => o.id === id)
  if (!s) throw new Error(`no simulator stats for ${id}`)
  return s
}

/** Receipt latency (corrected) percentiles of one operator, in ms. */
export function receiptMs(r: ResultsFile, id: string): { p50: number; p99: number; max: number; count: number } {
  const p = percentiles(decodeHistogram(r.operators[id]!.histograms.receipt.corrected))
  return { p50: p.p50 / 1000, p99: p.p99 / 1000, max: p.max / 1000, count: p.count }
}

/**
 * Final receipts Kannel itself threw away, from its own log: a deliver_sm receipt that reached
 * bearerbox before it had filed the message's id ("got DLR but could not find message", type 1
 * delivered, 2 undelivered, 16 rejected; 4 and 8 are intermediate). bearerbox reads the receipt
 * and the submit_sm_resp on different threads, so on a starved machine the receipt can win. These
 * messages are rightly missing for mtsim: the network sent their receipts, the gateway lost them.
 */
export function kannelLostFinalReceipts(result: RunScenarioResult): number {
  const log = readFileSync(join(result.outDir, 'kannel', 'bearerbox.log'), 'utf8')
  let n = 0
  for (const m of log.matchAll(/got DLR but could not find message.*type<(\d+)>/g)) if (['1', '2', '16'].includes(m[1]!)) n++
  return n
}
