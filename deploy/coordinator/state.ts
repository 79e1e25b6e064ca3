// What the coordinator of a split run knows, with no I/O and no timers (times are passed in), so
// tests step it on their own clock. The coordinator is the one place that knows N: it hands out
// one start instant once every share has checked in (the barrier), collects every share's
// results, and calls the run off, naming the shares, when one fails, never checks in or never
// reports. There is no partial verdict: the run is complete or it failed.

export interface CoordinationOptions {
  shares: number
  /** The start is this long after the last check-in, so every share hears of it in time. */
  leadMs: number
  /** From the coordinator's start: every share must have checked in by then. */
  checkinTimeoutMs: number
  /** From the shared start: every share must have sent its results by then. */
  resultsTimeoutMs: number
  /**
   * A share checked in but not done that has not been heard from for this long has died (its
   * process or host): the run fails then, not at the results deadline. Undefined: no such check.
   */
  silenceMs?: number
  /** Epoch ms the coordinator started at. */
  createdAt: number
}

export interface ShareState {
  /** Epoch ms of the first check-in. */
  checkedIn: number | null
  /** Epoch ms it was last heard from (check-in, heartbeat, results). */
  lastSeen: number | null
  /** Where its results were stored. */
  results: string | null
  /** How far after the shared start its first send went out, ms (null: it sent nothing). */
  firstSendMs: number | null
  failed: string | null
}

export type Outcome = { kind: 'complete'; files: string[] } | { kind: 'failed'; problems: string[] }

export interface CheckInAnswer {
  /** The shared start, epoch ms on the coordinator's clock; null while shares are missing. */
  start: number | null
  /** 1-based indexes of the shares not checked in yet. */
  waiting: number[]
  /** Set when the run was called off: the share should stop and say why. */
  abort: string | null
}

export class Coordination {
  readonly shares: ShareState[]
  startAt: number | null = null
  outcome: Outcome | null = null
  private readonly listeners: ((o: Outcome) => void)[] = []

  constructor(private readonly o: CoordinationOptions) {
    this.shares = Array.from({ length: o.shares }, () => ({ checkedIn: null, lastSeen: null, results: null, firstSendMs: null, failed: null }))
  }

  get count(): number {
    return this.o.shares
  }

  onOutcome(fn: (o: Outcome) => void): void {
    if (this.outcome) fn(this.outcome)
    else this.listeners.push(fn)
  }

  /** Share `index` (1-based) has its binds up and waits for the start. Asking again is harmless. */
  checkIn(index: number, now: number): CheckInAnswer {
    const s = this.share(index)
    s.checkedIn ??= now
    s.lastSeen = now
    if (this.startAt === null && !this.outcome && this.shares.every((x) => x.checkedIn !== null)) this.startAt = now + this.o.leadMs
    return { start: this.startAt, waiting: this.missing((x) => x.checkedIn === null), abort: this.abortReason() }
  }

  /** A running share's heartbeat; the answer tells it whether the run was called off. */
  alive(index: number, now: number): { abort: string | null } {
    this.share(index).lastSeen = now
    return { abort: this.abortReason() }
  }

  delivered(index: number, file: string, firstSendMs: number | null): void {
    const s = this.share(index)
    s.results = file
    s.firstSendMs = firstSendMs
    if (!this.outcome && this.shares.every((x) => x.results !== null)) this.settle({ kind: 'complete', files: this.shares.map((x) => x.results!) })
  }

  failed(index: number, why: string): void {
    const s = this.share(index)
    s.failed ??= why
    if (!this.outcome) this.settle({ kind: 'failed', problems: [`share ${index} of ${this.count} failed: ${why}`] })
  }

  /** Checks the deadlines; call it now and then. */
  tick(now: number): void {
    if (this.outcome) return
    const silence = this.o.silenceMs
    if (silence !== undefined) {
      const silent = this.missing((x) => x.checkedIn !== null && x.results === null && x.failed === null && now - x.lastSeen! >= silence)
      if (silent.length) {
        const last = Math.max(...silent.map((i) => this.shares[i - 1]!.lastSeen!))
        this.settle({
          kind: 'failed',
          problems: [`${this.list(silent)} went silent (last heard ${new Date(last).toISOString()}, nothing for ${seconds(silence)}): the share's process or host died`],
        })
        return
      }
    }
    if (this.startAt === null) {
      if (now - this.o.createdAt < this.o.checkinTimeoutMs) return
      const waiting = this.missing((x) => x.checkedIn === null)
      this.settle({
        kind: 'failed',
        problems: [`${this.list(waiting)} never checked in within ${seconds(this.o.checkinTimeoutMs)} (not started, or could not bind to the gateway)`],
      })
      return
    }
    if (now - this.startAt < this.o.resultsTimeoutMs) return
    const silent = this.missing((x) => x.results === null)
    this.settle({ kind: 'failed', problems: [`${this.list(silent)} sent no results within ${seconds(this.o.resultsTimeoutMs)} of the start (the share died or was stopped)`] })
  }

  /** For GET /status and the coordinator's log. */
  status(): { shares: number; start: string | null; outcome: Outcome | null; perShare: (ShareState & { share: number })[] } {
    return {
      shares: this.count,
      start: this.startAt === null ? null : new Date(this.startAt).toISOString(),
      outcome: this.outcome,
      perShare: this.shares.map((s, i) => ({ share: i + 1, ...s })),
    }
  }

  private abortReason(): string | null {
    return this.outcome?.kind === 'failed' ? `the run was called off: ${this.outcome.problems.join('; ')}` : null
  }

  private share(index: number): ShareState {
    const s = this.shares[index - 1]
    if (!Number.isInteger(index) || !s) throw new RangeError(`share ${index} is not one of 1..${this.count}`)
    return s
  }

  private missing(pred: (s: ShareState) => boolean): number[] {
    return this.shares.flatMap((s, i) => (pred(s) ? [i + 1] : []))
  }

  private list(indexes: number[]): string {
    return `share${indexes.length === 1 ? '' : 's'} ${indexes.join(', ')} of ${this.count}`
  }

  private settle(o: Outcome): void {
    this.outcome = o
    for (const fn of this.listeners.splice(0)) fn(o)
  }
}

function seconds(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`
}
