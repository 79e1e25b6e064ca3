// `mtsim simulate` run in-process against the fake network: what it prints, how it stops, and
// how it reports bad options. The end-to-end run against the real simulator is in
// simulate-e2e.test.ts.
import { describe, it, expect } from 'vitest'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { runSimulate, summaryTable } from '../../../cli/commands/simulate.js'
import { MtsimError } from '../../../lib/errors.js'
import type { NetworkConfig } from '../../../simulator/network.js'
import { emptyStats, fakeNetworkFrom, type FakeNetwork } from './fake-network.js'

const SMALL = join(import.meta.dirname, '../../../scenarios/networks/small.yaml')

function harness() {
  let out = ''
  let net: FakeNetwork | undefined
  const start = async (config: NetworkConfig) => {
    net = fakeNetworkFrom(config)
    net.operators[0].counters.submits = 7
    net.operators[0].counters.statuses = { ESME_ROK: 6, ESME_RTHROTTLED: 1 }
    net.operators[0].counters.receipts.sent = { DELIVRD: 6 }
    net.operators[0].counters.binds.transceiver = 1
    net.operators[0].counters.latency = { count: 7, p50: 5_000, p90: 6_000, p99: 9_000, p999: 9_000, max: 9_000 }
    return net
  }
  return { write: (t: string) => void (out += t), start, out: () => out, net: () => net! }
}

describe('mtsim simulate (in-process)', () => {
  it('prints operators, ports, system_ids and the control URL, runs for --duration, then a summary', async () => {
    const h = harness()
    let controlUrl = ''
    const code = await runSimulate(SMALL, { controlPort: 0, duration: '50ms' }, { ...h, signals: false, onReady: (i) => (controlUrl = i.controlUrl) })
    expect(code).toBe(0)
    expect(controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const lines = h.out().split('\n')
    expect(lines[0]).toBe('network "small": 2 operators')
    expect(lines[1]).toMatch(/^ {2}alpha {2}Alpha Mobile {2}127\.0\.0\.1:30000 {2}system_ids: mtsim {2}prefixes: 4790, 4791$/)
    expect(lines[2]).toMatch(/^ {2}beta {3}Beta Telecom {2}127\.0\.0\.1:30001 {2}system_ids: mtsim {2}prefixes: 4740, 4741$/)
    expect(lines[3]).toBe(`control API: ${controlUrl}`)
    expect(h.out()).toContain('running for 50ms (or until Ctrl-C)\n')
    expect(h.out()).toContain('stopping (--duration 50ms reached)\n')
    const head = lines.findIndex((l) => l.startsWith('operator'))
    expect(lines[head].split(/ {2,}/)).toEqual(['operator', 'submits', 'responses by status', 'unanswered', 'receipts sent', 'pending', 'binds tx/rx/trx', 'p50', 'p99'])
    expect(lines[head + 1].split(/ {2,}/)).toEqual(['alpha', '7', 'ESME_ROK 6, ESME_RTHROTTLED 1', '0', 'DELIVRD 6', '0', '0/0/1', '5ms', '9ms'])
    expect(lines[head + 2].split(/ {2,}/)).toEqual(['beta', '0', '-', '0', '-', '0', '0/0/0', '-', '-'])
    expect(lines[head + 3]).toBe('fault windows: none')
    expect(h.net().closed).toBe(true)
    // The control API is closed too.
    await expect(fetch(`${controlUrl}/health`)).rejects.toThrow()
  })

  it('serves the control API while running (with the token) and counts injected faults in the summary', async () => {
    const h = harness()
    let release!: () => void
    const stop = new Promise<void>((r) => (release = r))
    const done = runSimulate(SMALL, { controlPort: 0, token: 'tok' }, {
      ...h,
      signals: false,
      stop,
      onReady: async ({ controlUrl }) => {
        const denied = await fetch(`${controlUrl}/operators`)
        const ops = await fetch(`${controlUrl}/operators`, { headers: { authorization: 'Bearer tok' } })
        const fault = await fetch(`${controlUrl}/operators/beta/faults`, {
          method: 'POST',
          headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
          body: JSON.stringify({ event: 'outage', duration: '10s' }),
        })
        h.write(`[test] ${denied.status} ${ops.status} ${fault.status}\n`)
        release()
      },
    })
    expect(await done).toBe(0)
    expect(h.out()).toContain('(send Authorization: Bearer <token>)')
    expect(h.out()).toContain('running until Ctrl-C\n')
    expect(h.out()).toContain('[test] 401 200 201\n')
    expect(h.out()).toContain('stopping (stopped)\n')
    expect(h.out()).toContain('fault windows: 1 (0 from timelines, 1 from the control API)\n')
  })

  it.each([
    [{ controlPort: 'abc' }, '--control-port: expected a TCP port from 0 to 65535 (0 picks a free one), found "abc"'],
    [{ controlPort: '70000' }, '--control-port: expected a TCP port from 0 to 65535 (0 picks a free one), found "70000"'],
    [{ controlPort: 0, duration: 'soon' }, '--duration: expected a duration like "30s" or "5m", found "soon"'],
  ])('rejects bad options %j before starting anything', async (opts, message) => {
    const h = harness()
    const err = await runSimulate(SMALL, opts, { ...h, signals: false }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MtsimError)
    expect((err as MtsimError).message).toBe(message)
    expect((err as MtsimError).exitCode).toBe(104)
    expect(h.out()).toBe('')
  })

  it('reports a missing network file with exit code 104', async () => {
    const err = await runSimulate('no/such/net.yaml', { controlPort: 0 }, { ...harness(), signals: false }).catch((e: unknown) => e)
    expect((err as MtsimError).format()).toBe('MTSIM_ERR_CONFIG_READ: cannot read no/such/net.yaml: ENOENT')
    expect((err as MtsimError).exitCode).toBe(104)
  })

  it('closes the network again when the control port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const port = (blocker.address() as { port: number }).port
    try {
      const h = harness()
      const err = await runSimulate(SMALL, { controlPort: port }, { ...h, signals: false }).catch((e: unknown) => e)
      expect((err as MtsimError).code).toBe('MTSIM_ERR_PORT_IN_USE')
      expect(h.net().closed).toBe(true)
    } finally {
      blocker.close()
    }
  })

  it('summaryTable shows sub-millisecond latencies in microseconds and hides empty counts', () => {
    const s = emptyStats('x')
    s.latency = { count: 3, p50: 450, p90: 800, p99: 1500, p999: 1500, max: 1500 }
    s.statuses = { ESME_ROK: 3, ESME_RSYSERR: 0 }
    const row = summaryTable([s]).trim().split('\n')[1].split(/ {2,}/)
    expect(row).toEqual(['x', '0', 'ESME_ROK 3', '0', '-', '0', '0/0/0', '450us', '1.5ms'])
  })
})
