// Due sends that could not go out yet, one FIFO per operator: when one operator's binds are full
// (stalled, throttled, in an outage) its sends wait — and are dropped, counted, past maxLag —
// without holding up the sends due to the other operators (Transport.canSend tells them apart).
//
// Entries are numbers only (plan time, seq, measurement cell: loadgen/measure/cells.ts) in typed-array rings; the message itself is
// built when it is sent. A load generator that falls behind holds up to maxLag x rate entries here:
// as message objects they were hundreds of MB of long-lived garbage whose collection slowed the
// generator further (bench full-cycle above capacity: RSS 450 MB and a falling send rate).
import { RingQueue } from '../../lib/ring-queue.js'

const T = 0
const SEQ = 1
const CELL = 2

export class Backlog {
  private readonly queues: (RingQueue | undefined)[] = []
  private count = 0

  get length(): number {
    return this.count
  }

  /** High-water mark of queued sends over all operators (diagnostics). */
  get capacity(): number {
    let c = 0
    for (const q of this.queues) if (q) c += q.capacity
    return c
  }

  /** Operators with a queue (iterate 0..operators-1 and skip empty ones with waiting()). */
  get operators(): number {
    return this.queues.length
  }

  push(op: number, t: number, seq: number, cell: number): void {
    ;(this.queues[op] ??= new RingQueue(3)).push(t, seq, cell)
    this.count++
  }

  /** Sends waiting for operator op. */
  waiting(op: number): number {
    return this.queues[op]?.length ?? 0
  }

  /** The oldest waiting send of op (check waiting(op) first). */
  headTime(op: number): number {
    return this.queues[op]!.peek(T)
  }

  headSeq(op: number): number {
    return this.queues[op]!.peek(SEQ)
  }

  /** The oldest waiting send's cell (its stream and operator, for the metrics). */
  headCell(op: number): number {
    return this.queues[op]!.peek(CELL)
  }

  shift(op: number): void {
    this.queues[op]!.shift()
    this.count--
  }

  /** Empties everything, oldest first per operator; `each` gets the send's cell. */
  drain(each: (cell: number) => void): void {
    for (let op = 0; op < this.queues.length; op++) {
      while (this.waiting(op) > 0) {
        const cell = this.headCell(op)
        this.shift(op)
        each(cell)
      }
    }
  }
}
