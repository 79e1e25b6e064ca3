// `mtsim capacity`: the highest rate the scenario's gateway sustains within the scenario's
// thresholds, measured through the real path (capacity/measure). Writes capacity.json (after every
// step), report.html and each step's results.json; prints the steps and the answer. Exit codes:
// 0 a rate held (the knee was found, or the maximum held), 99 no rate tried held, 104 bad input,
// 105 interrupted (the steps so far are written), 107 the gateway failed to start.
import type { Command } from 'commander'
import { resolve } from 'node:path'
import { action } from '../handle-errors.js'
import { durationOption } from '../options.js'
import { ExitCode, MtsimError } from '../../lib/errors.js'
import { buildPlan } from '../../loadgen/plan/plan.js'
import { defaultOutDir } from '../../run/run-scenario.js'
import { loadScenario } from '../../loadgen/scenario/scenario.js'
import { capacityScenario } from '../../capacity/measure/index.js'

export interface CapacityCliOptions {
  out?: string
  start?: string
  maxRate?: string
  factor: string
  precision: string
  step: string
  warmup: string
  maxDuration: string
  report: boolean
}

function positive(flag: string, text: string | undefined, min = 0): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isFinite(n) || !(n > min)) throw new MtsimError('MTSIM_ERR_OPTION', [flag, `a number above ${min}`, JSON.stringify(text)])
  return n
}

export async function capacityCommand(file: string, o: CapacityCliOptions): Promise<number> {
  const stepMs = durationOption('--step', o.step)!
  const warmupMs = durationOption('--warmup', o.warmup)!
  const maxDurationMs = durationOption('--max-duration', o.maxDuration)!
  if (!(stepMs > 0)) throw new MtsimError('MTSIM_ERR_OPTION', ['--step', 'a duration above 0', JSON.stringify(o.step)])
  const factor = positive('--factor', o.factor, 1)!
  const precision = positive('--precision', o.precision)!
  if (precision >= factor - 1) throw new MtsimError('MTSIM_ERR_CAPACITY', [`--precision (${precision}) must be finer than a rising step (--factor ${factor}: ${+(factor - 1).toFixed(3)})`])
  const scenario = loadScenario(file)
  const plan = buildPlan(scenario)
  // Default start: the scenario's own average rate, what it plans today.
  const average = plan.durationMs > 0 ? (plan.planned * 1000) / plan.durationMs : 1
  const startRate = positive('--start', o.start) ?? Math.max(1, Math.round(average * 10) / 10)
  const maxRate = positive('--max-rate', o.maxRate) ?? startRate * 100
  if (maxRate < startRate) throw new MtsimError('MTSIM_ERR_CAPACITY', [`--max-rate (${maxRate}) must be at least the start rate (${startRate})`])
  const outDir = resolve(o.out ?? defaultOutDir(`${scenario.name}-capacity`))
  const stderr = (line: string) => process.stderr.write(line + '\n')

  const controller = new AbortController()
  let signals = 0
  const onSignal = (sig: NodeJS.Signals) => {
    if (++signals === 1) {
      stderr(`\n${sig}: stopping the search, keeping the steps so far (again to exit at once)`)
      controller.abort()
    } else process.exit(ExitCode.interrupted)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    stderr(`mtsim capacity: ${scenario.name} through ${scenario.gateway.kind}, from ${startRate} msg/s (x${factor}, then bisection to ${precision * 100}%), ${warmupMs / 1000} s warm-up + ${stepMs / 1000} s per step, at most ${maxDurationMs / 1000} s`)
    if (scenario.network.operators.some((op) => op.timeline.length)) stderr('note: the network\'s fault timeline is not played during a capacity search (it measures the steady state)')
    const out = await capacityScenario(scenario, {
      outDir, startRate, maxRate, factor, precision, stepMs, warmupMs, maxDurationMs, settleMs: 30_000, signal: controller.signal, log: stderr, report: o.report,
    })
    process.stdout.write(out.text + '\n')
    stderr(`capacity: ${out.files.capacity}`)
    if (out.files.html) stderr(`report:   ${out.files.html}`)
    if (out.file.meta.interrupted) return ExitCode.interrupted
    return out.file.held === null ? ExitCode.thresholdsFailed : ExitCode.ok
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

export function registerCapacity(program: Command): void {
  program
    .command('capacity')
    .description("find the highest rate the scenario's gateway sustains within its thresholds: rising steps, then bisection, each step a real run; reports what ran out")
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--out <dir>', 'output folder (default out/runs/<name>-capacity-<timestamp>)')
    .option('--start <rate>', "first offered rate, messages per second (default: the scenario's average rate)")
    .option('--max-rate <rate>', 'highest rate to try (default: 100 x the start)')
    .option('--factor <x>', 'each rising step offers x times the last', '1.5')
    .option('--precision <fraction>', 'bisection stops when the first failing rate is within this share of the last holding one', '0.05')
    .option('--step <d>', 'measured length of each step', '10s')
    .option('--warmup <d>', 'unmeasured warm-up at the same rate before each step (0 for none)', '2s')
    .option('--max-duration <d>', 'the whole search stops after this long, with the steps so far', '10m')
    .option('--no-report', 'write capacity.json only')
    .addHelpText(
      'after',
      `
Each step plays the scenario's traffic mix (its streams in their planned shares) at one rate
through its gateway (direct, smpp, http or a managed Kannel, started once), and is judged by
the scenario's thresholds (without any: nothing dropped, failed or missing). At the first rate
that fails, the network's and the gateway's counters say what ran out: an operator's throttle or
window, the gateway's queue, mtsim's (or the gateway's) window, the gateway's front end.

Exit codes: 0 a rate held, 99 no rate tried held, 104 invalid input, 105 interrupted (steps so far
written), 107 the gateway failed to start.

Examples:
  mtsim capacity scenarios/capacity-kannel.yaml
  mtsim capacity scenarios/quickstart.yaml --start 40 --step 5s --max-duration 3m
`,
    )
    .action(action((file: string, o: CapacityCliOptions) => capacityCommand(file, o)))
}
