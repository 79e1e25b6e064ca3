// Merges the plan's streams into one send order: always the earliest planned send next (ties by
// seq), reading each stream one message ahead. Streams are few, so a linear scan beats a heap.

/** One stream of the plan (loadgen/plan/plan.ts StreamPlan): next() = next planned send time, ms from run start. */
export interface StreamSchedule {
  next(): number | undefined
  /** Plan-wide sequence of the message the last next() returned. */
  readonly lastSeq: number
  /** The stream's name (results per stream); plans made in code may leave it out. */
  readonly name?: string
}

export class PlanMerger {
  private readonly times: Float64Array
  private readonly seqs: Float64Array
  /** The send just taken: plan time (ms from start), stream index, seq. */
  t = 0
  stream = 0
  seq = 0

  constructor(private readonly streams: readonly StreamSchedule[]) {
    this.times = new Float64Array(streams.length)
    this.seqs = new Float64Array(streams.length)
    for (let i = 0; i < streams.length; i++) this.advance(i)
  }

  /** Plan time of the next send (Infinity when the plan is exhausted). */
  peekTime(): number {
    let min = Infinity
    for (let i = 0; i < this.times.length; i++) if (this.times[i] < min) min = this.times[i]
    return min
  }

  /** Takes the next send into t/stream/seq; false when the plan is exhausted. */
  take(): boolean {
    let best = -1
    for (let i = 0; i < this.times.length; i++) {
      const t = this.times[i]
      if (t === Infinity) continue
      if (best < 0 || t < this.times[best] || (t === this.times[best] && this.seqs[i] < this.seqs[best])) best = i
    }
    if (best < 0) return false
    this.t = this.times[best]
    this.seq = this.seqs[best]
    this.stream = best
    this.advance(best)
    return true
  }

  private advance(i: number): void {
    const t = this.streams[i].next()
    this.times[i] = t === undefined ? Infinity : t
    this.seqs[i] = this.streams[i].lastSeq
  }
}
