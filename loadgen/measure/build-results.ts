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
  const operators: ResultsFile['operators'] = {}
  for (let i = 0; i < m.operators.length; i++) operators[m.operatorIds[i]] = m.operators[i].results()
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
    timeseries: p.timeseries,
    faults: p.faults,
    thresholds: p.thresholds,
  }
}
