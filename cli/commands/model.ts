// `mtsim model`: a scenario modelled at full volume without sockets (capacity/model). Writes
// results.json (the run format, marked modelled), model.json (the planner's answers: peak hour,
// queues and drain, sizing per operator), report.html, junit.xml and summary.md, and prints the
// answers. Exit codes as `mtsim run`: 0 every threshold held, 99 one failed, 104 bad input,
// 105 interrupted (what was modelled so far is still written).
import type { Command } from 'commander'
import { resolve } from 'node:path'
import { action } from '../handle-errors.js'
import { durationOption } from '../options.js'
import { MtsimError, ExitCode } from '../../lib/errors.js'
import { loadScenario } from '../../loadgen/scenario/scenario.js'
import { defaultOutDir } from '../../run/run-scenario.js'
import { loadResults } from '../../reports/index.js'
import { modelScenario } from '../../capacity/model/index.js'

export interface ModelCliOptions {
  out?: string
  duration?: string
  rateScale?: string
  interval?: string
  step?: string
  compare?: string
  report: boolean
  progress: boolean
}

export async function modelCommand(file: string, o: ModelCliOptions): Promise<number> {
  const usage = (flag: string, expected: string, found: string | undefined) => new MtsimError('MTSIM_ERR_OPTION', [flag, expected, JSON.stringify(found)])
  const rateScale = o.rateScale === undefined ? undefined : Number(o.rateScale)
  if (rateScale !== undefined && !(rateScale > 0)) throw usage('--rate-scale', 'a number above 0', o.rateScale)
  const durationCapMs = durationOption('--duration', o.duration)
  const intervalMs = durationOption('--interval', o.interval)
  const stepMs = durationOption('--step', o.step)
  if (intervalMs !== undefined && !(intervalMs > 0)) throw usage('--interval', 'a duration above 0', o.interval)
  if (stepMs !== undefined && !(stepMs > 0)) throw usage('--step', 'a duration above 0', o.step)
  const scenario = loadScenario(file)
  const against = o.compare ? loadResults(o.compare) : undefined
  const outDir = resolve(o.out ?? defaultOutDir(`${scenario.name}-model`))
  const stderr = (line: string) => process.stderr.write(line + '\n')

  const controller = new AbortController()
  let signals = 0
  const onSignal = (sig: NodeJS.Signals) => {
    if (++signals === 1) {
      stderr(`\n${sig}: stopping the model, writing what was modelled so far (again to exit at once)`)
      controller.abort()
    } else process.exit(ExitCode.interrupted)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    stderr(`mtsim model: ${scenario.name} (seed ${scenario.seed}, gateway ${scenario.gateway.kind}, modelled: no sockets)`)
    const out = modelScenario(scenario, {
      outDir, rateScale, durationCapMs, intervalMs, stepMs, signal: controller.signal, against, report: o.report,
      progress: o.progress ? (line) => process.stderr.write(line) : undefined,
    })
    process.stdout.write(out.text + '\n')
    stderr(`results: ${out.files.results}\nmodel:   ${out.files.model}`)
    if (out.files.html) stderr(`report:  ${out.files.html}\njunit:   ${out.files.junit}\nsummary: ${out.files.summary}`)
    if (out.results.meta.interrupted) return ExitCode.interrupted
    return out.results.thresholds.some((t) => !t.ok) ? ExitCode.thresholdsFailed : ExitCode.ok
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

export function registerModel(program: Command): void {
  program
    .command('model')
    .description('model a scenario at full volume without sockets: queues, drops, latency and receipts per interval, the peak hour, drain time and binds x window per operator')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--out <dir>', 'output folder (default out/runs/<name>-model-<timestamp>)')
    .option('--duration <d>', 'model only the first part of the plan, like "2h"')
    .option('--rate-scale <x>', 'multiply every planned rate by x (what if the peak grows by 20%: 1.2)')
    .option('--interval <d>', 'time-series interval, like "1m" (default: 1s for runs up to an hour, 1m above)')
    .option('--step <d>', 'model time step while a limit binds, like "1ms" (default 1ms)')
    .option('--compare <results>', 'a results.json of a real run of the same scenario: print model and run side by side')
    .option('--no-progress', 'no progress line')
    .option('--no-report', 'write results.json and model.json only')
    .addHelpText(
      'after',
      `
The model is fluid: flows of whole messages through each operator link's limits (window, pacing,
throttle, queue), latency from the network's own distributions recorded in HDR histograms with
counts. It is deterministic with the scenario's seed. What it leaves out: docs/model.md.

Exit codes: 0 every threshold held in the model, 99 one failed, 104 invalid scenario or options,
105 interrupted (what was modelled so far is written).

Examples:
  mtsim model scenarios/national-peak-day.yaml
  mtsim model scenarios/national-peak-day.yaml --rate-scale 1.2 --out out/peak-plus-20
  mtsim model scenarios/quickstart.yaml --compare out/runs/quickstart-20250101-120000/results.json
`,
    )
    .action(action((file: string, o: ModelCliOptions) => modelCommand(file, o)))
}
