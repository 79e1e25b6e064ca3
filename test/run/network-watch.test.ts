// The network's side of a run on a clock the test steps: per-interval differences of the
// operators' own counters, gauges at the end of each interval, bind events in run time.
import { describe, expect, it } from 'vitest'
import { NetworkWatch } from '../../run/network-watch.js'
import type { OperatorStats } from '../../simulator/types.js'

function stats(over: Partial<OperatorStats>): OperatorStats {
  return {
    id: 'op', state: 'up', binds: { transmitter: 0, receiver: 0, transceiver: 1 }, connections: 1, bufferedBytes: 0, submits: 0, messages: 0,
    statuses: {}, unanswered: 0, inFlight: 0, disconnects: 0, bindRefusals: 0, misrouted: 0,
    protections: { connectionsRefused: 0, bindTimeouts: 0, inactivityTimeouts: 0, bufferOverflows: 0, invalidPdus: 0, authFailures: 0, authDisconnects: 0 },
    receipts: { pending: 0, sent: {}, acked: 0, lost: 0, duplicated: 0, resent: 0 },
    latency: { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 },
    ...over,
  }
}

describe('NetworkWatch', () => {
  it('samples differences per interval and the totals at the end', () => {
    let now = 1000
    let s = stats({ bindLog: { opened: 1, dropped: 0, events: [{ atMs: 900, kind: 'opened' }] }, copies: { first: 0, repeated: 0, untagged: 0 } })
    const watch = new NetworkWatch({ operators: [{ config: { id: 'telia' }, stats: () => s }] }, 1000, () => now)
    watch.start(1000, false)
    s = stats({ ...s, statuses: { ESME_ROK: 8, ESME_RTHROTTLED: 5, ESME_RSYSERR: 1 }, copies: { first: 10, repeated: 4, untagged: 0 }, receipts: { ...s.receipts, pending: 3, sent: { DELIVRD: 6 } } })
    now = 2000
    watch.sample()
    s = stats({ ...s, statuses: { ESME_ROK: 9, ESME_RTHROTTLED: 12, ESME_RSYSERR: 1 }, copies: { first: 11, repeated: 11, untagged: 0 }, unanswered: 2,
      binds: { transmitter: 0, receiver: 0, transceiver: 0 }, bindLog: { opened: 1, dropped: 1, events: [{ atMs: 900, kind: 'opened' }, { atMs: 2400, kind: 'dropped' }] } })
    now = 2500
    const side = watch.finish()
    expect(side.timeseries).toEqual([
      { t: 0, operators: { telia: { first: 10, repeated: 4, throttled: 5, errors: 1, unanswered: 0, binds: 1, receipts: 6, backlog: 3 } } },
      { t: 1000, operators: { telia: { first: 1, repeated: 7, throttled: 7, errors: 0, unanswered: 2, binds: 0, receipts: 0, backlog: 3 } } },
    ])
    const op = side.operators.telia!
    expect(op.submits).toEqual({ first: 11, repeated: 11, untagged: 0 })
    expect(op.answers.ESME_RTHROTTLED).toBe(12)
    expect(op.binds).toEqual({ opened: 1, refused: 0, dropped: 1, events: [{ t: -100, kind: 'opened' }, { t: 1400, kind: 'dropped' }] })
    // Summing a column gives the total, as for the load generator's time series.
    expect(side.timeseries.reduce((n, p) => n + p.operators.telia!.throttled, 0)).toBe(12)
  })
})
