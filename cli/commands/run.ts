import type { Command } from 'commander'
import { action } from '../handle-errors.js'
import { loadScenario } from '../../loadgen/scenario/scenario.js'
import { runScenario } from '../../run/run-scenario.js'
import { MtsimError, ExitCode } from '../../lib/errors.js'
import { writeReport, formatConsoleSummary, loadResults } from '../../reports/index.js'
import { durationOption, portOption } from '../options.js'
import { MAX_RATE, MAX_RATE_SCALE } from '../../lib/limits.js'
import { peakRate } from '../../loadgen/scenario/scenario-check.js'
import type { Scenario } from '../../loadgen/scenario/scenario.js'

export interface RunCliOptions {
  out?: string
  duration?: string
  rateScale?: string
  segment?: string
  controlPort?: string
  workers?: string
  progress: boolean
  report: boolean
  baseline?: string
}

export function parseSegment(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value)
  const index = m ? Number(m[1]) : NaN
  const count = m ? Number(m[2]) : NaN
  if (!m || count < 1 || index < 1 || index > count) {
    throw new MtsimError('MTSIM_ERR_OPTION', ['--segment', 'i/n with 1 <= i <= n (like 2/4)', JSON.stringify(value)])
  }
  return { index, count }
}

function parseOptions(o: RunCliOptions) {
  const durationCapMs = durationOption('--duration', o.duration)
  const rateScale = o.rateScale === undefined ? undefined : Number(o.rateScale)
  if (rateScale !== undefined && !(rateScale > 0 && rateScale <= MAX_RATE_SCALE)) {
    throw new MtsimError('MTSIM_ERR_RANGE', ['--rate-scale', `a number above 0 and at most ${MAX_RATE_SCALE}`, JSON.stringify(o.rateScale)])
  }
  const controlPort = portOption('--control-port', o.controlPort)
  const workers = o.workers === undefined ? undefined : Number(o.workers)
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new MtsimError('MTSIM_ERR_OPTION', ['--workers', 'a whole number of 1 or more', JSON.stringify(o.workers)])
  return { durationCapMs, rateScale, controlPort, workers, segment: o.segment ? parseSegment(o.segment) : undefined }
}

/** --rate-scale may not take any stream past MAX_RATE (the file alone was checked when it loaded). */
function checkScaledRates(scenario: Scenario, rateScale: number | undefined): void {
  if (rateScale === undefined) return
  for (const st of scenario.streams) {
    const peak = peakRate(st.executor) * rateScale
    if (peak > MAX_RATE) {
      throw new MtsimError('MTSIM_ERR_RANGE', [
        '--rate-scale',
        `a scale that keeps every stream at most ${MAX_RATE} messages per second`,
        `${rateScale}, which takes stream "${st.name}" to ${peak} per second`,
      ])
    }
  }
}

export async function runCommand(file: string, o: RunCliOptions): Promise<number> {
  const parsed = parseOptions(o)
  const scenario = loadScenario(file)
  checkScaledRates(scenario, parsed.rateScale)
  const baseline = o.baseline ? loadResults(o.baseline) : undefined
  const stderr = (line: string) => process.stderr.write(line + '\n')

  // First Ctrl-C / SIGTERM: stop sending, let answers due come in, write results and report.
  // Second: leave at once.
  const controller = new AbortController()
  let signals = 0
  const onSignal = (sig: NodeJS.Signals) => {
    if (++signals === 1) {
      stderr(`\n${sig}: stopping the run, writing results and report (again to exit at once)`)
      controller.abort()
    } else process.exit(ExitCode.interrupted)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    stderr(`mtsim run: ${scenario.name} (seed ${scenario.seed}, gateway ${scenario.gateway.kind})`)
    const { results, outDir, exitCode } = await runScenario(scenario, {
      outDir: o.out,
      ...parsed,
      progress: o.progress,
      signal: controller.signal,
      log: stderr,
    })
    process.stdout.write(formatConsoleSummary(results) + '\n')
    stderr(`results: ${outDir}/results.json`)
    if (o.report) {
      const files = await writeReport(results, outDir, { baseline })
      stderr(`report:  ${files.html}\njunit:   ${files.junit}\nsummary: ${files.summary}`)
    }
    return exitCode
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a scenario: push MT traffic through the gateway, correlate every receipt, write results and a report')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--out <dir>', 'output folder, new or empty (default out/runs/<name>-<timestamp>, with -2, -3... when taken)')
    .option('--duration <d>', 'cap every stream at this duration, like "10s"')
    .option('--rate-scale <x>', 'multiply every planned rate by x')
    .option('--segment <i/n>', 'play exactly the i-th of n shares of the plan (k6 execution segments)')
    .option('--control-port <n>', 'also serve the simulator control API on this port during the run')
    .option('--workers <n>', 'load generator worker threads, each playing 1/n of the plan with its own binds (default 1)')
    .option('--baseline <results>', 'compare against an earlier results.json in the report')
    .option('--no-progress', 'no live progress line')
    .option('--no-report', 'write results.json only')
    .addHelpText(
      'after',
      `
Exit codes (as k6): 0 thresholds passed, 99 a threshold failed, 104 invalid scenario or network,
105 interrupted (results and report are still written), 107 the gateway failed to start.

Examples:
  mtsim run scenarios/quickstart.yaml
  mtsim run scenarios/kannel-smoke.yaml --out out/smoke --duration 20s
  mtsim run scenarios/peak-day.yaml --rate-scale 0.5 --segment 1/2     (and 2/2 elsewhere, then mtsim report both)
  mtsim run scenarios/quickstart.yaml --workers 2     (two threads send; results merged exactly)
`,
    )
    .action(action((file: string, o: RunCliOptions) => runCommand(file, o)))
}
