import type { Command } from 'commander'
import { parseDocument } from 'yaml'
import { readFileSync } from 'node:fs'
import { action } from '../handle-errors.js'
import { loadNetwork } from '../../simulator/network.js'
import { MtsimError } from '../../lib/errors.js'

/** Which schema a file is meant for: a scenario has `streams`, a network has `operators`. */
export function fileKind(file: string): 'network' | 'scenario' {
  let value: unknown
  try {
    value = parseDocument(readFileSync(file, 'utf8')).toJS()
  } catch {
    return 'network' // the loader reports the read or parse error properly
  }
  return value && typeof value === 'object' && 'streams' in value ? 'scenario' : 'network'
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check network and scenario files: every problem at once, with file, line, path, expected and found')
    .argument('<files...>', 'YAML or JSON files')
    .addHelpText('after', '\nExamples:\n  mtsim validate scenarios/networks/small.yaml scenarios/quickstart.yaml\n')
    .action(
      action(async (files: string[]) => {
        let failed = 0
        for (const file of files) {
          try {
            const kind = fileKind(file)
            if (kind === 'scenario') {
              const { loadScenario } = await import('../../loadgen/scenario/scenario.js')
              const { scenarioWarnings } = await import('../../loadgen/scenario/scenario-warnings.js')
              const scenario = loadScenario(file)
              for (const w of scenarioWarnings(file, scenario)) process.stderr.write(`warning: ${w}\n`)
              const { summarizePlan } = await import('../../loadgen/plan/plan-summary.js')
              const { carryLines } = await import('./plan.js')
              // Named, because `validate` takes many files and the warning is about one of them.
              for (const line of carryLines(scenario, summarizePlan(scenario))) process.stderr.write(`${file}: ${line}\n`)
            } else loadNetwork(file)
            process.stdout.write(`${file}: valid ${kind} file\n`)
          } catch (err) {
            if (!(err instanceof MtsimError)) throw err
            process.stderr.write(err.format() + '\n')
            failed++
          }
        }
        return failed ? 104 : 0
      }),
    )
}
