// scenarios/black-hole.yaml, shortened (telco-c swallows submits from 3 s to 8 s of a 12 s run),
// through the real Kannel: the simulator counts the unanswered submits, Kannel re-sends them after
// its ack timeout, and their receipts come late (or not at all, counted missing).
import { describe, expect, it } from 'vitest'
import { expectAllOperatorsBalance, finals, operator, receiptMs, runShort, scenario, sim, skipWithoutKannel } from './helpers.js'

const skip = skipWithoutKannel('test/scenarios/black-hole.test.ts')

describe.skipIf(skip)('black-hole through Kannel', () => {
  it('shows unanswered submits at the simulator and late or missing receipts for that operator only', async () => {
    const s = scenario('black-hole')
    operator(s, 'telco-c').timeline = [{ kind: 'black_hole', at: 3000, duration: 5000 }]
    const res = await runShort(s, { durationCapMs: 12_000 })
    const r = res.results
    const t = r.totals
    expectAllOperatorsBalance(r)
    expect(t.accepted).toBe(t.sent)
    expect(r.faults.map((f) => [f.operator, f.kind])).toEqual([['telco-c', 'black_hole']])

    const c = sim(res, 'telco-c')
    expect(c.unanswered).toBeGreaterThan(0)
    // Every submit telco-c took in was answered OK or swallowed; what it accepted is each message
    // once plus the re-sends the engine saw arrive twice.
    expect(c.submits).toBe((c.statuses.ESME_ROK ?? 0) + c.unanswered)
    const oc = r.operators['telco-c']!.totals
    // Each message it took counts arrived once; what it was sent again after taking or swallowing
    // a copy counts duplicate_submits (issue 13: Kannel's retransmissions).
    expect(c.statuses.ESME_ROK).toBeGreaterThanOrEqual(oc.arrived)
    expect(c.submits).toBe(c.copies!.first + c.copies!.repeated)
    expect(c.copies!.repeated).toBeGreaterThanOrEqual(oc.duplicate_submits)

    // Late: messages sent into the hole wait at least until it ends (5 s), or never get a receipt.
    const late = receiptMs(r, 'telco-c')
    expect(oc.missing > 0 || late.max > 4000).toBe(true)
    expect(finals(oc) + oc.missing + oc.held_by_gateway).toBe(oc.accepted)
    // telco-a is untouched.
    const a = r.operators['telco-a']!.totals
    expect(a.missing).toBe(0)
    expect(sim(res, 'telco-a').unanswered).toBe(0)
    // None of its messages waited on the hole: that would take its whole 5 s.
    expect(receiptMs(r, 'telco-a').p99).toBeLessThan(5000)
  }, 120_000)
})
