// Merges the results of --segment shares of ONE run into the results of the whole run, exactly:
// counts add, HDR histograms add (bucket by bucket, so percentiles are those of the whole), per
// operator, per stream and per (stream, operator) cell alike; time series align on `t`, fault windows (the same timeline ran in every share) are listed once.
// Thresholds cannot be added (a p99 of p99s is not a p99), so they are evaluated again on the sums.
import { MtsimError } from '../lib/errors.js'
import { addEncoded, encodeHistogram } from '../lib/hdr.js'
import type { ResultsFile, SendDelays, Totals, Histograms, LatencyPair, OperatorResults, StreamResults, TimePoint, FaultWindow } from './results-format.js'
import { reevaluateThresholds } from './rethreshold.js'
import { mergeFailover } from './failover.js'
import { mergeNetworkSides } from './merge-sides.js'

export interface NamedResults {
  file: string
  results: ResultsFile
}

export interface Merged {
  results: ResultsFile
  /** Things worth saying that do not stop the merge (a missing share, differing versions). */
  warnings: string[]
}

export interface MergeOptions {
  /** The number of shares the run was cut into (`mtsim report --shares N`): every one must be there and say so. */
  shares?: number
  /** Merge what is there when shares are missing (a warning instead of MTSIM_ERR_SHARES_MISSING): never for a verdict. */
  partial?: boolean
}

export function mergeResults(parts: NamedResults[], opts: MergeOptions = {}): Merged {
  if (parts.length === 0) throw new MtsimError('MTSIM_ERR_MERGE', ['no results files were given'])
  if (opts.shares !== undefined) checkShareCount(parts, opts.shares)
  // A whole run passes through; a lone share of several is checked like any set of shares.
  if (parts.length === 1 && (parts[0]!.results.meta.segment?.count ?? 1) === 1) return { results: parts[0]!.results, warnings: [] }
  const warnings = checkSameRun(parts, opts.partial ?? false)
  const all = parts.map((p) => p.results)
  const first = all[0]!
  const merged: ResultsFile = {
    schema: first.schema,
    version: first.version,
    meta: {
      ...first.meta,
      startedAt: all.map((r) => r.meta.startedAt).sort()[0]!,
      endedAt: all.map((r) => r.meta.endedAt).sort().at(-1)!,
      durationMs: Math.max(...all.map((r) => r.meta.durationMs)),
      interrupted: all.some((r) => r.meta.interrupted),
      segment: mergedSegment(all),
    },
    totals: addTotals(all.map((r) => r.totals)),
    statuses: addCounts(all.map((r) => r.statuses)),
    receipts: addCounts(all.map((r) => r.receipts)),
    histograms: addHistograms(all.map((r) => r.histograms)),
    operators: mergeOperators(all.map((r) => r.operators)),
    timeseries: mergeTimeseries(all.map((r) => r.timeseries)),
    faults: uniqueFaults(all.flatMap((r) => r.faults)),
    thresholds: [],
  }
  // Per stream only when every share measured per stream: a sum over some shares would be wrong.
  if (all.every((r) => r.streams)) merged.streams = mergeStreams(all.map((r) => r.streams!))
  else if (all.some((r) => r.streams)) warnings.push('some shares carry no per-stream figures (results version 1): the merged run has none')
  const failovers = all.map((r) => r.failover).filter((f) => f !== undefined)
  if (failovers.length) {
    // Counts add up; the earliest switch-over and the longest drain of each outage are kept.
    merged.failover = mergeFailover(failovers)
  }
  // The network's side adds up when every share ran the network in process (merge-sides.ts).
  if (all.every((r) => r.network)) merged.network = mergeNetworkSides(all.map((r) => r.network!))
  // Reasons add up only when every share gave its own (files from before sendDelays have none).
  if (all.every((r) => r.sendDelays)) merged.sendDelays = mergeSendDelays(all.map((r) => r.sendDelays!))
  const thresholds = reevaluateThresholds(merged)
  if (thresholds) merged.thresholds = thresholds
  else if (all.some((r) => r.thresholds.length)) {
    // Per-share verdicts cannot be combined, and showing one share's would mislead.
    warnings.push('the shares carry threshold results but no thresholds mapping in meta.scenario: thresholds were not re-evaluated and are left out')
  }
  return { results: merged, warnings }
}

/** Refuses shares of different runs; returns warnings for what is odd but mergeable. */
function checkSameRun(parts: NamedResults[], partial: boolean): string[] {
  const [ref, ...rest] = parts as [NamedResults, ...NamedResults[]]
  const refScenario = scenarioKey(ref.results.meta.scenario)
  const mismatches: string[] = []
  for (const p of rest) {
    const a = ref.results.meta
    const b = p.results.meta
    if (scenarioKey(b.scenario) !== refScenario || b.name !== a.name) {
      mismatches.push(`${p.file} ran scenario "${b.name}", ${ref.file} ran "${a.name}"${b.name === a.name ? ' with different settings' : ''}`)
    }
    if (String(b.seed) !== String(a.seed)) mismatches.push(`${p.file} has seed ${b.seed}, ${ref.file} has seed ${a.seed}`)
    if (b.intervalMs !== a.intervalMs) mismatches.push(`${p.file} has a ${b.intervalMs} ms interval, ${ref.file} ${a.intervalMs} ms`)
  }
  if (mismatches.length) {
    throw new MtsimError('MTSIM_ERR_MERGE', ['they come from different runs (only --segment shares of one run merge)'], mismatches)
  }
  const warnings: string[] = []
  const segs = parts.map((p) => p.results.meta.segment)
  if (segs.some((s) => s === null)) {
    const whole = parts.filter((p) => p.results.meta.segment === null).map((p) => p.file)
    throw new MtsimError('MTSIM_ERR_MERGE', [
      `${whole.join(', ')} ${whole.length > 1 ? 'are whole runs' : 'is a whole run'}, not a --segment share; only shares of one run merge`,
    ])
  }
  const counts = new Set(segs.map((s) => s!.count))
  if (counts.size > 1) throw new MtsimError('MTSIM_ERR_MERGE', [`the shares were cut differently (--segment counts ${[...counts].join(', ')})`])
  const seen = new Map<number, string>()
  for (const p of parts) {
    const i = p.results.meta.segment!.index
    const other = seen.get(i)
    if (other) throw new MtsimError('MTSIM_ERR_MERGE', [`${other} and ${p.file} are the same share (${i + 1} of ${segs[0]!.count})`])
    seen.set(i, p.file)
  }
  const count = segs[0]!.count
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i))
  if (missing.length) {
    const which = `share(s) ${missing.map((i) => i + 1).join(', ')} of ${count} missing`
    // Figures of part of a run judged as the whole would pass a run that did not happen: refuse.
    if (!partial) throw new MtsimError('MTSIM_ERR_SHARES_MISSING', [`${which}: no results for them, so there is no verdict on the whole run`])
    warnings.push(`${which}: figures cover part of the run`)
  }
  const versions = new Set(parts.map((p) => stableJson(p.results.meta.versions)))
  if (versions.size > 1) warnings.push('the shares were written by different mtsim versions')
  return warnings
}

/** `--shares N`: every file is a share of an N-way cut. */
function checkShareCount(parts: NamedResults[], shares: number): void {
  const wrong = parts.filter((p) => (p.results.meta.segment?.count ?? 1) !== shares)
  if (!wrong.length) return
  throw new MtsimError(
    'MTSIM_ERR_MERGE',
    [`--shares ${shares} expects shares of a run cut into ${shares}`],
    wrong.map((p) => `${p.file}: ${p.results.meta.segment ? `share ${p.results.meta.segment.index + 1} of ${p.results.meta.segment.count}` : 'a whole run, not a share'}`),
  )
}

function mergedSegment(all: ResultsFile[]): ResultsFile['meta']['segment'] {
  const count = all[0]!.meta.segment?.count ?? 1
  // A complete set is the whole run; an incomplete one keeps the first share's marker so the
  // report still says it is partial.
  return all.length === count ? null : all[0]!.meta.segment
}

export function addTotals(list: Totals[]): Totals {
  const out = { ...list[0]! }
  const keys = Object.keys(out) as (keyof Totals)[]
  for (const t of list.slice(1)) for (const k of keys) out[k] = (out[k] ?? 0) + (t[k] ?? 0)
  return out
}

export function addCounts(list: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const m of list) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v
  return out
}

function addEncodedToString(list: string[]): string {
  const nonEmpty = list.filter((s) => s)
  if (nonEmpty.length === 0) return ''
  if (nonEmpty.length === 1) return nonEmpty[0]!
  return encodeHistogram(addEncoded(nonEmpty))
}

function addPairs(list: LatencyPair[]): LatencyPair {
  return {
    corrected: addEncodedToString(list.map((p) => p.corrected)),
    uncorrected: addEncodedToString(list.map((p) => p.uncorrected)),
  }
}

export function addHistograms(list: Histograms[]): Histograms {
  return {
    submit: addPairs(list.map((h) => h.submit)),
    receipt: addPairs(list.map((h) => h.receipt)),
    transit: addPairs(list.map((h) => h.transit)),
  }
}

function addScopes(list: OperatorResults[]): OperatorResults {
  return {
    totals: addTotals(list.map((o) => o.totals)),
    statuses: addCounts(list.map((o) => o.statuses)),
    receipts: addCounts(list.map((o) => o.receipts)),
    histograms: addHistograms(list.map((o) => o.histograms)),
  }
}

/** Lists the values of several records by key, keys sorted. */
function byKey<T>(list: Record<string, T>[]): [string, T[]][] {
  const by = new Map<string, T[]>()
  for (const rec of list) for (const [id, v] of Object.entries(rec)) by.set(id, [...(by.get(id) ?? []), v])
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b))
}

function mergeOperators(list: Record<string, OperatorResults>[]): Record<string, OperatorResults> {
  return Object.fromEntries(byKey(list).map(([id, ops]) => [id, addScopes(ops)]))
}

/** Streams merge like operators, and so does each stream's (stream, operator) cells. */
function mergeStreams(list: Record<string, StreamResults>[]): Record<string, StreamResults> {
  return Object.fromEntries(byKey(list).map(([name, parts]) => [name, { ...addScopes(parts), operators: mergeOperators(parts.map((p) => p.operators)) }]))
}

const POINT_COUNTS = ['planned', 'sent', 'accepted', 'rejected', 'failed', 'dropped', 'late', 'receipts', 'inFlight', 'awaitingReceipt'] as const

function mergeTimeseries(list: TimePoint[][]): TimePoint[] {
  const byT = new Map<number, TimePoint[]>()
  for (const series of list) for (const p of series) byT.set(p.t, [...(byT.get(p.t) ?? []), p])
  return [...byT.keys()]
    .sort((a, b) => a - b)
    .map((t) => {
      const pts = byT.get(t)!
      // Gauges add too: each share had its own messages in flight at the end of the interval.
      const point = { t } as TimePoint
      for (const k of POINT_COUNTS) point[k] = pts.reduce((sum, p) => sum + p[k], 0)
      point.errors = addCounts(pts.map((p) => p.errors))
      point.submit = addEncodedToString(pts.map((p) => p.submit))
      point.receipt = addEncodedToString(pts.map((p) => p.receipt))
      const ops = pts.filter((p) => p.operators).map((p) => p.operators!)
      if (ops.length) point.operators = mergePointOperators(ops)
      const streams = pts.filter((p) => p.streams).map((p) => p.streams!)
      if (streams.length) point.streams = mergePointOperators(streams)
      return point
    })
}

/** Adds the per-operator (or per-stream) counts of several points. */
function mergePointOperators(list: NonNullable<TimePoint['operators']>[]): NonNullable<TimePoint['operators']> {
  const out: NonNullable<TimePoint['operators']> = {}
  for (const ops of list) {
    for (const [id, o] of Object.entries(ops)) {
      const acc = (out[id] ??= { sent: 0, accepted: 0, rejected: 0, failed: 0, receipts: 0 })
      acc.sent += o.sent
      acc.accepted += o.accepted
      acc.rejected += o.rejected
      acc.failed += o.failed
      acc.receipts += o.receipts
    }
  }
  return out
}

function uniqueFaults(list: FaultWindow[]): FaultWindow[] {
  const seen = new Map<string, FaultWindow>()
  for (const f of list) seen.set(`${f.operator}|${f.kind}|${f.start}|${f.end}|${f.source}`, f)
  return [...seen.values()].sort((a, b) => a.start - b.start || a.operator.localeCompare(b.operator))
}

/** The scenario without its seed: a different seed gets its own, clearer message. */
function scenarioKey(scenario: unknown): string {
  if (!scenario || typeof scenario !== 'object' || Array.isArray(scenario)) return stableJson(scenario)
  const { seed: _seed, ...rest } = scenario as Record<string, unknown>
  return stableJson(rest)
}

/** JSON with sorted keys, so two equal scenarios compare equal whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  )
}

/**
 * Counts add, and so do the most in flight (every share and worker has binds of its own, in
 * parallel); the latest send and the machine's worst figures are kept (CPU: the busiest share).
 */
function mergeSendDelays(all: SendDelays[]): SendDelays {
  const out: SendDelays = {
    window: {},
    behind: { dropped: 0, late: 0, maxLateMs: 0 },
    interrupted: { dropped: 0 },
    loop: { delayP99Ms: 0, delayMaxMs: 0, cpuPercent: 0 },
  }
  for (const d of all) {
    for (const [id, w] of Object.entries(d.window)) {
      const m = (out.window[id] ??= { dropped: 0, late: 0, inFlight: 0 })
      m.dropped += w.dropped
      m.late += w.late
      m.inFlight += w.inFlight
    }
    out.behind.dropped += d.behind.dropped
    out.behind.late += d.behind.late
    out.behind.maxLateMs = Math.max(out.behind.maxLateMs, d.behind.maxLateMs)
    out.interrupted.dropped += d.interrupted.dropped
    out.loop.delayP99Ms = Math.max(out.loop.delayP99Ms, d.loop.delayP99Ms)
    out.loop.delayMaxMs = Math.max(out.loop.delayMaxMs, d.loop.delayMaxMs)
    out.loop.cpuPercent = Math.max(out.loop.cpuPercent, d.loop.cpuPercent)
  }
  return out
}
