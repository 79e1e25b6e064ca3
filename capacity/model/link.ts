// One operator link through time: arrivals join the gateway's queue for the operator, and each
// time step the link hands on as many as its limits allow. Fluid: limits are rates with a little
// saved up, and counts are whole messages.
//
//   window    B binds x W submits in flight, each held for the mean answer time E[hold]
//             (Little's law: at most B*W/E[hold] per ms, B*W at once after a pause);
//             W is the smaller of the gateway's and the operator's window
//   pacing    the gateway's own cap (Kannel's throughput), per bind
//   throttle  the operator's token bucket (rate, burst; per bind or per operator);
//             on_throttle retry: the gateway waits for tokens (messages queue);
//             on_throttle reject: the excess is refused (ESME_RTHROTTLED to the sender)
//   queue     FIFO; a message waiting longer than max_wait is dropped, beyond queue_limit refused
//
// Spans where nothing binds (queue empty, limits full, the arrival rate below every limit) are
// crossed in one jump; only spans where a limit binds are stepped (model.step, 1 ms by default).
// That is what makes a 300-million-message day fast: a day is mostly quiet spans.
//
// API: new Link(...); advance(t0, t1) moves it through [t0, t1); counters and `batches` hold the
// current interval until the recorder (capacity/model/recorder.ts) reads and clears them.
import type { StreamArrivals } from './arrivals.js'
import { WaitBatches } from './batches.js'
import { ArrivalQueue, MERGE_SHARE } from './queue.js'
import type { LinkSettings } from './links.js'
import type { LatencyPhase, OperatorModel } from './operator-model.js'
import type { ThrottleLoss } from './poisson-throttle.js'

/** A stream's part in this link: its arrivals, and its share of them as cumulative bounds. */
export interface LinkStream {
  arrivals: StreamArrivals
  /** Messages k of the stream's first N go to this operator when round(N*lo) <= k < round(N*hi). */
  lo: number
  hi: number
}

/** Checked for a possible jump every this many steps while stepping. */
const JUMP_CHECK_STEPS = 64
const EPS = 1e-9

export interface IntervalCounts {
  offered: number
  /** Handed to the operator. */
  dispatched: number
  dropped: number
  /** Refused by the gateway: its queue was full. */
  refused: number
  late: number
  /** Expected extra throttle refusals of random (Poisson) arrivals in free flow, not yet whole. */
  freeFlowLoss: number
  /** Longest wait handed on (ms). */
  maxWait: number
}

export class Link {
  readonly batches = new WaitBatches()
  readonly iv: IntervalCounts = { offered: 0, dispatched: 0, dropped: 0, refused: 0, late: 0, freeFlowLoss: 0, maxWait: 0 }
  /** The most that waited at once, and when (ms), over the whole run. */
  peakQueued = 0
  peakQueuedAt = 0
  /** When the queue first became empty after its highest peak (ms, the end of that step); -1 while it has not. */
  drainedAt = -1
  /** The latency phase now (a latency spike swaps it). */
  phase: LatencyPhase

  // Limits, in messages (or tokens) per ms and how many may be saved up.
  private creditRate = Infinity
  private creditCap = Infinity
  private paceRate = Infinity
  private paceCap = Infinity
  private tokenRate = Infinity
  private tokenCap = Infinity
  private credit = 0
  private pace = 0
  private tokens = 0
  private outage = false
  private blackHole = false
  /**
   * Window slots held by submits a black hole swallowed: each is freed only when its response
   * timeout fails it (release time, count), so a black hole shorter than the timeout keeps the
   * window full after it ends. Bounded by the window.
   */
  private held: { at: number; n: number }[] = []
  private heldCount = 0
  private readonly excessRefused: boolean
  /** Arrivals so far (cumulative, this link's share). */
  private arrived = 0
  private readonly queue: ArrivalQueue
  /** Poisson loss share for the current rates (refreshed every JUMP_CHECK_STEPS steps). */
  private lossShare = 0
  /** Fault boundaries, ascending. */
  private readonly edges: number[]

  constructor(
    readonly op: OperatorModel,
    readonly settings: LinkSettings,
    private readonly streams: LinkStream[],
    /** Mean submits per message on this link. */
    readonly segments: number,
    private readonly stepMs: number,
    private readonly lateAfterMs: number,
    private readonly loss: ThrottleLoss | null,
  ) {
    this.phase = op.normal
    this.queue = new ArrivalQueue(stepMs)
    this.excessRefused = settings.view === 'direct' && settings.window > settings.operatorWindow
    this.edges = [...new Set(op.faults.flatMap((f) => [f.start, f.end]))].sort((a, b) => a - b)
    this.applyFaults(0)
    this.credit = this.creditCap
    this.pace = this.paceCap
    this.tokens = this.tokenCap
  }

  /** Messages waiting now. */
  get queued(): number {
    return this.queue.count
  }

  /** The window's share of a second's capacity in messages per second (for sizing and reports). */
  get windowRate(): number {
    return this.creditRate * 1000
  }

  /** The operator throttle in messages per second (Infinity without one). */
  get throttleRate(): number {
    return this.tokenRate === Infinity ? Infinity : (this.tokenRate * 1000) / this.tokenCost
  }

  get pacingRate(): number {
    return this.paceRate * 1000
  }

  /** Mean time a submit holds a window slot (ms). */
  hold(phase: LatencyPhase = this.phase): number {
    const nr = this.op.noResponseShare
    return (1 - nr) * phase.latency.mean + nr * this.settings.responseTimeoutMs
  }

  private get tokenCost(): number {
    return this.op.throttle?.countSegments ? this.segments : 1
  }

  /** Recomputes the limits for the faults active at t. */
  private applyFaults(t: number): void {
    const s = this.settings
    const op = this.op
    let phase = op.normal
    let rate = op.throttle?.rate
    this.outage = false
    this.blackHole = false
    for (const f of op.faults) {
      if (t < f.start || t >= f.end) continue
      if (f.kind === 'outage') this.outage = true
      else if (f.kind === 'black_hole') this.blackHole = true
      else if (f.kind === 'latency_spike' && f.phase) phase = f.phase
      else if (f.kind === 'throttle_change') rate = f.rate
    }
    // A gateway in between re-queues what a black hole swallows: to it, the operator is just down.
    if (this.blackHole && s.view === 'gateway') this.outage = true
    this.phase = phase
    const w = Math.min(s.window, s.operatorWindow) * s.binds
    const hold = this.hold(phase)
    this.creditCap = w / this.segments
    // In a black hole nothing is answered: no slot comes free until a timeout fails its submit.
    this.creditRate = this.blackHole ? 0 : hold > 0 ? this.creditCap / hold : Infinity
    this.paceRate = s.pacing === null ? Infinity : (s.pacing * s.binds) / 1000 / this.segments
    this.paceCap = s.pacing === null ? Infinity : Math.max(1, this.paceRate * this.stepMs)
    const t0 = op.throttle
    if (t0 && rate !== undefined) {
      const m = t0.perBind ? s.binds : 1
      this.tokenRate = (rate * m) / 1000
      this.tokenCap = t0.burst * m
    } else {
      this.tokenRate = Infinity
      this.tokenCap = Infinity
    }
    this.credit = Math.min(this.credit, this.creditCap)
    this.pace = Math.min(this.pace, this.paceCap)
    this.tokens = Math.min(this.tokens, this.tokenCap)
  }

  /** Arrivals due strictly before t, this link's share (cumulative). */
  private arrivalsBefore(t: number): number {
    let n = 0
    for (const s of this.streams) {
      const all = s.arrivals.before(t)
      n += Math.round(all * s.hi) - Math.round(all * s.lo)
    }
    return n
  }

  /** The link's highest arrival rate over [t0, t1), messages per ms; and its Poisson and even parts at t0. */
  private rates(t0: number, t1: number): { max: number; poisson: number; uniform: number } {
    let max = 0
    let poisson = 0
    let uniform = 0
    for (const s of this.streams) {
      const share = s.hi - s.lo
      max += s.arrivals.maxRate(t0, t1) * share
      const r = s.arrivals.rate(t0) * share
      if (s.arrivals.poisson) poisson += r
      else uniform += r
    }
    return { max, poisson, uniform }
  }

  /** The next time after t at which the link's inputs change: a fault edge or a stream's rate piece. */
  private nextEdge(t: number): number {
    let next = Infinity
    for (const e of this.edges) if (e > t) {
      next = e
      break
    }
    for (const s of this.streams) next = Math.min(next, s.arrivals.nextBoundary(t))
    return next
  }

  /** Everything due in [t0, t1). */
  advance(t0: number, t1: number): void {
    let t = t0
    while (t < t1 - EPS) {
      if (this.edges.length && this.edges.includes(t)) this.applyFaults(t)
      const until = Math.min(t1, this.nextEdge(t))
      const r = this.rates(t, until)
      this.refreshLoss(r.poisson, r.uniform)
      if (this.canJump(r.max)) {
        this.jump(t, until)
        t = until
        continue
      }
      let steps = 0
      while (t < until - EPS) {
        // A long queue needs no 1-ms steps: its waits are resolved to 1/512 of their length anyway.
        // (1/512 of the oldest wait, and of the time the queue still needs: fine steps again near its end.)
        let dt = this.stepMs
        if (!this.queue.empty) {
          const fine = Math.min(t - this.queue.headTime, this.queued / this.serviceRate()) * MERGE_SHARE
          while (dt * 2 <= fine) dt *= 2
        }
        const next = Math.min(until, t + dt)
        this.step(t, next)
        t = next
        if (++steps % JUMP_CHECK_STEPS === 0 && t < until - EPS) {
          const r2 = this.rates(t, until)
          this.refreshLoss(r2.poisson, r2.uniform)
          if (this.canJump(r2.max)) break
        }
      }
    }
  }

  private refreshLoss(poisson: number, uniform: number): void {
    this.lossShare = this.loss && poisson > 0 ? this.loss.share(poisson / (this.op.throttle?.perBind ? this.settings.binds : 1), uniform / (this.op.throttle?.perBind ? this.settings.binds : 1)) : 0
  }

  /** Messages per ms the link hands on while it has a queue (its lowest limit). */
  private serviceRate(): number {
    let r = Math.min(this.creditRate, this.paceRate)
    if (this.settings.onThrottle === 'retry') r = Math.min(r, this.tokenRate / this.tokenCost)
    return this.outage ? 0 : r
  }

  /** Nothing binds over a span with arrival rates up to `max`: the queue is empty and every limit is full. */
  private canJump(max: number): boolean {
    if (!this.queue.empty || this.outage || this.blackHole || this.heldCount > 0) return false
    if (this.credit < this.creditCap - EPS || this.pace < this.paceCap - EPS || this.tokens < this.tokenCap - EPS) return false
    if (max > this.creditRate || max > this.paceRate) return false
    return max * this.tokenCost <= this.tokenRate
  }

  /** A quiet span: everything that arrives goes straight on. */
  private jump(t0: number, t1: number): void {
    const now = this.arrivalsBefore(t1)
    const a = now - this.arrived
    this.arrived = now
    if (a <= 0) return
    this.iv.offered += a
    this.iv.dispatched += a
    this.batches.add(0, a, 0)
    this.iv.freeFlowLoss += a * this.lossShare
  }

  /** One step [t, t1). */
  private step(t: number, t1: number): void {
    const dt = t1 - t
    // Slots of swallowed submits come back when their timeouts fail them.
    while (this.held.length && this.held[0]!.at <= t) {
      const h = this.held.shift()!
      this.heldCount -= h.n
      this.credit += h.n
    }
    // What each limit can hand on in this step: what it had saved (at most its cap, less the slots
    // still held) plus its rate over the step; what is left afterwards is saved again, up to the cap.
    const cap = this.creditCap - this.heldCount
    const cAvail = Math.max(0, Math.min(cap, this.credit) + (this.heldCount > 0 ? Math.min(this.creditRate * dt, Math.max(0, cap - this.credit)) : this.creditRate * dt))
    const pAvail = Math.min(this.paceCap, this.pace) + this.paceRate * dt
    const tAvail = Math.min(this.tokenCap, this.tokens) + this.tokenRate * dt
    const wasEmpty = this.queue.empty
    const now = this.arrivalsBefore(t1)
    const a = now - this.arrived
    this.arrived = now
    const s = this.settings
    if (a > 0) {
      this.iv.offered += a
      let room = a
      if (s.queueLimit !== null && this.queued + a > s.queueLimit) {
        room = Math.max(0, s.queueLimit - this.queued)
        this.refuse(a - room)
      }
      if (room > 0) this.queue.push(t, room)
    }
    if (s.maxWaitMs !== null) this.expire(t, t1, s.maxWaitMs)
    const cost = this.tokenCost
    const retry = s.onThrottle === 'retry'
    let n = 0
    let ok = 0
    if (!this.queue.empty && !this.outage) {
      let avail = Math.min(Math.floor(cAvail + EPS), Math.floor(pAvail + EPS))
      if (retry) avail = Math.min(avail, Math.floor(tAvail / cost + EPS))
      n = Math.min(this.queued, avail)
      // Reject policy: what the bucket cannot take is refused by the operator (after its latency).
      ok = retry ? n : Math.min(n, Math.floor(tAvail / cost + EPS))
      if (n > 0) this.dispatch(t, t1, n, ok)
    }
    this.credit = Math.min(cap, cAvail - n)
    this.pace = Math.min(this.paceCap, pAvail - n)
    this.tokens = Math.min(this.tokenCap, tAvail - ok * cost)
    this.notePeak(t1)
    // Free flow: this step's own arrivals went straight on; random arrivals still meet an empty bucket now and then.
    if (wasEmpty && this.queue.empty && a > 0) this.iv.freeFlowLoss += Math.max(0, a * this.lossShare - (n - ok))
    // Direct mode with a gateway window above the operator's: what the operator's window cannot take is refused at once.
    if (this.excessRefused && !this.queue.empty && !this.outage) this.refuseExcess(t, t1)
  }

  private notePeak(t: number): void {
    if (this.queued > this.peakQueued) {
      this.peakQueued = this.queued
      this.peakQueuedAt = t
      this.drainedAt = -1
    }
  }

  private holdSlots(at: number, n: number): void {
    const last = this.held[this.held.length - 1]
    if (last && at - last.at < this.stepMs) last.n += n
    else this.held.push({ at, n })
    this.heldCount += n
  }

  /** Takes n from the head entry; `t1` is the end of the current step (when the queue may have drained). */
  private take(n: number, t1: number): void {
    if (this.queue.take(n) && this.drainedAt < 0 && this.peakQueued > 0) this.drainedAt = t1
  }

  private expire(t: number, t1: number, maxWait: number): void {
    while (!this.queue.empty && t - this.queue.headTime > maxWait) {
      const c = this.queue.headCount
      this.iv.dropped += c
      this.take(c, t1)
    }
  }

  private refuse(n: number): void {
    if (this.settings.view === 'direct') this.iv.dropped += n
    else this.iv.refused += n
  }

  /** Hands n from the head of the queue to the operator; the first `ok` pass its throttle. */
  private dispatch(t: number, t1: number, n: number, ok: number): void {
    this.iv.dispatched += n
    const late = this.lateAfterMs
    while (n > 0) {
      const take = Math.min(this.queue.headCount, n)
      const w = Math.max(0, t - this.queue.headTime)
      const pass = Math.min(ok, take)
      ok -= pass
      if (this.blackHole) {
        this.batches.add(w, 0, 0, 0, take)
        this.holdSlots(t + this.settings.responseTimeoutMs, take)
      }
      else this.batches.add(w, pass, take - pass)
      if (w > late && this.settings.view === 'direct') this.iv.late += take
      if (w > this.iv.maxWait) this.iv.maxWait = w
      n -= take
      this.take(take, t1)
    }
  }

  /** Everything still queued is sent and refused at once by the full operator window. */
  private refuseExcess(t: number, t1: number): void {
    while (!this.queue.empty) {
      const c = this.queue.headCount
      const w = Math.max(0, t - this.queue.headTime)
      this.batches.add(w, 0, 0, c)
      this.iv.dispatched += c
      if (w > this.lateAfterMs) this.iv.late += c
      this.take(c, t1)
    }
  }

  /** Resets the interval counters (after the recorder read them). */
  resetInterval(): void {
    const iv = this.iv
    iv.offered = iv.dispatched = iv.dropped = iv.refused = iv.late = iv.maxWait = 0
    iv.freeFlowLoss = 0
    this.batches.clear()
  }
}
