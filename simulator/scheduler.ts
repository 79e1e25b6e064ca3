// The one scheduler for delayed work in a running network: submit_sm_resp latency, receipts and
// fault ends all go through it. A binary min-heap kept in typed arrays (due time, task kind,
// numeric token) driven by a single timer armed for the earliest entry, so the cost of waiting
// work is a few bytes per entry and one timer for the whole network, never a timer per message.
import { bug } from '../lib/errors.js'
import { performance } from 'node:perf_hooks'
import { clampTimerMs } from '../lib/limits.js'

/** Milliseconds on a monotonic clock (performance.now() unless a test injects its own). */
export type Clock = () => number

/** Runs one due entry. `token` is whatever number the scheduling code chose (usually a slot). */
export type Task = (token: number, now: number) => void

export const systemClock: Clock = () => performance.now()

const INITIAL_CAPACITY = 1024

export class Scheduler {
  private due = new Float64Array(INITIAL_CAPACITY)
  // Tokens are slots and indexes: u32 keeps an entry at 14 bytes (was 18 with f64), which is 40 MB
  // less for 10 million pending receipts (npm run bench -- --only receipt-store).
  private token = new Uint32Array(INITIAL_CAPACITY)
  private kind = new Uint16Array(INITIAL_CAPACITY)
  private n = 0
  private readonly tasks: Task[] = []
  private timer: NodeJS.Timeout | undefined
  private armedAt = Infinity
  private stopped = false

  /**
   * @param clock time source in ms
   * @param autoRun arm a real timer (default). Tests with a fake clock pass false and call runDue().
   */
  constructor(
    readonly clock: Clock = systemClock,
    private readonly autoRun = true,
  ) {}

  /** Registers a task and returns its kind, the first argument of schedule(). */
  register(task: Task): number {
    if (this.tasks.length >= 0xffff) bug('too many scheduler task kinds')
    this.tasks.push(task)
    return this.tasks.length - 1
  }

  /** Entries waiting. */
  get size(): number {
    return this.n
  }

  /** Runs task `kind` with `token` (an integer 0..2^32-1) at clock time `at` (ms). */
  schedule(kind: number, at: number, token: number): void {
    if (token >>> 0 !== token) bug(`scheduler token ${token} is not an integer 0..2^32-1`)
    if (this.stopped) return
    if (this.n === this.due.length) this.grow()
    let i = this.n++
    // Sift up: move parents down until the new entry's slot is found.
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.due[parent]! <= at) break
      this.move(parent, i)
      i = parent
    }
    this.due[i] = at
    this.token[i] = token
    this.kind[i] = kind
    // Re-arm only when the new entry is clearly earlier than the armed time: entries usually
    // arrive in roughly increasing due order, so this rarely touches the timer.
    if (this.autoRun && at < this.armedAt - 0.5) this.arm(at)
  }

  /** Runs every entry due at or before `now`; returns how many ran. */
  runDue(now = this.clock()): number {
    let ran = 0
    while (this.n > 0 && this.due[0]! <= now && !this.stopped) {
      const kind = this.kind[0]!
      const token = this.token[0]!
      this.pop()
      ran++
      this.tasks[kind]!(token, now)
    }
    return ran
  }

  /** Drops everything and disarms the timer (network close). */
  stop(): void {
    this.stopped = true
    this.n = 0
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.armedAt = Infinity
  }

  private fire = (): void => {
    this.timer = undefined
    this.armedAt = Infinity
    this.runDue(this.clock())
    if (this.n > 0 && !this.stopped) this.arm(this.due[0]!)
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer)
    this.armedAt = at
    // Timers can fire a little early against performance.now(), and hold at most ~24.8 days (a
    // 30-day fault end is reached in two steps): fire() re-arms until the entry is due.
    this.timer = setTimeout(this.fire, clampTimerMs(Math.ceil(at - this.clock())))
    this.timer.unref()
  }

  private pop(): void {
    const last = --this.n
    if (last === 0) return
    const at = this.due[last]!
    let i = 0
    // Sift down the last entry from the root.
    for (;;) {
      const l = 2 * i + 1
      if (l >= last) break
      const r = l + 1
      const c = r < last && this.due[r]! < this.due[l]! ? r : l
      if (this.due[c]! >= at) break
      this.move(c, i)
      i = c
    }
    this.move(last, i)
  }

  private move(from: number, to: number): void {
    this.due[to] = this.due[from]!
    this.token[to] = this.token[from]!
    this.kind[to] = this.kind[from]!
  }

  private grow(): void {
    const cap = this.due.length * 2
    const due = new Float64Array(cap)
    const token = new Uint32Array(cap)
    const kind = new Uint16Array(cap)
    due.set(this.due)
    token.set(this.token)
    kind.set(this.kind)
    this.due = due
    this.token = token
    this.kind = kind
  }
}
