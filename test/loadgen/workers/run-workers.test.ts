// `mtsim run --workers N` in-process over the real simulator (worker threads run the compiled
// dist/ twin: npm test builds first). Outcomes are drawn per message from its content, so a seeded
// run over a network without throttles has the same totals with 1 or 2 workers; the merged
// histograms are the shares' added bucket by bucket; every accepted message's arrival reached
// the worker that sent it; an interrupt still writes merged, balanced results.
import { describe, it, expect } from 'vitest'
import { abortOnStats } from '../../support/wait.js'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { loadScenario } from '../../../loadgen/scenario/scenario.js'
import { runScenario } from '../../../run/run-scenario.js'
import type { ResultsFile } from '../../../results/results-format.js'
import { operator, outDir, pct, stream } from '../../run/helpers.js'

const OPERATORS = [
  operator('alpha', '4790', { receipts: { delay: { distribution: 'uniform', min: '5ms', max: '60ms' }, outcomes: [{ stat: 'DELIVRD', weight: 9 }, { stat: 'UNDELIV', weight: 1 }] } }),
  operator('beta', '4740', { failures: { statuses: [{ status: 'ESME_RSYSERR', rate: 0.05 }] } }),
  operator('gamma', '4750'),
]

/** A scenario file (workers load it again) of `messages` sends over `seconds`. */
function scenarioFile(dir: string, messages: number, seconds: number, binds: number): string {
  const file = join(dir, 'scenario.yaml')
  const value = {
    name: 'workers-test', seed: 5,
    network: { name: 'workers-net', seed: 9, operators: OPERATORS },
    gateway: { kind: 'direct', binds, window: 50 },
    streams: [stream(messages, seconds, ['alpha', 'beta', 'gamma'])],
    receipts: { wait: '3s' },
    thresholds: { accept_rate: ['rate>0.5'] },
  }
  writeFileSync(file, stringify(value))
  return file
}

const share = (dir: string, w: number) => JSON.parse(readFileSync(join(dir, 'workers', String(w), 'results.json'), 'utf8')) as ResultsFile

describe('mtsim run --workers', () => {
  it('gives the totals of one worker with two, adds histograms exactly and routes every arrival to its sender', async () => {
    const dir = outDir('workers')
    const file = scenarioFile(dir, 300, 1.5, 1)
    const one = await runScenario(loadScenario(file), { outDir: join(dir, 'one'), workers: 1 })
    const two = await runScenario(loadScenario(file), { outDir: join(dir, 'two'), workers: 2 })
    const a = one.results
    const b = two.results

    expect(b.totals.planned).toBe(300)
    expect(b.totals.sent).toBe(300)
    expect(b.totals).toEqual({ ...a.totals, late: b.totals.late })
    expect(b.statuses).toEqual(a.statuses)
    expect(b.receipts).toEqual(a.receipts)
    expect(b.totals.missing).toBe(0) // every receipt came back to the worker that sent its message
    expect(b.meta.segment).toBeNull()
    expect(b.thresholds.map((t) => t.ok)).toEqual([true])

    const shares = [share(join(dir, 'two'), 0), share(join(dir, 'two'), 1)]
    expect(shares.map((s) => s.totals.planned)).toEqual([150, 150])
    for (const h of ['submit', 'receipt', 'transit'] as const) {
      const merged = pct(b.histograms[h].corrected).count
      expect(merged).toBe(pct(shares[0]!.histograms[h].corrected).count + pct(shares[1]!.histograms[h].corrected).count)
      expect(merged).toBe(pct(a.histograms[h].corrected).count)
    }
    // Transit is measured on the worker from the simulator's arrival: one per accepted message.
    expect(pct(b.histograms.transit.corrected).count).toBe(b.totals.accepted)
    for (const s of shares) expect(pct(s.histograms.transit.corrected).count).toBe(s.totals.accepted)
    // The simulator saw exactly what the workers sent, through one account copy per worker.
    expect(two.simulator.reduce((n, s) => n + s.messages, 0)).toBe(300)
    expect(two.simulator.reduce((n, s) => n + s.statuses.ESME_ROK!, 0)).toBe(b.totals.accepted)
    expect(existsSync(join(dir, 'two', 'results.json'))).toBe(true)
  })

  it('on interrupt, every worker writes its share and the merge says interrupted with balanced books', async () => {
    const root = outDir('workers-abort')
    const dir = join(root, 'run')
    const file = scenarioFile(root, 3000, 30, 2)
    const controller = new AbortController()
    // Interrupt once messages are arriving at the simulator (workers take a while to start on a
    // busy machine, so no fixed delay): the control API shows the operators' own counts.
    const log = abortOnStats<{ submits: number }>('alpha', (s) => s.submits >= 10, controller)
    const { results, exitCode } = await runScenario(loadScenario(file), { outDir: dir, workers: 2, signal: controller.signal, controlPort: 0, log })
    expect(exitCode).toBe(105)
    expect(results.meta.interrupted).toBe(true)
    expect(results.totals.sent).toBeGreaterThan(0)
    expect(results.totals.sent).toBeLessThan(3000)
    const shares = [share(dir, 0), share(dir, 1)]
    expect(shares.every((s) => s.meta.interrupted)).toBe(true)
    expect(results.totals.sent).toBe(shares[0]!.totals.sent + shares[1]!.totals.sent)
    expect(results.totals.planned).toBe(shares[0]!.totals.planned + shares[1]!.totals.planned)
    const onDisk = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile
    expect(onDisk.totals).toEqual(results.totals)
  }, 60_000)
})
