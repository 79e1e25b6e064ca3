// A seeded run of thousands of messages through the fake gateway with every kind of trouble:
// each count in results.json must equal what the fake transport actually did, and the books balance.
import { describe, expect, it } from 'vitest'
import { runLoad } from '../../../loadgen/engine/engine.js'
import { FakeTransport } from '../../support/fake-transport.js'
import { constantPlan, messages, outDir, scenario, segmentsOf } from './helpers.js'

describe('engine accounting', () => {
  it('counts every message and receipt exactly as the fake gateway produced them', async () => {
    const fake = new FakeTransport({
      seed: 42, window: 200, latencyMs: { min: 1, max: 12 }, rejectRate: 0.05, failRate: 0.02, failAfterMs: 30,
      segmentsOf, receiptDelayMs: { min: 0.5, max: 25 },
      outcomes: [{ stat: 'DELIVRD', weight: 80 }, { stat: 'UNDELIV', weight: 8 }, { stat: 'EXPIRED', weight: 5 }, { stat: 'REJECTD', weight: 4 }, { stat: 'DELETED', weight: 3 }],
      lossRate: 0.03, duplicateRate: 0.05, intermediateRate: 0.1, unknownRate: 0.01,
    })
    const plan = constantPlan([{ rate: 3000, count: 3000 }, { rate: 1000, count: 1000, startMs: 100 }])
    const r = await runLoad({ scenario: scenario({ waitMs: 300 }), plan, transport: fake, outDir: outDir(), traffic: messages(7) })
    const c = fake.counters
    const t = r.totals

    expect(r.meta.interrupted).toBe(false)
    expect(t.planned).toBe(4000)
    expect(t.dropped).toBe(0)
    expect(t.sent).toBe(c.sent)
    expect(t.segments).toBe(c.segments)
    expect(t.segments).toBeGreaterThan(t.sent) // multipart in the mix
    expect(t.accepted).toBe(c.accepted)
    expect(t.rejected).toBe(c.rejected)
    expect(t.failed).toBe(c.failed)
    expect(t.delivered).toBe(c.finals.DELIVRD ?? 0)
    expect(t.undelivered).toBe(c.finals.UNDELIV ?? 0)
    expect(t.expired).toBe(c.finals.EXPIRED ?? 0)
    expect(t.rejected_by_operator).toBe(c.finals.REJECTD ?? 0)
    expect(t.other_final).toBe(c.finals.DELETED ?? 0)
    expect(t.missing).toBe(c.lostMessages)
    expect(t.pending).toBe(0)
    expect(t.duplicate_receipts).toBe(c.duplicates)
    expect(t.unknown_receipts).toBe(c.unknowns)
    expect(t.intermediate_receipts).toBe(c.intermediates)
    // The seed gives some of everything, so none of the equalities above holds by being 0 = 0.
    for (const n of [c.rejected, c.failed, c.lostMessages, c.duplicates, c.unknowns, c.intermediates, c.early]) expect(n).toBeGreaterThan(0)
    expect(c.finals.UNDELIV! + c.finals.EXPIRED! + c.finals.REJECTD! + c.finals.DELETED!).toBeGreaterThan(0)

    expect(r.statuses).toEqual({ ESME_ROK: c.accepted, ESME_RTHROTTLED: c.rejected, TIMEOUT: c.failed })

    // Operators add up to the whole.
    const ops = Object.values(r.operators)
    expect(Object.keys(r.operators).sort()).toEqual(['alpha', 'beta'])
    for (const key of ['planned', 'sent', 'accepted', 'rejected', 'failed', 'delivered', 'missing', 'segments'] as const) {
      expect(ops.reduce((a, o) => a + o.totals[key], 0)).toBe(t[key])
    }
    expect(r.operators.alpha.totals.planned).toBe(3000) // stream 0 has the even seqs: all alpha
  })

  it('matches receipts by our seq when the gateway gives no ids (HTTP dlr-url style)', async () => {
    const fake = new FakeTransport({
      seed: 5, receiptsBySeq: true, latencyMs: { min: 1, max: 8 }, receiptDelayMs: { min: 0.5, max: 15 }, rejectRate: 0.05,
      lossRate: 0.05, duplicateRate: 0.05, outcomes: [{ stat: 'DELIVRD', weight: 9 }, { stat: 'UNDELIV', weight: 1 }],
    })
    const r = await runLoad({ scenario: scenario({ waitMs: 200 }), plan: constantPlan([{ rate: 2000, count: 1000 }]), transport: fake, outDir: outDir(), traffic: messages() })
    const c = fake.counters
    expect([r.totals.planned, r.totals.sent]).toEqual([1000, c.sent])
    expect(r.totals.rejected).toBe(c.rejected)
    expect(r.totals.delivered).toBe(c.finals.DELIVRD)
    expect(r.totals.undelivered).toBe(c.finals.UNDELIV)
    expect(r.totals.missing).toBe(c.lostMessages)
    expect(r.totals.duplicate_receipts).toBe(c.duplicates)
    expect(r.totals.unknown_receipts).toBe(0)
    expect(c.early).toBeGreaterThan(0)
  })
})
