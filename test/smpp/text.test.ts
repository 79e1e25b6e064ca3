// GSM 03.38 / UCS-2 tables, segmentation limits and reassembly info.
import defs from 'smpp/lib/defs.js'
import { describe, expect, it } from 'vitest'
import {
  decodeGsm7,
  decodeShortMessage,
  decodeUcs2,
  encodeGsm7,
  encodeUcs2,
  gsm7Length,
  isGsm7,
  segmentInfo,
  segmentText,
  smBody,
} from '../../smpp/index.js'

describe('GSM 03.38', () => {
  it.each([
    ['@', [0x00]],
    ['£$¥', [0x01, 0x02, 0x03]],
    ['\n\r', [0x0a, 0x0d]],
    ['Δ_ΦΓΛΩΠΨΣΘΞ', [0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a]],
    ['ÆæßÉ', [0x1c, 0x1d, 0x1e, 0x1f]],
    [' !"#¤', [0x20, 0x21, 0x22, 0x23, 0x24]],
    ['¡AZÄÖÑÜ§', [0x40, 0x41, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f]],
    ['¿azäöñüà', [0x60, 0x61, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f]],
    ['€', [0x1b, 0x65]], // extension table via ESC
    ['{}[]~\\|^\f', [0x1b, 0x28, 0x1b, 0x29, 0x1b, 0x3c, 0x1b, 0x3e, 0x1b, 0x3d, 0x1b, 0x2f, 0x1b, 0x40, 0x1b, 0x14, 0x1b, 0x0a]],
  ])('%j <-> %j', (text, septets) => {
    expect([...encodeGsm7(text)]).toEqual(septets)
    expect(decodeGsm7(Buffer.from(septets))).toBe(text)
    expect(isGsm7(text)).toBe(true)
  })

  it('matches the smpp package GSM coder for every encodable character', () => {
    const all = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà€{}[]~\\|^'
    const theirs: Buffer = defs.gsmCoder.encode(all, 0)
    expect(theirs.length).toBeGreaterThan(all.length)
    expect(encodeGsm7(all)).toEqual(theirs)
    expect(decodeGsm7(theirs)).toBe(defs.gsmCoder.decode(theirs, 0))
    expect(decodeGsm7(encodeGsm7(all))).toBe(all)
  })

  it('rejects and replaces characters outside the alphabet', () => {
    expect(isGsm7('héllo')).toBe(true) // é is in the basic table
    expect(isGsm7('hêllo')).toBe(false) // ê is not
    expect(isGsm7('hello ü')).toBe(true)
    expect(isGsm7('Привет')).toBe(false)
    expect(isGsm7('emoji 😀')).toBe(false)
    expect([...encodeGsm7('aЖb')]).toEqual([0x61, 0x3f, 0x62])
  })

  it('counts extension characters as two septets', () => {
    expect(gsm7Length('abc')).toBe(3)
    expect(gsm7Length('€{}')).toBe(6)
  })
})

describe('UCS-2', () => {
  it.each([
    ['A', [0x00, 0x41]],
    ['Жё', [0x04, 0x16, 0x04, 0x51]],
    ['😀', [0xd8, 0x3d, 0xde, 0x00]],
  ])('%s', (text, bytes) => {
    expect([...encodeUcs2(text)]).toEqual(bytes)
    expect(decodeUcs2(Buffer.from(bytes))).toBe(text)
  })

  it('decodeUcs2 does not modify its input and ignores a dangling odd byte', () => {
    const b = Buffer.from([0x00, 0x41, 0x00])
    expect(decodeUcs2(b)).toBe('A')
    expect([...b]).toEqual([0x00, 0x41, 0x00])
  })
})

describe('segmentText', () => {
  const gsm = (n: number) => 'a'.repeat(n)
  it.each([
    ['160 GSM chars: one segment', gsm(160), 'auto', 1],
    ['161 GSM chars: two', gsm(161), 'auto', 2],
    ['306 GSM chars: two (2 x 153)', gsm(306), 'auto', 2],
    ['307 GSM chars: three', gsm(307), 'auto', 3],
    ['80 euro signs = 160 septets: one', '€'.repeat(80), 'auto', 1],
    ['81 euro signs: two', '€'.repeat(81), 'auto', 2],
    ['70 UCS-2 chars: one', 'Ж'.repeat(70), 'auto', 1],
    ['71 UCS-2 chars: two', 'Ж'.repeat(71), 'auto', 2],
    ['134 UCS-2 chars: two (2 x 67)', 'Ж'.repeat(134), 'auto', 2],
    ['135 UCS-2 chars: three', 'Ж'.repeat(135), 'auto', 3],
    ['forced ucs2 for GSM text', gsm(71), 'ucs2', 2],
  ] as const)('%s', (_n, text, encoding, count) => {
    const segs = segmentText(text, { encoding, ref: 7 })
    expect(segs).toHaveLength(count)
    const joined = segs.map((s) => decodeShortMessage({ ...s, shortMessage: s.shortMessage })).join('')
    expect(joined).toBe(text)
    for (const s of segs) expect(s.shortMessage.length).toBeLessThanOrEqual(140 + (s.dataCoding === 0 ? 20 : 0))
  })

  it('UDH segments: IEI 0x00, esm_class UDHI, 153 septets, extension chars not split', () => {
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(10)
    const segs = segmentText(text, { encoding: 'gsm7', method: 'udh', ref: 0x42 })
    expect(segs).toHaveLength(2)
    expect([...segs[0]!.shortMessage.subarray(0, 6)]).toEqual([5, 0x00, 3, 0x42, 2, 1])
    expect(segs[0]!.shortMessage.length).toBe(6 + 152) // '€' (2 septets) moved to segment 2
    expect(segs[0]!.esmClass).toBe(0x40)
    expect(segs.map((s) => segmentInfo(s))).toEqual([{ ref: 0x42, total: 2, seq: 1 }, { ref: 0x42, total: 2, seq: 2 }])
    expect(segs.map((s) => decodeShortMessage(s)).join('')).toBe(text)
  })

  it('16-bit reference uses IEI 0x08 and one less character per segment', () => {
    const segs = segmentText('a'.repeat(305), { method: 'udh', ref: 0x1234 })
    expect(segs).toHaveLength(3) // 152 + 152 + 1
    expect([...segs[0]!.shortMessage.subarray(0, 7)]).toEqual([6, 0x08, 4, 0x12, 0x34, 3, 1])
    expect(segmentInfo(segs[2]!)).toEqual({ ref: 0x1234, total: 3, seq: 3 })
  })

  it('sar method: TLVs, no UDH', () => {
    const segs = segmentText('Ж'.repeat(100), { method: 'sar', ref: 300 })
    expect(segs).toHaveLength(2)
    expect(segs[1]).toMatchObject({ esmClass: 0, dataCoding: 8, tlvs: { sarMsgRefNum: 300, sarTotalSegments: 2, sarSegmentSeqnum: 2 } })
    expect(segs[0]!.shortMessage.length).toBe(134)
    expect(segmentInfo({ ...segs[1]!, tlvs: segs[1]!.tlvs })).toEqual({ ref: 300, total: 2, seq: 2 })
  })

  it('UCS-2 never splits a surrogate pair', () => {
    const text = 'Ж'.repeat(66) + '😀' + 'Ж'.repeat(5) // 73 UTF-16 units: two segments of <= 67
    const segs = segmentText(text, { ref: 1 })
    expect(segs.map((s) => decodeShortMessage(s))).toEqual(['Ж'.repeat(66), '😀' + 'Ж'.repeat(5)])
  })

  it('payload method: one PDU, everything in message_payload', () => {
    const segs = segmentText(gsm(500), { method: 'payload' })
    expect(segs).toHaveLength(1)
    expect(segs[0]!.shortMessage.length).toBe(0)
    expect(segs[0]!.tlvs!.messagePayload!.length).toBe(500)
    expect(decodeShortMessage(segs[0]!)).toBe(gsm(500))
    expect(segmentInfo(segs[0]!)).toBeUndefined()
  })

  it('single messages have no segment info', () => {
    expect(segmentInfo(segmentText('hi')[0]!)).toBeUndefined()
  })
})

describe('decodeShortMessage', () => {
  it('latin1 (dc 3), binary (dc 4) and UDH stripping with other IEs first', () => {
    expect(decodeShortMessage(smBody({ dataCoding: 3, shortMessage: Buffer.from('Grüße', 'latin1') }))).toBe('Grüße')
    const udh = [7, 0x05, 0x02, 0x00, 0x00, 0x00, 0x03, 9] // port IE, then a broken/short IE
    const sm = Buffer.from([...udh, 0x61])
    const pdu = smBody({ esmClass: 0x40, shortMessage: sm })
    expect(decodeShortMessage(pdu)).toBe('a')
    const withConcat = Buffer.from([8, 0x05, 0x02, 0x00, 0x00, 0x00, 0x03, 0x11, 2, 1, 0x62])
    expect(segmentInfo(smBody({ esmClass: 0x40, shortMessage: withConcat }))).toBeUndefined() // IE overruns UDH length
    const ok = Buffer.from([9, 0x05, 0x02, 0x00, 0x00, 0x00, 0x03, 0x11, 2, 1, 0x62])
    expect(segmentInfo(smBody({ esmClass: 0x40, shortMessage: ok }))).toEqual({ ref: 0x11, total: 2, seq: 1 })
    expect(decodeShortMessage(smBody({ esmClass: 0x40, shortMessage: ok }))).toBe('b')
  })
})
