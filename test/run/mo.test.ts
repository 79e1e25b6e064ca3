// Issue 16 items 1-3 without a gateway in between: subscribers reply, opt out and write on their
// own; mtsim receives the MO on its own binds (direct and smpp targets) and its counts equal the
// simulated network's, MO by MO. A naive application keeps writing to numbers that said STOP (the
// network counts violations); a compliant one suppresses those sends and causes none.
import { describe, it, expect, beforeAll } from 'vitest'
import { runScenario, type RunScenarioResult } from '../../run/run-scenario.js'
import { freeLoopbackPorts } from '../../gateways/kannel/ports.js'
import { join } from 'node:path'
import { operator, outDir, pct, scenario, stream } from './helpers.js'
import { loadResults } from '../../results/load-results.js'
import { renderHtml } from '../../reports/html.js'
import { formatConsoleSummary } from '../../reports/console.js'
import { formatSummaryMarkdown } from '../../reports/summary-md.js'

const MESSAGES = 600

/** One operator whose subscribers (a pool of 40 numbers, so MT reach them again) write back. */
function network(port = 0) {
  return {
    seed: 5,
    operators: [
      operator('north', '4790', {
        smpp: { port, accounts: [{ system_id: 'north', password: 'pw' }] },
        mo: {
          replies: { share: 0.2, delay: { distribution: 'uniform', min: '5ms', max: '50ms' }, texts: [{ text: 'YES', weight: 3 }, { text: '1', weight: 1 }] },
          opt_out: { share: 0.05, delay: { distribution: 'uniform', min: '5ms', max: '30ms' }, grace: '300ms' },
          spontaneous: { rate: 20, from: '4790000000-4790000039', to: ['4040'] },
        },
      }),
    ],
  }
}

function mtStream() {
  return stream(MESSAGES, 3, ['north'], {
    traffic: { destinations: [{ range: '4790000000-4790000039' }], templates: ['Your code is {{otp}}'] },
  })
}

async function run(name: string, application: 'naive' | 'compliant', gateway: Record<string, unknown>, port = 0): Promise<RunScenarioResult> {
  const sc = scenario({
    network: network(port),
    gateway,
    streams: [mtStream()],
    receipts: { wait: '2s' },
    scheduling: { max_lag: '5s' },
    mo: { application, wait: '5s' },
  })
  return runScenario(sc, { outDir: outDir(name) })
}

function expectExactBooks(r: RunScenarioResult): void {
  const mo = r.results.mo!
  const sim = r.simulator[0]!.mo!
  // Every MO the subscribers sent reached mtsim exactly once, and the two sides agree.
  expect(mo.totals.sent).toBe(sim.stops + sim.replies + sim.spontaneous)
  expect(mo.totals.sent).toBe(sim.sent)
  expect(mo.totals.received).toBe(mo.totals.sent)
  expect(mo.totals.lost).toBe(0)
  expect(mo.totals.duplicated).toBe(0)
  expect(mo.totals.unknown).toBe(0)
  expect(sim.acked).toBe(sim.sent)
  expect(sim.held).toBe(0)
  expect(mo.totals.stops).toBe(sim.stops)
  expect(mo.totals.replies).toBe(sim.replies)
  expect(mo.totals.spontaneous).toBe(sim.spontaneous)
  expect(mo.totals.stops_received).toBe(sim.stops)
  // Replies and STOPs name the MT they answer.
  expect(mo.totals.correlated).toBe(sim.stops + sim.replies)
  expect(mo.totals.replies).toBeGreaterThan(20)
  expect(mo.totals.spontaneous).toBeGreaterThan(10)
  expect(pct(mo.latency).count).toBe(mo.totals.received)
  expect(pct(mo.stopLatency).count).toBe(mo.totals.stops_received)
  // The network's violation count is the one results report.
  expect(mo.totals.optout_violations).toBe(sim.violations)
  const t = r.results.totals
  expect(t.planned).toBe(t.sent + t.dropped + (t.suppressed ?? 0))
  expect(t.mo_sent).toBe(mo.totals.sent)
  expect(t.optout_violations).toBe(sim.violations)
}

describe('MO, replies and opt-outs through the direct target', () => {
  let naive: RunScenarioResult
  let compliant: RunScenarioResult
  beforeAll(async () => {
    naive = await run('mo-direct-naive', 'naive', { kind: 'direct', window: 50 })
    compliant = await run('mo-direct-compliant', 'compliant', { kind: 'direct', window: 50 })
  }, 60_000)

  it('counts every MO exactly on both sides', () => {
    expectExactBooks(naive)
    expectExactBooks(compliant)
  })

  it('a naive application causes violations, a compliant one suppresses its sends and causes none', () => {
    const n = naive.results.mo!.totals
    expect(n.stops).toBeGreaterThan(3)
    expect(n.optout_violations).toBeGreaterThan(0)
    expect(n.suppressed).toBe(0)
    expect(naive.results.totals.suppressed).toBe(0)
    const c = compliant.results.mo!.totals
    expect(c.stops).toBeGreaterThan(3)
    expect(c.optout_violations).toBe(0)
    expect(c.suppressed).toBeGreaterThan(0)
    expect(compliant.results.totals.sent + compliant.results.totals.suppressed!).toBe(MESSAGES)
  })

  it('results.json with MO reads back through the results schema, and every report shows the MO section', () => {
    const r = loadResults(join(naive.outDir, 'results.json'))
    expect(r.mo!.totals).toEqual(naive.results.mo!.totals)
    const v = r.mo!.totals.optout_violations
    const line = `application naive: ${r.mo!.totals.stops_received} STOPs received, 0 sends suppressed, ${v} opt-out violations`
    expect(formatConsoleSummary(r)).toContain(line)
    expect(formatSummaryMarkdown(r)).toContain(line)
    const html = renderHtml(r)
    expect(html).toContain('<h2>MO and opt-out compliance</h2>')
    expect(html).toContain(`${v} MT reached numbers after their STOP`)
    expect(renderHtml(loadResults(join(compliant.outDir, 'results.json')))).toContain('No MT reached a number after its STOP')
  })
})

describe('MO through the smpp target (mtsim binds to an SMPP server: here the simulated operator itself)', () => {
  it('receives every MO on its own binds, counted exactly', async () => {
    const [port] = await freeLoopbackPorts(1)
    const r = await run('mo-smpp', 'naive', { kind: 'smpp', host: '127.0.0.1', port, system_id: 'north', password: 'pw', binds: 2, window: 50 }, port)
    expectExactBooks(r)
  }, 60_000)
})

describe('MO needs one network and one load generator', () => {
  it('refuses --workers, --segment and a remote network with a clear error', async () => {
    const sc = scenario({ network: network(), gateway: { kind: 'direct' }, streams: [mtStream()] })
    for (const opts of [{ workers: 2 }, { segment: { index: 1, count: 2 } }, { remoteNetwork: true }]) {
      await expect(runScenario(sc, { outDir: outDir('mo-refused'), ...opts })).rejects.toMatchObject({
        code: 'MTSIM_ERR_OPTIONS_CONFLICT',
        message: expect.stringMatching(/network whose operators send MO \(mo:\): .*run it as one share/),
      })
    }
  })
})
