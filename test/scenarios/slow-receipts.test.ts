// scenarios/slow-receipts.yaml, shortened (6 s of load, a 10 s receipt wait, receipts 1-6 s late and
// one in five three minutes late), through the real Kannel: EXPIRED receipts arrive as EXPIRED and
// exactly the receipts the simulator still holds at the end are counted missing.
import { describe, expect, it } from 'vitest'
import { expectAllOperatorsBalance, operator, receiptMs, runShort, scenario, sim, skipWithoutKannel } from './helpers.js'

const skip = skipWithoutKannel('test/scenarios/slow-receipts.test.ts')

describe.skipIf(skip)('slow-receipts through Kannel', () => {
  it('counts EXPIRED and missing receipts per the receipt wait, matching the simulator', async () => {
    const s = scenario('slow-receipts')
    s.receipts.waitMs = 10_000
    operator(s, 'telco-b').receipts.delay = { kind: 'uniform', min: 1000, max: 6000, spikes: { probability: 0.2, size: 180_000 } }
    const res = await runShort(s, { durationCapMs: 6000 })
    const r = res.results
    expectAllOperatorsBalance(r)
    expect(r.totals.accepted).toBe(r.totals.sent)

    const b = r.operators['telco-b']!.totals
    const sb = sim(res, 'telco-b')
    expect(b.expired).toBeGreaterThan(0)
    expect(b.expired).toBe(sb.receipts.sent.EXPIRED ?? 0)
    expect(b.delivered).toBe(sb.receipts.sent.DELIVRD ?? 0)
    // Missing = exactly the receipts still scheduled at the simulator (the 3-minute stragglers).
    expect(b.missing).toBeGreaterThan(0)
    expect(b.missing).toBe(sb.receipts.pending)
    expect(b.accepted).toBe(b.delivered + b.expired + b.missing)

    const a = r.operators['telco-a']!.totals
    expect(a.missing).toBe(0)
    expect(a.delivered).toBe(a.accepted)
    expect(receiptMs(r, 'telco-b').p50).toBeGreaterThan(1000)
    expect(receiptMs(r, 'telco-a').p99).toBeLessThan(receiptMs(r, 'telco-b').p50)
  }, 90_000)
})
