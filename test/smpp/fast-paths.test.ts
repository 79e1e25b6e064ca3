// The hot-path encoders must write exactly what the general encoder writes for the same PDU:
// writeReceiptDeliverSm against writePdu (receipts with and without TLVs, GSM-7 escapes, the
// 254-octet limit), the table-driven GSM-7 functions against known septets, and the fast receipt
// reader against parseReceipt.
import { InternalError } from '../../lib/errors.js'
import { describe, expect, it } from 'vitest'
import {
  EsmClass,
  NetworkType,
  Writer,
  decodePdu,
  encodeGsm7,
  gsm7Length,
  isGsm7,
  parseReceipt,
  parseReceiptStatus,
  smBody,
  writePdu,
  writeReceiptDeliverSm,
  type DeliverSm,
  type ReceiptDeliverSm,
} from '../../smpp/index.js'

function general(seq: number, r: ReceiptDeliverSm): Buffer {
  const w = new Writer(64)
  writePdu(w, {
    command: 'deliver_sm',
    status: 0,
    sequence: seq,
    ...smBody({
      sourceAddrTon: r.sourceAddrTon,
      sourceAddrNpi: r.sourceAddrNpi,
      sourceAddr: r.sourceAddr,
      destAddrTon: r.destAddrTon,
      destAddrNpi: r.destAddrNpi,
      destinationAddr: r.destinationAddr,
      esmClass: EsmClass.RECEIPT,
      shortMessage: encodeGsm7(r.text),
      tlvs: r.tlvs
        ? {
            receiptedMessageId: r.receiptedMessageId,
            messageState: r.messageState,
            networkErrorCode: { type: NetworkType.GSM, code: r.networkErrorCode },
          }
        : undefined,
    }),
  })
  return w.take()
}

function fast(seq: number, r: ReceiptDeliverSm, w = new Writer(16)): Buffer {
  writeReceiptDeliverSm(w, seq, r)
  return w.take()
}

const base: ReceiptDeliverSm = {
  sourceAddrTon: 1,
  sourceAddrNpi: 1,
  sourceAddr: '4790000001',
  destAddrTon: 5,
  destAddrNpi: 0,
  destinationAddr: 'MTSIM',
  text: 'id:17 sub:001 dlvrd:001 submit date:2611242359 done date:2611242359 stat:DELIVRD err:000 text:',
  tlvs: false,
  receiptedMessageId: '17',
  messageState: 2,
  networkErrorCode: 0,
}

describe('writeReceiptDeliverSm', () => {
  const cases: [string, ReceiptDeliverSm][] = [
    ['plain receipt', base],
    ['with TLVs', { ...base, tlvs: true, receiptedMessageId: '1a2b', messageState: 5, networkErrorCode: 34 }],
    ['GSM-7 escapes and unknown characters in the text excerpt', { ...base, text: base.text + '{€}@ä中' }],
    ['empty addresses', { ...base, sourceAddr: '', destinationAddr: '' }],
  ]
  for (const [name, r] of cases) {
    it(`writes the octets writePdu writes: ${name}`, () => {
      const bytes = fast(0x7fffffff, r)
      expect(bytes.equals(general(0x7fffffff, r))).toBe(true)
      const pdu = decodePdu(bytes) as DeliverSm
      expect(pdu.command).toBe('deliver_sm')
      expect(pdu.esmClass).toBe(EsmClass.RECEIPT)
      expect(pdu.sourceAddr).toBe(r.sourceAddr)
      expect(pdu.destinationAddr).toBe(r.destinationAddr)
    })
  }

  it('appends after PDUs already queued, growing the writer', () => {
    const w = new Writer(16)
    writeReceiptDeliverSm(w, 1, base)
    writeReceiptDeliverSm(w, 2, { ...base, tlvs: true })
    const all = w.take()
    const first = general(1, base)
    expect(all.subarray(0, first.length).equals(first)).toBe(true)
    expect(all.subarray(first.length).equals(general(2, { ...base, tlvs: true }))).toBe(true)
  })

  it('refuses a text over 254 octets and leaves the queue as it was', () => {
    const w = new Writer(16)
    writeReceiptDeliverSm(w, 1, base)
    const before = w.pos
    expect(() => writeReceiptDeliverSm(w, 2, { ...base, text: '€'.repeat(128) })).toThrow(InternalError)
    expect(() => writeReceiptDeliverSm(w, 3, { ...base, sourceAddr: '1'.repeat(21) })).toThrow(InternalError)
    expect(w.pos).toBe(before)
    expect(w.take().equals(general(1, base))).toBe(true)
  })
})

describe('GSM-7 tables', () => {
  it('encodes basic, extension and unknown characters', () => {
    expect([...encodeGsm7('@£$A a0:')]).toEqual([0x00, 0x01, 0x02, 0x41, 0x20, 0x61, 0x30, 0x3a])
    expect([...encodeGsm7('€{Δ中')]).toEqual([0x1b, 0x65, 0x1b, 0x28, 0x10, 0x3f])
  })
  it('tells GSM-7 text apart and counts septets', () => {
    expect(isGsm7('Hello €[]')).toBe(true)
    expect(isGsm7('Hello 中')).toBe(false)
    expect(isGsm7('`')).toBe(false)
    expect(gsm7Length('a€[b')).toBe(6)
  })
})

describe('parseReceiptStatus', () => {
  const stamp = '2611242359'
  const texts = [
    `id:17 sub:001 dlvrd:001 submit date:${stamp} done date:${stamp} stat:DELIVRD err:000 text:`,
    `id:1a2b sub:001 dlvrd:000 submit date:${stamp} done date:${stamp} stat:UNDELIV err:034 Text:hello stat:DELIVRD`,
    `id:99 sub:001 dlvrd:001 submit date:${stamp}00 done date:${stamp}00 stat:delivrd err:0`,
    `id:5 sub:001 dlvrd:001 stat:EXPIRED err:7 text:x`,
    `ID:5 SUB:001 STAT:EXPIRED ERR:7`, // other case: the general parser
    `id:5  sub:001 stat:EXPIRED err:7`, // double space: the general parser
    `sub:001 id:6 stat:DELIVRD err:000`, // other order
    `id:7 sub:001 text:stat:DELIVRD err:000`, // stat only inside the text: none
    `id:8 sub:001 stat:ACCEPTD`, // no err
    `id:9 sub:001 stat: err:1`, // empty stat
    `id:\t9 sub:001 stat:DELIVRD err:1`,
    `id:9\u00a0x sub:001 stat:DELIVRD err:1`, // non-ASCII whitespace inside the id: not a receipt
    `id:9é sub:001 stat:DELIVRD err:1`, // non-ASCII id: the general parser's answer
    `id:9\x01 sub:001 stat:DELIVRD err:1`, // a control character: the general parser's answer
    `hello, this is an ordinary message`,
    `id: sub:001 stat:DELIVRD err:000`,
  ]
  for (const text of texts) {
    it(`agrees with parseReceipt on ${JSON.stringify(text.slice(0, 60))}`, () => {
      const full = parseReceipt(text)
      expect(parseReceiptStatus(text)).toEqual(full && { id: full.id, stat: full.stat, err: full.err })
    })
  }
})

describe('formatReceiptAt', () => {
  it('gives the text formatReceipt gives, across minutes, labels and err forms', async () => {
    const { formatReceipt, formatReceiptAt } = await import('../../smpp/receipt.js')
    const t0 = Date.UTC(2026, 10, 24, 23, 58, 30)
    const cases: [string, number, number, number, string, string, string, 'text' | 'Text'][] = [
      ['17', 1, t0, t0 + 1000, 'DELIVRD', '000', '', 'text'],
      ['ff', 0, t0, t0 + 120_000, 'UNDELIV', '34', 'a text longer than twenty characters', 'Text'],
      ['1', 0, t0 - 86_400_000, t0, 'EXPIRED', 'E1', 'short', 'text'],
      ['2', 1, t0 + 60_000, t0 + 3_600_000, 'DELIVRD', '7', '', 'text'],
      ['3', 1, t0, t0 + 1000, 'DELIVRD', '000', '', 'text'], // cached minutes again
    ]
    for (const [id, dlvrd, sub, done, stat, err, text, label] of cases) {
      const expected = formatReceipt(
        { id, sub: 1, dlvrd, submitDate: new Date(sub), doneDate: new Date(done), stat, err, text },
        { textLabel: label },
      )
      expect(formatReceiptAt(id, dlvrd, sub, done, stat, err, text, label)).toBe(expected)
    }
  })
})

describe('gsm7Septets', () => {
  it('is gsm7Length for GSM-7 text and -1 otherwise', async () => {
    const { gsm7Septets } = await import('../../smpp/text.js')
    for (const t of ['', 'Hello', 'a€[b', '{}\\~', '@£$¥']) expect(gsm7Septets(t)).toBe(gsm7Length(t))
    for (const t of ['中', 'Hello 中', '`', 'ok 😀']) expect(gsm7Septets(t)).toBe(-1)
  })
})
