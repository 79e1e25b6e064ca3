// A receiver that cannot take more must not make the operator pile receipts into socket buffers:
// they stay in the compact store and go out when the receiver can take them again.
import { afterEach, describe, expect, it } from 'vitest'
import { MessageDraws } from '../../simulator/draws.js'
import { parseNetwork } from '../../simulator/network.js'
import { OperatorCounters } from '../../simulator/operator-stats.js'
import { ReceiptEngine, type ReceiptSink } from '../../simulator/receipts/receipts.js'
import { Scheduler } from '../../simulator/scheduler.js'
import type { NetworkHandle } from '../../simulator/types.js'
import type { SmppSession } from '../../smpp/session.js'
import type { BindConnection } from '../../simulator/bind.js'
import { Esme, operatorConfig, startOne, waitFor } from './helper.js'

let net: NetworkHandle | undefined
afterEach(async () => {
  await net?.close()
  net = undefined
})

describe('slow receiver', () => {
  it('holds due receipts in the store while no receiver can take them, then releases them', () => {
    let now = 0
    const scheduler = new Scheduler(() => now, false)
    const cfg = parseNetwork({ operators: [operatorConfig({ receipts: { delay: { distribution: 'fixed', value: '10ms' } } })] }, 't').operators[0]!
    const sent: unknown[] = []
    // Receipts go out through sendReceipt (the deliver_sm fast path); the record is reused, so copy it.
    // sendReceipt returns the deliver_sm sequence: here the count so far (never 0).
    const session = { send: (p: unknown) => sent.push(p), sendReceipt: (r: object) => sent.push({ ...r }), nextSequence: () => sent.length + 1 } as unknown as SmppSession
    const conn = { session, unacked: new Map<number, number>() } as unknown as BindConnection
    let full = true
    const sink: ReceiptSink = { pickReceiver: () => (full ? undefined : conn), hasReceiver: () => false }
    const counters = new OperatorCounters()
    const engine = new ReceiptEngine(cfg.receipts, new MessageDraws(1, 'op'), scheduler, 0, counters, sink, 1)
    for (let i = 1; i <= 1000; i++) engine.accept(i, '4790000001', 'mtsim', 0, 0, 1, 0, '', i)
    now = 50
    scheduler.runDue()
    expect(scheduler.size).toBe(0)
    expect(engine.pending).toBe(1000)
    expect(sent.length).toBe(0)
    full = false
    engine.release(0)
    expect(sent.length).toBe(1000)
    expect(counters.receiptsSent[2]).toBe(1000)
    // Sent, not yet acknowledged: still held (a dropped bind would get them sent again).
    expect(conn.unacked.size).toBe(1000)
    expect(engine.pending).toBe(1000)
    for (const slot of conn.unacked.values()) engine.acknowledged(slot, 0)
    expect(engine.pending).toBe(0)
  })

  it('a receiver that pauses reading still gets every receipt once it reads again', async () => {
    net = await startOne({ receipts: { delay: { distribution: 'fixed', value: '1ms' } }, smpp: { window: { max_outstanding: 100_000 } } })
    const op = net.operators[0]!
    const tx = await Esme.bound(op.port, 'transmitter')
    const rx = await Esme.bound(op.port, 'receiver')
    rx.session.socket.pause()
    const total = 5000
    let answered = 0
    for (let i = 0; i < total; i++) void tx.submit({ registeredDelivery: 1 }).then(() => answered++)
    await waitFor(() => answered === total, 10_000, 'all submit_sm_resp')
    expect(rx.received.length).toBe(0)
    rx.session.socket.resume()
    await waitFor(() => rx.received.length === total, 10_000, 'all receipts after resume')
    await waitFor(() => op.stats().receipts.acked === total, 5000, 'acks')
    expect(op.stats().receipts).toMatchObject({ pending: 0, sent: { DELIVRD: total } })
    tx.close()
    rx.close()
  })
})
