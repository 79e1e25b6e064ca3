// An in-memory gateway for tests: seeded submit latency, rejections, failures,
// receipts (lost, duplicated, intermediate, early, unknown), a window that limits capacity and a
// stall switch that holds every answer. It keeps its own counters of what it did, so a test can
// check the engine's books against the truth. All delayed work goes through one Scheduler
// (the simulator's: one timer for every pending answer and receipt).
import { Rng } from '../../lib/rng.js'
import { Scheduler } from '../../simulator/scheduler.js'
import type { IncomingReceipt, OutboundMessage, ReceiptSink, SubmitOutcome, Transport } from '../../loadgen/transports/transport.js'

export interface Range {
  min: number
  max: number
}

export interface FakeTransportOptions {
  seed?: number | string
  /** Outstanding submits at once (capacity = window - outstanding). */
  window?: number
  /** Submit answer latency, ms. */
  latencyMs?: Range
  rejectRate?: number
  rejectStatus?: string
  /** Sends that get no answer and fail after failAfterMs with status 'TIMEOUT'. */
  failRate?: number
  failAfterMs?: number
  /** Segments of a message (default 1). */
  segmentsOf?: (msg: OutboundMessage) => number
  /** Receipts carry our seq instead of gateway ids (HTTP dlr-url style). */
  receiptsBySeq?: boolean
  /** Final receipt delay after the send, ms (shorter than latencyMs gives early receipts). */
  receiptDelayMs?: Range
  /** Final stats and their weights (default all DELIVRD). */
  outcomes?: { stat: string; weight: number }[]
  /** Per segment: final receipt never sent. */
  lossRate?: number
  /** Per segment: final receipt sent twice (the copy a little later). */
  duplicateRate?: number
  /** Per message: an ENROUTE receipt before the final one. */
  intermediateRate?: number
  /** Per message: an extra receipt with an id this gateway never issued. */
  unknownRate?: number
}

/** What the fake did, to compare with the engine's results. */
export interface FakeCounters {
  sent: number
  accepted: number
  rejected: number
  failed: number
  segments: number
  /** Accepted messages whose every final receipt was sent, by the message's worst stat. */
  finals: Record<string, number>
  /** Accepted messages with at least one final receipt lost. */
  lostMessages: number
  duplicates: number
  intermediates: number
  unknowns: number
  /** Receipts scheduled before the message's submit answer. */
  early: number
  /** Answered 'failed' because the transport was closed. */
  closedInFlight: number
}

const RANK: Record<string, number> = { DELIVRD: 0, EXPIRED: 2, UNDELIV: 3, REJECTD: 4 }
const rank = (stat: string) => RANK[stat] ?? 1

export class FakeTransport implements Transport {
  readonly name = 'fake'
  readonly counters: FakeCounters = {
    sent: 0, accepted: 0, rejected: 0, failed: 0, segments: 0, finals: {}, lostMessages: 0,
    duplicates: 0, intermediates: 0, unknowns: 0, early: 0, closedInFlight: 0,
  }
  private readonly rng: Rng
  private readonly timers = new Scheduler()
  /** Scheduled events by token (the scheduler carries numbers, not closures). */
  private readonly events = new Map<number, () => void>()
  private nextToken = 0
  private readonly eventKind = this.timers.register((token) => {
    const run = this.events.get(token)
    this.events.delete(token)
    run?.()
  })
  private readonly o: Required<Omit<FakeTransportOptions, 'seed' | 'segmentsOf'>> & Pick<FakeTransportOptions, 'segmentsOf'>
  private readonly totalWeight: number
  private sink: ReceiptSink | undefined
  private outstanding = new Set<{ done: (o: SubmitOutcome) => void }>()
  private held: (() => void)[] = []
  private stalled = false
  private closed = false
  private nextId = 1

  constructor(opts: FakeTransportOptions = {}) {
    this.rng = new Rng(opts.seed ?? 1)
    this.o = {
      window: 100, latencyMs: { min: 1, max: 5 }, rejectRate: 0, rejectStatus: 'ESME_RTHROTTLED', failRate: 0,
      failAfterMs: 50, receiptsBySeq: false, receiptDelayMs: { min: 5, max: 20 }, outcomes: [{ stat: 'DELIVRD', weight: 1 }],
      lossRate: 0, duplicateRate: 0, intermediateRate: 0, unknownRate: 0, ...opts,
    }
    this.totalWeight = this.o.outcomes.reduce((s, x) => s + x.weight, 0)
  }

  async start(receipts: ReceiptSink): Promise<void> {
    this.sink = receipts
  }

  capacity(): number {
    return this.closed ? 0 : Math.max(0, this.o.window - this.outstanding.size)
  }

  /** While stalled, answers that come due are held back (capacity stays used up); released on unstall. */
  stall(on: boolean): void {
    this.stalled = on
    if (on) return
    const held = this.held
    this.held = []
    for (const answer of held) answer()
  }

  /** Events still scheduled (answers and receipts). */
  get scheduled(): number {
    return this.timers.size
  }

  private at(due: number, run: () => void): void {
    const token = this.nextToken++ >>> 0
    this.events.set(token, run)
    this.timers.schedule(this.eventKind, due, token)
  }

  send(msg: OutboundMessage, done: (outcome: SubmitOutcome) => void): void {
    const c = this.counters
    if (this.closed) {
      c.sent++
      c.failed++
      c.closedInFlight++
      return done({ kind: 'failed', status: 'DISCONNECTED', messageIds: [] })
    }
    const r = this.rng
    const now = performance.now()
    const entry = { done }
    this.outstanding.add(entry)
    c.sent++
    const segs = this.o.segmentsOf?.(msg) ?? 1
    c.segments += segs
    const answerAt = (outcome: SubmitOutcome, at: number) =>
      this.at(at, () => {
        const deliver = () => {
          if (!this.outstanding.delete(entry)) return
          entry.done(outcome)
        }
        if (this.stalled) this.held.push(deliver)
        else deliver()
      })
    if (r.chance(this.o.failRate)) {
      c.failed++
      return answerAt({ kind: 'failed', status: 'TIMEOUT', messageIds: [] }, now + this.o.failAfterMs)
    }
    const latency = this.draw(this.o.latencyMs)
    if (r.chance(this.o.rejectRate)) {
      c.rejected++
      return answerAt({ kind: 'rejected', status: this.o.rejectStatus, messageIds: [] }, now + latency)
    }
    c.accepted++
    const ids: string[] = []
    for (let s = 0; s < segs; s++) ids.push(`F${(this.nextId++).toString(16)}`)
    answerAt({ kind: 'accepted', status: 'ESME_ROK', messageIds: this.o.receiptsBySeq ? [] : ids }, now + latency)
    this.scheduleReceipts(msg.seq, ids, now, now + latency)
  }

  private scheduleReceipts(seq: number, ids: string[], sentAt: number, answeredAt: number): void {
    const c = this.counters
    const r = this.rng
    const bySeq = this.o.receiptsBySeq
    // By seq (a dlr-url), the gateway reports once per message, so segments collapse into one receipt.
    const parts = bySeq ? 1 : ids.length
    const emit = (at: number, rc: IncomingReceipt) => {
      if (at < answeredAt) c.early++
      this.at(at, () => this.sink?.onReceipt(rc))
    }
    const key = (s: number): IncomingReceipt => (bySeq ? { seq, stat: '', final: true } : { messageId: ids[s], stat: '', final: true })
    let worst = 'DELIVRD'
    let lost = false
    for (let s = 0; s < parts; s++) {
      const stat = this.pickStat()
      if (rank(stat) > rank(worst)) worst = stat
      const at = sentAt + this.draw(this.o.receiptDelayMs)
      // An intermediate receipt comes before the first segment's final one (halfway there).
      if (s === 0 && r.chance(this.o.intermediateRate)) {
        c.intermediates++
        emit(sentAt + (at - sentAt) / 2, { ...key(0), stat: 'ENROUTE', final: false })
      }
      if (r.chance(this.o.lossRate)) {
        lost = true
        continue
      }
      emit(at, { ...key(s), stat, err: stat === 'DELIVRD' ? '000' : '001' })
      if (r.chance(this.o.duplicateRate)) {
        c.duplicates++
        emit(at + 1 + this.draw(this.o.receiptDelayMs), { ...key(s), stat, err: '000' })
      }
    }
    if (lost) c.lostMessages++
    else c.finals[worst] = (c.finals[worst] ?? 0) + 1
    if (r.chance(this.o.unknownRate)) {
      c.unknowns++
      emit(sentAt + this.draw(this.o.receiptDelayMs), { messageId: `U${(this.nextId++).toString(16)}`, stat: 'DELIVRD', final: true })
    }
  }

  private pickStat(): string {
    let x = this.rng.next() * this.totalWeight
    for (const o of this.o.outcomes) if ((x -= o.weight) < 0) return o.stat
    return this.o.outcomes[this.o.outcomes.length - 1].stat
  }

  private draw(range: Range): number {
    return range.min + this.rng.next() * (range.max - range.min)
  }

  /** Answers everything still outstanding with 'failed' (DISCONNECTED) and stops all receipts. */
  async close(): Promise<void> {
    this.closed = true
    this.timers.stop()
    this.events.clear()
    this.held = []
    const left = [...this.outstanding]
    this.outstanding.clear()
    for (const e of left) {
      this.counters.closedInFlight++
      e.done({ kind: 'failed', status: 'DISCONNECTED', messageIds: [] })
    }
  }
}
