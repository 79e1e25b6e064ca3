// Message text: GSM 03.38 default alphabet (unpacked, one septet per octet as SMPP carries it
// with data_coding 0), UCS-2 (UTF-16BE), segmentation into submit_sm fields, and the reverse.

import { MtsimError } from '../lib/errors.js'
import { DataCoding, EsmClass } from './constants.js'
import type { SmTlvs } from './pdu.js'

// GSM 03.38 basic table, index = septet. 0x1B is the escape to the extension table.
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
// Extension table: septet after ESC -> char.
const EXT: ReadonlyArray<[number, string]> = [
  [0x0a, '\f'], [0x14, '^'], [0x28, '{'], [0x29, '}'], [0x2f, '\\'],
  [0x3c, '['], [0x3d, '~'], [0x3e, ']'], [0x40, '|'], [0x65, '€'],
]
const ESC = 0x1b

// Char code -> septet as flat tables (NONE = not in that table): every message is encoded and
// checked on the hot path, and an array read is several times cheaper than a Map lookup.
// All GSM 03.38 characters have codes below 0x2000 except the euro sign (extension table).
const NONE = 0xff
const TABLE_SIZE = 0x2000
const EURO = 0x20ac
const basicEnc = new Uint8Array(TABLE_SIZE).fill(NONE)
for (let i = 0; i < 128; i++) if (i !== ESC) basicEnc[BASIC.charCodeAt(i)] = i
const extEnc = new Uint8Array(TABLE_SIZE).fill(NONE)
let euroSeptet = NONE
const extDec: (string | undefined)[] = new Array(128)
for (const [septet, ch] of EXT) {
  const c = ch.charCodeAt(0)
  if (c === EURO) euroSeptet = septet
  else extEnc[c] = septet
  extDec[septet] = ch
}

const basicOf = (c: number): number => (c < TABLE_SIZE ? basicEnc[c]! : NONE)
const extOf = (c: number): number => (c < TABLE_SIZE ? extEnc[c]! : c === EURO ? euroSeptet : NONE)

/** True if every character is in the GSM 03.38 basic or extension table. */
export function isGsm7(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (basicOf(c) === NONE && extOf(c) === NONE) return false
  }
  return true
}

/** Septets `text` needs: extension characters count 2 (ESC + char). Assumes isGsm7(text). */
export function gsm7Length(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) n += extOf(text.charCodeAt(i)) !== NONE ? 2 : 1
  return n
}

/** gsm7Length if every character is GSM-7, else -1: isGsm7 and gsm7Length in one pass. */
export function gsm7Septets(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (basicOf(c) !== NONE) n++
    else if (extOf(c) !== NONE) n += 2
    else return -1
  }
  return n
}

/** Unpacked GSM 7-bit: one septet per octet. Characters outside the alphabet become '?'. */
export function encodeGsm7(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length * 2)
  return out.subarray(0, writeGsm7(out, 0, text))
}

/**
 * encodeGsm7 into `out` at `pos` (which must have room for 2 octets per character); returns the
 * octets written. Lets an encoder put text straight into its outbound buffer.
 */
export function writeGsm7(out: Uint8Array, pos: number, text: string): number {
  let p = pos
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const b = basicOf(c)
    if (b !== NONE) out[p++] = b
    else {
      const e = extOf(c)
      if (e !== NONE) {
        out[p++] = ESC
        out[p++] = e
      } else out[p++] = 0x3f
    }
  }
  return p - pos
}

/** Inverse of encodeGsm7. An ESC before an unknown septet shows that septet's basic char (03.38). */
export function decodeGsm7(buf: Uint8Array): string {
  let s = ''
  for (let i = 0; i < buf.length; i++) {
    let b = buf[i]! & 0x7f
    if (b === ESC && i + 1 < buf.length) {
      b = buf[++i]! & 0x7f
      s += extDec[b] ?? BASIC[b]
    } else s += b === ESC ? ' ' : BASIC[b]
  }
  return s
}

/** UTF-16BE. Astral characters become surrogate pairs (2 units, never split by segmentText). */
export function encodeUcs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16()
}

export function decodeUcs2(buf: Uint8Array): string {
  const even = buf.length & ~1
  const b = Buffer.from(buf.subarray(0, even)) // copy: swap16 works in place
  return b.swap16().toString('utf16le')
}

export interface SegmentOptions {
  encoding?: 'gsm7' | 'ucs2' | 'auto'
  /** udh: 0x40 esm bit + UDH in short_message; sar: sar_* TLVs; payload: one message_payload. */
  method?: 'udh' | 'sar' | 'payload'
  /** Concatenation reference. UDH uses the 8-bit IE (0x00) when ref <= 255, else 16-bit (0x08). */
  ref?: number
}

/** The submit_sm fields one segment sets. OR `esmClass` into any bits of your own. */
export interface Segment {
  shortMessage: Buffer
  dataCoding: number
  esmClass: number
  tlvs?: SmTlvs
}

let nextRef = 0

/**
 * Split text into submit_sm segments. Single message: 160 septets / 70 UCS-2 units. Multipart:
 * 153 / 67 per segment (8-bit UDH, and sar, so an SMSC may convert sar to UDH), 152 / 66 with a
 * 16-bit reference. An extension char (2 septets) or a surrogate pair is never split.
 */
export function segmentText(text: string, opts: SegmentOptions = {}): Segment[] {
  // One pass tells GSM-7 from UCS-2 and counts septets (the hot path sends one short message each).
  const septets = opts.encoding === 'ucs2' ? -1 : opts.encoding === 'gsm7' ? gsm7Length(text) : gsm7Septets(text)
  const enc = opts.encoding === 'gsm7' || (opts.encoding !== 'ucs2' && septets >= 0) ? 'gsm7' : 'ucs2'
  const dataCoding = enc === 'gsm7' ? DataCoding.DEFAULT : DataCoding.UCS2
  const method = opts.method ?? 'udh'
  const encode = enc === 'gsm7' ? encodeGsm7 : encodeUcs2
  if (method === 'payload') {
    return [{ shortMessage: Buffer.alloc(0), dataCoding, esmClass: 0, tlvs: { messagePayload: encode(text) } }]
  }
  const single = enc === 'gsm7' ? 160 : 70
  if ((enc === 'gsm7' ? septets : text.length) <= single) {
    if (enc === 'ucs2') return [{ shortMessage: encodeUcs2(text), dataCoding, esmClass: 0 }]
    // Exactly `septets` octets: one Buffer, no oversized scratch and view.
    const sm = Buffer.allocUnsafe(septets)
    writeGsm7(sm, 0, text)
    return [{ shortMessage: sm, dataCoding, esmClass: 0 }]
  }
  const ref = opts.ref ?? (nextRef = (nextRef + 1) & 0xff)
  const wide = method === 'udh' && ref > 0xff
  const per = (enc === 'gsm7' ? 153 : 67) - (wide ? 1 : 0)
  const parts = split(text, enc, per)
  const total = parts.length
  if (total > 255) throw new MtsimError('MTSIM_ERR_TEXT_TOO_LONG', [String(total)])
  return parts.map((part, i) => {
    const body = encode(part)
    if (method === 'sar') {
      return { shortMessage: body, dataCoding, esmClass: 0, tlvs: { sarMsgRefNum: ref & 0xffff, sarTotalSegments: total, sarSegmentSeqnum: i + 1 } }
    }
    const udh = wide
      ? Buffer.from([6, 0x08, 4, (ref >> 8) & 0xff, ref & 0xff, total, i + 1])
      : Buffer.from([5, 0x00, 3, ref & 0xff, total, i + 1])
    return { shortMessage: Buffer.concat([udh, body]), dataCoding, esmClass: EsmClass.UDHI }
  })
}

function split(text: string, enc: 'gsm7' | 'ucs2', per: number): string[] {
  const parts: string[] = []
  let start = 0
  let used = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    let w = 1
    if (enc === 'gsm7') w = extOf(c) !== NONE ? 2 : 1
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) w = 2 // high surrogate: keep the pair
    if (used + w > per) {
      parts.push(text.slice(start, i))
      start = i
      used = 0
    }
    used += w
    if (w === 2 && enc === 'ucs2') i++
  }
  parts.push(text.slice(start))
  return parts
}

interface SmLike {
  esmClass: number
  dataCoding: number
  shortMessage: Buffer
  tlvs?: SmTlvs | undefined
}

/** Concatenation info from a UDH (IEI 0x00 / 0x08) or from sar_* TLVs; undefined for single messages. */
export function segmentInfo(pdu: SmLike): { ref: number; total: number; seq: number } | undefined {
  const sm = pdu.shortMessage
  if ((pdu.esmClass & EsmClass.UDHI) !== 0 && sm.length > 0) {
    const end = Math.min(sm[0]! + 1, sm.length)
    let p = 1
    while (p + 2 <= end) {
      const iei = sm[p]!
      const len = sm[p + 1]!
      if (p + 2 + len > end) break
      if (iei === 0x00 && len === 3) return { ref: sm[p + 2]!, total: sm[p + 3]!, seq: sm[p + 4]! }
      if (iei === 0x08 && len === 4) return { ref: sm.readUInt16BE(p + 2), total: sm[p + 4]!, seq: sm[p + 5]! }
      p += 2 + len
    }
  }
  const t = pdu.tlvs
  if (t && t.sarMsgRefNum !== undefined && t.sarTotalSegments !== undefined && t.sarSegmentSeqnum !== undefined) {
    return { ref: t.sarMsgRefNum, total: t.sarTotalSegments, seq: t.sarSegmentSeqnum }
  }
  return undefined
}

/** The text of a submit_sm/deliver_sm: message_payload if present, UDH stripped, dc 0/8/3 decoded. */
export function decodeShortMessage(pdu: SmLike): string {
  let body: Buffer = pdu.tlvs?.messagePayload ?? pdu.shortMessage
  if ((pdu.esmClass & EsmClass.UDHI) !== 0 && body.length > 0) body = body.subarray(Math.min(body[0]! + 1, body.length))
  const dc = pdu.dataCoding
  if (dc === DataCoding.UCS2) return decodeUcs2(body)
  if (dc === DataCoding.DEFAULT) return decodeGsm7(body)
  // GSM message class coding group 0xF0: bit 2 clear = 7-bit default alphabet.
  if ((dc & 0xf0) === 0xf0 && (dc & 0x04) === 0) return decodeGsm7(body)
  return body.toString('latin1') // 1 IA5, 3 Latin-1, 4 binary and anything else: byte per char
}
