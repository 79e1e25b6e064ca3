// `mtsim model` end to end, in-process (the CLI is a thin shell over it, tests call it directly):
// model the scenario, write results.json (the run format, marked modelled), model.json (the
// planner's answers and per-operator series), report.html, junit.xml and summary.md, and return
// the console text.
//
// model.json: { schema: "mtsim/model", version: 1, meta, links, answers, series, comparison? },
// documented in docs/model.md. Rates that have no limit are null.
import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { writeFileAtomic } from '../../lib/atomic-write.js'
import type { ResultsFile } from '../../results/results-format.js'
import type { Scenario } from '../../loadgen/scenario/scenario.js'
import { writeResults } from '../../results/results-writer.js'
import { formatJunit, formatSummaryMarkdown, formatConsoleSummary } from '../../reports/index.js'
import { analyse, type ModelAnswers } from './analysis.js'
import { compareModel, formatComparison, type ComparisonRow } from './compare.js'
import { renderModelHtml } from '../report/model-html.js'
import { MODEL_VERSION, modelResults } from './results.js'
import { runModel, type ModelOptions, type ModelRun } from './run-model.js'
import { formatAnswers } from '../report/model-text.js'

export const MODEL_SCHEMA = 'mtsim/model'

export interface ModelScenarioOptions extends ModelOptions {
  /** A real run's results: compared side by side. */
  against?: ResultsFile
  /** Write report.html, junit.xml, summary.md (default true). */
  report?: boolean
  /** Progress text (a carriage-return line) while modelling. */
  progress?: (text: string) => void
}

export interface ModelOutput {
  run: ModelRun
  results: ResultsFile
  answers: ModelAnswers
  comparison?: ComparisonRow[]
  text: string
  files: { results: string; model: string; html?: string; junit?: string; summary?: string }
}

/** JSON without Infinity (no limit -> null). */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)
}

export function modelFile(run: ModelRun, answers: ModelAnswers, comparison?: ComparisonRow[]): unknown {
  const s = run.scenario
  return {
    schema: MODEL_SCHEMA,
    version: 1,
    meta: {
      name: s.name, scenarioFile: s.file, seed: s.seed, gateway: s.gateway.kind, modelVersion: MODEL_VERSION,
      intervalMs: run.intervalMs, stepMs: run.stepMs, planMs: run.planMs, durationMs: run.durationMs,
      elapsedMs: Math.round(run.elapsedMs), interrupted: run.interrupted, unfinished: run.unfinished,
    },
    links: run.links.map((l) => ({
      id: l.id, settings: { ...l.settings, sources: undefined }, sources: l.settings.sources, segments: l.segments,
      limits: { window: l.windowRate, throttle: l.throttleRate, pacing: l.pacingRate }, throttlePerBind: l.throttlePerBind,
      holdMs: l.holdMs, latencyP50: l.latencyP50, latencyP99: l.latencyP99,
    })),
    answers,
    series: { t: run.t, operators: Object.fromEntries(run.links.map((l, i) => [l.id, run.series[i]])) },
    ...(comparison ? { comparison } : {}),
  }
}

export function modelScenario(scenario: Scenario, opts: ModelScenarioOptions): ModelOutput {
  mkdirSync(opts.outDir, { recursive: true })
  const startedAt = new Date()
  let lastShown = -1
  const run = runModel(scenario, {
    ...opts,
    onProgress: (done, plan) => {
      opts.onProgress?.(done, plan)
      if (!opts.progress) return
      const pct = Math.min(100, Math.floor((done / Math.max(1, plan)) * 100))
      if (pct !== lastShown) opts.progress(`\rmodelling: ${pct}% of the plan`)
      lastShown = pct
    },
  })
  opts.progress?.('\r' + ' '.repeat(30) + '\r')
  const results = modelResults(run, startedAt)
  const answers = analyse(run, results)
  const comparison = opts.against ? compareModel(results, opts.against) : undefined
  const files: ModelOutput['files'] = { results: writeResults(opts.outDir, results, run.timeseriesPath), model: join(opts.outDir, 'model.json') }
  writeFileAtomic(files.model, json(modelFile(run, answers, comparison)))
  let text = formatConsoleSummary(results) + '\n\n' + formatAnswers(run, results, answers)
  if (comparison) text += `\n\nmodel against the run ${opts.against!.meta.name} (${opts.against!.meta.startedAt}):\n${formatComparison(comparison)}`
  if (opts.report ?? true) {
    files.html = join(opts.outDir, 'report.html')
    files.junit = join(opts.outDir, 'junit.xml')
    files.summary = join(opts.outDir, 'summary.md')
    writeFileAtomic(files.html, renderModelHtml(run, results, answers, comparison))
    writeFileAtomic(files.junit, formatJunit(results))
    writeFileAtomic(files.summary, `${formatSummaryMarkdown(results)}\n\n**Modelled** (mtsim model, no sockets).\n\n\`\`\`\n${formatAnswers(run, results, answers)}\n\`\`\`\n`)
  }
  return { run, results, answers, comparison, text, files }
}

export { runModel, type ModelRun, type ModelOptions } from './run-model.js'
export { modelResults } from './results.js'
export { analyse, sizeLink, type ModelAnswers } from './analysis.js'
export { compareModel, formatComparison, type ComparisonRow } from './compare.js'
