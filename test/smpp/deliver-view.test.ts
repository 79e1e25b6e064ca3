// The receipt fast path (smpp/deliver-view.ts + readReceiptView) against the full decoder and
// readReceipt: on every frame the view accepts, decodePdu accepts it too and both readings give
// the same receipt; on frames the full decoder rejects, the view never accepts. Seeded mutations of
// valid deliver_sm frames (every field, every TLV kind) drive both.
import { describe, expect, it } from 'vitest'
import { Rng } from '../../lib/rng.js'
import { ReceiptIdCanon } from '../../loadgen/transports/receipt-ids.js'
import { readReceipt, readReceiptView } from '../../loadgen/transports/smpp-receipt.js'
import {
  DataCoding,
  EsmClass,
  PduError,
  Writer,
  decodePdu,
  deliverSmView,
  encodeGsm7,
  encodeUcs2,
  smBody,
  viewDeliverSm,
  writePdu,
  type DeliverSm,
  type SmTlvs,
} from '../../smpp/index.js'

const TEXT = 'id:4711 sub:001 dlvrd:001 submit date:2611250101 done date:2611250102 stat:DELIVRD err:000 text:#abc Your code'

function frame(seq: number, fields: Parameters<typeof smBody>[0], tlvs?: SmTlvs): Buffer {
  const w = new Writer(64)
  writePdu(w, { command: 'deliver_sm', status: 0, sequence: seq, ...smBody({ ...fields, tlvs }) })
  return Buffer.from(w.take())
}

/** Valid deliver_sm frames covering what receipts (and MO messages) carry. */
const VALID: Buffer[] = [
  frame(1, { esmClass: EsmClass.RECEIPT, shortMessage: encodeGsm7(TEXT), sourceAddr: '4790000001', destinationAddr: 'MTSIM' }),
  frame(2, { esmClass: EsmClass.RECEIPT, shortMessage: encodeGsm7(TEXT), serviceType: 'CMT' }, { receiptedMessageId: '4711', messageState: 2 }),
  frame(3, { esmClass: EsmClass.RECEIPT, shortMessage: Buffer.alloc(0) }, { receiptedMessageId: 'ab12', messageState: 5, networkErrorCode: { type: 3, code: 34 } }),
  frame(4, { esmClass: EsmClass.RECEIPT, shortMessage: Buffer.alloc(0) }, { messagePayload: encodeGsm7(TEXT.replace('DELIVRD', 'UNDELIV')) }),
  frame(5, { esmClass: 0x20, shortMessage: encodeGsm7(TEXT.replace('DELIVRD', 'ENROUTE')) }, { userMessageReference: 7, sarMsgRefNum: 3, sarTotalSegments: 2, sarSegmentSeqnum: 1 }),
  frame(6, { esmClass: EsmClass.RECEIPT, dataCoding: DataCoding.UCS2, shortMessage: encodeUcs2(TEXT) }),
  frame(7, { esmClass: 0, shortMessage: encodeGsm7('an MO message') }),
  frame(8, { esmClass: EsmClass.RECEIPT, shortMessage: encodeGsm7('no receipt text here') }, { receiptedMessageId: '99', messageState: 8, other: [{ tag: 0x1401, value: Buffer.from([1, 2, 3]) }] }),
  frame(9, { esmClass: EsmClass.RECEIPT, shortMessage: encodeGsm7('garbage') }),
]

function decodes(f: Buffer): DeliverSm | undefined {
  try {
    return decodePdu(f) as DeliverSm
  } catch (err) {
    if (!(err instanceof PduError)) throw err
    return undefined
  }
}

/** Checks one frame both ways; returns whether the view accepted it. */
function agree(f: Buffer): boolean {
  const v = deliverSmView()
  const viewed = viewDeliverSm(f, v)
  const pdu = decodes(f)
  if (!viewed) return false
  expect(pdu, 'the view accepted a frame the full decoder rejects').toBeDefined()
  const p = pdu!
  expect([v.sequence, v.esmClass, v.dataCoding]).toEqual([p.sequence, p.esmClass, p.dataCoding])
  expect(f.subarray(v.smStart, v.smEnd)).toEqual(p.shortMessage)
  expect(v.idStart >= 0 ? f.toString('latin1', v.idStart, v.idEnd) : undefined).toBe(p.tlvs?.receiptedMessageId)
  expect(v.messageState >= 0 ? v.messageState : undefined).toBe(p.tlvs?.messageState)
  expect(v.networkErrorCode >= 0 ? v.networkErrorCode : undefined).toBe(p.tlvs?.networkErrorCode?.code)
  expect(v.payloadStart >= 0 ? f.subarray(v.payloadStart, v.payloadEnd) : undefined).toEqual(p.tlvs?.messagePayload)
  // The receipt the engine gets: the fast reading, when it settles one, equals the full reading.
  const fast = readReceiptView(f, v, new ReceiptIdCanon())
  const full = readReceipt(p, new ReceiptIdCanon())
  if (fast !== undefined) expect(fast).toEqual(full)
  else expect(full === 'mo' || full === undefined || p.dataCoding === DataCoding.UCS2).toBe(true)
  return true
}

/** A deliver_sm built octet by octet, so fields can break the spec's limits. */
function raw(o: { serviceType?: string; source?: string; dest?: string; schedule?: string; validity?: string; sm?: Buffer; smLength?: number; tlvs?: Buffer } = {}): Buffer {
  const c = (s: string) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.from([0])])
  const sm = o.sm ?? Buffer.from(TEXT, 'latin1')
  const body = Buffer.concat([
    c(o.serviceType ?? ''), Buffer.from([1, 1]), c(o.source ?? '4790000001'), Buffer.from([5, 0]), c(o.dest ?? 'MTSIM'),
    Buffer.from([EsmClass.RECEIPT, 0, 0]), c(o.schedule ?? ''), c(o.validity ?? ''), Buffer.from([0, 0, 0, 0, o.smLength ?? sm.length]), sm,
    o.tlvs ?? Buffer.alloc(0),
  ])
  const h = Buffer.alloc(16)
  h.writeUInt32BE(16 + body.length, 0)
  h.writeUInt32BE(0x05, 4)
  h.writeUInt32BE(77, 12)
  return Buffer.concat([h, body])
}

const tlv = (tag: number, value: Buffer) => {
  const h = Buffer.alloc(4)
  h.writeUInt16BE(tag, 0)
  h.writeUInt16BE(value.length, 2)
  return Buffer.concat([h, value])
}

describe('deliver_sm view (receipt fast path)', () => {
  it('rejects, as the full decoder does, every field over its limit and every bad TLV', () => {
    const v = deliverSmView()
    expect(viewDeliverSm(raw(), v)).toBe(true) // the builder's baseline is valid
    const bad: [string, Buffer][] = [
      ['service_type of 6', raw({ serviceType: 'ABCDEF' })],
      ['source_addr of 21', raw({ source: '1'.repeat(21) })],
      ['destination_addr of 21', raw({ dest: '1'.repeat(21) })],
      ['schedule_delivery_time of 17', raw({ schedule: '1'.repeat(17) })],
      ['validity_period of 17', raw({ validity: '1'.repeat(17) })],
      ['sm_length 255', raw({ sm: Buffer.alloc(255, 0x41) })],
      ['sm_length past the end', raw({ sm: Buffer.from('abc'), smLength: 9 })],
      ['receipted_message_id of 66', raw({ tlvs: tlv(0x001e, Buffer.alloc(66, 0x31)) })],
      ['message_state of 2 octets', raw({ tlvs: tlv(0x0427, Buffer.from([0, 2])) })],
      ['network_error_code of 2 octets', raw({ tlvs: tlv(0x0423, Buffer.from([3, 0])) })],
      ['sar_msg_ref_num of 1 octet', raw({ tlvs: tlv(0x020c, Buffer.from([1])) })],
      ['sar_total_segments of 2 octets', raw({ tlvs: tlv(0x020e, Buffer.from([0, 1])) })],
      ['TLV overrunning the PDU', raw({ tlvs: Buffer.from([0x04, 0x27, 0x00, 0x05, 0x02]) })],
      ['truncated TLV header', raw({ tlvs: Buffer.from([0x04, 0x27, 0x00]) })],
    ]
    for (const [what, f] of bad) {
      expect(decodes(f), what).toBeUndefined()
      expect(viewDeliverSm(f, v), what).toBe(false)
    }
    // And the largest legal values pass both.
    const edge = raw({ serviceType: 'ABCDE', source: '1'.repeat(20), schedule: '1'.repeat(16), sm: Buffer.alloc(254, 0x41), tlvs: tlv(0x001e, Buffer.alloc(65, 0x31)) })
    expect(decodes(edge)).toBeDefined()
    expect(agree(edge)).toBe(true)
  })

  it('reads every valid frame as the full decoder does, and the receipts agree', () => {
    for (const f of VALID) expect(agree(f)).toBe(true)
    const v = deliverSmView()
    viewDeliverSm(VALID[1]!, v)
    expect(readReceiptView(VALID[1]!, v, new ReceiptIdCanon())).toEqual({ messageId: '4711', stat: 'DELIVRD', final: true, err: '000' })
    viewDeliverSm(VALID[2]!, v)
    expect(readReceiptView(VALID[2]!, v, new ReceiptIdCanon())).toEqual({ messageId: 'ab12', stat: 'UNDELIV', final: true, err: '34' })
  })

  it('leaves MO messages, UCS-2 and unreadable receipts to the full path', () => {
    const v = deliverSmView()
    for (const i of [5, 6, 8]) {
      expect(viewDeliverSm(VALID[i]!, v)).toBe(true)
      expect(readReceiptView(VALID[i]!, v, new ReceiptIdCanon())).toBeUndefined()
    }
  })

  it('refuses other commands and frames whose length does not match', () => {
    const v = deliverSmView()
    const submit = Buffer.from(VALID[0]!)
    submit.writeUInt32BE(0x04, 4)
    expect(viewDeliverSm(submit, v)).toBe(false)
    expect(viewDeliverSm(VALID[0]!.subarray(0, VALID[0]!.length - 1), v)).toBe(false)
  })

  it('never accepts what the full decoder rejects, over 10k seeded mutations', () => {
    const rng = new Rng(0xd17e)
    let accepted = 0
    let rejectedByDecoder = 0
    for (let i = 0; i < 10_000; i++) {
      const f = Buffer.from(VALID[rng.int(VALID.length)]!)
      // 1-3 bytes changed anywhere past the command_id (lengths, NULs, TLV tags and sizes included).
      for (let n = 1 + rng.int(3); n > 0; n--) f[8 + rng.int(f.length - 8)] = rng.chance(0.3) ? 0 : rng.int(256)
      if (decodes(f) === undefined) rejectedByDecoder++
      if (agree(f)) accepted++
    }
    // Both kinds occur, so the property above was exercised both ways.
    expect(accepted).toBeGreaterThan(1_500)
    expect(rejectedByDecoder).toBeGreaterThan(300)
  })
})
