// startNetwork(config, { workers }) spreads operators over worker threads (compiled dist/ twin;
// npm test builds first) behind a NetworkHandle proxy: ports from the workers, exact final stats
// after close equal to what the clients saw, arrivals on this thread's clock, faults injected and
// cleared through the proxy.
import { describe, it, expect } from 'vitest'
import { performance } from 'node:perf_hooks'
import { parseNetwork } from '../../simulator/network.js'
import { startNetwork } from '../../simulator/start-network.js'
import { spreadOperators, type ClusterNetworkHandle } from '../../simulator/cluster/cluster-network.js'
import { workersLine } from '../../cli/commands/simulate.js'
import { Esme, operatorConfig, waitFor } from './helper.js'

const config = parseNetwork(
  {
    seed: 4,
    operators: [
      operatorConfig({ id: 'a', prefixes: ['4790'], receipts: { delay: { distribution: 'fixed', value: '5ms' } } }),
      operatorConfig({ id: 'b', prefixes: ['4740'], failures: { statuses: [{ status: 'ESME_RSYSERR', rate: 0.2 }] } }),
      operatorConfig({ id: 'c', prefixes: ['4750'], latency: { distribution: 'fixed', value: '2ms' } }),
    ],
  },
  'cluster-test',
)
const DEST: Record<string, string> = { a: '4790', b: '4740', c: '4750' }

describe('simulator cluster', () => {
  it('spreads operators round-robin, at most one worker per operator', () => {
    expect(spreadOperators(5, 2)).toEqual([[0, 2, 4], [1, 3]])
    expect(spreadOperators(1, 4)).toEqual([[0]])
    expect(workersLine(4, 1)).toBe('workers: --workers 4 but the network has 1 operator: using 1 (an operator runs whole inside one worker and cannot spread)\n')
  })

  it("final stats equal what the clients saw; arrivals come on this thread's clock", async () => {
    const arrivals: { op: string; text: string; ms: number }[] = []
    const net = (await startNetwork(config, { workers: 2, observer: { onMessage: (op, _d, text, us) => arrivals.push({ op, text, ms: us / 1000 }) } })) as ClusterNetworkHandle
    try {
      expect(net.workerCount).toBe(2)
      expect(new Set(net.operators.map((o) => o.port)).size).toBe(3)
      const seen: Record<string, { ok: number; other: number; receipts: Esme }> = {}
      const windows: { text: string; from: number; to: number }[] = []
      for (const op of net.operators) {
        const esme = await Esme.bound(op.port)
        seen[op.config.id] = { ok: 0, other: 0, receipts: esme }
        for (let i = 0; i < 40; i++) {
          const text = `#${op.config.id}${i} hi`
          const from = performance.now()
          const resp = await esme.submit({ destinationAddr: `${DEST[op.config.id]}00${i}`, shortMessage: Buffer.from(text), registeredDelivery: 1 })
          const to = performance.now()
          if (resp?.status === 0) (seen[op.config.id]!.ok++, windows.push({ text, from, to }))
          else seen[op.config.id]!.other++
        }
      }
      const accepted = Object.values(seen).reduce((n, s) => n + s.ok, 0)
      await waitFor(() => Object.values(seen).reduce((n, s) => n + s.receipts.received.length, 0) === accepted, 5000, 'receipts')
      await waitFor(() => arrivals.length === accepted, 2000, 'arrivals')
      for (const w of windows) {
        const a = arrivals.find((x) => x.text === w.text)!
        // Moved onto our clock: inside the submit's round trip (1 ms of slack for the origin's rounding).
        expect(a.ms).toBeGreaterThanOrEqual(w.from - 1)
        expect(a.ms).toBeLessThanOrEqual(w.to + 1)
      }
      for (const s of Object.values(seen)) s.receipts.close()
      await net.close()
      for (const op of net.operators) {
        const st = op.stats()
        const s = seen[op.config.id]!
        expect(st.submits).toBe(40)
        expect(st.statuses.ESME_ROK ?? 0).toBe(s.ok)
        expect(st.submits - (st.statuses.ESME_ROK ?? 0)).toBe(s.other)
        expect(st.receipts.sent.DELIVRD).toBe(s.receipts.received.length)
        expect(st.latency.count).toBe(40)
      }
      expect(seen.b!.other).toBeGreaterThan(0) // the failure rate did draw
    } finally {
      await net.close()
    }
  })

  it('injects and clears faults through the proxy, in the owning worker', async () => {
    const net = await startNetwork(config, { workers: 2 })
    try {
      const b = net.operator('b')!
      const esme = await Esme.bound(b.port)
      const before = performance.now() - net.startedAt
      const fault = b.injectFault({ kind: 'outage', at: 0, duration: 60_000 })
      expect(fault).toMatchObject({ operator: 'b', source: 'api', fault: { kind: 'outage' } })
      expect(fault.start).toBeGreaterThanOrEqual(before)
      expect(b.state()).toBe('outage') // at once, before the worker confirms
      await waitFor(() => esme.closed, 3000, 'the outage to drop the bind')
      await expect(Esme.bound(b.port)).rejects.toThrow(/bind failed/)
      expect(net.operator('a')!.state()).toBe('up')
      const history = net.faultHistory()
      expect(history.map((f) => [f.operator, f.fault.kind, f.source])).toEqual([['b', 'outage', 'api']])
      expect(b.clearFaults()).toBe(1)
      expect(b.state()).toBe('up')
      const again = await Esme.bound(b.port)
      expect(await again.submit({ destinationAddr: '4740001' })).toMatchObject({ command: 'submit_sm_resp' })
      again.close()
      await waitFor(() => net.faultHistory()[0]!.end < 60_000, 2000, 'the cleared fault to end early')
    } finally {
      await net.close()
    }
  })
})
