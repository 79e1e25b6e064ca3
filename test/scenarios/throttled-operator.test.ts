// scenarios/throttled-operator.yaml, its first 12 s with telco-c capped at 4/s (bursts of 2) so the
// short campaign surely goes over the cap, through the real Kannel: the operator answers
// ESME_RTHROTTLED, Kannel retries out of sight of mtsim (all accepted, nothing rejected), and the
// cost shows as receipt latency on the throttled operator only.
import { describe, expect, it } from 'vitest'
import { expectAllOperatorsBalance, finals, operator, receiptMs, runShort, scenario, sim, skipWithoutKannel } from './helpers.js'

const skip = skipWithoutKannel('test/scenarios/throttled-operator.test.ts')

describe.skipIf(skip)('throttled-operator through Kannel', () => {
  it('shows ESME_RTHROTTLED at the simulator, retries by Kannel and their cost in receipt latency', async () => {
    const s = scenario('throttled-operator')
    const c0 = operator(s, 'telco-c')
    c0.throttle = { ...c0.throttle!, rate: 4, burst: 2 }
    const res = await runShort(s, { durationCapMs: 12_000 })
    const r = res.results
    const t = r.totals
    expectAllOperatorsBalance(r)
    expect(t.rejected).toBe(0) // Kannel hides the throttling from its client
    expect(t.accepted).toBe(t.sent)
    expect(t.missing).toBe(0)
    expect(finals(t)).toBe(t.accepted)

    const c = sim(res, 'telco-c')
    const throttled = c.statuses.ESME_RTHROTTLED ?? 0
    expect(throttled).toBeGreaterThan(0)
    // Every submit was answered OK or throttled; each message was accepted exactly once.
    expect(c.submits).toBe((c.statuses.ESME_ROK ?? 0) + throttled)
    expect(Object.keys(c.statuses).sort()).toEqual(['ESME_ROK', 'ESME_RTHROTTLED'])
    expect(c.statuses.ESME_ROK).toBe(r.operators['telco-c']!.totals.sent)
    expect(t.duplicate_submits).toBe(0)
    for (const id of ['telco-a', 'telco-b']) expect(sim(res, id).statuses).toEqual({ ESME_ROK: r.operators[id]!.totals.sent })

    // Same receipt delays at every operator: the difference is Kannel's retrying (>= 1 s each).
    const a = receiptMs(r, 'telco-a')
    const thr = receiptMs(r, 'telco-c')
    expect(thr.p99).toBeGreaterThan(a.p99 + 1000)
    expect(thr.max).toBeGreaterThan(2000)
  }, 120_000)
})
