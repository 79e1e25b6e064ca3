// Thresholds of merged results, evaluated again on the merged figures with the same code
// `mtsim run` uses (results/thresholds.ts), from the raw `thresholds` mapping the scenario copy
// in meta.scenario carries. A p99 of per-share p99s is not a p99, so outcomes are never added.
import type { ResultsFile, ThresholdOutcome } from './results-format.js'
import { parseThresholds, evaluateThresholds } from './thresholds.js'
import { ThresholdsSchema } from './thresholds-schema.js'
import { validateConfig } from '../config/load-config.js'

/** null when the results carry no thresholds mapping to evaluate. */
export function reevaluateThresholds(merged: ResultsFile): ThresholdOutcome[] | null {
  const raw = (merged.meta.scenario as { thresholds?: unknown } | null | undefined)?.thresholds
  if (raw === undefined || raw === null) return null
  const where = `${merged.meta.scenarioFile ?? merged.meta.name} (the scenario copy in the results, meta.scenario.thresholds)`
  const mapping = validateConfig(raw, ThresholdsSchema, { file: where })
  // No operator list: a threshold on an operator that saw no traffic evaluates to no data (FAIL),
  // which is the truth, rather than refusing the whole merge.
  const defs = parseThresholds(mapping, where)
  return evaluateThresholds(defs, {
    durationMs: merged.meta.durationMs,
    totals: merged.totals,
    histograms: merged.histograms,
    operators: merged.operators,
    streams: merged.streams,
  })
}
