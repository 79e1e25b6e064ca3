import { describe, expect, it } from 'vitest'
import { Status } from '../../smpp/constants.js'
import { segmentText } from '../../smpp/text.js'
import type { SubmitObserver } from '../../simulator/types.js'
import { Esme, startOne, waitFor, perTest } from './helper.js'

const t = perTest()
const bound = t.bound

function countStatuses(resps: ({ status: number } | undefined)[]): Record<number, number> {
  const out: Record<number, number> = {}
  for (const r of resps) out[r ? r.status : -1] = (out[r ? r.status : -1] ?? 0) + 1
  return out
}

describe('submit_sm pipeline', () => {
  it('answers submits over the window at once with the excess status: window 5, 20 submits -> 15 excess', async () => {
    t.net = await startOne({
      latency: { distribution: 'fixed', value: '100ms' },
      smpp: { window: { max_outstanding: 5, excess_status: 'ESME_RMSGQFUL' } },
    })
    const c = await bound()
    const resps = await Promise.all(Array.from({ length: 20 }, () => c.submit()))
    expect(countStatuses(resps)).toEqual({ [Status.ESME_ROK]: 5, [Status.ESME_RMSGQFUL]: 15 })
    const s = t.net.operators[0]!.stats()
    expect(s.submits).toBe(20)
    expect(s.statuses).toEqual({ ESME_ROK: 5, ESME_RMSGQFUL: 15 })
    expect(s.inFlight).toBe(0)
  })

  it('throttles beyond the burst: burst 5, 20 quick submits -> exactly 15 throttled', async () => {
    t.net = await startOne({ throttle: { rate: 0.01, burst: 5 } })
    const c = await bound()
    const resps = await Promise.all(Array.from({ length: 20 }, () => c.submit()))
    expect(countStatuses(resps)).toEqual({ [Status.ESME_ROK]: 5, [Status.ESME_RTHROTTLED]: 15 })
  })

  it('rejects unapproved senders and unserved destinations; accepts misrouted when configured', async () => {
    t.net = await startOne({ senders: { approved: ['mtsim'] } })
    const c = await bound()
    expect((await c.submit({ sourceAddr: 'other' }))?.status).toBe(Status.ESME_RINVSRCADR)
    expect((await c.submit({ destinationAddr: '4612345' }))?.status).toBe(Status.ESME_RINVDSTADR)
    expect((await c.submit())?.status).toBe(Status.ESME_ROK)
    await t.net.close()
    t.net = await startOne({ smpp: { unknown_destination: 'accept' } })
    const d = await bound()
    expect((await d.submit({ destinationAddr: '4612345' }))?.status).toBe(Status.ESME_ROK)
    expect(t.net.operators[0]!.stats().misrouted).toBe(1)
  })

  it('gives the same failure statuses for the same seed, and accounts for every submit', async () => {
    const op = {
      failures: { statuses: [{ status: 'ESME_RSYSERR', rate: 0.2 }, { status: 'ESME_RX_T_APPN', rate: 0.1 }], no_response_rate: 0.05 },
    }
    const run = async () => {
      t.net = await startOne(op, { seed: 99 })
      const c = await bound()
      const got: number[] = []
      const pending: Promise<unknown>[] = []
      for (let i = 0; i < 200; i++) pending.push(c.submit().then((r) => got.push(r ? r.status : -1)))
      await waitFor(() => got.length >= 200 - t.net!.operators[0]!.stats().unanswered && t.net!.operators[0]!.stats().submits === 200)
      const s = t.net.operators[0]!.stats()
      c.close()
      await t.net.close()
      return s
    }
    const a = await run()
    const b = await run()
    expect(a.statuses).toEqual(b.statuses)
    expect(a.unanswered).toBe(b.unanswered)
    expect(a.statuses.ESME_RSYSERR).toBeGreaterThan(20)
    expect(a.statuses.ESME_RX_T_APPN).toBeGreaterThan(5)
    expect(a.unanswered).toBeGreaterThan(0)
    const answered = Object.values(a.statuses).reduce((x, y) => x + y, 0)
    expect(answered + a.unanswered + a.inFlight).toBe(200)
  })

  it('delays answers by the latency and may answer out of order', async () => {
    t.net = await startOne({ latency: { distribution: 'uniform', min: '5ms', max: '60ms' } })
    const c = await bound()
    const order: number[] = []
    const t0 = performance.now()
    await Promise.all(Array.from({ length: 30 }, (_, i) => c.submit().then(() => order.push(i))))
    expect(performance.now() - t0).toBeGreaterThanOrEqual(5)
    expect(order).not.toEqual([...order].sort((x, y) => x - y))
    const lat = t.net.operators[0]!.stats().latency
    expect(lat.count).toBe(30)
    expect(lat.p50).toBeGreaterThanOrEqual(5000)
    expect(lat.max).toBeLessThan(200_000)
  })

  it('uses unique message ids, hex when asked', async () => {
    t.net = await startOne({ receipts: { delay: { distribution: 'fixed', value: '1ms' }, format: { id_format: 'hex' } } })
    const c = await bound()
    const ids: string[] = []
    for (let i = 0; i < 20; i++) ids.push(((await c.submit()) as { messageId: string }).messageId)
    expect(new Set(ids).size).toBe(20)
    expect(ids.slice(9, 12)).toEqual(['a', 'b', 'c'])
  })

  it('counts segments and whole messages, decides multipart outcome once, tells the observer once', async () => {
    const seen: [string, string, string][] = []
    const observer: SubmitObserver = { onMessage: (op, dest, text) => seen.push([op, dest, text]) }
    t.net = await startOne({ failures: { statuses: [{ status: 'ESME_RSYSERR', rate: 0.5 }] } }, { observer, seed: 3 })
    const c = await bound()
    const long = '#ABC ' + 'x'.repeat(400)
    const okMessages: number[] = []
    for (let m = 0; m < 10; m++) {
      for (const method of ['udh', 'sar'] as const) {
        const segs = segmentText(long, { method, ref: m + 1 })
        expect(segs.length).toBe(3)
        const resps = await Promise.all(segs.map((s) => c.submit({ ...s, destinationAddr: `4790000${m}` })))
        const statuses = new Set(resps.map((r) => r?.status))
        expect(statuses.size).toBe(1) // one decision for all segments
        if (statuses.has(0)) okMessages.push(m)
      }
    }
    const ucs = segmentText('ж'.repeat(100), { method: 'udh', ref: 200 })
    await Promise.all(ucs.map((s) => c.submit({ ...s, destinationAddr: '4791111111' })))
    await c.submit({ destinationAddr: '4792222222', shortMessage: Buffer.alloc(0), tlvs: { messagePayload: Buffer.from('payload text') } })
    const s = t.net.operators[0]!.stats()
    expect(s.submits).toBe(20 * 3 + 2 + 1)
    expect(s.messages).toBe(20 + 1 + 1)
    const longSeen = seen.filter(([, dest]) => dest.startsWith('4790000'))
    expect(longSeen.length).toBe(okMessages.length)
    for (const [op, , text] of longSeen) {
      expect(op).toBe('op')
      expect(text.startsWith('#ABC ')).toBe(true)
    }
  })
})
