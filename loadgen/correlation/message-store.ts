// The correlation state of messages still open (in flight or awaiting a final receipt), in
// typed-array columns indexed by a dense local number k (k-th send of this run) in a ring: the live
// window [base, next) only holds what is still open plus closed ones behind the oldest open one,
// so memory follows in-flight + awaiting, never the run's message count.

export const SlotState = { inFlight: 1, awaiting: 2, closed: 3 } as const

export class MessageStore {
  /** Oldest k still held; everything below it is closed and forgotten. */
  base = 0
  /** The k the next send gets. */
  next = 0
  private mask: number
  seq: Float64Array
  /** performance.now() ms: the plan time and the actual send time. */
  intended: Float64Array
  sentAt: Float64Array
  /** The message's measurement cell (its stream and operator: loadgen/measure/cells.ts). */
  cell: Uint16Array
  state: Uint8Array
  /** Segments still waiting for their final receipt. */
  segsLeft: Uint16Array
  /** Worst final kind so far (metrics FinalKind). */
  worst: Uint8Array
  /** Segments (0..31) that had their final receipt, to tell duplicates apart. */
  finalMask: Uint32Array
  /** The in-process network saw it arrive (a second arrival is a duplicate submit). */
  arrived: Uint8Array
  /** Accepted without gateway ids: its receipts name our seq (HTTP dlr-url). */
  bySeqOnly: Uint8Array

  constructor(initialCapacity = 4096) {
    let cap = 16
    while (cap < initialCapacity) cap *= 2
    this.mask = cap - 1
    this.seq = new Float64Array(cap)
    this.intended = new Float64Array(cap)
    this.sentAt = new Float64Array(cap)
    this.cell = new Uint16Array(cap)
    this.state = new Uint8Array(cap)
    this.segsLeft = new Uint16Array(cap)
    this.worst = new Uint8Array(cap)
    this.finalMask = new Uint32Array(cap)
    this.arrived = new Uint8Array(cap)
    this.bySeqOnly = new Uint8Array(cap)
  }

  /** Ring capacity (the high-water mark of the live window, rounded up to a power of two). */
  get capacity(): number {
    return this.mask + 1
  }

  /** Slots in the live window (open ones and closed ones not yet retired). */
  get size(): number {
    return this.next - this.base
  }

  /** The ring index of k (valid while base <= k < next). */
  slot(k: number): number {
    return k & this.mask
  }

  holds(k: number): boolean {
    return k >= this.base && k < this.next
  }

  /** Opens a slot for a message just sent; returns its k. */
  open(seq: number, cell: number, intendedMs: number, sentMs: number): number {
    if (this.next - this.base > this.mask) this.grow()
    const k = this.next++
    const i = k & this.mask
    this.seq[i] = seq
    this.cell[i] = cell
    this.intended[i] = intendedMs
    this.sentAt[i] = sentMs
    this.state[i] = SlotState.inFlight
    this.segsLeft[i] = 0
    this.worst[i] = 0
    this.finalMask[i] = 0
    this.arrived[i] = 0
    this.bySeqOnly[i] = 0
    return k
  }

  private grow(): void {
    const oldMask = this.mask
    const cap = (oldMask + 1) * 2
    const mask = cap - 1
    const move = <T extends { length: number; [i: number]: unknown }>(old: T, fresh: T): T => {
      for (let k = this.base; k < this.next; k++) fresh[k & mask] = old[k & oldMask]
      return fresh
    }
    this.seq = move(this.seq, new Float64Array(cap))
    this.intended = move(this.intended, new Float64Array(cap))
    this.sentAt = move(this.sentAt, new Float64Array(cap))
    this.cell = move(this.cell, new Uint16Array(cap))
    this.state = move(this.state, new Uint8Array(cap))
    this.segsLeft = move(this.segsLeft, new Uint16Array(cap))
    this.worst = move(this.worst, new Uint8Array(cap))
    this.finalMask = move(this.finalMask, new Uint32Array(cap))
    this.arrived = move(this.arrived, new Uint8Array(cap))
    this.bySeqOnly = move(this.bySeqOnly, new Uint8Array(cap))
    this.mask = mask
  }
}
