import type { Command } from 'commander'
import { parseDocument } from 'yaml'
import { readFileSync } from 'node:fs'
import { action } from '../handle-errors.js'
import { loadNetwork } from '../../simulator/network.js'
import { MtsimError } from '../../lib/errors.js'

/** Top-level keys only a scenario has; a file with some of them and no `operators` is a scenario. */
const SCENARIO_KEYS = ['network', 'gateway', 'streams', 'receipts', 'scheduling', 'thresholds', 'model']

export interface FileKind {
  kind: 'network' | 'scenario'
  /** A scenario recognised by its other keys because `streams` is missing: the keys it was told by. */
  withoutStreams?: string[]
}

/**
 * Which schema a file is meant for: a scenario has `streams`, a network has `operators`. A file
 * with neither is judged by its other keys, so a scenario that forgot its streams is told that,
 * not given a network file's errors for every key it has.
 */
export function fileKind(file: string): FileKind {
  let value: unknown
  try {
    value = parseDocument(readFileSync(file, 'utf8')).toJS()
  } catch {
    return { kind: 'network' } // the loader reports the read or parse error properly
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { kind: 'network' }
  if ('streams' in value) return { kind: 'scenario' }
  if ('operators' in value) return { kind: 'network' }
  const told = Object.keys(value).filter((k) => SCENARIO_KEYS.includes(k))
  return told.length ? { kind: 'scenario', withoutStreams: told } : { kind: 'network' }
}

/** The line before a streamless scenario's errors: what the file looks like and what it lacks. */
export function withoutStreamsNote(file: string, keys: string[]): string {
  return (
    `${file} looks like a scenario file (it has ${keys.join(', ')}) but has no streams: a scenario needs ` +
    `streams: (what to send, e.g. - { name: otp, executor: constant-arrival-rate, rate: 10, duration: 30s, ` +
    `traffic: ... }, see scenarios/quickstart.yaml); a network file would need operators:`
  )
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
            const { kind, withoutStreams } = fileKind(file)
            if (withoutStreams) process.stderr.write(withoutStreamsNote(file, withoutStreams) + '\n')
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
