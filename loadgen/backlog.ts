// Due sends that could not go out yet, one FIFO per operator: when one operator's binds are full
// (stalled, throttled, in an outage) its sends wait — and are dropped, counted, past maxLag —
// without holding up the sends due to the other operators (Transport.canSend tells them apart).
import { Fifo } from './ring-queue.js'
import type { OutboundMessage } from './transport.js'

export interface Due {
  /** Plan time, ms from start. */
  t: number
  msg: OutboundMessage
  op: number
}

export class Backlog {
  private readonly queues: Fifo<Due>[] = []
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

  push(due: Due): void {
    ;(this.queues[due.op] ??= new Fifo<Due>()).push(due)
    this.count++
  }

  /** Every queue that has sends waiting, in operator order. */
  *waiting(): Generator<Fifo<Due>> {
    for (const q of this.queues) if (q && q.length) yield q
  }

  shift(q: Fifo<Due>): Due {
    this.count--
    return q.shift()
  }

  /** Empties everything, oldest first per operator. */
  drain(each: (due: Due) => void): void {
    for (const q of this.queues) while (q && q.length) each(this.shift(q))
  }
}
