// One operator's counters: plain numbers bumped on the hot path, turned into the OperatorStats
// shape (simulator/types.ts) only when someone asks (control API, metrics scrape, summary).
import { createHistogram, percentiles, recordUs, type Histogram } from '../lib/hdr.js'
import { STAT_TEXT, statusName } from '../smpp/constants.js'
import type { BindEvent, OperatorState, OperatorStats, ProtectionStats } from './types.js'
import type { SeenTags } from './seen-tags.js'

/** Bind events kept with their times (enough for a run's story; a flapping bind is counted beyond it). */
const MAX_BIND_EVENTS = 200

export class OperatorCounters {
  submits = 0
  messages = 0
  /** Never answered: no_response_rate, black hole, or the connection went away first. */
  unanswered = 0
  disconnects = 0
  bindRefusals = 0
  misrouted = 0
  receiptsAcked = 0
  receiptsLost = 0
  receiptsDuplicated = 0
  /** Receipts sent again because their bind dropped before acknowledging them. */
  receiptsResent = 0
  /** Limits at work (types.ts ProtectionStats); bufferOverflows lives in the operator's byte budget. */
  connectionsRefused = 0
  bindTimeouts = 0
  inactivityTimeouts = 0
  invalidPdus = 0
  authFailures = 0
  authDisconnects = 0
  bindsOpened = 0
  /** Bound connections that closed (dropped by either side, or at the end). */
  bindsDropped = 0
  /** The first MAX_BIND_EVENTS bind events, at scheduler clock times (ms). */
  readonly bindEvents: BindEvent[] = []
  /** Copies by correlation tag: set when the network reports arrivals (runs in the load generator's process). */
  seen: SeenTags | undefined
  /** submit_sm_resp sent, by command_status code (a handful of keys). */
  readonly statuses = new Map<number, number>()
  /** deliver_sm receipts sent, indexed by message_state (STAT_TEXT gives the name). */
  readonly receiptsSent = new Float64Array(STAT_TEXT.length)
  /** submit_sm -> submit_sm_resp, integer microseconds. */
  readonly latency: Histogram = createHistogram()

  bindEvent(atMs: number, kind: BindEvent['kind']): void {
    if (kind === 'opened') this.bindsOpened++
    else if (kind === 'dropped') this.bindsDropped++
    if (this.bindEvents.length < MAX_BIND_EVENTS) this.bindEvents.push({ atMs, kind })
  }

  countStatus(status: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1)
  }

  recordLatencyMs(ms: number): void {
    recordUs(this.latency, ms * 1000)
  }

  snapshot(
    id: string,
    state: OperatorState,
    binds: OperatorStats['binds'],
    inFlight: number,
    pendingReceipts: number,
    connections: number,
    budget: { used: number; exceeded: number },
  ): OperatorStats {
    const statuses: Record<string, number> = {}
    for (const [code, n] of this.statuses) statuses[statusName(code)] = n
    const sent: Record<string, number> = {}
    for (let s = 1; s < STAT_TEXT.length; s++) if (this.receiptsSent[s]! > 0) sent[STAT_TEXT[s]!] = this.receiptsSent[s]!
    const p = percentiles(this.latency)
    const protections: ProtectionStats = {
      connectionsRefused: this.connectionsRefused,
      bindTimeouts: this.bindTimeouts,
      inactivityTimeouts: this.inactivityTimeouts,
      bufferOverflows: budget.exceeded,
      invalidPdus: this.invalidPdus,
      authFailures: this.authFailures,
      authDisconnects: this.authDisconnects,
    }
    return {
      id,
      state,
      binds,
      connections,
      bufferedBytes: budget.used,
      submits: this.submits,
      messages: this.messages,
      statuses,
      unanswered: this.unanswered,
      inFlight,
      disconnects: this.disconnects,
      bindRefusals: this.bindRefusals,
      misrouted: this.misrouted,
      protections,
      receipts: {
        pending: pendingReceipts,
        sent,
        acked: this.receiptsAcked,
        lost: this.receiptsLost,
        duplicated: this.receiptsDuplicated,
        resent: this.receiptsResent,
      },
      latency: { count: p.count, p50: p.p50, p90: p.p90, p99: p.p99, p999: p.p999, max: p.max },
      bindLog: { opened: this.bindsOpened, dropped: this.bindsDropped, events: this.bindEvents.slice() },
      ...(this.seen ? { copies: { first: this.seen.first, repeated: this.seen.repeated, untagged: this.seen.untagged } } : {}),
    }
  }
}
