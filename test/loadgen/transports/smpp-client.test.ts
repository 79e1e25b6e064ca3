import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../support/wait.js'
import { MtsimError } from '../../../lib/errors.js'
import { Status, decodeShortMessage, segmentInfo } from '../../../smpp/index.js'
import type { IncomingReceipt, OutboundMessage, SubmitOutcome } from '../../../loadgen/transports/transport.js'
import { ReceiptIdCanon } from '../../../loadgen/transports/receipt-ids.js'
import { SmppClient, type SmppClientOptions } from '../../../loadgen/transports/smpp-client.js'
import { SmppTransport } from '../../../loadgen/transports/smpp.js'
import { FakeSmsc } from './fake-smsc.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function smsc(): Promise<FakeSmsc> {
  const s = await new FakeSmsc().listen()
  cleanups.push(() => s.close())
  return s
}

function client(port: number, over: Partial<SmppClientOptions> = {}): SmppClient {
  const c = new SmppClient({
    host: '127.0.0.1',
    port,
    systemId: 'load',
    password: 'pw',
    systemType: '',
    mode: 'transceiver',
    window: 10,
    responseTimeoutMs: 5000,
    enquireLinkMs: 0,
    reconnectInitialMs: 20,
    reconnectMaxMs: 100,
    canon: new ReceiptIdCanon('auto'),
    startTimeoutMs: 3000,
    ...over,
  })
  cleanups.push(() => c.close(100))
  return c
}

function msg(seq: number, over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    seq,
    tag: `t${seq}`,
    stream: 's',
    operator: 'op',
    source: 'MTSIM',
    destination: '+4790000001',
    text: `hello ${seq}`,
    encoding: 'auto',
    multipart: 'udh',
    registeredDelivery: 1,
    ...over,
  } as OutboundMessage
}

class Sink {
  receipts: IncomingReceipt[] = []
  onReceipt(r: IncomingReceipt): void {
    this.receipts.push(r)
  }
}

/** Sends and collects outcomes; resolves when all came back. */
function sendAll(c: { send(m: OutboundMessage, d: (o: SubmitOutcome) => void): void }, msgs: OutboundMessage[]): Promise<SubmitOutcome[]> {
  const out: SubmitOutcome[] = new Array(msgs.length)
  let left = msgs.length
  return new Promise((resolve) => {
    msgs.forEach((m, i) =>
      c.send(m, (o) => {
        out[i] = o
        if (--left === 0) resolve(out)
      }),
    )
  })
}


describe('SmppClient against a small SMSC', () => {
  it('accepts and rejects with exact counts and one id per accepted message', async () => {
    const s = await smsc()
    s.statusOf = (n) => (n % 3 === 0 ? Status.ESME_RTHROTTLED : Status.ESME_ROK)
    const c = client(s.port)
    await c.start(new Sink())
    const outs = await sendAll(c, Array.from({ length: 9 }, (_, i) => msg(i)))
    expect(outs.filter((o) => o.kind === 'accepted')).toHaveLength(6)
    const rejected = outs.filter((o) => o.kind === 'rejected')
    expect(rejected).toHaveLength(3)
    expect(rejected.every((o) => o.status === 'ESME_RTHROTTLED' && o.messageIds.length === 0)).toBe(true)
    expect(outs[0]).toEqual({ kind: 'accepted', status: 'ESME_ROK', messageIds: ['1'] })
    expect(s.submits).toHaveLength(9)
    expect(s.submits[0]!.pdu.sourceAddrTon).toBe(5) // alphanumeric sender
    expect(s.submits[0]!.pdu.destinationAddr).toBe('4790000001')
    expect(s.submits[0]!.pdu.registeredDelivery).toBe(1)
  })

  it('never has more than `window` submits outstanding, and capacity says so', async () => {
    const s = await smsc()
    s.mode = 'hold'
    const c = client(s.port, { window: 5 })
    await c.start(new Sink())
    expect(c.capacity()).toBe(5)
    const outs: SubmitOutcome[] = []
    let seq = 0
    while (c.canSend()) c.send(msg(seq++), (o) => outs.push(o))
    expect(seq).toBe(5)
    expect(c.capacity()).toBe(0)
    await waitFor(() => s.held.length === 5)
    // An engine that ignores capacity still cannot push the wire past the window.
    c.send(msg(seq++), (o) => outs.push(o))
    await new Promise((r) => setTimeout(r, 30))
    expect(s.submits).toHaveLength(5)
    s.release()
    await waitFor(() => s.held.length === 1)
    s.release()
    await waitFor(() => outs.length === 6)
    expect(s.maxOutstanding).toBe(5)
    expect(outs.every((o) => o.kind === 'accepted')).toBe(true)
  })

  it.each([
    ['udh', 'gsm7', 'a'.repeat(400), 3],
    ['sar', 'gsm7', 'b'.repeat(400), 3],
    ['udh', 'ucs2', 'Привет! '.repeat(20), 3],
    ['payload', 'gsm7', 'c'.repeat(400), 1],
  ] as const)('multipart %s/%s: every segment is sent, one outcome carries all ids', async (method, encoding, text, n) => {
    const s = await smsc()
    const c = client(s.port, { window: 2 })
    await c.start(new Sink())
    const [o] = await sendAll(c, [msg(1, { text, encoding, multipart: method })])
    expect(s.submits).toHaveLength(n)
    expect(o).toEqual({ kind: 'accepted', status: 'ESME_ROK', messageIds: Array.from({ length: n }, (_, i) => String(i + 1)) })
    expect(s.submits.map((x) => decodeShortMessage(x.pdu)).join('')).toBe(text)
    if (n > 1) expect(s.submits.map((x) => segmentInfo(x.pdu)?.seq)).toEqual([1, 2, 3])
    expect(s.maxOutstanding).toBeLessThanOrEqual(2)
  })

  it('a multipart message with one refused segment is rejected with that status', async () => {
    const s = await smsc()
    s.statusOf = (n) => (n === 2 ? Status.ESME_RSUBMITFAIL : Status.ESME_ROK)
    const c = client(s.port)
    await c.start(new Sink())
    const [o] = await sendAll(c, [msg(1, { text: 'x'.repeat(300) })])
    expect(o).toEqual({ kind: 'rejected', status: 'ESME_RSUBMITFAIL', messageIds: ['1'] })
  })

  it.each([
    ['text', 'decimal', false],
    ['Text', 'decimal', false],
    ['text', 'hex', false],
    ['Text', 'hex', false],
    ['text', 'hex', true],
  ] as const)('receipts with %s: and %s ids (TLV %s) reach the sink under the submit_sm_resp id', async (textLabel, idFormat, tlv) => {
    const s = await smsc()
    s.nextId = 9 // ids 9..12: 10, 11 and 12 are "a", "b" and "c" in hex
    const sink = new Sink()
    const c = client(s.port)
    await c.start(sink)
    const outs = await sendAll(c, [msg(1), msg(2), msg(3), msg(4)])
    const ids = outs.map((o) => o.messageIds[0]!)
    expect(ids).toEqual(['9', '10', '11', '12'])
    s.receipt('9', 'ENROUTE', { textLabel, idFormat, tlv })
    s.receipt('10', 'DELIVRD', { textLabel, idFormat, tlv })
    s.receipt('11', 'UNDELIV', { textLabel, idFormat, tlv })
    s.receipt('12', 'EXPIRED', { textLabel, idFormat, tlv })
    await waitFor(() => sink.receipts.length === 4)
    expect(sink.receipts).toEqual([
      { messageId: '9', stat: 'ENROUTE', final: false, err: '000' },
      { messageId: '10', stat: 'DELIVRD', final: true, err: '000' },
      { messageId: '11', stat: 'UNDELIV', final: true, err: '000' },
      { messageId: '12', stat: 'EXPIRED', final: true, err: '000' },
    ])
    await waitFor(() => s.deliverAcks === 4)
    expect(c.stats().receipts).toBe(4)
  })

  it('counts a receipt it cannot read and still answers it', async () => {
    const s = await smsc()
    const sink = new Sink()
    const c = client(s.port)
    await c.start(sink)
    const sess = s.receiverSession()
    sess.send({ command: 'deliver_sm', status: 0, sequence: 77, ...(await import('../../../smpp/index.js')).smBody({ esmClass: 0x04, shortMessage: Buffer.from('garbage') }) })
    await waitFor(() => s.deliverAcks === 1)
    expect(c.stats().malformedReceipts).toBe(1)
    expect(sink.receipts).toHaveLength(0)
  })

  it('fails outstanding sends as DISCONNECTED when the connection drops, then rebinds', async () => {
    const s = await smsc()
    s.mode = 'hold'
    const c = client(s.port)
    await c.start(new Sink())
    const pending = sendAll(c, [msg(1), msg(2), msg(3)])
    await waitFor(() => s.held.length === 3)
    s.dropAll()
    const outs = await pending
    expect(outs).toEqual(Array(3).fill({ kind: 'failed', status: 'DISCONNECTED', messageIds: [] }))
    await waitFor(() => c.bound)
    expect(s.binds.bind_transceiver).toBe(2)
    s.mode = 'answer'
    const [o] = await sendAll(c, [msg(4)])
    expect(o!.kind).toBe('accepted')
    expect(c.stats()).toMatchObject({ binds: 2, disconnects: 1 })
  })

  it('fails a submit that gets no response in time as TIMEOUT', async () => {
    const s = await smsc()
    s.mode = 'never'
    const c = client(s.port, { responseTimeoutMs: 150 })
    await c.start(new Sink())
    const [o] = await sendAll(c, [msg(1)])
    expect(o).toEqual({ kind: 'failed', status: 'TIMEOUT', messageIds: [] })
    expect(c.capacity()).toBe(10)
  })

  it('sends enquire_link when idle and rebinds when the SMSC stops answering it', async () => {
    const s = await smsc()
    const c = client(s.port, { enquireLinkMs: 40, responseTimeoutMs: 120 })
    await c.start(new Sink())
    await waitFor(() => s.enquireLinks >= 2)
    expect(s.binds.bind_transceiver).toBe(1) // answered keepalives keep the bind
    s.answerEnquireLink = false
    await waitFor(() => (s.binds.bind_transceiver ?? 0) >= 2)
    expect(c.stats().disconnects).toBeGreaterThanOrEqual(1)
  })

  it('start() names the refused connection when nothing listens', async () => {
    const s = await smsc()
    const port = s.port
    await cleanups.pop()!() // stop the SMSC: its port refuses connections now
    const c = client(port, { startTimeoutMs: 150 })
    await expect(c.start(new Sink())).rejects.toThrow(`cannot bind to 127.0.0.1:${port} as load: connect ECONNREFUSED 127.0.0.1:${port}`)
  })

  it('binds a transmitter and a receiver in tx+rx mode; receipts arrive on the receiver', async () => {
    const s = await smsc()
    const sink = new Sink()
    const c = client(s.port, { mode: 'tx+rx' })
    await c.start(sink)
    expect(s.binds).toEqual({ bind_transmitter: 1, bind_receiver: 1 })
    const [o] = await sendAll(c, [msg(1)])
    s.receipt(o!.messageIds[0]!, 'DELIVRD')
    await waitFor(() => sink.receipts.length === 1)
    expect(sink.receipts[0]).toMatchObject({ messageId: '1', stat: 'DELIVRD', final: true })
  })

  it('start() rejects with a gateway error naming the server when the bind is refused', async () => {
    const s = await smsc()
    s.bindStatus = Status.ESME_RINVPASWD
    const c = client(s.port, { startTimeoutMs: 200 })
    const err = await c.start(new Sink()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MtsimError)
    expect((err as MtsimError).message).toBe(`cannot bind to 127.0.0.1:${s.port} as load: bind_transceiver refused with ESME_RINVPASWD`)
  })
})

describe('SmppTransport (N binds to one server)', () => {
  it('spreads messages over binds with room and respects each window', async () => {
    const s = await smsc()
    s.mode = 'hold'
    const t = new SmppTransport({
      host: '127.0.0.1', port: s.port, systemId: 'load', password: 'pw', systemType: '', binds: 3, mode: 'transceiver', window: 4,
      responseTimeoutMs: 5000, enquireLinkMs: 0, reconnectInitialMs: 20, reconnectMaxMs: 100,
    })
    cleanups.push(() => t.close())
    await t.start(new Sink())
    expect(s.binds.bind_transceiver).toBe(3)
    expect(t.capacity()).toBe(12)
    const outs: SubmitOutcome[] = []
    let n = 0
    while (t.canSend()) t.send(msg(n++), (o) => outs.push(o))
    expect(n).toBe(12)
    await waitFor(() => s.held.length === 12)
    const perSession = new Map<unknown, number>()
    for (const h of s.held) perSession.set(h.session, (perSession.get(h.session) ?? 0) + 1)
    expect([...perSession.values()]).toEqual([4, 4, 4])
    s.release()
    await waitFor(() => outs.length === 12)
    expect(outs.every((o) => o.kind === 'accepted')).toBe(true)
    expect(t.capacity()).toBe(12)
  })
})
