// Pending delivery receipts in struct-of-typed-arrays form: no object per receipt, 31 bytes per
// entry including the timing wheel's link (asserted in tests), so 10 million receipts waiting on a
// slow gateway cost ~310 MB, not the several hundred bytes a JS object per receipt would.
// Columns are kept in fixed chunks of CHUNK entries: growing adds one chunk (no copy, no 2x
// slack, never old and new arrays alive together). Slots are recycled through a free list.
//
// Per entry: due (u32) | messageId (u32) | destination (f64) | submitMinute (u16) | source (u16)
//            | account (u8) | outcome (u8) | flags (u8) | drawKey (u32) | link (u32)
// Rare values that do not fit (destinations with leading zeros or letters, a 65536th distinct
// sender) go to small side maps so they stay correct without costing the common case anything.
import { MtsimError } from '../../lib/errors.js'

const NIL = 0xffffffff
const OVERFLOW_SOURCE = 0xffff
/** 2^14 entries per chunk: at 1M entries the last, partly used chunk adds under 2% (see tests). */
const CHUNK_BITS = 14
const CHUNK = 1 << CHUNK_BITS
const MASK = CHUNK - 1

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
  /** ms since network start when the final receipt is due; reused as the `next` link while waiting for a bind. */
  private readonly dueC: Uint32Array[] = []
  /**
   * Numeric message id (an operator's ids are 32-bit, see operator.ts); reused as the free-list
   * link while the slot is free.
   */
  private readonly messageIdC: Uint32Array[] = []
  /** The handset number as a number (MSISDNs have at most 15 digits, exact in a double). NaN: see side map. */
  private readonly destinationC: Float64Array[] = []
  /** Minutes since the network's start minute (`submit date:` has minute resolution; 45 days fit). */
  private readonly submitMinuteC: Uint16Array[] = []
  /** Interned sender index. */
  private readonly sourceC: Uint16Array[] = []
  private readonly accountC: Uint8Array[] = []
  /** Index into the operator's receipts.outcomes. */
  private readonly outcomeC: Uint8Array[] = []
  private readonly flagsC: Uint8Array[] = []
  /** The message's draw key (simulator/draws.ts): later intermediate stages draw their delays from it. */
  private readonly drawKeyC: Uint32Array[] = []
  /** Next slot in the same timing-wheel bucket (simulator/receipts/receipt-wheel.ts). */
  private readonly linkC: Uint32Array[] = []
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
    return this.dueC.length * CHUNK
  }

  /** Bytes the typed arrays hold in all (the text excerpt, when on, is extra). */
  get byteLength(): number {
    let sum = 0
    for (const col of this.columns()) for (const a of col) sum += a.byteLength
    return sum
  }

  /** Bytes the typed arrays spend per allocated slot. */
  get bytesPerEntry(): number {
    return this.capacity === 0 ? 0 : this.byteLength / this.capacity
  }

  alloc(): number {
    let i: number
    if (this.freeHead !== NIL) {
      i = this.freeHead
      this.freeHead = this.messageId(i)
    } else {
      if (this.highWater === this.capacity) this.addChunk()
      i = this.highWater++
    }
    this.used++
    return i
  }

  free(i: number): void {
    const c = i >>> CHUNK_BITS
    const k = i & MASK
    this.messageIdC[c]![k] = this.freeHead
    this.freeHead = i
    this.used--
    if (this.text) this.text[i] = undefined
    if (Number.isNaN(this.destinationC[c]![k]!)) this.oddDestinations.delete(i)
    if (this.sourceC[c]![k] === OVERFLOW_SOURCE) this.oddSources.delete(i)
  }

  /** Writes the fixed-width fields of a freshly allocated slot (one chunk lookup for all of them). */
  init(i: number, flags: number, due: number, messageId: number, submitMinute: number, account: number, outcome: number, drawKey: number): void {
    const c = i >>> CHUNK_BITS
    const k = i & MASK
    this.flagsC[c]![k] = flags
    this.dueC[c]![k] = due
    this.messageIdC[c]![k] = messageId
    this.submitMinuteC[c]![k] = submitMinute
    this.accountC[c]![k] = account
    this.outcomeC[c]![k] = outcome
    this.drawKeyC[c]![k] = drawKey
  }

  due(i: number): number {
    return this.dueC[i >>> CHUNK_BITS]![i & MASK]!
  }
  setDue(i: number, v: number): void {
    this.dueC[i >>> CHUNK_BITS]![i & MASK] = v
  }
  messageId(i: number): number {
    return this.messageIdC[i >>> CHUNK_BITS]![i & MASK]!
  }
  submitMinute(i: number): number {
    return this.submitMinuteC[i >>> CHUNK_BITS]![i & MASK]!
  }
  account(i: number): number {
    return this.accountC[i >>> CHUNK_BITS]![i & MASK]!
  }
  outcome(i: number): number {
    return this.outcomeC[i >>> CHUNK_BITS]![i & MASK]!
  }
  flags(i: number): number {
    return this.flagsC[i >>> CHUNK_BITS]![i & MASK]!
  }
  setFlags(i: number, v: number): void {
    this.flagsC[i >>> CHUNK_BITS]![i & MASK] = v
  }
  drawKey(i: number): number {
    return this.drawKeyC[i >>> CHUNK_BITS]![i & MASK]!
  }
  link(i: number): number {
    return this.linkC[i >>> CHUNK_BITS]![i & MASK]!
  }
  setLink(i: number, v: number): void {
    this.linkC[i >>> CHUNK_BITS]![i & MASK] = v
  }

  setDestination(i: number, dest: string): void {
    const c = i >>> CHUNK_BITS
    const k = i & MASK
    const plus = dest.charCodeAt(0) === 43 // '+'
    const digits = plus ? dest.slice(1) : dest
    if (digits.length > 0 && digits.length <= 15 && digits.charCodeAt(0) !== 48 && /^[0-9]+$/.test(digits)) {
      this.destinationC[c]![k] = Number(digits)
      if (plus) this.flagsC[c]![k] = this.flagsC[c]![k]! | RF.PLUS
    } else {
      this.destinationC[c]![k] = NaN
      this.oddDestinations.set(i, dest)
    }
  }

  destinationOf(i: number): string {
    const d = this.destinationC[i >>> CHUNK_BITS]![i & MASK]!
    if (Number.isNaN(d)) return this.oddDestinations.get(i) ?? ''
    return (this.flags(i) & RF.PLUS ? '+' : '') + String(d)
  }

  setSource(i: number, source: string): void {
    let idx = this.sources.get(source)
    if (idx === undefined && this.sourceNames.length < OVERFLOW_SOURCE) {
      idx = this.sourceNames.length
      this.sourceNames.push(source)
      this.sources.set(source, idx)
    }
    const col = this.sourceC[i >>> CHUNK_BITS]!
    if (idx === undefined) {
      col[i & MASK] = OVERFLOW_SOURCE
      this.oddSources.set(i, source)
    } else col[i & MASK] = idx
  }

  sourceOf(i: number): string {
    const s = this.sourceC[i >>> CHUNK_BITS]![i & MASK]!
    return s === OVERFLOW_SOURCE ? (this.oddSources.get(i) ?? '') : this.sourceNames[s]!
  }

  setText(i: number, text: string): void {
    if (this.text) this.text[i] = text.length > 20 ? text.slice(0, 20) : text
  }

  textOf(i: number): string {
    return this.text?.[i] ?? ''
  }

  private columns(): (Uint8Array | Uint16Array | Uint32Array | Float64Array)[][] {
    return [this.dueC, this.messageIdC, this.destinationC, this.submitMinuteC, this.sourceC, this.accountC, this.outcomeC, this.flagsC, this.drawKeyC, this.linkC]
  }

  private addChunk(): void {
    if (this.dueC.length * CHUNK >= NIL) throw new MtsimError('MTSIM_ERR_RECEIPT_STORE_FULL', [])
    this.dueC.push(new Uint32Array(CHUNK))
    this.messageIdC.push(new Uint32Array(CHUNK))
    this.destinationC.push(new Float64Array(CHUNK))
    this.submitMinuteC.push(new Uint16Array(CHUNK))
    this.sourceC.push(new Uint16Array(CHUNK))
    this.accountC.push(new Uint8Array(CHUNK))
    this.outcomeC.push(new Uint8Array(CHUNK))
    this.flagsC.push(new Uint8Array(CHUNK))
    this.drawKeyC.push(new Uint32Array(CHUNK))
    this.linkC.push(new Uint32Array(CHUNK))
  }
}

export const NIL_SLOT = NIL
