// Everything `mtsim report` (and `mtsim run` at its end) writes for one results file: the HTML
// report, junit.xml for CI test tabs and summary.md for CI job pages, each written atomically.
import { join } from 'node:path'
import { writeFileAtomic } from '../lib/atomic-write.js'
import type { ResultsFile } from '../results/results-format.js'
import { compareResults, DEFAULT_TOLERANCE, type Comparison } from '../results/compare.js'
import { renderHtml } from './html.js'
import { formatJunit } from './junit.js'
import { formatSummaryMarkdown } from './summary-md.js'

export { loadResults, parseResults } from '../results/load-results.js'
export { mergeResults, type NamedResults, type Merged } from '../results/merge.js'
export { compareResults, DEFAULT_TOLERANCE, type Comparison, type Delta } from '../results/compare.js'
export { formatConsoleSummary } from './console.js'
export { formatJunit } from './junit.js'
export { formatSummaryMarkdown } from './summary-md.js'
export { renderHtml } from './html.js'

export interface ReportOptions {
  baseline?: ResultsFile
  /** Relative change beyond which a baseline figure counts as worse (default 0.1 = 10%). */
  tolerance?: number
  generatedAt?: string
}

export interface ReportFiles {
  html: string
  junit: string
  summary: string
  comparison?: Comparison
}

export async function writeReport(results: ResultsFile, outDir: string, opts: ReportOptions = {}): Promise<ReportFiles> {
  const comparison = opts.baseline ? compareResults(results, opts.baseline, opts.tolerance ?? DEFAULT_TOLERANCE) : undefined
  const files = { html: join(outDir, 'report.html'), junit: join(outDir, 'junit.xml'), summary: join(outDir, 'summary.md') }
  writeFileAtomic(files.html, renderHtml(results, { comparison, generatedAt: opts.generatedAt }))
  writeFileAtomic(files.junit, formatJunit(results))
  writeFileAtomic(files.summary, formatSummaryMarkdown(results, comparison))
  return { ...files, comparison }
}
