// Receipts are not lost with a connection: a final receipt stays with the operator until the
// client's deliver_sm_resp, and when the bind drops first it is sent again on the next receiver
// bind of the account (as a real SMSC does). A client that never acknowledges gets at most the
// receipt window; the rest wait in the store.
import { afterEach, describe, expect, it } from 'vitest'
import { parseReceipt } from '../../smpp/receipt.js'
import { DEFAULT_RECEIPT_WINDOW as RECEIPT_WINDOW } from '../../simulator/network.js'
import type { NetworkHandle } from '../../simulator/types.js'
import { Esme, startOne, waitFor } from './helper.js'

let net: NetworkHandle | undefined
afterEach(async () => {
  await net?.close()
  net = undefined
})

const idOf = (esme: Esme) => esme.received.map((d) => parseReceipt(d.shortMessage.toString('latin1'))!.id)

describe('receipt redelivery', () => {
  it('receipts unacknowledged when the bind drops are sent again on the next bind, once each', async () => {
    net = await startOne({ receipts: { delay: { distribution: 'fixed', value: '1ms' } } })
    const op = net.operators[0]!
    const first = await Esme.bound(op.port, 'transceiver')
    first.ackReceipts = false
    const ids: string[] = []
    for (let i = 0; i < 20; i++) ids.push(((await first.submit({ registeredDelivery: 1 })) as { messageId: string }).messageId)
    await waitFor(() => first.received.length === 20, 5000, '20 receipts on the first bind')
    expect(op.stats().receipts).toMatchObject({ pending: 20, acked: 0, resent: 0, sent: { DELIVRD: 20 } })
    first.close()
    await waitFor(() => op.stats().binds.transceiver === 0, 5000, 'the first bind gone')

    const second = await Esme.bound(op.port, 'receiver')
    await waitFor(() => second.received.length === 20, 5000, 'the 20 receipts again on the second bind')
    expect(idOf(second).sort()).toEqual([...ids].sort())
    await waitFor(() => op.stats().receipts.acked === 20, 5000, 'acks')
    // Sent-by-stat counts each receipt once; the resends are counted apart.
    expect(op.stats().receipts).toMatchObject({ pending: 0, acked: 20, resent: 20, sent: { DELIVRD: 20 } })
    second.close()
  })

  it('a client that never acknowledges gets at most the receipt window; the rest wait, then flow as it acks', async () => {
    net = await startOne({ receipts: { delay: { distribution: 'fixed', value: '1ms' } }, smpp: { window: { max_outstanding: 100_000 } } })
    const op = net.operators[0]!
    const tx = await Esme.bound(op.port, 'transmitter')
    const rx = await Esme.bound(op.port, 'receiver')
    rx.ackReceipts = false
    const total = RECEIPT_WINDOW + 200
    let answered = 0
    for (let i = 0; i < total; i++) void tx.submit({ registeredDelivery: 1 }).then(() => answered++)
    await waitFor(() => answered === total && rx.received.length === RECEIPT_WINDOW, 10_000, 'the window full of receipts')
    await new Promise((r) => setTimeout(r, 100))
    expect(rx.received.length).toBe(RECEIPT_WINDOW)
    expect(op.stats().receipts.pending).toBe(total)
    // Acknowledge what came: the window opens and the rest follow.
    rx.ackReceipts = true
    for (const d of rx.received.splice(0)) rx.session.sendDeliverSmResp(d.sequence, 0)
    await waitFor(() => op.stats().receipts.acked === total, 10_000, 'every receipt acknowledged')
    expect(op.stats().receipts).toMatchObject({ pending: 0, resent: 0, sent: { DELIVRD: total } })
    tx.close()
    rx.close()
  })
})
