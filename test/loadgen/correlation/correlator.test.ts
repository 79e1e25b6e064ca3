// The correlator on its own, driven step by step: early receipts, multipart worst outcome,
// duplicates, unknowns, receipts by seq, in-process arrivals, and bounded state over 200k messages.
import { describe, expect, it } from 'vitest'
import { Correlator } from '../../../loadgen/correlation/correlator.js'
import { Metrics } from '../../../loadgen/measure/run-metrics.js'
import { formatTag, parseTag } from '../../../lib/tag.js'

const ok = (...ids: string[]) => ({ kind: 'accepted' as const, status: 'ESME_ROK', messageIds: ids })
const final = (messageId: string, stat = 'DELIVRD') => ({ messageId, stat, final: true })

function setup(waitMs = 1000, recentMax?: number, bySeq?: boolean) {
  const metrics = new Metrics(['alpha', 'beta'])
  // One stream: the cells of alpha and beta are 0 and 1, the numbers the tests send with.
  metrics.cellIndex(0, 0)
  metrics.cellIndex(0, 1)
  return { metrics, c: new Correlator(metrics, { waitMs, parseTag, recentMax, bySeq }), t: metrics.overall.totals }
}

describe('correlator', () => {
  it('matches a receipt that arrives before its submit answer, timed at its arrival', () => {
    const { metrics, c, t } = setup()
    const k = c.sent(0, 0, 100, 100)
    c.receipt(final('m1'), 110) // the answer is still out
    expect(c.earlyHeld).toBe(1)
    expect(t.delivered).toBe(0)
    c.answer(k, ok('m1'), 130)
    expect(c.earlyHeld).toBe(0)
    expect(t.delivered).toBe(1)
    expect(c.awaiting).toBe(0)
    expect(metrics.cells[0].receipt.corrected.maxValue).toBeLessThan(10_100) // 10 ms (us, HDR precision), not 30
  })

  it('closes a multipart message on its last segment with the worst outcome; a repeat is a duplicate', () => {
    const { c, t, metrics } = setup()
    const k = c.sent(5, 1, 0, 0)
    c.answer(k, ok('a', 'b', 'c'), 1)
    c.receipt(final('a'), 2)
    c.receipt(final('c', 'UNDELIV'), 3)
    c.receipt(final('a'), 4) // segment a again before the message closed
    expect(t.duplicate_receipts).toBe(1)
    expect(c.awaiting).toBe(1)
    c.receipt(final('b', 'EXPIRED'), 5)
    expect([t.delivered, t.expired, t.undelivered]).toEqual([0, 0, 1])
    expect(metrics.cells[1].totals.undelivered).toBe(1)
    c.receipt(final('b'), 6)
    c.sweep(7) // retires the slot; its ids are remembered as recently closed
    c.receipt(final('c'), 8)
    expect(t.duplicate_receipts).toBe(3)
    expect(t.unknown_receipts).toBe(0)
    expect(metrics.overall.receipts).toEqual({ DELIVRD: 1, UNDELIV: 1, EXPIRED: 1 })
  })

  it('counts intermediate receipts without closing, unknown ones at their hold limit or the end', () => {
    const { c, t } = setup()
    const k = c.sent(1, 0, 0, 0)
    c.answer(k, ok('x'), 1)
    c.receipt({ messageId: 'x', stat: 'ENROUTE', final: false }, 2)
    expect([t.intermediate_receipts, c.awaiting]).toEqual([1, 1])
    c.receipt(final('nobody'), 3)
    c.receipt({ stat: 'DELIVRD', final: true }, 3) // neither id nor seq
    expect(t.unknown_receipts).toBe(1)
    c.sweep(4)
    expect(t.unknown_receipts).toBe(1) // 'nobody' is still held: its answer might be on its way
    c.finish(false)
    expect(t.unknown_receipts).toBe(2)
    expect(t.missing).toBe(1)
  })

  it('expires the receipt wait into missing, and matches receipts by seq', () => {
    const { c, t } = setup(100)
    const a = c.sent(10, 0, 0, 0)
    const b = c.sent(11, 0, 0, 0)
    c.answer(a, ok(), 5)
    c.answer(b, ok(), 5)
    c.receipt({ seq: 10, stat: 'DELIVRD', final: true }, 50)
    c.sweep(104)
    expect([t.delivered, t.missing]).toEqual([1, 0])
    c.sweep(105)
    expect([t.delivered, t.missing]).toEqual([1, 1])
    c.receipt({ seq: 11, stat: 'DELIVRD', final: true }, 200) // after its wait: an extra, not a delivery
    c.receipt({ seq: 10, stat: 'DELIVRD', final: true }, 200)
    c.receipt({ seq: 99, stat: 'DELIVRD', final: true }, 200)
    c.finish(false)
    expect([t.delivered, t.duplicate_receipts, t.unknown_receipts]).toEqual([1, 2, 1])
  })

  it('behind a gateway: a final for a message no operator took is the gateway\'s; one never taken is held; a copy after a swallowed one is a duplicate', () => {
    const metrics = new Metrics(['alpha', 'beta'])
    metrics.cellIndex(0, 0)
    const c = new Correlator(metrics, { waitMs: 1000, parseTag, networkSeen: true })
    const t = metrics.overall.totals
    const tag = (seq: number) => `${formatTag(seq)}hi`
    const [k0, k1, k2, k3, k4] = [0, 1, 2, 3, 4].map((seq) => c.sent(seq, 0, 0, 0))
    for (const [k, id] of [[k0, 'g0'], [k1, 'g1'], [k2, 'g2'], [k3, 'g3']] as const) c.answer(k, ok(id), 1)
    // 0: taken, then the operator's REJECTD. 1: never taken, the gateway's own REJECTD (discard).
    c.arrival('alpha', tag(0), 2000, true)
    c.receipt(final('g0', 'REJECTD'), 3)
    c.receipt(final('g1', 'REJECTD'), 3)
    expect([t.rejected_by_operator, t.failed_in_gateway, t.lost_in_gateway]).toEqual([1, 1, 1])
    // 2: swallowed (black hole), resent and taken: one duplicate, arrived once, delivered.
    c.arrival('alpha', tag(2), 2000, false)
    c.arrival('alpha', tag(2), 3000, true)
    c.receipt(final('g2'), 4)
    expect([t.duplicate_submits, t.delivered]).toEqual([1, 1])
    // 4: asked for no receipt, not yet taken: waits for its arrival, then counts no_receipt_requested.
    c.answer(k4, ok('g4'), 1, false)
    expect(t.no_receipt_requested).toBe(0)
    c.arrival('alpha', tag(4), 5000, true)
    expect(t.no_receipt_requested).toBe(1)
    // 3: accepted, never taken, no receipt by the end: held by the gateway, not missing; a late arrival changes nothing.
    c.sweep(2000)
    expect([t.held_by_gateway, t.missing]).toEqual([1, 0])
    c.arrival('alpha', tag(3), 6000, true)
    c.finish(false)
    expect(t.arrived).toBe(3) // 0, 2, 4
    expect(t.accepted).toBe(t.arrived + t.held_by_gateway + t.lost_in_gateway)
    expect(t.accepted).toBe(t.delivered + t.rejected_by_operator + t.failed_in_gateway + t.held_by_gateway + (t.no_receipt_requested ?? 0))
  })

  it('without the network in process, finals count by their stat and nothing is held', () => {
    const { c, t } = setup()
    const k = c.sent(0, 0, 0, 0)
    c.answer(k, ok('g'), 1)
    c.receipt(final('g', 'REJECTD'), 2)
    const k2 = c.sent(1, 0, 0, 0)
    c.answer(k2, ok('h'), 1)
    c.finish(false)
    expect([t.rejected_by_operator, t.failed_in_gateway, t.missing, t.held_by_gateway, t.arrived]).toEqual([1, 0, 1, 0, 0])
  })

  it('measures transit and catches misrouted and duplicate submits from in-process arrivals', () => {
    const { c, t, metrics } = setup()
    const k = c.sent(36, 0, 1000, 1200) // intended 1000 ms, sent 1200 ms
    c.arrival('alpha', `${formatTag(36)}hi`, 1_250_000)
    c.arrival('alpha', `${formatTag(36)}hi`, 1_260_000)
    c.arrival('beta', `${formatTag(36)}hi`, 1_270_000)
    c.arrival('alpha', 'no tag here', 1_270_000)
    expect(t.duplicate_submits).toBe(2)
    expect(metrics.cells[0].transit.corrected.totalCount).toBe(1)
    expect(Math.round(metrics.cells[0].transit.corrected.maxValue / 1000)).toBe(250)
    expect(Math.round(metrics.cells[0].transit.uncorrected.maxValue / 1000)).toBe(50)
    const k2 = c.sent(37, 1, 0, 0)
    c.arrival('alpha', `${formatTag(37)}hi`, 1000) // a beta message arriving at alpha
    expect(t.misrouted).toBe(1)
    expect(metrics.cells[1].totals.misrouted).toBe(1)
    expect([k, k2]).toEqual([0, 1])
  })

  it('counts a second answer for one send as a transport contract violation, not a message', () => {
    const { c, t } = setup()
    const k = c.sent(0, 0, 0, 0)
    c.answer(k, ok('z'), 1)
    c.answer(k, ok('z'), 2)
    expect(t.accepted).toBe(1)
    expect(c.contractViolations).toBe(1)
  })

  it('keeps its state bounded by what is open, not by the message count (200k messages)', () => {
    const { c, t } = setup(50, 10_000)
    let now = 0
    const inFlight: number[] = []
    for (let seq = 0; seq < 200_000; seq++) {
      now += 0.01 // 100k msg/s
      inFlight.push(c.sent(seq, seq & 1, now, now))
      if (inFlight.length > 100) c.answer(inFlight.shift()!, ok(`id${seq}`), now)
      // Receipts for the message answered ~20 ms ago (2000 messages back); every 100th is lost.
      if (seq > 2100 && seq % 100 !== 0) c.receipt(final(`id${seq - 2000}`), now)
      if (seq % 100 === 0) c.sweep(now)
    }
    // Live window: ~100 in flight + ~2000 awaiting (+ lost ones up to 50 ms = 5000): far below 200k.
    // Ids: two generations of max(5k, 2 x open) (open and recently closed), seqs: open ones only.
    expect(c.store.capacity).toBeLessThanOrEqual(16_384)
    expect(c.peakMapped).toBeLessThan(40_000)
    expect(t.missing).toBeGreaterThan(1500)
    expect(t.delivered).toBeGreaterThan(190_000)
  })
})

describe('correlator: late receipts of closed messages', () => {
  it('an intermediate receipt after the final one is an intermediate, not a duplicate, however long ago it closed', () => {
    // Kannel posts its SMSC-ack callback (dlr 8) and the final one together; under load the final can win.
    const { c, t } = setup(1000, 1000)
    const ack = (messageId: string) => ({ messageId, stat: 'ACCEPTD', final: false })
    const k = c.sent(0, 0, 0, 0)
    c.answer(k, ok('m0'), 1)
    c.receipt(final('m0'), 2)
    c.receipt(ack('m0'), 3) // closed, still in the store
    expect([t.delivered, t.intermediate_receipts, t.duplicate_receipts]).toEqual([1, 1, 0])
    for (let seq = 1; seq <= 400; seq++) {
      const kk = c.sent(seq, 0, 3, 3)
      c.answer(kk, ok(`m${seq}`), 4)
      c.receipt(final(`m${seq}`), 5)
    }
    c.sweep(6) // m0's slot retires
    c.receipt(ack('m0'), 7)
    c.receipt(final('m0'), 8)
    expect([t.intermediate_receipts, t.duplicate_receipts, t.unknown_receipts]).toEqual([2, 1, 0])
  })

  it('charges a receipt for a message closed and retired long ago to its operator as a duplicate', () => {
    const { metrics, c, t } = setup(1000, 1000)
    const k = c.sent(0, 1, 0, 0)
    c.answer(k, ok('old'), 1)
    c.receipt(final('old'), 2)
    // 400 more messages close behind it, so its slot retires from the store.
    for (let seq = 1; seq <= 400; seq++) {
      const kk = c.sent(seq, 0, 3, 3)
      c.answer(kk, ok(`m${seq}`), 4)
      c.receipt(final(`m${seq}`), 5)
    }
    c.sweep(6)
    expect(c.store.base).toBeGreaterThan(k)
    c.receipt(final('old'), 7)
    expect(t.duplicate_receipts).toBe(1)
    expect(metrics.cells[1].totals.duplicate_receipts).toBe(1)
    expect(t.unknown_receipts).toBe(0)
  })

  it('forgets closed ids after two generations (unknown), but never an open one (still matched)', () => {
    const { c, t } = setup(60_000, 200, false) // generations of 100 ids; receipts by id only (SMPP)
    const slow = c.sent(0, 0, 0, 0)
    c.answer(slow, ok('slow'), 1) // its receipt comes after 1000 other messages
    const first = c.sent(1, 0, 0, 0)
    c.answer(first, ok('first'), 1)
    c.receipt(final('first'), 2)
    for (let seq = 2; seq < 1002; seq++) {
      const k = c.sent(seq, 0, 3, 3)
      c.answer(k, ok(`m${seq}`), 4)
      c.receipt(final(`m${seq}`), 5)
    }
    expect(c.mappedIds).toBeLessThanOrEqual(200 + 1)
    c.receipt(final('slow'), 6)
    expect(t.delivered).toBe(1002)
    c.receipt(final('first'), 7) // closed 1000 ids ago: no longer remembered
    expect(t.unknown_receipts + c.earlyHeld).toBe(1)
    expect(t.duplicate_receipts).toBe(0)
  })
})
