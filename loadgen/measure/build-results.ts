// results.json's content (results/results-format.ts) from a run's live metrics.
import { RESULTS_SCHEMA, RESULTS_VERSION, type FaultWindow, type ResultsFile, type ThresholdOutcome, type TimePoint } from '../../results/results-format.js'
import type { Metrics } from './run-metrics.js'

export interface ResultsParts {
  meta: ResultsFile['meta']
  metrics: Metrics
  timeseries: TimePoint[]
  faults: FaultWindow[]
  thresholds: ThresholdOutcome[]
}

export function buildResults(p: ResultsParts): ResultsFile {
  const m = p.metrics
  const operators = m.operatorResults()
  const overall = m.overallResults()
  return {
    schema: RESULTS_SCHEMA,
    version: RESULTS_VERSION,
    meta: p.meta,
    totals: overall.totals,
    statuses: overall.statuses,
    receipts: overall.receipts,
    histograms: overall.histograms,
    operators,
    streams: m.streamResults(),
    timeseries: p.timeseries,
    faults: p.faults,
    thresholds: p.thresholds,
  }
}
