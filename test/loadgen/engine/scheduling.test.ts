// Honest scheduling: a stall shows in the corrected latency (from the plan time) but not in the
// uncorrected one; short capacity turns into late and dropped sends, counted, never skipped.
import { describe, expect, it } from 'vitest'
import { runLoad } from '../../../loadgen/engine/engine.js'
import { FakeTransport } from '../../support/fake-transport.js'
import { decodeHistogram } from '../../../lib/hdr.js'
import { constantPlan, messages, outDir, scenario } from './helpers.js'
import { waitFor } from '../../support/wait.js'

const p90ms = (b64: string) => decodeHistogram(b64).getValueAtPercentile(90) / 1000

describe('engine scheduling', () => {
  it('a 500 ms stall shows in corrected submit latency, not in uncorrected', async () => {
    const fake = new FakeTransport({ seed: 3, window: 20, latencyMs: { min: 1, max: 3 }, receiptDelayMs: { min: 1, max: 5 } })
    // The gateway stalls for 500 ms once 400 sends went out (an event: a slow start only moves it later).
    void waitFor(() => fake.counters.sent >= 400, 60_000, '400 sends').then(() => {
      fake.stall(true)
      setTimeout(() => fake.stall(false), 500)
    })
    const r = await runLoad({ scenario: scenario({ lateAfterMs: 20 }), plan: constantPlan([{ rate: 1000, count: 1400 }]), transport: fake, outDir: outDir(), traffic: messages() })
    expect(r.totals.sent).toBe(1400)
    expect(r.totals.dropped).toBe(0)
    // ~500 of 1400 sends were due during the stall and waited for the window: more than 10% of
    // corrected latencies are hundreds of ms; the uncorrected ones (from the actual send) are not.
    expect(p90ms(r.histograms.submit.corrected)).toBeGreaterThan(150)
    expect(p90ms(r.histograms.submit.uncorrected)).toBeLessThan(50)
    expect(r.totals.late).toBeGreaterThan(300)
    expect(r.totals.late).toBeLessThan(r.totals.sent)
    // Receipts measured from the plan time carry the stall too.
    expect(p90ms(r.histograms.receipt.corrected)).toBeGreaterThan(p90ms(r.histograms.receipt.uncorrected))
  })

  it('counts dropped and late sends when the gateway is slower than the plan', async () => {
    // Window 10 and 20 ms answers: at most ~500 msg/s against a plan of 2000 msg/s.
    const fake = new FakeTransport({ seed: 4, window: 10, latencyMs: { min: 20, max: 20 }, receiptDelayMs: { min: 1, max: 2 } })
    const r = await runLoad({ scenario: scenario({ lateAfterMs: 10, maxLagMs: 100 }), plan: constantPlan([{ rate: 2000, count: 2000 }]), transport: fake, outDir: outDir(), traffic: messages() })
    const t = r.totals
    expect(t.planned).toBe(2000)
    expect(t.sent + t.dropped).toBe(2000)
    expect(t.sent).toBe(fake.counters.sent)
    expect(t.dropped).toBeGreaterThan(1000)
    expect(t.late).toBeGreaterThan(0)
    expect(t.sent).toBeLessThan(1000)
    expect(r.timeseries.reduce((a, p) => a + p.dropped, 0)).toBe(t.dropped)
  })

  it('turns receipts that do not come within the wait limit into missing', async () => {
    const fake = new FakeTransport({ seed: 6, latencyMs: { min: 1, max: 2 }, receiptDelayMs: { min: 5000, max: 6000 } })
    const r = await runLoad({ scenario: scenario({ waitMs: 150 }), plan: constantPlan([{ rate: 1000, count: 300 }]), transport: fake, outDir: outDir(), traffic: messages() })
    expect(r.totals.accepted).toBe(300)
    expect(r.totals.missing).toBe(300)
    expect(r.totals.delivered).toBe(0)
    expect(r.totals.pending).toBe(0)
    // The run ended at the wait limit, before any receipt was due (5 s).
    expect(r.meta.durationMs).toBeLessThan(5000)
  })
})

describe('engine per-operator backlog', () => {
  it('sends due to a full operator wait (and drop past max lag) without holding up the other operator', async () => {
    // beta never has room (its binds are "full"); alpha has plenty. Messages alternate alpha/beta.
    // Max lag 1 s: beta's sends are dropped after it; alpha's never lag that far, even on a loaded machine.
    const fake = new FakeTransport({ seed: 9, window: 1000, latencyMs: { min: 1, max: 2 }, receiptDelayMs: { min: 1, max: 2 } })
    const transport = Object.assign(fake, { canSend: (m: { operator: string }) => m.operator !== 'beta' })
    const r = await runLoad({ scenario: scenario({ maxLagMs: 1000 }), plan: constantPlan([{ rate: 1000, count: 600 }]), transport, outDir: outDir(), traffic: messages() })
    expect(r.totals.planned).toBe(600)
    expect(r.operators.alpha.totals.sent).toBe(300)
    expect(r.operators.alpha.totals.dropped).toBe(0)
    expect(r.operators.beta.totals.sent).toBe(0)
    expect(r.operators.beta.totals.dropped).toBe(300)
    expect(fake.counters.sent).toBe(300)
  })
})

describe('engine errors', () => {
  it('a throw inside the run loop rejects the run and closes the transport instead of hanging', async () => {
    const fake = new FakeTransport({ seed: 1 })
    const broken = () => ({
      message(seq: number) {
        if (seq === 50) throw new Error('traffic broke at 50')
        return messages()(0).message(seq)
      },
    })
    await expect(runLoad({ scenario: scenario(), plan: constantPlan([{ rate: 1000, count: 100 }]), transport: fake, outDir: outDir(), traffic: broken })).rejects.toThrow('traffic broke at 50')
    expect(fake.capacity()).toBe(0) // closed
    // Nothing after the throw went out. How many of the 50 before it did depends on how many fell
    // due in the same loop turn (a loaded machine batches more), so only the bound is certain.
    expect(fake.counters.sent).toBeLessThanOrEqual(50)
  })

  it('after a throw the loop stays stopped: answers arriving while the transport closes do not restart it', async () => {
    // A small window and slow answers keep sends waiting in the backlog when the throw comes, so
    // the answers delivered by close() would kick the loop again if nothing stopped it.
    const fake = new FakeTransport({ seed: 2, window: 5, latencyMs: { min: 30, max: 30 }, receiptDelayMs: { min: 1, max: 2 } })
    let calls = 0
    let callsAtReject = -1
    const broken = () => ({
      message(seq: number) {
        calls++
        if (seq === 200) throw new Error('traffic broke at 200')
        return messages()(0).message(seq)
      },
    })
    await expect(
      runLoad({ scenario: scenario(), plan: constantPlan([{ rate: 2000, count: 4000 }]), transport: fake, outDir: outDir(), traffic: broken }).catch((err) => {
        callsAtReject = calls
        throw err
      }),
    ).rejects.toThrow('traffic broke at 200')
    await new Promise((r) => setTimeout(r, 300))
    expect(calls).toBe(callsAtReject)
  })
})
