// Zero-copy framing of a byte stream into whole PDUs (postgres connection.js `data()` style).
// Whole PDUs inside a read are handed on as subarray views of that read; only a PDU that spans
// reads is assembled with one Buffer.concat once all its bytes are there.

import { DEFAULT_MAX_PDU_LENGTH, HEADER_LENGTH, Status } from './constants.js'
import { PduError } from './decode.js'

export class Framer {
  /** Tail bytes of an incomplete PDU, in arrival order. */
  private parts: Buffer[] = []
  private partsLength = 0
  /** command_length of the incomplete PDU once its 4 length octets have arrived, else 0. */
  private need = 0
  private broken = false

  /**
   * @param onFrame called once per whole PDU with a view that is valid as long as the caller
   *   keeps it (it pins the read buffer; copy long-lived fields).
   */
  constructor(
    private readonly onFrame: (frame: Buffer) => void,
    readonly maxPduLength = DEFAULT_MAX_PDU_LENGTH,
  ) {}

  /** Bytes held for an incomplete PDU. */
  get buffered(): number {
    return this.partsLength
  }

  /**
   * Feed one chunk. Throws a fatal PduError (ESME_RINVCMDLEN) as soon as a command_length outside
   * 16..maxPduLength is seen, before buffering its body; after that the framer ignores input
   * (the stream cannot be resynchronised, the caller answers generic_nack and closes).
   */
  push(chunk: Buffer): void {
    if (this.broken) return
    let data = chunk
    if (this.partsLength > 0) {
      this.parts.push(chunk)
      this.partsLength += chunk.length
      if (this.need === 0) {
        if (this.partsLength < 4) return
        if (this.parts[0]!.length < 4) this.parts = [Buffer.concat(this.parts, this.partsLength)]
        this.need = this.check(this.parts[0]!.readUInt32BE(0))
      }
      if (this.partsLength < this.need) return
      data = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partsLength)
      this.parts = []
      this.partsLength = 0
      this.need = 0
    }
    let off = 0
    const n = data.length
    while (n - off >= 4) {
      const len = this.check(data.readUInt32BE(off))
      if (n - off < len) {
        this.need = len
        break
      }
      this.onFrame(data.subarray(off, off + len))
      off += len
    }
    if (off < n) {
      this.parts.push(off === 0 ? data : data.subarray(off))
      this.partsLength = n - off
    }
  }

  private check(len: number): number {
    if (len < HEADER_LENGTH || len > this.maxPduLength) {
      this.broken = true
      this.parts = []
      this.partsLength = 0
      throw new PduError(`command_length ${len} outside ${HEADER_LENGTH}..${this.maxPduLength}`, Status.ESME_RINVCMDLEN, 0, 0, true)
    }
    return len
  }

  /** Forget any partial PDU (e.g. after reconnecting a reused framer). */
  reset(): void {
    this.parts = []
    this.partsLength = 0
    this.need = 0
    this.broken = false
  }
}
