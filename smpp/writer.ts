// One reusable, growable PDU encoder in the style of postgres `bytes.js`.
// A Writer may hold several PDUs back to back: `begin()` opens one (remembering where its header
// starts), the chainable writers append body fields, `finish()` fills in command_length. The
// session uses one Writer as its outbound queue so encoding a PDU allocates nothing.
import { bug } from '../lib/errors.js'

export class Writer {
  buf: Buffer
  /** Write position: bytes in use. */
  pos = 0
  /** Offset of the header of the PDU being built. */
  private start = 0

  constructor(size = 4096) {
    this.buf = Buffer.allocUnsafe(size)
  }

  /** Make room for n more bytes, growing 1.5x (at least to fit) so appends stay amortised O(1). */
  ensure(n: number): void {
    const need = this.pos + n
    if (need <= this.buf.length) return
    let size = Math.floor(this.buf.length * 1.5)
    if (size < need) size = need
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }

  /** Open a PDU: writes the 16-byte header with a placeholder command_length. */
  begin(commandId: number, status: number, sequence: number): this {
    this.ensure(16)
    const b = this.buf
    const p = this.pos
    this.start = p
    b.writeUInt32BE(0, p)
    b.writeUInt32BE(commandId >>> 0, p + 4)
    b.writeUInt32BE(status >>> 0, p + 8)
    b.writeUInt32BE(sequence >>> 0, p + 12)
    this.pos = p + 16
    return this
  }

  u8(v: number): this {
    this.ensure(1)
    this.buf[this.pos++] = v & 0xff
    return this
  }

  u16(v: number): this {
    this.ensure(2)
    this.buf.writeUInt16BE(v & 0xffff, this.pos)
    this.pos += 2
    return this
  }

  u32(v: number): this {
    this.ensure(4)
    this.buf.writeUInt32BE(v >>> 0, this.pos)
    this.pos += 4
    return this
  }

  /**
   * C-octet string (latin1, one byte per char) plus NUL. `max` is the spec size including the
   * NUL. Every field mtsim writes is length-checked before it gets here (the network and scenario
   * schemas, segmentation), so a longer value is a bug: it throws rather than send a PDU the peer
   * would reject.
   */
  cstr(s: string, max = 0xffff): this {
    const n = s.length
    if (n >= max) bug(`C-string of ${n} chars exceeds max ${max - 1}: ${JSON.stringify(s.slice(0, 70))}`)
    this.ensure(n + 1)
    if (n > 0) this.buf.write(s, this.pos, n, 'latin1')
    this.pos += n
    this.buf[this.pos++] = 0
    return this
  }

  octets(b: Uint8Array): this {
    const n = b.length
    this.ensure(n)
    this.buf.set(b, this.pos)
    this.pos += n
    return this
  }

  /** Close the PDU opened by `begin()`: fill in command_length. Returns that length. */
  finish(): number {
    const len = this.pos - this.start
    this.buf.writeUInt32BE(len, this.start)
    return len
  }

  /**
   * Close the PDU and copy it out. The copy is owned by the caller (safe to queue or keep);
   * small results come from Node's Buffer pool, so this is one cheap allocation.
   * The writer is rewound to where the PDU began, ready for the next one.
   */
  end(): Buffer {
    const len = this.finish()
    const out = Buffer.allocUnsafe(len)
    this.buf.copy(out, 0, this.start, this.pos)
    this.pos = this.start
    return out
  }

  /**
   * Close the PDU and return a subarray view of the internal buffer. The view is valid only until
   * the next call on this writer (it will be overwritten or the buffer replaced): use it when the
   * bytes are consumed synchronously (copied, compared, written with a copy).
   */
  endView(): Buffer {
    const len = this.finish()
    const view = this.buf.subarray(this.start, this.start + len)
    this.pos = this.start
    return view
  }

  /** Copy out everything written so far (all PDUs) and reset to empty. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.pos)
    this.buf.copy(out, 0, 0, this.pos)
    this.pos = 0
    this.start = 0
    return out
  }

  reset(): void {
    this.pos = 0
    this.start = 0
  }
}
