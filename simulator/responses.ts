// submit_sm_resp waiting for their latency to pass, as typed-array slots (bounded by the binds'
// windows). The scheduler carries only the slot number.

const INITIAL_CAPACITY = 256

export class ResponseSlots {
  bind = new Uint32Array(INITIAL_CAPACITY)
  sequence = new Uint32Array(INITIAL_CAPACITY)
  status = new Uint32Array(INITIAL_CAPACITY)
  messageId = new Float64Array(INITIAL_CAPACITY)
  receivedAt = new Float64Array(INITIAL_CAPACITY)
  private next = new Int32Array(INITIAL_CAPACITY)
  private freeHead = -1
  private highWater = 0
  private used = 0

  get size(): number {
    return this.used
  }

  alloc(): number {
    let i = this.freeHead
    if (i >= 0) this.freeHead = this.next[i]!
    else {
      if (this.highWater === this.bind.length) this.grow()
      i = this.highWater++
    }
    this.used++
    return i
  }

  free(i: number): void {
    this.next[i] = this.freeHead
    this.freeHead = i
    this.used--
  }

  private grow(): void {
    const cap = this.bind.length * 2
    const u32 = (a: Uint32Array) => {
      const b = new Uint32Array(cap)
      b.set(a)
      return b
    }
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap)
      b.set(a)
      return b
    }
    this.bind = u32(this.bind)
    this.sequence = u32(this.sequence)
    this.status = u32(this.status)
    this.messageId = f64(this.messageId)
    this.receivedAt = f64(this.receivedAt)
    const next = new Int32Array(cap)
    next.set(this.next)
    this.next = next
  }
}
