// loadgen/measure/failover-tracker.ts on its own: arrivals in, figures out, with exact counts and times; and the
// merge of segmented shares. (The real-Kannel run is operator-outage-failover.test.ts.)
import { describe, expect, it } from 'vitest'
import { FailoverTracker } from '../../loadgen/measure/failover-tracker.js'
import { mergeFailover } from '../../results/failover.js'
import type { FaultWindow, OperatorResults, Totals } from '../../results/results-format.js'

const ids = ['telco-a', 'telco-b', 'telco-c']
const A = 0
const B = 1
const START = 1000 // performance.now() of plan time 0
const outage = (start: number, end: number, operator = 'telco-b'): FaultWindow => ({ operator, kind: 'outage', start, end, source: 'timeline' })

function books(totals: Partial<Totals>, statuses: Record<string, number> = {}): OperatorResults {
  const zero = {
    planned: 0, sent: 0, dropped: 0, late: 0, accepted: 0, rejected: 0, failed: 0, delivered: 0, undelivered: 0, expired: 0,
    rejected_by_operator: 0, failed_in_gateway: 0, other_final: 0, pending: 0, missing: 0, held_by_gateway: 0, arrived: 0,
    lost_in_gateway: 0, duplicate_receipts: 0, unknown_receipts: 0,
    intermediate_receipts: 0, misrouted: 0, duplicate_submits: 0, segments: 0,
  }
  const h = { corrected: '', uncorrected: '' }
  return { totals: { ...zero, ...totals }, statuses, receipts: {}, histograms: { submit: h, receipt: h, transit: h } }
}

function tracker(): FailoverTracker {
  const t = new FailoverTracker(ids, { 'telco-b': 'telco-a' })
  t.start(START)
  return t
}

describe('FailoverTracker', () => {
  it('reports switch-over, reroutes, drain and the books of the failed-over operator', () => {
    const t = tracker()
    // Before the outage (4 s..9 s): telco-b's messages at telco-b.
    for (let ms = 0; ms < 4000; ms += 100) t.arrival(B, 'telco-b', START + ms + 20, START + ms)
    // Sent during it: the first 0.5 s arrive nowhere until telco-b is back (drain), the rest at telco-a.
    for (let ms = 4000; ms < 4500; ms += 100) t.arrival(B, 'telco-b', START + 9000 + 300, START + ms)
    for (let ms = 4500; ms < 9000; ms += 100) t.arrival(B, 'telco-a', START + ms + 30, START + ms)
    // telco-a's own messages never count as reroutes.
    for (let ms = 0; ms < 12000; ms += 100) t.arrival(A, 'telco-a', START + ms + 5, START + ms)
    const f = t.figures([outage(4000, 9000)], {
      'telco-b': books({ accepted: 120, missing: 1, pending: 0, duplicate_submits: 3 }, { KANNEL_ACCEPTED: 118, KANNEL_QUEUED: 2 }),
    })
    expect(f).toEqual({
      operators: {
        'telco-b': {
          backup: 'telco-a',
          outages: [{ start: 4000, end: 9000, firstAtBackup: 4530, switchoverMs: 530, reroutedDuring: 45, drainMs: 300 }],
          rerouted: 45,
          queued: 2,
          duplicates: 3,
          accepted: 120,
          lost: 1,
        },
      },
    })
  })

  it('says "never" (null) when nothing reached the backup, and 0 drain when all arrived in time', () => {
    const t = tracker()
    t.arrival(B, 'telco-b', START + 3990, START + 3980)
    const f = t.figures([outage(4000, 9000)], { 'telco-b': books({ accepted: 1 }) })
    expect(f!.operators['telco-b']!.outages[0]).toEqual({ start: 4000, end: 9000, firstAtBackup: null, switchoverMs: null, reroutedDuring: 0, drainMs: null })
    const t2 = tracker()
    t2.arrival(B, 'telco-a', START + 4100, START + 4050)
    expect(t2.figures([outage(4000, 9000)], {})!.operators['telco-b']!.outages[0]!.drainMs).toBe(0)
  })

  it('has no figures without an outage of a failed-over operator, and watches nothing without failover', () => {
    const t = tracker()
    t.arrival(B, 'telco-a', START + 100, START + 50)
    expect(t.figures([], {})).toBeUndefined()
    expect(t.figures([outage(0, 500, 'telco-c'), { ...outage(0, 500), kind: 'black_hole' }], {})).toBeUndefined()
    expect(new FailoverTracker(ids, {}).watching).toBe(false)
    expect(tracker().watching).toBe(true)
  })

  it('keeps one entry per outage, each with its own switch-over', () => {
    const t = tracker()
    t.arrival(B, 'telco-a', START + 2200, START + 2100)
    t.arrival(B, 'telco-a', START + 7050, START + 7000)
    const f = t.figures([outage(7000, 8000), outage(2000, 3000)], {})!.operators['telco-b']!
    expect(f.outages.map((o) => [o.start, o.switchoverMs, o.reroutedDuring])).toEqual([[2000, 200, 1], [7000, 50, 1]])
    expect(f.rerouted).toBe(2)
  })

  it('bins grow with the run length, not the message count', () => {
    const t = tracker()
    for (let i = 0; i < 200_000; i++) t.arrival(B, 'telco-a', START + 4000 + (i % 1000), START + 4000 + (i % 1000))
    const f = t.figures([outage(4000, 5000)], {})!.operators['telco-b']!
    expect(f.rerouted).toBe(200_000)
    expect(f.outages[0]!.reroutedDuring).toBe(200_000)
  })
})

describe('mergeFailover', () => {
  it('adds counts and keeps the earliest switch-over and the longest drain of the same outage', () => {
    const share = (first: number, drain: number, n: number) => ({
      operators: {
        'telco-b': {
          backup: 'telco-a',
          outages: [{ start: 4000, end: 9000, firstAtBackup: first, switchoverMs: first - 4000, reroutedDuring: n, drainMs: drain }],
          rerouted: n, queued: 1, duplicates: 2, accepted: 10 * n, lost: 0,
        },
      },
    })
    expect(mergeFailover([share(4300, 100, 5), share(4100, 700, 7)])).toEqual({
      operators: {
        'telco-b': {
          backup: 'telco-a',
          outages: [{ start: 4000, end: 9000, firstAtBackup: 4100, switchoverMs: 100, reroutedDuring: 12, drainMs: 700 }],
          rerouted: 12, queued: 2, duplicates: 4, accepted: 120, lost: 0,
        },
      },
    })
  })
})
