// Writes results.json (results-format.ts) atomically, in chunks, and checks that the books
// balance: a run whose numbers do not add up is a bug in mtsim, said loudly.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../lib/atomic-write.js'
import { MtsimError } from '../lib/errors.js'
import { ndjsonLines } from './timeseries-file.js'
import type { ResultsFile, TimePoint, Totals } from './results-format.js'

export const RESULTS_FILE = 'results.json'

/** The balance equations that fail for these totals (empty when the books balance). */
export function unbalanced(t: Totals): string[] {
  const out: string[] = []
  const suppressed = t.suppressed ?? 0
  if (t.planned !== t.sent + t.dropped + suppressed) {
    out.push(`planned ${t.planned} != sent ${t.sent} + dropped ${t.dropped}` + (t.suppressed !== undefined ? ` + suppressed ${suppressed}` : ''))
  }
  if (t.mo_sent !== undefined && t.mo_sent !== (t.mo_received ?? 0) + (t.mo_lost ?? 0)) {
    out.push(`mo_sent ${t.mo_sent} != mo_received ${t.mo_received ?? 0} + mo_lost ${t.mo_lost ?? 0}`)
  }
  if (t.sent !== t.accepted + t.rejected + t.failed) {
    out.push(`sent ${t.sent} != accepted ${t.accepted} + rejected ${t.rejected} + failed ${t.failed}`)
  }
  const noReceipt = t.no_receipt_requested ?? 0
  const closed = t.delivered + t.undelivered + t.expired + t.rejected_by_operator + t.failed_in_gateway + t.other_final + t.pending +
    t.missing + t.held_by_gateway + noReceipt
  if (t.accepted !== closed) {
    out.push(
      `accepted ${t.accepted} != delivered ${t.delivered} + undelivered ${t.undelivered} + expired ${t.expired} + ` +
        `rejected_by_operator ${t.rejected_by_operator} + failed_in_gateway ${t.failed_in_gateway} + other_final ${t.other_final} + ` +
        `pending ${t.pending} + missing ${t.missing} + held_by_gateway ${t.held_by_gateway} + no_receipt_requested ${noReceipt}`,
    )
  }
  if (t.late > t.sent) out.push(`late ${t.late} > sent ${t.sent}`)
  return out
}

/**
 * The books across the gateway: what it accepted either reached an operator, is still inside it,
 * or it gave up on. Checked when the network ran in this process behind a gateway (results.network
 * present, gateway not direct); a version 1 file or a remote network has nothing to check.
 */
export function unbalancedAcrossGateway(t: Totals): string[] {
  if (t.accepted === t.arrived + t.held_by_gateway + t.lost_in_gateway) return []
  return [`accepted ${t.accepted} != arrived ${t.arrived} + held_by_gateway ${t.held_by_gateway} + lost_in_gateway ${t.lost_in_gateway}`]
}

/** Whether the file's books run across the gateway (see unbalancedAcrossGateway). */
export function booksAcrossGateway(r: ResultsFile): boolean {
  return r.network !== undefined && r.meta.gateway !== 'direct'
}

/** Every balance problem in the file, overall and per operator, each line naming its scope. */
export function checkBooks(r: ResultsFile): string[] {
  const across = booksAcrossGateway(r)
  const check = (t: Totals) => [...unbalanced(t), ...(across ? unbalancedAcrossGateway(t) : [])]
  const out = check(r.totals).map((x) => `overall: ${x}`)
  for (const [id, o] of Object.entries(r.operators)) out.push(...check(o.totals).map((x) => `operator ${id}: ${x}`))
  for (const [name, s] of Object.entries(r.streams ?? {})) {
    out.push(...check(s.totals).map((x) => `stream ${name}: ${x}`))
    for (const [id, c] of Object.entries(s.operators)) out.push(...check(c.totals).map((x) => `stream ${name} operator ${id}: ${x}`))
  }
  if (r.sendDelays) out.push(...unexplained(r))
  return out
}

/**
 * Writes results.json atomically, in chunks: the time series (by far its largest part on a long run)
 * one point per line, from `results.timeseries` or, when the run did not keep them in memory, from
 * its timeseries.ndjson (`seriesFile`), so no copy of the whole file is ever one string.
 */
export function writeResults(outDir: string, results: ResultsFile, seriesFile?: string): string {
  const path = join(outDir, RESULTS_FILE)
  writeFileAtomic(path, resultsChunks(results, seriesFile))
  return path
}

function* resultsChunks(results: ResultsFile, seriesFile: string | undefined): Generator<string> {
  const { timeseries, ...rest } = results
  const head = JSON.stringify(rest, null, 2) // "{\n  ...\n}"
  yield head.slice(0, head.lastIndexOf('\n}')) + ',\n  "timeseries": ['
  let n = 0
  const points: Iterable<string> = seriesFile && timeseries.length === 0 ? ndjsonLines(seriesFile) : stringified(timeseries)
  for (const p of points) yield (n++ ? ',\n    ' : '\n    ') + p
  yield n ? '\n  ]\n}\n' : ']\n}\n'
}

function* stringified(points: readonly TimePoint[]): Generator<string> {
  for (const p of points) yield JSON.stringify(p)
}

let version: string | undefined

/** mtsim's version from its package.json (found from the sources and from dist/ alike). */
export function mtsimVersion(): string {
  if (version) return version
  for (const rel of ['../package.json', '../../package.json']) {
    const url = new URL(rel, import.meta.url)
    if (!existsSync(url)) continue
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string }
    if (pkg.name === 'mtsim' && pkg.version) return (version = pkg.version)
  }
  return (version = 'unknown')
}

/** The books did not balance: a bug in mtsim, reported loudly (the results were still written to `path`). */
export function booksError(problems: string[], path: string): MtsimError {
  return new MtsimError('MTSIM_ERR_BOOKS', [path], problems)
}

/** Every dropped and every late send has exactly one reason in sendDelays (results/results-format.ts). */
function unexplained(r: ResultsFile): string[] {
  const d = r.sendDelays!
  const windows = Object.values(d.window)
  const dropped = windows.reduce((n, w) => n + w.dropped, 0) + d.behind.dropped + d.interrupted.dropped
  const late = windows.reduce((n, w) => n + w.late, 0) + d.behind.late
  const out: string[] = []
  if (dropped !== r.totals.dropped) out.push(`send delays: ${dropped} drops have a reason, totals.dropped is ${r.totals.dropped}`)
  if (late !== r.totals.late) out.push(`send delays: ${late} late sends have a reason, totals.late is ${r.totals.late}`)
  return out
}
