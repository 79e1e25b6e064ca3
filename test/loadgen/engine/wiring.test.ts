// The engine wired to the real scenario loader, plan and traffic mix; in-process arrivals through
// the SubmitObserver hook; and state that stays bounded over a 200k-message run.
import { describe, expect, it } from 'vitest'
import { runLoad, type EngineDiagnostics } from '../../../loadgen/engine/engine.js'
import { FakeTransport } from '../../support/fake-transport.js'
import { buildPlan } from '../../../loadgen/plan/plan.js'
import { parseScenario } from '../../../loadgen/scenario/scenario.js'
import type { OutboundMessage, ReceiptSink, SubmitOutcome, Transport } from '../../../loadgen/transports/transport.js'
import { decodeHistogram } from '../../../lib/hdr.js'
import type { SubmitObserver } from '../../../simulator/types.js'
import { constantPlan, messages, outDir, scenario } from './helpers.js'

const NETWORK = {
  operators: [
    { id: 'telco-a', mcc: '242', mnc: '01', prefixes: ['4790'], smpp: { port: 0, accounts: [{ system_id: 'a', password: 'a' }] } },
    { id: 'telco-b', mcc: '242', mnc: '02', prefixes: ['4792'], smpp: { port: 0, accounts: [{ system_id: 'b', password: 'b' }] } },
  ],
}

/** Plays the in-process network: reports each send's arrival (some twice, some at the wrong operator). */
class ObservedTransport implements Transport {
  readonly name = 'observed'
  observer: SubmitObserver | undefined
  duplicates = 0
  misrouted = 0
  constructor(private readonly inner: FakeTransport) {}
  start(r: ReceiptSink) {
    return this.inner.start(r)
  }
  capacity() {
    return this.inner.capacity()
  }
  close() {
    return this.inner.close()
  }
  send(msg: OutboundMessage, done: (o: SubmitOutcome) => void): void {
    const wrong = msg.seq % 40 === 0
    if (wrong) this.misrouted++
    const at = wrong ? (msg.operator === 'telco-a' ? 'telco-b' : 'telco-a') : msg.operator
    this.observer!.onMessage(at, msg.destination, msg.text, performance.now() * 1000, true)
    if (msg.seq % 50 === 0) {
      this.duplicates++
      this.observer!.onMessage(at, msg.destination, msg.text, performance.now() * 1000, true)
    }
    this.inner.send(msg, done)
  }
}

describe('engine wiring', () => {
  it('runs a loaded scenario with its own plan and traffic mix, measuring in-process transit', async () => {
    const sc = parseScenario(
      {
        name: 'wired', seed: 21, network: NETWORK, gateway: { kind: 'direct' },
        streams: [
          { name: 'otp', executor: 'constant-arrival-rate', rate: 400, duration: '1s', traffic: { destinations: [{ operator: 'telco-a' }, { operator: 'telco-b' }] } },
          { name: 'promo', executor: 'constant-arrival-rate', rate: 200, duration: '1s', traffic: { destinations: [{ operator: 'telco-b' }] } },
        ],
        receipts: { wait: '300ms' },
      },
      'wired.yaml',
      process.cwd(),
    )
    const plan = buildPlan(sc)
    const t = new ObservedTransport(new FakeTransport({ seed: 2, latencyMs: { min: 1, max: 3 } }))
    const r = await runLoad({ scenario: sc, plan, transport: t, outDir: outDir(), observerHook: (o) => (t.observer = o) })
    expect(r.totals.planned).toBe(plan.planned)
    expect(plan.planned).toBe(600)
    expect(r.totals.delivered).toBe(600)
    expect(r.operators['telco-b'].totals.sent).toBeGreaterThan(200) // all of promo and part of otp
    expect(r.totals.duplicate_submits).toBe(t.duplicates)
    expect(r.totals.misrouted).toBe(t.misrouted)
    expect(t.duplicates).toBeGreaterThan(0)
    expect(decodeHistogram(r.histograms.transit.corrected).totalCount).toBe(600)
    expect(r.meta.name).toBe('wired')
    expect(r.meta.seed).toBe(21)
  })

  it('keeps its bookkeeping bounded by in-flight + awaiting over 200k messages', async () => {
    const fake = new FakeTransport({ seed: 8, window: 2000, latencyMs: { min: 0.1, max: 0.5 }, receiptDelayMs: { min: 1, max: 3 } })
    let d: EngineDiagnostics | undefined
    const r = await runLoad({
      scenario: scenario({ waitMs: 2000, maxLagMs: 60_000 }), plan: constantPlan([{ rate: 50_000, count: 200_000 }]),
      transport: fake, outDir: outDir(), traffic: messages(), diagnostics: (x) => (d = x),
    })
    expect(r.totals.sent).toBe(200_000)
    expect(r.totals.delivered).toBe(200_000)
    expect(d!.storeCapacity).toBeLessThanOrEqual(65_536)
    // Ids: two generations of max(8k, 2 x open) (open and recently closed ones); seqs: open ones only.
    expect(d!.mappedIds).toBeLessThan(40_000)
    expect(d!.earlyHeld).toBe(0)
  })
})
