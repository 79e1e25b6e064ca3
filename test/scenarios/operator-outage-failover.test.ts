// scenarios/operator-outage-failover.yaml, shortened (telco-b down from 4 s to 9 s of a 14 s run),
// through the real Kannel with failover routing: telco-b's numbers move to telco-a while it is down,
// and the failover figures say when, how many, and that nothing was lost.
import { loadResults } from '../../reports/index.js'
import { renderHtml } from '../../reports/html.js'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectAllOperatorsBalance, finals, operator, runShort, scenario, sim, skipWithoutKannel } from './helpers.js'

const skip = skipWithoutKannel('test/scenarios/operator-outage-failover.test.ts')

describe.skipIf(skip)('operator-outage-failover through Kannel', () => {
  it('reroutes the down operator to its backup, reports the figures, loses nothing', async () => {
    const s = scenario('operator-outage-failover')
    operator(s, 'telco-b').timeline = [{ kind: 'outage', at: 4000, duration: 5000 }]
    const res = await runShort(s, { durationCapMs: 14_000 })
    const r = res.results
    const t = r.totals
    expectAllOperatorsBalance(r)
    expect(t.accepted).toBe(t.sent)
    expect(finals(t) + t.missing + t.held_by_gateway).toBe(t.accepted)
    // A receipt telco-b had written into its bind when the outage dropped it is sent again after
    // Kannel rebinds (simulator receipt redelivery): nothing is missing.
    expect(t.missing).toBe(0)

    expect(r.faults).toHaveLength(1)
    const f = r.failover?.operators['telco-b']
    expect(f).toBeDefined()
    expect(Object.keys(r.failover!.operators)).toEqual(['telco-b'])
    expect(f!.backup).toBe('telco-a')
    expect(f!.outages).toHaveLength(1)
    const o = f!.outages[0]!
    expect(o.start).toBeGreaterThanOrEqual(3900)
    expect(o.start).toBeLessThanOrEqual(4200)
    expect(o.end - o.start).toBeGreaterThanOrEqual(4900)
    expect(o.end - o.start).toBeLessThanOrEqual(5100)
    // Kannel notices the dropped bind at once and routes to the backup within a few seconds.
    expect(o.switchoverMs).not.toBeNull()
    expect(o.switchoverMs!).toBeGreaterThanOrEqual(0)
    expect(o.switchoverMs!).toBeLessThan(3000)
    expect(o.firstAtBackup).toBe(o.start + o.switchoverMs!)
    // ~30/s of telco-b's numbers for 5 s: most of them carried by telco-a while telco-b was down.
    expect(o.reroutedDuring).toBeGreaterThan(90)
    expect(f!.rerouted).toBeGreaterThanOrEqual(o.reroutedDuring)
    // Every reroute is a message at an operator that does not serve it, and only telco-a may carry
    // telco-b's numbers, so the two counts are the same messages.
    expect(t.misrouted).toBe(f!.rerouted)
    expect(r.operators['telco-b']!.totals.misrouted).toBe(f!.rerouted)
    expect(sim(res, 'telco-a').misrouted).toBeGreaterThanOrEqual(f!.rerouted)
    expect(f!.duplicates).toBe(r.operators['telco-b']!.totals.duplicate_submits)
    expect(f!.queued).toBe(r.operators['telco-b']!.statuses.KANNEL_QUEUED ?? 0)
    expect(f!.accepted).toBe(r.operators['telco-b']!.totals.accepted)
    expect(f!.lost).toBe(r.operators['telco-b']!.totals.missing + r.operators['telco-b']!.totals.held_by_gateway)
    expect(t.missing + t.held_by_gateway).toBe(f!.lost) // the other operators lose nothing
    expect(o.drainMs).not.toBeNull()
    expect(o.drainMs!).toBeLessThan(5000)
    // Every arrival the engine saw (each message once, plus the duplicates it counted) was either
    // answered ESME_ROK or taken in just as the outage dropped the bind, so its answer never went
    // out (the simulator counts it unanswered) and Kannel sent it again: a real race a gateway faces.
    // The network has no no_response_rate, disconnect_rate or black hole, so unanswered is only that.
    const arrivals = ['telco-a', 'telco-b', 'telco-c'].reduce((n, id) => n + (sim(res, id).statuses.ESME_ROK ?? 0) + sim(res, id).unanswered, 0)
    expect(arrivals).toBe(t.sent + t.duplicate_submits)
    // The untouched operator saw only its own numbers.
    expect(sim(res, 'telco-c').misrouted).toBe(0)

    // results.json on disk passes the results schema with its failover figures, and the report
    // has the failover table: one row per outage.
    const onDisk = loadResults(join(res.outDir, 'results.json'))
    expect(onDisk.failover).toEqual(r.failover)
    const html = renderHtml(onDisk)
    expect(html).toContain('<h2>Failover</h2>')
    expect(html).toContain('<table class="failover">')
    expect(html).toContain(`<td><b>telco-b</b></td><td>telco-a</td>`)
  }, 90_000)
})
