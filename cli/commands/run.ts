import type { Command } from 'commander'
import { action } from '../handle-errors.js'
import { loadScenario } from '../../loadgen/scenario/scenario.js'
import { scenarioWarnings } from '../../loadgen/scenario/scenario-warnings.js'
import { summarizePlan } from '../../loadgen/plan/plan-summary.js'
import { cutLines } from '../../loadgen/plan/plan-text.js'
import { carryLines, printPlan } from './plan.js'
import { runScenario } from '../../run/run-scenario.js'
import { MtsimError, ExitCode } from '../../lib/errors.js'
import { writeReport, formatConsoleSummary, loadResults } from '../../reports/index.js'
import { durationOption, portOption } from '../options.js'
import { MAX_RATE, MAX_RATE_SCALE } from '../../lib/limits.js'
import { peakRate } from '../../loadgen/scenario/executor-config.js'
import type { Scenario } from '../../loadgen/scenario/scenario.js'
import { parseSegment } from '../../deploy/segment.js'
import { ShareSession } from '../../deploy/share-session.js'

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
  startAt?: string
  coordinator?: string
  remoteNetwork?: boolean
  webhookHost?: string
  dryRun?: boolean
}

export { parseSegment }

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
  const stderr = (line: string) => process.stderr.write(line + '\n')
  const controller = new AbortController()
  const share = ShareSession.from({
    startAt: o.startAt, coordinator: o.coordinator, segment: parsed.segment, log: stderr,
    // The coordinator called the run off (another share failed): stop as on Ctrl-C, results written.
    onCalledOff: () => controller.abort(),
  })
  try {
    return await runShare(file, o, parsed, share, stderr, controller)
  } catch (err) {
    // Also a bad scenario file: the coordinator calls the run off now, naming this share.
    await share?.failed(err)
    throw err
  }
}

async function runShare(
  file: string, o: RunCliOptions, parsed: ReturnType<typeof parseOptions>, share: ShareSession | undefined, stderr: (line: string) => void, controller: AbortController,
): Promise<number> {
  const scenario = withWebhookHost(loadScenario(file), o.webhookHost)
  checkScaledRates(scenario, parsed.rateScale)
  for (const w of scenarioWarnings(file, scenario)) stderr(`warning: ${w}`)
  const planOpts = { segment: parsed.segment, rateScale: parsed.rateScale, durationCapMs: parsed.durationCapMs }
  if (o.dryRun) return printPlan(scenario, planOpts)
  // Before anything starts: what --duration cut, and links that cannot carry the plan's peak.
  const summary = summarizePlan(scenario, planOpts)
  for (const line of [...cutLines(summary), ...carryLines(scenario, summary)]) stderr(line)
  const baseline = o.baseline ? loadResults(o.baseline) : undefined

  // First Ctrl-C / SIGTERM: stop sending, let answers due come in, write results and report.
  // Second: leave at once.
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
    const segment = parsed.segment ? `share ${parsed.segment.index} of ${parsed.segment.count}, ` : ''
    stderr(`mtsim run: ${scenario.name} (${segment}seed ${scenario.seed}, gateway ${scenario.gateway.kind})`)
    const { results, outDir, exitCode } = await runScenario(scenario, {
      outDir: o.out,
      ...parsed,
      progress: o.progress,
      signal: controller.signal,
      log: stderr,
      remoteNetwork: o.remoteNetwork,
      startGate: share?.gate(scenario.scheduling.maxLagMs, controller.signal),
      onFirstSend: share?.firstSend,
    })
    process.stdout.write(formatConsoleSummary(results) + '\n')
    stderr(`results: ${outDir}/results.json`)
    if (o.report) {
      const files = await writeReport(results, outDir, { baseline })
      stderr(`report:  ${files.html}\njunit:   ${files.junit}\nsummary: ${files.summary}`)
    }
    await share?.finished(`${outDir}/results.json`)
    if (share?.coordinated && exitCode === ExitCode.thresholdsFailed) {
      // A share's figures are part of the run: the coordinator judges the merged whole. Failing
      // here would fail the pod (and a Kubernetes Job) for a verdict that is not the run's.
      stderr('thresholds: these are one share\'s figures; the coordinator judges the merged run (exit 0 here)')
      return ExitCode.ok
    }
    return exitCode
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** `--webhook-host`: the receipt webhook listens on, and the dlr-url names, this address. */
function withWebhookHost(scenario: ReturnType<typeof loadScenario>, host: string | undefined): ReturnType<typeof loadScenario> {
  if (host === undefined) return scenario
  const g = scenario.gateway
  if (g.kind !== 'http') throw new MtsimError('MTSIM_ERR_OPTIONS_CONFLICT', [`--webhook-host: the receipt webhook belongs to gateway kind http; this scenario's gateway is ${g.kind}`])
  if (!host.trim()) throw new MtsimError('MTSIM_ERR_OPTION', ['--webhook-host', 'an address like 10.0.3.7', '""'])
  return { ...scenario, gateway: { ...g, webhook: { ...g.webhook, host: host.trim() } } }
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a scenario: push MT traffic through the gateway, correlate every receipt, write results and a report')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--out <dir>', 'output folder, new or empty (default out/runs/<name>-<timestamp>, with -2, -3... when taken)')
    .option('--duration <d>', 'cap every stream at this duration, like "10s"')
    .option('--rate-scale <x>', 'multiply every planned rate by x')
    .option('--segment <i/n>', 'play exactly the i-th of n shares of the plan (k6 execution segments); auto/n takes i from JOB_COMPLETION_INDEX (Kubernetes Indexed Job)')
    .option('--start-at <when>', 'start the plan at this instant, shared by every share: an ISO time like 2026-05-01T12:00:00Z, +30s from now, or barrier (with --coordinator)')
    .option('--coordinator <url>', 'a split run\'s coordinator (mtsim coordinate): wait at its barrier until every share checked in, then send it the results')
    .option('--remote-network', 'the scenario\'s network already runs elsewhere (mtsim simulate, at the hosts and fixed ports its file names): start none here')
    .option('--webhook-host <addr>', 'listen for receipt callbacks on this address and put it in the dlr-url (http gateways; e.g. a pod\'s IP)')
    .option('--control-port <n>', 'also serve the simulator control API on this port during the run')
    .option('--workers <n>', 'load generator worker threads, each playing 1/n of the plan with its own binds (default 1)')
    .option('--baseline <results>', 'compare against an earlier results.json in the report')
    .option('--no-progress', 'no live progress line')
    .option('--no-report', 'write results.json only')
    .option('--dry-run', 'print the plan (as mtsim plan) and exit without starting anything')
    .addHelpText(
      'after',
      `
Exit codes (as k6): 0 thresholds passed, 99 a threshold failed, 104 invalid scenario or network,
105 interrupted (results and report are still written), 106 a port asked for is in use,
107 the gateway failed to start.

Examples:
  mtsim run scenarios/quickstart.yaml
  mtsim run scenarios/kannel-smoke.yaml --out out/smoke --duration 20s
  mtsim run scenarios/peak-day.yaml --duration 30s --dry-run     (what would be sent, and what the cap cuts)
  mtsim run scenarios/peak-day.yaml --rate-scale 0.5 --segment 1/2     (and 2/2 elsewhere, then mtsim report both)
  mtsim run scenarios/quickstart.yaml --workers 2     (two threads send; results merged exactly)
  mtsim run s.yaml --segment 1/3 --start-at 2026-05-01T12:00:00Z --remote-network     (and 2/3, 3/3 on other hosts)
  mtsim run s.yaml --segment auto/3 --coordinator http://mtsim-coordinator:8080 --remote-network     (what mtsim k8s writes)

A split run's exit code is judged once over the merged shares: by mtsim coordinate, or by
mtsim report --shares n over their results; 108 there names a share that failed or is missing.
`,
    )
    .action(action((file: string, o: RunCliOptions) => runCommand(file, o)))
}
