// When each pending receipt is due, for 4 bytes per receipt (the store's link column) instead of
// a scheduler-heap entry each (14 bytes plus the heap's growth slack). A two-level timing wheel
// of intrusive lists threaded through ReceiptStore.link:
//   fine:   FINE buckets of 1 ms covering [cursor, cursor + FINE); a bucket holds one due time.
//   coarse: COARSE buckets of one page (FINE ms) each; a page's bucket moves into the fine wheel
//           when the cursor reaches the page's start (each receipt moves at most once or twice).
//   far:    one list for finals beyond the coarse horizon (~18 h), re-sorted every coarse turn.
// Only final receipts go to coarse/far (their time is the store's `due`); an intermediate stage's
// time is not stored, so one beyond the fine horizon (16 s) is left to the caller (scheduler).
// One scheduler entry drives it: the earliest non-empty bucket (or next page start). A bucket runs
// when the scheduler's clock reaches its time, so a receipt is never sent before it is due and
// 1 ms buckets add no lateness. Times are ms since network start (integers below 2^32).
import { NIL_SLOT, type ReceiptStore } from './receipt-store.js'
import type { Scheduler, Task } from '../scheduler.js'

const FINE_BITS = 14
const FINE = 1 << FINE_BITS
const WORDS = FINE >>> 5
const COARSE = 4096
/** The scheduler token of the tick for receipts already due when added (times are tokens otherwise). */
const READY = 0xffffffff

export class ReceiptWheel {
  private readonly head = new Uint32Array(FINE).fill(NIL_SLOT)
  private readonly tail = new Uint32Array(FINE).fill(NIL_SLOT)
  /** One bit per fine bucket: non-empty. Finding the next due bucket scans 512 words at most. */
  private readonly bits = new Uint32Array(WORDS)
  private readonly coarseHead = new Uint32Array(COARSE).fill(NIL_SLOT)
  private readonly coarseTail = new Uint32Array(COARSE).fill(NIL_SLOT)
  private farHead = NIL_SLOT
  /** Receipts due when added (a zero delay): run by the next scheduler pass, in the same batch as the submit_sm_resp before them. */
  private readyHead = NIL_SLOT
  private readyTail = NIL_SLOT
  private readyArmed = false
  private farTail = NIL_SLOT
  /** Receipts in the fine wheel, and in total. */
  private fineCount = 0
  private count = 0
  /** Every fine bucket before this time (ms since start) has run. */
  private cursor = 0
  /** The time of the live scheduler entry (others still queued are stale and only catch up). */
  private armedAt = Infinity
  private running = false
  private readonly kind: number

  constructor(
    private readonly store: ReceiptStore,
    private readonly scheduler: Scheduler,
    private readonly startedAt: number,
    private readonly task: Task,
  ) {
    this.kind = scheduler.register(this.tick)
  }

  /** Receipts waiting in the wheel. */
  get size(): number {
    return this.count
  }

  /** Bytes of the wheel's own arrays (fixed; the per-receipt link lives in the store). */
  get byteLength(): number {
    return this.head.byteLength + this.tail.byteLength + this.bits.byteLength + this.coarseHead.byteLength + this.coarseTail.byteLength
  }

  /**
   * Slot `i` is due at `at` ms since start. A final's time is the store's due, so it can wait here
   * however far off; any other stage only within the fine horizon: false means the caller keeps it.
   */
  add(i: number, at: number, final: boolean): boolean {
    // An empty wheel catches up with the clock at once (nothing in between to run), so after a
    // quiet spell a new receipt is not measured against a stale cursor.
    const now = this.scheduler.clock()
    if (this.startedAt + at <= now && !this.running) {
      // Not rounded up to the next whole ms: due now goes out with this scheduler pass's other work.
      this.count++
      this.store.setLink(i, NIL_SLOT)
      if (this.readyHead === NIL_SLOT) this.readyHead = i
      else this.store.setLink(this.readyTail, i)
      this.readyTail = i
      if (!this.readyArmed) {
        this.readyArmed = true
        this.scheduler.schedule(this.kind, this.startedAt + at, READY)
      }
      return true
    }
    if (this.count === 0 && !this.running) this.cursor = Math.max(this.cursor, this.firstNotDue(now))
    const t = Math.max(this.cursor, Math.ceil(at))
    if (t < this.cursor + FINE) {
      this.count++
      this.pushFine(i, t)
      this.arm(t)
      return true
    }
    if (!final) return false
    this.count++
    this.pushFar(i, t)
    return true
  }

  private pushFine(i: number, t: number): void {
    const b = t % FINE
    this.store.setLink(i, NIL_SLOT)
    if (this.head[b] === NIL_SLOT) {
      this.head[b] = i
      this.bits[b >>> 5]! |= 1 << (b & 31)
    } else this.store.setLink(this.tail[b]!, i)
    this.tail[b] = i
    this.fineCount++
  }

  /** A final beyond the fine horizon: into its page's coarse bucket, or the far list. */
  private pushFar(i: number, t: number): void {
    const page = Math.floor(t / FINE)
    const cur = Math.floor(this.cursor / FINE)
    this.store.setLink(i, NIL_SLOT)
    if (page - cur < COARSE) {
      const b = page % COARSE
      if (this.coarseHead[b] === NIL_SLOT) this.coarseHead[b] = i
      else this.store.setLink(this.coarseTail[b]!, i)
      this.coarseTail[b] = i
    } else {
      if (this.farHead === NIL_SLOT) this.farHead = i
      else this.store.setLink(this.farTail, i)
      this.farTail = i
    }
    this.arm((cur + 1) * FINE)
  }

  private arm(t: number): void {
    if (this.running || t >= this.armedAt) return
    this.armedAt = t
    this.scheduler.schedule(this.kind, this.startedAt + t, t)
  }

  private tick = (token: number, now: number): void => {
    if (token === this.armedAt) this.armedAt = Infinity
    this.running = true
    try {
      if (token === READY) this.runReady(now)
      this.advance(now)
    } finally {
      this.running = false
    }
    if (this.count > 0) this.arm(this.nextEvent(this.cursor))
  }

  /** Runs every bucket whose time has come (startedAt + t <= now), page starts included. */
  private advance(now: number): void {
    const notDue = this.firstNotDue(now)
    while (this.startedAt + this.cursor <= now) {
      const c = this.cursor
      if (c % FINE === 0) this.enterPage(c / FINE)
      const b = c % FINE
      this.cursor = c + 1 // receipts re-added while this bucket runs land at the next one or later
      if (this.head[b] !== NIL_SLOT) this.runBucket(b, now)
      this.cursor = Math.max(this.cursor, Math.min(this.nextEvent(this.cursor), notDue))
    }
  }

  /** The first whole ms (since start) not yet due at clock time `now`, tested the way advance() tests it (float-safe). */
  private firstNotDue(now: number): number {
    let t = Math.max(0, Math.floor(now - this.startedAt) + 1)
    while (t > 0 && this.startedAt + t - 1 > now) t--
    while (this.startedAt + t <= now) t++
    return t
  }

  private runReady(now: number): void {
    let i = this.readyHead
    this.readyHead = this.readyTail = NIL_SLOT
    this.readyArmed = false
    while (i !== NIL_SLOT) {
      const next = this.store.link(i)
      this.count--
      this.task(i, now)
      i = next
    }
  }

  private runBucket(b: number, now: number): void {
    let i = this.head[b]!
    this.head[b] = NIL_SLOT
    this.tail[b] = NIL_SLOT
    this.bits[b >>> 5]! &= ~(1 << (b & 31))
    const s = this.store
    while (i !== NIL_SLOT) {
      const next = s.link(i)
      this.fineCount--
      this.count--
      this.task(i, now)
      i = next
    }
  }

  /** The cursor reached page `page`'s start: the far list re-sorts once per coarse turn, then the page's bucket moves to the fine wheel. */
  private enterPage(page: number): void {
    if (page % COARSE === 0 && this.farHead !== NIL_SLOT) {
      let i = this.farHead
      this.farHead = this.farTail = NIL_SLOT
      while (i !== NIL_SLOT) {
        const next = this.store.link(i)
        this.pushFar(i, this.store.due(i))
        i = next
      }
    }
    const b = page % COARSE
    let i = this.coarseHead[b]!
    this.coarseHead[b] = this.coarseTail[b] = NIL_SLOT
    while (i !== NIL_SLOT) {
      const next = this.store.link(i)
      this.pushFine(i, Math.max(this.cursor, this.store.due(i)))
      i = next
    }
  }

  /** The first time >= x worth a tick: x's page start, a non-empty fine bucket in x's page, else the next page's start. */
  private nextEvent(x: number): number {
    const j = x % FINE
    if (j === 0) return x
    const pageStart = x - j
    if (this.fineCount > 0) {
      let w = j >>> 5
      let word = this.bits[w]! & (0xffffffff << (j & 31))
      while (word === 0) {
        if (++w === WORDS) return pageStart + FINE
        word = this.bits[w]!
      }
      return pageStart + (w << 5) + (31 - Math.clz32(word & -word))
    }
    return pageStart + FINE
  }
}
