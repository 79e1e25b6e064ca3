// `mtsim report`: results in (several --segment shares merge first), report files out, the console
// summary printed, and an exit code CI can act on (99 when a threshold failed).
import type { Command } from 'commander'
import { resolve } from 'node:path'
import { action } from '../handle-errors.js'
import { MtsimError, ExitCode } from '../../lib/errors.js'
import { loadResults, mergeResults, writeReport, formatConsoleSummary, DEFAULT_TOLERANCE } from '../../reports/index.js'

interface ReportFlags {
  out: string
  baseline?: string
  tolerance: string
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('report on results.json: report.html, junit.xml and summary.md, and a summary on the console; several files (--segment shares of one run) merge first')
    .argument('<results...>', 'results.json files written by mtsim run')
    .option('--out <dir>', 'where to write report.html, junit.xml and summary.md', 'out/report')
    .option('--baseline <results>', 'an earlier results.json to compare against')
    .option('--tolerance <fraction>', 'how much worse a baseline figure may get before it is flagged (0.1 = 10%)', String(DEFAULT_TOLERANCE))
    .addHelpText(
      'after',
      `
Exit codes: 0 all thresholds passed (or none defined), 99 a threshold failed, 104 unreadable results.

Examples:
  mtsim report out/run/results.json
  mtsim report share-0.json share-1.json share-2.json --out out/merged
  mtsim report out/run/results.json --baseline releases/1.4/results.json --tolerance 0.05
`,
    )
    .action(
      action(async (files: string[], flags: ReportFlags) => {
        const tolerance = parseTolerance(flags.tolerance)
        const parts = files.map((file) => ({ file, results: loadResults(file) }))
        const { results, warnings } = mergeResults(parts)
        for (const w of warnings) process.stderr.write(`warning: ${w}\n`)
        const baseline = flags.baseline ? loadResults(flags.baseline) : undefined
        const written = await writeReport(results, resolve(flags.out), { baseline, tolerance })
        process.stdout.write(formatConsoleSummary(results, { comparison: written.comparison }))
        process.stdout.write(`\nwrote ${written.html}\n      ${written.junit}\n      ${written.summary}\n`)
        return results.thresholds.some((t) => !t.ok) ? ExitCode.thresholdsFailed : ExitCode.ok
      }),
    )
}

function parseTolerance(text: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new MtsimError('MTSIM_ERR_OPTION', ['--tolerance', 'a fraction of 0 or more like 0.1 (10%)', JSON.stringify(text)])
  }
  return n
}
