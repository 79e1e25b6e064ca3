import { afterEach, describe, expect, it } from 'vitest'
import { MessageState } from '../../smpp/constants.js'
import { parseReceipt } from '../../smpp/receipt.js'
import { segmentText } from '../../smpp/text.js'
import { ReceiptStore } from '../../simulator/receipts/receipt-store.js'
import { ReceiptWheel } from '../../simulator/receipts/receipt-wheel.js'
import { Scheduler } from '../../simulator/scheduler.js'
import type { NetworkHandle } from '../../simulator/types.js'
import { Esme, sleep, startOne, waitFor } from './helper.js'

let net: NetworkHandle | undefined
const clients: Esme[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  await net?.close()
  net = undefined
})

async function bound(type: 'transmitter' | 'receiver' | 'transceiver' = 'transceiver'): Promise<Esme> {
  const c = await Esme.bound(net!.operators[0]!.port, type)
  clients.push(c)
  return c
}

const fast = { distribution: 'fixed', value: '20ms' }

describe('delivery receipts', () => {
  it('sends a receipt after the delay, Appendix B text with the submit id, TLVs on by default', async () => {
    net = await startOne({ receipts: { delay: fast } })
    const c = await bound()
    const t0 = performance.now()
    const resp = (await c.submit({ registeredDelivery: 1, sourceAddr: 'Brand' })) as { messageId: string }
    await waitFor(() => c.received.length === 1)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15)
    const d = c.received[0]!
    expect(d.esmClass).toBe(0x04)
    expect(d.sourceAddr).toBe('4790000001')
    expect(d.destinationAddr).toBe('Brand')
    const r = parseReceipt(c.receiptTexts()[0]!)!
    expect(r).toMatchObject({ id: resp.messageId, stat: 'DELIVRD', err: '000', sub: 1, dlvrd: 1 })
    expect(d.tlvs).toMatchObject({ receiptedMessageId: resp.messageId, messageState: MessageState.DELIVERED, networkErrorCode: { type: 3, code: 0 } })
    await waitFor(() => net!.operators[0]!.stats().receipts.acked === 1)
    expect(net.operators[0]!.stats().receipts).toMatchObject({ pending: 0, sent: { DELIVRD: 1 }, acked: 1 })
  })

  it('emits each format variant and the text parses back (Text:, hex ids, excerpt, TLVs off)', async () => {
    net = await startOne({
      receipts: { delay: fast, format: { text_label: 'Text', id_format: 'hex', tlvs: false, text_excerpt: true } },
    })
    const c = await bound()
    const ids: string[] = []
    for (let i = 0; i < 12; i++) ids.push(((await c.submit({ registeredDelivery: 1, shortMessage: Buffer.from('Hello receipt text that is long') })) as { messageId: string }).messageId)
    await waitFor(() => c.received.length === 12)
    const texts = c.receiptTexts()
    expect(texts.every((t) => t.includes(' Text:Hello receipt text t'))).toBe(true)
    const parsed = texts.map((t) => parseReceipt(t)!)
    expect(parsed.map((r) => r.id).sort()).toEqual([...ids].sort())
    expect(ids).toContain('a')
    expect(parsed[0]!.text).toBe('Hello receipt text t')
    expect(c.received.every((d) => d.tlvs === undefined)).toBe(true)
  })

  it('chooses outcomes by weight with err codes, same counts for the same seed; failure-only mode', async () => {
    const op = {
      receipts: {
        delay: { distribution: 'uniform', min: '1ms', max: '30ms' },
        outcomes: [
          { stat: 'DELIVRD', weight: 6 },
          { stat: 'UNDELIV', weight: 3, err: '012' },
          { stat: 'EXPIRED', weight: 1 },
        ],
      },
    }
    const run = async (registeredDelivery: number) => {
      net = await startOne(op, { seed: 5 })
      const c = await bound()
      await Promise.all(Array.from({ length: 100 }, () => c.submit({ registeredDelivery })))
      await waitFor(() => net!.operators[0]!.stats().receipts.pending === 0)
      await waitFor(() => net!.operators[0]!.stats().receipts.acked === c.received.length)
      const s = net.operators[0]!.stats().receipts.sent
      const undeliv = c.receiptTexts().filter((t) => t.includes('stat:UNDELIV'))
      c.close()
      await net.close()
      return { s, undeliv }
    }
    const a = await run(1)
    const b = await run(1)
    expect(a.s).toEqual(b.s)
    expect(a.s.DELIVRD! + a.s.UNDELIV! + a.s.EXPIRED!).toBe(100)
    expect(a.s.DELIVRD).toBeGreaterThan(a.s.UNDELIV!)
    expect(a.undeliv.every((t) => t.includes('err:012'))).toBe(true)
    const failuresOnly = await run(2)
    expect(failuresOnly.s).toEqual({ UNDELIV: a.s.UNDELIV, EXPIRED: a.s.EXPIRED })
    const none = await run(0)
    expect(none.s).toEqual({})
  })

  it('sends ENROUTE before the final when intermediate notifications are asked for', async () => {
    net = await startOne({
      receipts: { delay: { distribution: 'fixed', value: '60ms' }, intermediate: { states: ['ENROUTE'], delay: { distribution: 'fixed', value: '5ms' } } },
    })
    const c = await bound()
    await c.submit({ registeredDelivery: 0x11 })
    await c.submit({ registeredDelivery: 0x01 })
    await waitFor(() => c.received.length === 3)
    const stats = c.receiptTexts().map((t) => parseReceipt(t)!.stat)
    expect(stats).toEqual(['ENROUTE', 'DELIVRD', 'DELIVRD'])
  })

  it('loses and duplicates receipts at the configured rates, counting both', async () => {
    net = await startOne({ receipts: { delay: fast, loss_rate: 0.2, duplicate_rate: 0.2 } }, { seed: 17 })
    const c = await bound()
    await Promise.all(Array.from({ length: 100 }, () => c.submit({ registeredDelivery: 1 })))
    await waitFor(() => net!.operators[0]!.stats().receipts.pending === 0)
    const r = net.operators[0]!.stats().receipts
    expect(r.lost).toBeGreaterThan(5)
    expect(r.duplicated).toBeGreaterThan(5)
    await waitFor(() => c.received.length === 100 - r.lost + r.duplicated)
    expect(r.sent.DELIVRD).toBe(100 - r.lost + r.duplicated)
  })

  it('keeps receipts waiting while no receiver is bound and sends them when one binds, to the same account', async () => {
    net = await startOne({
      receipts: { delay: fast },
      smpp: { accounts: [{ system_id: 'esme', password: 'secret' }, { system_id: 'other', password: 'pw' }] },
    })
    const tx = await bound('transmitter')
    const otherRx = await Esme.bound(net.operators[0]!.port, 'receiver', 'other', 'pw')
    clients.push(otherRx)
    await Promise.all(Array.from({ length: 5 }, () => tx.submit({ registeredDelivery: 1 })))
    await sleep(80)
    expect(net.operators[0]!.stats().receipts.pending).toBe(5)
    expect(otherRx.received.length).toBe(0)
    const rx1 = await bound('receiver')
    const rx2 = await bound('receiver')
    await waitFor(() => rx1.received.length + rx2.received.length === 5)
    expect(net.operators[0]!.stats().receipts.pending).toBe(0)
    // later receipts go round-robin over both receivers
    await Promise.all(Array.from({ length: 10 }, () => tx.submit({ registeredDelivery: 1 })))
    await waitFor(() => rx1.received.length + rx2.received.length === 15)
    expect(rx1.received.length).toBeGreaterThanOrEqual(5)
    expect(rx2.received.length).toBeGreaterThanOrEqual(5)
    expect(otherRx.received.length).toBe(0)
  })

  it('multipart: a receipt per segment by default, one for the last segment with per_message', async () => {
    for (const mode of ['per_segment', 'per_message'] as const) {
      net = await startOne({ receipts: { delay: fast, multipart: mode } })
      const c = await bound()
      const resps = await Promise.all(segmentText('y'.repeat(300), { ref: 9 }).map((s) => c.submit({ ...s, registeredDelivery: 1 })))
      const ids = resps.map((r) => (r as { messageId: string }).messageId)
      await waitFor(() => net!.operators[0]!.stats().receipts.pending === 0)
      await sleep(20)
      const got = c.receiptTexts().map((t) => parseReceipt(t)!.id)
      expect(got.sort()).toEqual(mode === 'per_segment' ? [...ids].sort() : [ids[1]])
      c.close()
      await net.close()
    }
  })
})

describe('receipt store', () => {
  it('recycles slots and keeps odd destinations and senders', () => {
    const s = new ReceiptStore()
    const slots: number[] = []
    for (let i = 0; i < 5000; i++) {
      const k = s.alloc()
      s.init(k, 0, i, i, 0, 0, 0, i)
      s.setDestination(k, i % 2 ? '+4790000' + i : '0047' + i)
      s.setSource(k, 'S' + (i % 3))
      slots.push(k)
    }
    expect(s.capacity).toBe(16_384) // one chunk
    expect(s.destinationOf(slots[3]!)).toBe('+47900003')
    expect(s.destinationOf(slots[4]!)).toBe('00474')
    expect(s.sourceOf(slots[5]!)).toBe('S2')
    expect(s.due(slots[4999]!)).toBe(4999)
    for (const k of slots) s.free(k)
    expect(s.size).toBe(0)
    for (let i = 0; i < 5000; i++) s.alloc()
    expect(s.capacity).toBe(16_384)
    expect(s.size).toBe(5000)
  })

  it('grows by fixed chunks: store + wheel spend at most 32 bytes per pending receipt at 1M (issue 6)', () => {
    const scheduler = new Scheduler(() => 0, false)
    const s = new ReceiptStore()
    const wheel = new ReceiptWheel(s, scheduler, 0, () => {})
    for (let i = 0; i < 1_000_000; i++) {
      const k = s.alloc()
      s.init(k, 0, 3_600_000, i, 0, 0, 0, i)
      wheel.add(k, 3_600_000, true)
    }
    // 62 chunks of 16,384 entries, not the 2^20 slots a doubling array would hold.
    expect(s.capacity).toBe(62 * 16_384)
    expect(s.bytesPerEntry).toBe(31)
    expect((s.byteLength + wheel.byteLength) / s.size).toBeLessThanOrEqual(32)
    expect(wheel.size).toBe(1_000_000)
    expect(scheduler.size).toBe(1) // the wheel's one entry, not one per receipt
  })
})
