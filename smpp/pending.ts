// The requests of one session that wait for their response, and their response timeout. A
// session's timeout is one constant, so deadlines come in the order requests were made: the Map's
// insertion order is the deadline order and its first entry is always the next to expire. One
// timer, armed at that entry's deadline, times every request out on time (not at the next sweep
// of a periodic timer, which made a 2 s timeout fire after up to 2.5 s); a request costs a Map
// entry and no timer of its own. A request fails only once what already arrived has been read.
import { clampTimerMs } from '../lib/limits.js'

/** `resp` is undefined on timeout (timedOut true) or when the session closed (timedOut false). */
export type ResponseCallback<R> = (resp: R | undefined, timedOut: boolean) => void

interface Pending<R> {
  cb: ResponseCallback<R>
  deadline: number
}

export class PendingRequests<R> {
  private readonly map = new Map<number, Pending<R>>()
  private timer: NodeJS.Timeout | undefined
  /** The deadline the timer is armed for (Infinity when none). */
  private armedFor = Infinity

  /**
   * @param timeoutMs 0 disables timeouts
   * @param clock monotonic ms (performance.now() in production; tests step their own)
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly clock: () => number,
  ) {}

  get size(): number {
    return this.map.size
  }

  has(seq: number): boolean {
    return this.map.has(seq)
  }

  add(seq: number, cb: ResponseCallback<R>): void {
    if (this.timeoutMs <= 0) {
      this.map.set(seq, { cb, deadline: Infinity })
      return
    }
    const deadline = this.clock() + this.timeoutMs
    this.map.set(seq, { cb, deadline })
    // Later requests never expire before earlier ones: a timer armed for an earlier one stands.
    if (this.timer === undefined) this.arm(deadline)
  }

  /** Removes and returns the callback waiting for `seq`, if any. */
  take(seq: number): ResponseCallback<R> | undefined {
    const p = this.map.get(seq)
    if (p === undefined) return undefined
    this.map.delete(seq)
    return p.cb
  }

  /** Fails every waiting request with (undefined, false) and disarms the timer (session closed). */
  failAll(): void {
    this.disarm()
    const all = [...this.map.values()]
    this.map.clear()
    for (const p of all) p.cb(undefined, false)
  }

  private arm(at: number): void {
    if (this.timer !== undefined) {
      if (this.armedFor <= at) return
      clearTimeout(this.timer)
    }
    this.armedFor = at
    // ceil: a timer may fire a fraction early against the clock; expire() re-arms then.
    this.timer = setTimeout(this.expire, clampTimerMs(Math.ceil(at - this.clock())))
    this.timer.unref()
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.armedFor = Infinity
  }

  private expire = (): void => {
    this.timer = undefined
    this.armedFor = Infinity
    // Timers run before the event loop polls for I/O: after a stall (a busy host, a long GC) every
    // deadline in it would pass before the answers that arrived in time were even read. Failing
    // from setImmediate, which runs after the poll, reads them first.
    setImmediate(this.failDue)
  }

  private failDue = (): void => {
    const now = this.clock()
    // Callbacks may add requests (they join the end) or answer others; the loop sees both.
    for (const [seq, p] of this.map) {
      if (p.deadline > now) return this.arm(p.deadline)
      this.map.delete(seq)
      p.cb(undefined, true)
    }
  }
}
