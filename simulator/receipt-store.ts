// Pending delivery receipts in struct-of-typed-arrays form: no object per receipt, 33 bytes per
// entry (asserted in tests), so a million receipts waiting on a slow gateway cost ~33 MB, not the
// several hundred bytes a JS object per receipt would. Slots are recycled through a free list.
//
// Per entry: due (u32) | messageId (f64) | destination (f64) | submitTime (u32) | source (u16)
//            | account (u8) | outcome (u8) | flags (u8) | drawKey (u32)
// Rare values that do not fit (destinations with leading zeros or letters, a 65536th distinct
// sender) go to small side maps so they stay correct without costing the common case anything.

const NIL = 0xffffffff
const OVERFLOW_SOURCE = 0xffff
const INITIAL_CAPACITY = 1024

/** Flag bits. */
export const RF = {
  /** Bits 0-1: intermediate notifications already sent. */
  STAGE_MASK: 0x03,
  WANTS_FINAL: 0x04,
  WANTS_INTERMEDIATE: 0x08,
  LOST: 0x10,
  DUPLICATE: 0x20,
  /** The destination was written with a leading '+'. */
  PLUS: 0x40,
  /** Sent once on a bind that dropped before acknowledging it: the next send is a resend. */
  RESEND: 0x80,
} as const

export class ReceiptStore {
  /** ms since network start when the next stage is due; reused as the `next` link while waiting for a bind. */
  due = new Uint32Array(INITIAL_CAPACITY)
  /**
   * Numeric message id (an operator's ids are 32-bit, see operator.ts); reused as the free-list
   * link while the slot is free. 4 bytes rather than a double keeps an entry within 32 bytes.
   */
  messageId = new Uint32Array(INITIAL_CAPACITY)
  /** The handset number as a number (MSISDNs have at most 15 digits, exact in a double). NaN: see side map. */
  destination = new Float64Array(INITIAL_CAPACITY)
  /** Unix seconds of the submit (for `submit date:`). */
  submitTime = new Uint32Array(INITIAL_CAPACITY)
  /** Interned sender index. */
  source = new Uint16Array(INITIAL_CAPACITY)
  account = new Uint8Array(INITIAL_CAPACITY)
  /** Index into the operator's receipts.outcomes. */
  outcome = new Uint8Array(INITIAL_CAPACITY)
  flags = new Uint8Array(INITIAL_CAPACITY)
  /** The message's draw key (simulator/draws.ts): later intermediate stages draw their delays from it. */
  drawKey = new Uint32Array(INITIAL_CAPACITY)
  /** First 20 characters of the message, only when text excerpts are enabled. */
  private readonly text: (string | undefined)[] | undefined

  private freeHead = NIL
  private used = 0
  private highWater = 0
  private readonly sources = new Map<string, number>()
  private readonly sourceNames: string[] = []
  private readonly oddDestinations = new Map<number, string>()
  private readonly oddSources = new Map<number, string>()

  constructor(opts: { textExcerpt?: boolean } = {}) {
    this.text = opts.textExcerpt ? [] : undefined
  }

  get size(): number {
    return this.used
  }

  get capacity(): number {
    return this.due.length
  }

  /** Bytes the typed arrays spend per entry (the text excerpt, when on, is extra). */
  get bytesPerEntry(): number {
    const arrays = [this.due, this.messageId, this.destination, this.submitTime, this.source, this.account, this.outcome, this.flags, this.drawKey]
    return arrays.reduce((sum, a) => sum + a.byteLength, 0) / this.capacity
  }

  alloc(): number {
    let i: number
    if (this.freeHead !== NIL) {
      i = this.freeHead
      this.freeHead = this.messageId[i]!
    } else {
      if (this.highWater === this.capacity) this.grow()
      i = this.highWater++
    }
    this.used++
    return i
  }

  free(i: number): void {
    this.messageId[i] = this.freeHead
    this.freeHead = i
    this.used--
    if (this.text) this.text[i] = undefined
    if (Number.isNaN(this.destination[i]!)) this.oddDestinations.delete(i)
    if (this.source[i] === OVERFLOW_SOURCE) this.oddSources.delete(i)
  }

  setDestination(i: number, dest: string): void {
    const plus = dest.charCodeAt(0) === 43 // '+'
    const digits = plus ? dest.slice(1) : dest
    if (digits.length > 0 && digits.length <= 15 && digits.charCodeAt(0) !== 48 && /^[0-9]+$/.test(digits)) {
      this.destination[i] = Number(digits)
      if (plus) this.flags[i] = this.flags[i]! | RF.PLUS
    } else {
      this.destination[i] = NaN
      this.oddDestinations.set(i, dest)
    }
  }

  destinationOf(i: number): string {
    const d = this.destination[i]!
    if (Number.isNaN(d)) return this.oddDestinations.get(i) ?? ''
    return (this.flags[i]! & RF.PLUS ? '+' : '') + String(d)
  }

  setSource(i: number, source: string): void {
    let idx = this.sources.get(source)
    if (idx === undefined && this.sourceNames.length < OVERFLOW_SOURCE) {
      idx = this.sourceNames.length
      this.sourceNames.push(source)
      this.sources.set(source, idx)
    }
    if (idx === undefined) {
      this.source[i] = OVERFLOW_SOURCE
      this.oddSources.set(i, source)
    } else this.source[i] = idx
  }

  sourceOf(i: number): string {
    const s = this.source[i]!
    return s === OVERFLOW_SOURCE ? (this.oddSources.get(i) ?? '') : this.sourceNames[s]!
  }

  setText(i: number, text: string): void {
    if (this.text) this.text[i] = text.length > 20 ? text.slice(0, 20) : text
  }

  textOf(i: number): string {
    return this.text?.[i] ?? ''
  }

  private grow(): void {
    const cap = this.capacity * 2
    const g = <T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap)
      b.set(a)
      return b
    }
    this.due = g(this.due, (n) => new Uint32Array(n))
    this.messageId = g(this.messageId, (n) => new Uint32Array(n))
    this.destination = g(this.destination, (n) => new Float64Array(n))
    this.submitTime = g(this.submitTime, (n) => new Uint32Array(n))
    this.source = g(this.source, (n) => new Uint16Array(n))
    this.account = g(this.account, (n) => new Uint8Array(n))
    this.outcome = g(this.outcome, (n) => new Uint8Array(n))
    this.flags = g(this.flags, (n) => new Uint8Array(n))
    this.drawKey = g(this.drawKey, (n) => new Uint32Array(n))
  }
}

export const NIL_SLOT = NIL
