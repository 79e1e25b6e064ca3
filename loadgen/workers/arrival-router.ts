// The main thread's SubmitObserver in `mtsim run --workers N`: the simulated network (in this
// thread) reports every accepted message; the router reads its tag, finds the worker that sent it
// (ShareRouter) and batches [operator, seq, time] per worker, one post per event-loop turn, so a
// busy second costs a handful of posts, not one per message. Messages that are not ours (no tag,
// another share's seq) are not forwarded, as the single-thread engine ignores them too.
import type { SubmitObserver } from '../../simulator/types.js'
import { parseTag } from '../../lib/tag.js'
import type { ToLoadWorker } from './worker-messages.js'
import type { ShareRouter } from './split.js'

interface Batch {
  ops: number[]
  seqs: number[]
  times: number[]
}

export class ArrivalRouter implements SubmitObserver {
  private readonly batches: Batch[]
  private readonly opIndex: Map<string, number>
  private scheduled = false
  /** Arrivals forwarded, per worker (tests check every accepted message reached its sender). */
  readonly forwarded: number[]

  constructor(
    operatorIds: readonly string[],
    private readonly router: ShareRouter,
    private readonly post: (worker: number, m: ToLoadWorker, transfer: ArrayBuffer[]) => void,
    workers: number,
  ) {
    this.opIndex = new Map(operatorIds.map((id, i) => [id, i]))
    this.batches = Array.from({ length: workers }, () => ({ ops: [], seqs: [], times: [] }))
    this.forwarded = new Array<number>(workers).fill(0)
  }

  onMessage(operatorId: string, _destination: string, text: string, nowUs: number, taken: boolean): void {
    const seq = parseTag(text)
    if (seq === undefined) return
    const owner = this.router.owner(seq)
    const op = this.opIndex.get(operatorId)
    if (owner === undefined || op === undefined) return
    const b = this.batches[owner]!
    // The top bit marks a swallowed copy (load-worker.ts reads it back).
    b.ops.push(taken ? op : op | 0x8000)
    b.seqs.push(seq)
    b.times.push(nowUs)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.flush)
    }
  }

  /** Posts what is batched (also called once more before the workers are told to stop). */
  readonly flush = (): void => {
    this.scheduled = false
    this.batches.forEach((b, w) => {
      if (!b.seqs.length) return
      const operators = Uint16Array.from(b.ops)
      const seqs = Float64Array.from(b.seqs)
      const timesUs = Float64Array.from(b.times)
      this.forwarded[w]! += seqs.length
      this.post(w, { type: 'arrivals', operators, seqs, timesUs }, [operators.buffer, seqs.buffer, timesUs.buffer])
      b.ops.length = b.seqs.length = b.times.length = 0
    })
  }
}
