import { describe, expect, it } from 'vitest'
import { Status } from '../../smpp/constants.js'
import { Esme, sleep, startOne, waitFor, perTest } from './helper.js'

const t = perTest()
const connect = t.connect

describe('faults', () => {
  it('timeline outage drops binds, refuses new ones, then recovers', async () => {
    t.net = await startOne({ timeline: [{ at: '400ms', event: 'outage', duration: '150ms' }] })
    const op = t.net.operators[0]!
    const before = await connect()
    expect(await before.bind('transceiver')).toBe(Status.ESME_ROK)
    await waitFor(() => before.closed, 2000, 'bind dropped by the outage')
    expect(op.state()).toBe('outage')
    expect(op.activeFaults()).toHaveLength(1)
    const during = await connect()
    expect(await during.bind('transceiver')).toBe(Status.ESME_RBINDFAIL)
    await waitFor(() => op.state() === 'up', 2000, 'outage end')
    const after = await connect()
    expect(await after.bind('transceiver')).toBe(Status.ESME_ROK)
    const s = op.stats()
    expect(s.disconnects).toBe(1)
    expect(s.bindRefusals).toBe(1)
    const [h] = t.net.faultHistory()
    expect(h).toMatchObject({ source: 'timeline', start: expect.any(Number), fault: { kind: 'outage', at: 400, duration: 150 } })
    expect(h!.start).toBeGreaterThanOrEqual(395)
    expect(h!.end - h!.start).toBeCloseTo(150, 6) // times are float ms: 149.99999999999994 is 150
  })

  it('black hole (injected) answers enquire_link but never submits; clearFaults restores', async () => {
    t.net = await startOne()
    const op = t.net.operators[0]!
    const c = await connect()
    await c.bind('transceiver')
    const fault = op.injectFault({ kind: 'black_hole', at: 0, duration: 10_000 })
    expect(fault.source).toBe('api')
    expect(op.state()).toBe('black_hole')
    expect((await c.request({ command: 'enquire_link', status: 0, sequence: 0 }))?.command).toBe('enquire_link_resp')
    let answered = false
    void c.submit().then((r) => (answered = r !== undefined))
    await waitFor(() => op.stats().submits === 1)
    await sleep(50)
    expect(answered).toBe(false)
    expect(op.stats().unanswered).toBe(1)
    expect(op.clearFaults()).toBe(1)
    expect(op.state()).toBe('up')
    expect((await c.submit())?.status).toBe(Status.ESME_ROK)
    expect(t.net.faultHistory()[0]!.end).toBeLessThan(10_000)
  })

  it('latency spike replaces the latency while it lasts', async () => {
    t.net = await startOne({ latency: { distribution: 'fixed', value: '1ms' } })
    const op = t.net.operators[0]!
    const c = await Esme.bound(op.port)
    t.clients.push(c)
    op.injectFault({ kind: 'latency_spike', at: 0, duration: 5000, latency: { kind: 'fixed', value: 80 } })
    const started = performance.now()
    await c.submit()
    expect(performance.now() - started).toBeGreaterThanOrEqual(75)
    op.clearFaults()
    await c.submit()
    // What the operator applied (its own histogram, not wall-clock time): 80 ms, then 1 ms again.
    const lat = op.stats().latency
    expect(lat.count).toBe(2)
    expect(lat.max).toBeGreaterThanOrEqual(79_000)
    expect(lat.p50).toBeLessThan(2_000)
  })

  it('throttle change sets a new rate for its duration', async () => {
    t.net = await startOne()
    const op = t.net.operators[0]!
    const c = await Esme.bound(op.port)
    t.clients.push(c)
    op.injectFault({ kind: 'throttle_change', at: 0, duration: 5000, rate: 0.01 })
    const during = await Promise.all(Array.from({ length: 5 }, () => c.submit()))
    expect(during.map((r) => r?.status)).toEqual([0, 88, 88, 88, 88])
    op.clearFaults()
    const after = await Promise.all(Array.from({ length: 5 }, () => c.submit()))
    expect(after.every((r) => r?.status === 0)).toBe(true)
  })

  it('receipt backlog holds receipts and releases them together at its end', async () => {
    t.net = await startOne({
      receipts: { delay: { distribution: 'uniform', min: '1ms', max: '30ms' } },
      timeline: [{ at: '0ms', event: 'receipt_backlog', duration: '200ms' }],
    })
    const op = t.net.operators[0]!
    const c = await Esme.bound(op.port)
    t.clients.push(c)
    const arrivals: number[] = []
    const origin = c.session.onPdu
    c.session.onPdu = (pdu) => {
      arrivals.push(performance.now() - t.net!.startedAt)
      origin(pdu)
    }
    await Promise.all(Array.from({ length: 10 }, () => c.submit({ registeredDelivery: 1 })))
    await sleep(100)
    expect(c.received.length).toBe(0)
    expect(op.stats().receipts.pending).toBe(10)
    await waitFor(() => c.received.length === 10, 2000, 'released receipts')
    expect(Math.min(...arrivals)).toBeGreaterThanOrEqual(195)
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(30)
  })
})
