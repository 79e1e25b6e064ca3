// report.html: one self-contained file. chart.js's UMD build is read from the installed package
// at generation time and inlined with the data, so the page opens from disk, offline, anywhere.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { ResultsFile } from '../results/results-format.js'
import type { Comparison } from '../results/compare.js'
import { reportData } from './report-data.js'
import { renderPage } from './html-template.js'
import { CLIENT_SCRIPT } from './html-client.js'

let chartJsCache: string | undefined

/** chart.js's UMD bundle. Its package exports do not list dist/chart.umd.js, so resolve the main entry and look beside it. */
export function chartJsSource(): string {
  if (chartJsCache === undefined) {
    const entry = createRequire(import.meta.url).resolve('chart.js')
    chartJsCache = readFileSync(join(dirname(entry), 'chart.umd.js'), 'utf8')
  }
  return chartJsCache
}

export interface HtmlOptions {
  comparison?: Comparison
  /** Fixed in tests so output is reproducible. */
  generatedAt?: string
}

export function renderHtml(results: ResultsFile, opts: HtmlOptions = {}): string {
  return renderPage({
    results,
    comparison: opts.comparison,
    dataJson: scriptSafe(JSON.stringify(reportData(results))),
    chartJs: scriptSafe(chartJsSource()),
    clientJs: scriptSafe(CLIENT_SCRIPT),
    generatedAt: opts.generatedAt ?? new Date().toISOString(),
  })
}

/**
 * Text that cannot end its <script> element early: `</script` and `<!--` never appear, and the
 * JavaScript meaning is unchanged (`<\/` inside strings and regexes reads the same).
 */
export function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--')
}
