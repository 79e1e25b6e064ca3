// scenarios/kannel-tls.yaml, 8 s of it, through the real Kannel binding over TLS: every message
// accepted and routed, every receipt back over the TLS binds, each operator's binds made on its TLS
// port (one handshake per bind, none refused) and nothing on its plain port.
import { describe, expect, it } from 'vitest'
import { expectAllOperatorsBalance, finals, kannelLostFinalReceipts, runShort, scenario, sim, skipWithoutKannel } from './helpers.js'

const skip = skipWithoutKannel('test/scenarios/kannel-tls.test.ts')

describe.skipIf(skip)('kannel-tls through Kannel', () => {
  it('carries messages and receipts over TLS binds, matching the simulator one for one', async () => {
    const res = await runShort(scenario('kannel-tls'), { durationCapMs: 8000 })
    const r = res.results
    const t = r.totals
    expectAllOperatorsBalance(r)
    expect(t.planned).toBeGreaterThan(250) // 50/s for 8 s, Poisson
    expect(t.accepted).toBe(t.sent)
    const lost = kannelLostFinalReceipts(res)
    expect(t.missing).toBe(lost)
    expect(finals(t) + t.missing).toBe(t.accepted)
    expect(t.misrouted).toBe(0)
    expect(t.duplicate_receipts).toBe(0)
    expect(t.unknown_receipts).toBe(0)
    for (const id of ['securetel', 'cryptomobil']) {
      const s = sim(res, id)
      expect(s.statuses).toEqual({ ESME_ROK: r.operators[id]!.totals.sent })
      // Kannel's one transceiver bind per operator went through the TLS port: one handshake, no refusals.
      expect(s.tls).toMatchObject({ handshakes: 1, plaintextRefused: 0, handshakeFailures: 0, handshakeTimeouts: 0 })
      expect(s.bindRefusals).toBe(0)
    }
  }, 90_000)
})
