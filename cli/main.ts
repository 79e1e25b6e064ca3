#!/usr/bin/env node
// mtsim: one CLI. Each command lives in cli/commands/<name>.ts and registers itself here.
import { Command } from 'commander'
import { readFileSync } from 'node:fs'
import { registerValidate } from './commands/validate.js'
import { registerRun } from './commands/run.js'
import { registerSimulate } from './commands/simulate.js'
import { registerReport } from './commands/report.js'
import { registerGateway } from './commands/gateway.js'
import { registerCoordinate } from './commands/coordinate.js'
import { registerK8s } from './commands/k8s.js'
import { registerModel } from './commands/model.js'
import { registerCapacity } from './commands/capacity.js'
import { registerPlan } from './commands/plan.js'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

const program = new Command('mtsim')
  .description('Operator-network simulator and load-test harness for MT SMS over SMPP 3.4')
  .version(pkg.version)
  .showHelpAfterError('(run mtsim --help for every command with examples)')
  .addHelpText(
    'after',
    `
Examples:
  mtsim run scenarios/quickstart.yaml                      run a scenario: results.json, report.html, junit.xml
  mtsim simulate scenarios/networks/small.yaml             start a simulated network until Ctrl-C
  mtsim simulate scenarios/networks/national.yaml --control-port 8900
  mtsim validate scenarios/networks/national.yaml          check a network or scenario file
  mtsim plan scenarios/quickstart.yaml                     what a scenario would send, without sending (or run --dry-run)
  mtsim report out/run/results.json --baseline old.json    report.html, junit.xml, summary.md; compare runs
  mtsim gateway kannel scenarios/networks/small.yaml       a real Kannel in front of a simulated network
  mtsim k8s scenarios/quickstart.yaml --shares 4 --image r.example/mtsim:0.1.0 --out run.yaml
                                                           a run split over 4 pods on Kubernetes (kubectl apply -f run.yaml)
  mtsim coordinate --shares 4 --host 0.0.0.0               start a split run's shares together, judge it once
  mtsim model scenarios/national-peak-day.yaml             a 300-million-message day modelled without sockets
  mtsim capacity scenarios/capacity-kannel.yaml            the highest rate Kannel sustains within the thresholds
`,
  )

registerRun(program)
registerPlan(program)
registerValidate(program)
registerSimulate(program)
registerReport(program)
registerGateway(program)
registerCoordinate(program)
registerK8s(program)
registerModel(program)
registerCapacity(program)

await program.parseAsync(process.argv)
