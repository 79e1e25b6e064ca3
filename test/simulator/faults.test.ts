// Faults on a clock the test moves (a manual scheduler): windows begin and end, latencies elapse
// and held receipts are released exactly when the test says, so a loaded machine cannot change
// what these tests see. Waits are for events (a bind dropped, an answer, a round trip).
import { describe, expect, it } from 'vitest'
import { Scheduler } from '../../simulator/scheduler.js'
import { Status } from '../../smpp/constants.js'
import { Esme, startOne, waitFor, perTest } from './helper.js'

const t = perTest()
const connect = t.connect

/** The network of this test on a manual clock; at(ms) moves it to `ms` since start and runs what is due. */
async function manual(op: Record<string, unknown> = {}) {
  let now = 0
  const scheduler = new Scheduler(() => now, false)
  t.net = await startOne(op, { scheduler })
  return {
    op: t.net.operators[0]!,
    at(ms: number): void {
      now = ms
      scheduler.runDue()
    },
  }
}

/** Everything the operator sent on this bind before its enquire_link_resp has arrived. */
async function roundTrip(c: Esme): Promise<void> {
  expect((await c.request({ command: 'enquire_link', status: 0, sequence: 0 }))?.command).toBe('enquire_link_resp')
}

describe('faults', () => {
  it('timeline outage drops binds, refuses new ones, then recovers', async () => {
    const m = await manual({ timeline: [{ at: '400ms', event: 'outage', duration: '150ms' }] })
    const before = await connect()
    expect(await before.bind('transceiver')).toBe(Status.ESME_ROK)
    m.at(399)
    expect(m.op.state()).toBe('up')
    m.at(400)
    await waitFor(() => before.closed, 5000, 'bind dropped by the outage')
    expect(m.op.state()).toBe('outage')
    expect(m.op.activeFaults()).toHaveLength(1)
    const during = await connect()
    expect(await during.bind('transceiver')).toBe(Status.ESME_RBINDFAIL)
    m.at(549)
    expect(m.op.state()).toBe('outage')
    m.at(550)
    expect(m.op.state()).toBe('up')
    const after = await connect()
    expect(await after.bind('transceiver')).toBe(Status.ESME_ROK)
    const s = m.op.stats()
    expect(s.disconnects).toBe(1)
    expect(s.bindRefusals).toBe(1)
    const [h] = t.net!.faultHistory()
    expect(h).toMatchObject({ source: 'timeline', start: 400, end: 550, fault: { kind: 'outage', at: 400, duration: 150 } })
  })

  it('black hole (injected) answers enquire_link but never submits; clearFaults restores', async () => {
    const m = await manual()
    const c = await connect()
    await c.bind('transceiver')
    const fault = m.op.injectFault({ kind: 'black_hole', at: 0, duration: 10_000 })
    expect(fault.source).toBe('api')
    expect(m.op.state()).toBe('black_hole')
    let answered = false
    void c.submit().then((r) => (answered = r !== undefined))
    await waitFor(() => m.op.stats().submits === 1, 5000, 'the submit at the operator')
    await roundTrip(c) // an answer to the submit would have come before this one
    expect(answered).toBe(false)
    expect(m.op.stats().unanswered).toBe(1)
    m.at(300)
    expect(m.op.clearFaults()).toBe(1)
    expect(m.op.state()).toBe('up')
    expect((await c.submit())?.status).toBe(Status.ESME_ROK)
    expect(t.net!.faultHistory()[0]).toMatchObject({ start: 0, end: 300 })
  })

  it('latency spike replaces the latency while it lasts', async () => {
    const m = await manual({ latency: { distribution: 'fixed', value: '1ms' } })
    const c = await Esme.bound(m.op.port)
    t.clients.push(c)
    m.op.injectFault({ kind: 'latency_spike', at: 0, duration: 5000, latency: { kind: 'fixed', value: 80 } })
    const first = c.submit()
    await waitFor(() => m.op.stats().inFlight === 1, 5000, 'the submit in flight')
    m.at(79)
    expect(m.op.stats().inFlight).toBe(1) // not answered before its 80 ms
    m.at(80)
    expect((await first)?.status).toBe(Status.ESME_ROK)
    m.op.clearFaults()
    const second = c.submit()
    await waitFor(() => m.op.stats().inFlight === 1, 5000, 'the second submit in flight')
    m.at(81)
    expect((await second)?.status).toBe(Status.ESME_ROK)
    // What the operator applied, on its own clock: 80 ms, then 1 ms again.
    const lat = m.op.stats().latency
    expect(lat.count).toBe(2)
    expect(lat.max).toBeGreaterThan(79_900)
    expect(lat.max).toBeLessThan(80_100)
    expect(lat.p50).toBeGreaterThan(990)
    expect(lat.p50).toBeLessThan(1010)
  })

  it('throttle change sets a new rate for its duration', async () => {
    const m = await manual()
    const c = await Esme.bound(m.op.port)
    t.clients.push(c)
    m.op.injectFault({ kind: 'throttle_change', at: 0, duration: 5000, rate: 0.01 })
    const during = await Promise.all(Array.from({ length: 5 }, () => c.submit()))
    expect(during.map((r) => r?.status)).toEqual([0, 88, 88, 88, 88])
    m.op.clearFaults()
    const after = await Promise.all(Array.from({ length: 5 }, () => c.submit()))
    expect(after.every((r) => r?.status === 0)).toBe(true)
  })

  it('receipt backlog holds receipts and releases them together at its end', async () => {
    const m = await manual({
      receipts: { delay: { distribution: 'uniform', min: '1ms', max: '30ms' } },
      timeline: [{ at: '0ms', event: 'receipt_backlog', duration: '200ms' }],
    })
    m.at(0) // the backlog begins
    const c = await Esme.bound(m.op.port)
    t.clients.push(c)
    await Promise.all(Array.from({ length: 10 }, () => c.submit({ registeredDelivery: 1 })))
    m.at(100) // every receipt is due by 30 ms, and held
    await roundTrip(c)
    expect(c.received.length).toBe(0)
    expect(m.op.stats().receipts).toMatchObject({ pending: 10, sent: {} })
    m.at(199)
    expect(m.op.stats().receipts.sent).toEqual({})
    m.at(200) // the backlog ends: all ten go out in this one pass of the scheduler
    expect(m.op.stats().receipts.sent).toEqual({ DELIVRD: 10 })
    await waitFor(() => c.received.length === 10, 5000, 'released receipts')
  })
})
