// `mtsim plan` (and `mtsim run --dry-run`): what a scenario would send, without starting a network,
// a gateway or a single bind. Also what the gateway's links can carry of it (capacity/model/plan-carry.ts).
import type { Command } from 'commander'
import { action } from '../handle-errors.js'
import { loadScenario, type Scenario } from '../../loadgen/scenario/scenario.js'
import { summarizePlan, type PlanSummary } from '../../loadgen/plan/plan-summary.js'
import { formatPlan } from '../../loadgen/plan/plan-text.js'
import { carryWarnings } from '../../capacity/model/plan-carry.js'
import { scenarioWarnings } from '../../loadgen/scenario/scenario-warnings.js'
import type { PlanOptions } from '../../loadgen/plan/plan.js'
import { durationOption } from '../options.js'
import { parseSegment } from '../../deploy/segment.js'
import { MtsimError } from '../../lib/errors.js'
import { MAX_RATE_SCALE } from '../../lib/limits.js'

export interface PlanCliOptions {
  duration?: string
  rateScale?: string
  segment?: string
}

/** The plan printed whole, with the carry warnings after it; exit 0 (nothing ran). */
export function printPlan(scenario: Scenario, opts: PlanOptions): number {
  const summary = summarizePlan(scenario, opts)
  process.stdout.write(formatPlan(summary))
  const carry = carryLines(scenario, summary)
  if (carry.length) process.stdout.write('\n' + carry.join('\n') + '\n')
  return 0
}

/** "warning: stream promo peaks at ..." lines for links that cannot carry the plan's peak. */
export function carryLines(scenario: Scenario, summary: PlanSummary): string[] {
  return carryWarnings(scenario, summary).map((w) => `warning: ${w}`)
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('print what a scenario would send (messages per stream, operators, encodings, segments, peak and mean rate, duration) without sending')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--duration <d>', 'cap every stream at this duration, like "10s" (as mtsim run)')
    .option('--rate-scale <x>', 'multiply every planned rate by x (as mtsim run)')
    .option('--segment <i/n>', 'the i-th of n shares of the plan (as mtsim run)')
    .addHelpText('after', '\nExamples:\n  mtsim plan scenarios/quickstart.yaml\n  mtsim plan scenarios/peak-day.yaml --duration 30s     (says what the cap cuts)\n  mtsim run scenarios/quickstart.yaml --dry-run         (the same, from run)\n')
    .action(
      action(async (file: string, o: PlanCliOptions) => {
        const scenario = loadScenario(file)
        for (const w of scenarioWarnings(file, scenario)) process.stderr.write(`warning: ${w}\n`)
        return printPlan(scenario, planOptions(o))
      }),
    )
}

export function planOptions(o: PlanCliOptions): PlanOptions {
  const rateScale = o.rateScale === undefined ? undefined : Number(o.rateScale)
  if (rateScale !== undefined && !(rateScale > 0 && rateScale <= MAX_RATE_SCALE)) {
    throw new MtsimError('MTSIM_ERR_RANGE', ['--rate-scale', `a number above 0 and at most ${MAX_RATE_SCALE}`, JSON.stringify(o.rateScale)])
  }
  const segment = o.segment ? parseSegment(o.segment) : undefined
  return { durationCapMs: durationOption('--duration', o.duration), rateScale, segment }
}
