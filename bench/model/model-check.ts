// `npm run bench -- --only model-check` (not in the default set: ~10 minutes of real runs): the
// model against reality for every shipped scenario. Each one runs for real in direct mode (mtsim's
// own binds to the simulated operators, the gateway section replaced by one bind per operator with
// a window of 100) and is modelled the same way; kannel-smoke also runs through the real Kannel,
// for information (the model's gateway view). Prints one table per scenario (overall and per
// operator: accepted, dropped, rejected, p50/p99 of submit and receipt latency, each with its
// tolerance) and a summary line per scenario; docs/model.md shows the figures.
import { mkdirSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compareModel, formatComparison, type ComparisonRow } from '../../capacity/model/compare.js'
import { modelScenario } from '../../capacity/model/index.js'
import { kannelAvailable } from '../../gateways/kannel/index.js'
import { runScenario } from '../../run/run-scenario.js'
import { loadScenario, type Scenario } from '../../loadgen/scenario/scenario.js'

const SCENARIOS = ['quickstart', 'kannel-smoke', 'throttled-operator', 'slow-receipts', 'black-hole', 'operator-outage-failover', 'peak-day']

function direct(s: Scenario): Scenario {
  const binds = Object.fromEntries(s.network.operators.map((o) => [o.id, 1]))
  return { ...s, gateway: { kind: 'direct', binds, window: 100, mode: 'transceiver' } }
}

function outDir(name: string): string {
  const root = fileURLToPath(new URL('../../../out/bench-model-check/', import.meta.url))
  mkdirSync(root, { recursive: true })
  return mkdtempSync(join(root, `${name}-`))
}

async function check(name: string, s: Scenario, log: (line: string) => void): Promise<ComparisonRow[]> {
  const real = await runScenario(s, { outDir: outDir(`${name}-run`) })
  const m = modelScenario(s, { outDir: outDir(`${name}-model`), report: false })
  const rows = compareModel(m.results, real.results)
  log(`\n${name} (${s.gateway.kind}): ${real.results.totals.planned} messages`)
  log(formatComparison(rows))
  return rows
}

export async function modelCheck(log: (line: string) => void): Promise<string[]> {
  const summary: string[] = []
  for (const name of SCENARIOS) {
    const s = direct(loadScenario(fileURLToPath(new URL(`../../../scenarios/${name}.yaml`, import.meta.url))))
    const rows = await check(name, s, log)
    const bad = rows.filter((r) => !r.ok)
    summary.push(`${name} (direct): ${rows.length - bad.length} of ${rows.length} figures agree` + (bad.length ? `; differ: ${bad.map((r) => `${r.scope} ${r.metric}`).join(', ')}` : ''))
  }
  if (kannelAvailable()) {
    const s = loadScenario(fileURLToPath(new URL('../../../scenarios/kannel-smoke.yaml', import.meta.url)))
    const rows = await check('kannel-smoke', s, log)
    const bad = rows.filter((r) => !r.ok)
    summary.push(`kannel-smoke (through Kannel, for information): ${rows.length - bad.length} of ${rows.length} figures agree` + (bad.length ? `; differ: ${bad.map((r) => `${r.scope} ${r.metric}`).join(', ')}` : ''))
  } else summary.push('kannel-smoke through Kannel: skipped (Kannel is not installed)')
  log('')
  for (const line of summary) log(`model-check: ${line}`)
  // Differences are findings to read, not failures of the bench.
  return []
}
