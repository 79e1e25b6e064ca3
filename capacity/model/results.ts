// A model run in the results.json format of `mtsim run` (docs/results.md), marked as modelled
// (meta.modelled, and the gateway named "<kind> (modelled)"), so every report, merge, comparison
// and threshold that reads a run reads a model too: `mtsim report model/results.json --baseline
// run/results.json` puts the two side by side.
import { readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'
import { emptyTotals } from '../../loadgen/measure/run-metrics.js'
import type { Histograms, OperatorResults, ResultsFile, Totals } from '../../results/results-format.js'
import { RESULTS_SCHEMA, RESULTS_VERSION } from '../../results/results-format.js'
import { booksError, checkBooks, mtsimVersion } from '../../results/results-writer.js'
import { evaluateThresholds, type ThresholdData } from '../../results/thresholds.js'
import { createHistogram, encodeHistogram } from '../../lib/hdr.js'
import type { ModelRun } from './run-model.js'

/** The model's own version, in meta.versions.model: bumped when the same inputs would model differently. */
export const MODEL_VERSION = '1'

function addTotals(into: Totals, t: Totals): void {
  for (const k of Object.keys(into) as (keyof Totals)[]) into[k] = (into[k] ?? 0) + (t[k] ?? 0)
}

function addCounts(into: Record<string, number>, c: Record<string, number>): void {
  for (const [k, v] of Object.entries(c)) into[k] = (into[k] ?? 0) + v
}

/** The scenario as written (its file), or the loaded form for one built in code. */
function scenarioAsWritten(run: ModelRun): unknown {
  const s = run.scenario
  if (s.file) {
    try {
      return parseDocument(readFileSync(s.file, 'utf8')).toJS()
    } catch {
      // fall through: the file changed or vanished since it was loaded
    }
  }
  return JSON.parse(JSON.stringify(s, (_k, v) => (v instanceof Set ? [...v] : typeof v === 'function' ? undefined : v)))
}

export function modelResults(run: ModelRun, startedAt: Date): ResultsFile {
  const s = run.scenario
  const operators: Record<string, OperatorResults> = {}
  const totals = emptyTotals()
  const statuses: Record<string, number> = {}
  const receipts: Record<string, number> = {}
  const merged = {
    submit: { corrected: createHistogram(), uncorrected: createHistogram() },
    receipt: { corrected: createHistogram(), uncorrected: createHistogram() },
    transit: { corrected: createHistogram(), uncorrected: createHistogram() },
  }
  run.recorders.forEach((r, i) => {
    const id = run.operators[i]!.id
    const histograms: Histograms = {
      submit: { corrected: encodeHistogram(r.submit.corrected), uncorrected: encodeHistogram(r.submit.uncorrected) },
      receipt: { corrected: encodeHistogram(r.receipt.corrected), uncorrected: encodeHistogram(r.receipt.uncorrected) },
      transit: { corrected: encodeHistogram(r.transit.corrected), uncorrected: encodeHistogram(r.transit.uncorrected) },
    }
    for (const k of ['submit', 'receipt', 'transit'] as const) {
      merged[k].corrected.add(r[k].corrected)
      merged[k].uncorrected.add(r[k].uncorrected)
    }
    operators[id] = { totals: { ...r.totals }, statuses: { ...r.statuses }, receipts: { ...r.receipts }, histograms }
    addTotals(totals, r.totals)
    addCounts(statuses, r.statuses)
    addCounts(receipts, r.receipts)
  })
  if (run.unrouted > 0) {
    // As a run shows them: under the operator id "" (no operator serves the number).
    const t = emptyTotals()
    const direct = s.gateway.kind === 'direct'
    t.planned = t.sent = run.unrouted
    if (direct) t.failed = run.unrouted
    else t.rejected = run.unrouted
    const name = direct ? 'NO_ROUTE' : 'KANNEL_NOT_ROUTABLE'
    const empty = { corrected: '', uncorrected: '' }
    operators[''] = { totals: t, statuses: { [name]: run.unrouted }, receipts: {}, histograms: { submit: empty, receipt: empty, transit: empty } }
    addTotals(totals, t)
    addCounts(statuses, { [name]: run.unrouted })
  }
  const histograms: Histograms = {
    submit: { corrected: encodeHistogram(merged.submit.corrected), uncorrected: encodeHistogram(merged.submit.uncorrected) },
    receipt: { corrected: encodeHistogram(merged.receipt.corrected), uncorrected: encodeHistogram(merged.receipt.uncorrected) },
    transit: { corrected: encodeHistogram(merged.transit.corrected), uncorrected: encodeHistogram(merged.transit.uncorrected) },
  }
  const data: ThresholdData = { durationMs: run.durationMs, totals, histograms, operators }
  const results: ResultsFile = {
    schema: RESULTS_SCHEMA,
    version: RESULTS_VERSION,
    meta: {
      name: s.name,
      scenarioFile: s.file,
      scenario: scenarioAsWritten(run),
      network: JSON.parse(JSON.stringify(s.network, (_k, v) => (v instanceof Set ? [...v] : v))),
      seed: s.seed,
      versions: { mtsim: mtsimVersion(), node: process.versions.node, model: MODEL_VERSION },
      gateway: `${s.gateway.kind} (modelled)`,
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      durationMs: run.durationMs,
      interrupted: run.interrupted,
      segment: null,
      intervalMs: run.intervalMs,
      modelled: true,
    },
    totals,
    statuses,
    receipts,
    histograms,
    operators,
    timeseries: run.timeseries,
    faults: s.network.operators.flatMap((op) =>
      op.timeline.map((f) => ({ operator: op.id, kind: f.kind, start: f.at, end: f.at + f.duration, source: 'timeline' as const })),
    ),
    thresholds: evaluateThresholds(s.thresholds, data),
  }
  const problems = checkBooks(results)
  if (problems.length) throw booksError(problems, 'the model (nothing written yet)')
  return results
}
