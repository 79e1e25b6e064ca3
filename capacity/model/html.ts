import type { ResultsFile } from '../../loadgen/results-format.js'
import type { ModelAnswers } from './analysis.js'
import type { ComparisonRow } from './compare.js'
import type { ModelRun } from './run-model.js'
export function renderModelHtml(_run: ModelRun, r: ResultsFile, _a: ModelAnswers, _c?: ComparisonRow[]): string {
  return `<html><body>${r.meta.name} WIP</body></html>`
}
