// Per-message draws: a message's fate depends on the seed and its content, not on the order it
// arrived in, the bind it came over or what else was sent.
import { afterEach, describe, expect, it } from 'vitest'
import { MessageDraws } from '../../simulator/draws.js'
import type { NetworkHandle, OperatorStats } from '../../simulator/types.js'
import { Status } from '../../smpp/constants.js'
import { smBody, type SubmitSm } from '../../smpp/pdu.js'
import { parseReceipt } from '../../smpp/receipt.js'
import { segmentText } from '../../smpp/text.js'
import { Esme, startOne, waitFor } from './helper.js'

const OPERATOR = {
  latency: { distribution: 'uniform', min: '0ms', max: '15ms' },
  failures: { statuses: [{ status: 'ESME_RSYSERR', rate: 0.15 }, { status: 'ESME_RX_T_APPN', rate: 0.1 }], no_response_rate: 0.08 },
  receipts: {
    delay: { distribution: 'uniform', min: '1ms', max: '20ms' },
    outcomes: [
      { stat: 'DELIVRD', weight: 6 },
      { stat: 'UNDELIV', weight: 3, err: '012' },
      { stat: 'EXPIRED', weight: 1 },
    ],
    loss_rate: 0.1,
    duplicate_rate: 0.1,
  },
}

/** One unit of traffic: a single message, or the segments of one long message. */
interface Message {
  dest: string
  segments: (ref: number) => Partial<SubmitSm>[]
}

const SINGLES = 90
const LONGS = 10
const messages: Message[] = [
  ...Array.from({ length: SINGLES }, (_, i) => ({
    dest: `4790${String(i).padStart(6, '0')}`,
    segments: () => [{ shortMessage: Buffer.from(`#${i} order test`) }],
  })),
  ...Array.from({ length: LONGS }, (_, i) => ({
    dest: `4791${String(i).padStart(6, '0')}`,
    segments: (ref: number) => segmentText(`#L${i} ` + 'z'.repeat(400), { method: 'udh', ref }),
  })),
]
const SUBMITS = messages.reduce((n, m) => n + m.segments(1).length, 0)

/** Per message: the submit statuses of its segments (-1: unanswered) and its sorted receipt stats. */
type Fates = Map<string, { statuses: number[]; receipts: string[] }>

async function play(order: number[], binds: number, refBase: number): Promise<{ fates: Fates; stats: OperatorStats }> {
  const net: NetworkHandle = await startOne(OPERATOR, { seed: 2024 })
  const clients = await Promise.all(Array.from({ length: binds }, () => Esme.bound(net.operators[0]!.port, 'transceiver')))
  const fates: Fates = new Map(messages.map((m) => [m.dest, { statuses: [], receipts: [] }]))
  let answered = 0
  // Messages are dealt round-robin over the binds and sent without waiting, so they interleave.
  order.forEach((m, n) => {
    const c = clients[n % binds]!
    const msg = messages[m]!
    msg.segments(refBase + m).forEach((seg, s) => {
      void c.submit({ destinationAddr: msg.dest, registeredDelivery: 1, ...seg }).then((r) => {
        if (r === undefined) return
        fates.get(msg.dest)!.statuses[s] = r.status
        answered++
      })
    })
  })
  const op = net.operators[0]!
  await waitFor(() => op.stats().submits === SUBMITS && answered === SUBMITS - op.stats().unanswered, 5000, 'answers')
  await waitFor(() => op.stats().receipts.pending === 0, 5000, 'receipts')
  const received = () => clients.reduce((n, c) => n + c.received.length, 0)
  await waitFor(() => received() === op.stats().receipts.acked, 5000, 'receipt acks')
  for (const c of clients) {
    for (const d of c.received) fates.get(d.sourceAddr)!.receipts.push(parseReceipt(d.shortMessage.toString('latin1'))!.stat)
  }
  for (const f of fates.values()) {
    f.receipts.sort()
    for (let s = 0; s < f.statuses.length; s++) f.statuses[s] ??= -1
  }
  const stats = op.stats()
  for (const c of clients) c.close()
  await net.close()
  return { fates, stats }
}

describe('per-message draws', () => {
  let net: NetworkHandle | undefined
  afterEach(async () => {
    await net?.close()
    net = undefined
  })

  it('sends long messages as three segments', () => expect(SUBMITS).toBe(SINGLES + LONGS * 3))

  it('gives every message the same fate in any order, over one bind or two, with other UDH references', async () => {
    const forward = messages.map((_, i) => i)
    const shuffled = [...forward].sort((a, b) => ((a * 37) % 101) - ((b * 37) % 101)).reverse()
    const a = await play(forward, 1, 1)
    const b = await play(shuffled, 2, 150)
    expect(b.fates).toEqual(a.fates)
    for (const key of ['statuses', 'unanswered', 'messages', 'submits'] as const) expect(b.stats[key]).toEqual(a.stats[key])
    expect(b.stats.receipts.sent).toEqual(a.stats.receipts.sent)
    expect(b.stats.receipts.lost).toBe(a.stats.receipts.lost)
    expect(b.stats.receipts.duplicated).toBe(a.stats.receipts.duplicated)
    // The draws really vary between messages: every kind of fate shows up.
    const s = a.stats
    expect(s.statuses.ESME_RSYSERR).toBeGreaterThan(0)
    expect(s.statuses.ESME_RX_T_APPN).toBeGreaterThan(0)
    expect(s.unanswered).toBeGreaterThan(0)
    expect(s.receipts.lost).toBeGreaterThan(0)
    expect(s.receipts.duplicated).toBeGreaterThan(0)
    expect(Object.keys(s.receipts.sent).sort()).toEqual(['DELIVRD', 'EXPIRED', 'UNDELIV'])
    // Every submit is accounted for, and a long message has one status for all its answered segments.
    const answered = Object.values(s.statuses).reduce((x, y) => x + y, 0)
    expect(answered + s.unanswered).toBe(SUBMITS)
    for (const m of messages.slice(SINGLES)) expect(new Set(a.fates.get(m.dest)!.statuses.filter((x) => x >= 0)).size).toBeLessThanOrEqual(1)
  })

  it('gives other outcomes for another seed', async () => {
    const draws = (seed: number) => new MessageDraws(seed, 'op')
    const keys = (d: MessageDraws) => messages.map((m) => d.key(submit(m.dest, m.segments(1)[0]!)))
    expect(keys(draws(1))).toEqual(keys(draws(1)))
    const one = keys(draws(1))
    const two = keys(draws(2))
    expect(one.filter((k, i) => k === two[i]).length).toBe(0)
    expect(new Set(one).size).toBe(messages.length)
  })
})

describe('MessageDraws', () => {
  const d = new MessageDraws(7, 'op')

  it('keys a message by destination and payload: UDH reference ignored, message_payload used whole', () => {
    const [seg1a] = segmentText('#1 ' + 'q'.repeat(200), { method: 'udh', ref: 1 })
    const [seg1b] = segmentText('#1 ' + 'q'.repeat(200), { method: 'udh', ref: 99 })
    expect(d.key(submit('4790000001', seg1a!))).toBe(d.key(submit('4790000001', seg1b!)))
    expect(d.key(submit('4790000002', seg1a!))).not.toBe(d.key(submit('4790000001', seg1a!)))
    const payload = (text: string) => submit('4790000001', { shortMessage: Buffer.alloc(0), tlvs: { messagePayload: Buffer.from(text) } })
    expect(d.key(payload('long text'))).toBe(d.key(payload('long text')))
    expect(d.key(payload('long text'))).not.toBe(d.key(payload('long texT')))
    expect(new MessageDraws(7, 'other').key(payload('long text'))).not.toBe(d.key(payload('long text')))
  })

  it('gives the same draws for the same key and decision, whatever was drawn before', () => {
    const first = [d.for(42, 1).next(), d.for(42, 2).next(), d.for(43, 1).next()]
    for (let i = 0; i < 100; i++) d.for(i, 3).next()
    expect([d.for(42, 1).next(), d.for(42, 2).next(), d.for(43, 1).next()]).toEqual(first)
    expect(new Set(first).size).toBe(3)
    expect(d.segmentKey(42, 0)).toBe(42)
    expect(d.segmentKey(42, 1)).not.toBe(d.segmentKey(42, 2))
  })

  it('draws rates faithfully over many keys', () => {
    let hits = 0
    for (let k = 0; k < 20_000; k++) if (d.for(k, 5).chance(0.25)) hits++
    expect(hits).toBeGreaterThan(4_700)
    expect(hits).toBeLessThan(5_300)
    expect(d.failure(1, [])).toBe(Status.ESME_ROK)
    const statuses = [{ status: Status.ESME_RSYSERR, rate: 1 }]
    expect(d.failure(1, statuses)).toBe(Status.ESME_RSYSERR)
  })
})

function submit(dest: string, fields: Partial<SubmitSm>): SubmitSm {
  return { command: 'submit_sm', status: 0, sequence: 1, ...smBody({ destinationAddr: dest, ...fields }) } as SubmitSm
}
