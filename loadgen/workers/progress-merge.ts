// One live progress line for N load generator workers: each worker reports its interval figures;
// once every worker still running has reported since the last line, their sum is printed (so the
// line moves once per interval, not N times). Counts and rates add; time is the furthest along.
import { Progress, type ProgressSnapshot } from '../engine/progress.js'

export class ProgressMerge {
  private readonly latest: (ProgressSnapshot | undefined)[]
  private readonly fresh: boolean[]
  private readonly finished: boolean[]

  constructor(
    workers: number,
    private readonly progress: Progress,
  ) {
    this.latest = new Array<ProgressSnapshot | undefined>(workers).fill(undefined)
    this.fresh = new Array<boolean>(workers).fill(false)
    this.finished = new Array<boolean>(workers).fill(false)
  }

  update(worker: number, s: ProgressSnapshot): void {
    this.latest[worker] = s
    this.fresh[worker] = true
    if (this.fresh.every((f, w) => f || this.finished[w])) {
      this.progress.update(this.sum())
      this.fresh.fill(false)
    }
  }

  /** A worker that finished reports no more: the line no longer waits for it. */
  finish(worker: number): void {
    this.finished[worker] = true
  }

  sum(): ProgressSnapshot {
    const out: ProgressSnapshot = {
      elapsedMs: 0, durationMs: 0, plannedRate: 0, sentRate: 0, sent: 0, plannedTotal: 0,
      inFlight: 0, accepted: 0, receipts: 0, awaiting: 0, errors: 0, draining: true,
    }
    for (const s of this.latest) {
      if (!s) continue
      out.elapsedMs = Math.max(out.elapsedMs, s.elapsedMs)
      out.durationMs = Math.max(out.durationMs, s.durationMs)
      out.draining &&= s.draining
      for (const k of ['plannedRate', 'sentRate', 'sent', 'plannedTotal', 'inFlight', 'accepted', 'receipts', 'awaiting', 'errors'] as const) out[k] += s[k]
    }
    return out
  }
}
