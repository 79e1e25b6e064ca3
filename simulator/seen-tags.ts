// The network's own count of copies: which correlation tags (lib/tag.ts) an operator has seen, as a
// bitset by message sequence, so a resend (Kannel re-queueing an unacknowledged or throttled submit)
// counts as a repeated copy, told apart from first copies without asking the load generator.
// One bit per plan sequence (a share of a split run touches only its own): 10 million messages
// cost 1.25 MB. Sequences past MAX_SEQ count as untagged rather than grow it without bound.
import { parseTag } from '../lib/tag.js'

const MAX_SEQ = 2 ** 31

export class SeenTags {
  private bits = new Uint8Array(1024)
  first = 0
  repeated = 0
  untagged = 0

  /**
   * Notes one copy of a message by its text (the first segment's). A submit_multi is `copies` messages
   * under one tag (one per destination): all first copies, or all repeated when the tag was seen.
   */
  note(text: string, copies = 1): void {
    const seq = parseTag(text)
    if (seq === undefined || seq >= MAX_SEQ) {
      this.untagged += copies
      return
    }
    const byte = seq >>> 3
    if (byte >= this.bits.length) this.grow(byte)
    const bit = 1 << (seq & 7)
    if (this.bits[byte]! & bit) this.repeated += copies
    else {
      this.bits[byte]! |= bit
      this.first += copies
    }
  }

  private grow(byte: number): void {
    let size = this.bits.length * 2
    while (size <= byte) size *= 2
    const bigger = new Uint8Array(size)
    bigger.set(this.bits)
    this.bits = bigger
  }
}
