// `mtsim report`: results in (several --segment shares merge first), report files out, the console
// summary printed, and an exit code CI can act on (99 when a threshold failed).
import type { Command } from 'commander'
import { join, resolve } from 'node:path'
import { writeResults } from '../../results/results-writer.js'
import { action } from '../handle-errors.js'
import { MtsimError, ExitCode } from '../../lib/errors.js'
import { loadResults, mergeResults, writeReport, formatConsoleSummary, DEFAULT_TOLERANCE } from '../../reports/index.js'

export interface ReportFlags {
  out: string
  baseline?: string
  tolerance: string
  /** The number of shares the run was cut into: all must be there (results/merge.ts). */
  shares?: string
  /** Merge a set with shares missing (figures of part of the run; never a pass). */
  partial?: boolean
  /** Exit 98 when the comparison with --baseline finds a regression. */
  failOnRegression?: boolean
}

/**
 * The command itself, exported for `mtsim coordinate` (deploy/coordinator), whose merge step is
 * this same report over the shares it collected. Returns the exit code.
 */
export async function runReport(files: string[], flags: ReportFlags, write: (t: string) => void = (t) => void process.stdout.write(t)): Promise<number> {
  const tolerance = parseTolerance(flags.tolerance)
  if (flags.failOnRegression && !flags.baseline) throw new MtsimError('MTSIM_ERR_OPTIONS_CONFLICT', ['--fail-on-regression needs --baseline <results> to compare against'])
  const shares = flags.shares === undefined ? undefined : parseShares(flags.shares)
  const parts = files.map((file) => ({ file, results: loadResults(file) }))
  const { results, warnings } = mergeResults(parts, { shares, partial: flags.partial })
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`)
  const baseline = flags.baseline ? loadResults(flags.baseline) : undefined
  const out = resolve(flags.out)
  const written = await writeReport(results, out, { baseline, tolerance })
  // Merged shares are a run of their own: keep its results.json (a baseline for later runs).
  const mergedFile = parts.length > 1 && !files.some((f) => resolve(f) === join(out, 'results.json')) ? writeResults(out, results) : undefined
  write(formatConsoleSummary(results, { comparison: written.comparison }))
  write(`\nwrote ${mergedFile ? `${mergedFile}\n      ` : ''}${written.html}\n      ${written.junit}\n      ${written.summary}\n`)
  if (results.thresholds.some((t) => !t.ok)) return ExitCode.thresholdsFailed
  if (flags.failOnRegression && written.comparison?.verdict === 'regression') return ExitCode.regression
  // A share stopped early measured part of its plan: the whole run did not happen as planned.
  const stopped = parts.filter((p) => p.results.meta.interrupted).map((p) => p.file)
  if (stopped.length) {
    process.stderr.write(`interrupted: ${stopped.join(', ')} stopped before the end of the plan\n`)
    return ExitCode.interrupted
  }
  if (flags.partial && warnings.some((w) => w.includes('missing'))) return ExitCode.incompleteRun
  return ExitCode.ok
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('report on results.json: report.html, junit.xml and summary.md, and a summary on the console; several files (--segment shares of one run) merge first')
    .argument('<results...>', 'results.json files written by mtsim run')
    .option('--out <dir>', 'where to write report.html, junit.xml and summary.md', 'out/report')
    .option('--baseline <results>', 'an earlier results.json to compare against')
    .option('--tolerance <fraction>', 'how much worse a baseline figure may get before it is flagged (0.1 = 10%)', String(DEFAULT_TOLERANCE))
    .option('--shares <n>', 'the run was cut into n shares (--segment i/n): refuse unless all n are given')
    .option('--partial', 'merge even when shares are missing (a look at part of a run: exit 108, never 0)')
    .option('--fail-on-regression', 'with --baseline: exit 98 when a figure got worse than the baseline beyond --tolerance')
    .addHelpText(
      'after',
      `
Exit codes: 0 all thresholds passed (or none defined), 98 worse than --baseline (with
--fail-on-regression), 99 a threshold failed, 104 unreadable results,
105 a share was interrupted, 108 shares missing (each missing share is named).

Examples:
  mtsim report out/run/results.json
  mtsim report share-0.json share-1.json share-2.json --out out/merged
  mtsim report --shares 4 out/shares/*/results.json     (refuses unless all 4 shares are there)
  mtsim report out/run/results.json --baseline releases/1.4/results.json --tolerance 0.05
  mtsim report new/results.json --baseline old/results.json --fail-on-regression     (exit 98 on a regression)
`,
    )
    .action(action((files: string[], flags: ReportFlags) => runReport(files, flags)))
}

function parseShares(text: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || n < 1) throw new MtsimError('MTSIM_ERR_OPTION', ['--shares', 'a whole number of 1 or more', JSON.stringify(text)])
  return n
}

function parseTolerance(text: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new MtsimError('MTSIM_ERR_OPTION', ['--tolerance', 'a fraction of 0 or more like 0.1 (10%)', JSON.stringify(text)])
  }
  return n
}
