// Table-driven codec tests: each case is an annotated byte array and the PDU object it means.
// Both directions are checked: encodePdu(pdu) === bytes and decodePdu(bytes) equals pdu.
import { InternalError } from '../../lib/errors.js'
import { describe, expect, it } from 'vitest'
import {
  CommandId,
  Status,
  decodePdu,
  encodePdu,
  smBody,
  writeDeliverSmResp,
  writeHeader,
  writeSubmitSmResp,
  Writer,
  type Pdu,
} from '../../smpp/index.js'

/** C-octet string bytes (latin1 + NUL). */
const c = (s: string): number[] => [...Buffer.from(s, 'latin1'), 0]
/** Header (command_length computed) + body. */
function frame(id: number, status: number, seq: number, body: number[]): Buffer {
  const b = Buffer.alloc(16 + body.length)
  b.writeUInt32BE(16 + body.length, 0)
  b.writeUInt32BE(id, 4)
  b.writeUInt32BE(status, 8)
  b.writeUInt32BE(seq, 12)
  Buffer.from(body).copy(b, 16)
  return b
}

interface Case {
  name: string
  pdu: Pdu
  bytes: Buffer
}

const cases: Case[] = [
  {
    name: 'submit_sm, no TLVs',
    pdu: {
      command: 'submit_sm', commandId: 4, status: 0, sequence: 7,
      ...smBody({ sourceAddrTon: 5, sourceAddr: 'MTSIM', destAddrTon: 1, destAddrNpi: 1, destinationAddr: '491701234567', registeredDelivery: 1, shortMessage: Buffer.from('Hi') }),
    },
    bytes: frame(0x04, 0, 7, [
      ...c(''), // service_type
      5, 0, ...c('MTSIM'), // source ton, npi, addr
      1, 1, ...c('491701234567'), // dest ton, npi, addr
      0, 0, 0, // esm_class, protocol_id, priority_flag
      ...c(''), ...c(''), // schedule_delivery_time, validity_period
      1, 0, 0, 0, // registered_delivery, replace_if_present, data_coding, sm_default_msg_id
      2, 0x48, 0x69, // sm_length, short_message "Hi"
    ]),
  },
  {
    name: 'submit_sm with sar TLVs and user_message_reference',
    pdu: {
      command: 'submit_sm', commandId: 4, status: 0, sequence: 8,
      ...smBody({ destinationAddr: '1', dataCoding: 8, shortMessage: Buffer.from([0, 0x41]) }),
      tlvs: { userMessageReference: 0x1234, sarMsgRefNum: 0xabcd, sarTotalSegments: 3, sarSegmentSeqnum: 2 },
    },
    bytes: frame(0x04, 0, 8, [
      0, 0, 0, 0, 0, 0, ...c('1'), // service_type, src ton/npi/addr, dest ton/npi, dest addr
      0, 0, 0, 0, 0, 0, 0, 8, 0, // esm..replace_if_present (7 octets), data_coding 8, sm_default_msg_id
      2, 0x00, 0x41, // sm_length 2, UCS-2 "A"
      0x02, 0x04, 0, 2, 0x12, 0x34, // user_message_reference
      0x02, 0x0c, 0, 2, 0xab, 0xcd, // sar_msg_ref_num
      0x02, 0x0e, 0, 1, 3, // sar_total_segments
      0x02, 0x0f, 0, 1, 2, // sar_segment_seqnum
    ]),
  },
  {
    name: 'submit_sm with message_payload, empty short_message',
    pdu: {
      command: 'submit_sm', commandId: 4, status: 0, sequence: 9,
      ...smBody({ destinationAddr: '2' }),
      tlvs: { messagePayload: Buffer.from('abc') },
    },
    bytes: frame(0x04, 0, 9, [
      0, 0, 0, 0, 0, 0, ...c('2'), // service_type, src ton/npi/addr, dest ton/npi, dest addr
      0, 0, 0, 0, 0, 0, 0, 0, 0, // esm_class .. sm_default_msg_id
      0, // sm_length 0
      0x04, 0x24, 0, 3, 0x61, 0x62, 0x63, // message_payload "abc"
    ]),
  },
  {
    name: 'deliver_sm receipt with receipted_message_id, message_state, network_error_code',
    pdu: {
      command: 'deliver_sm', commandId: 5, status: 0, sequence: 0x7fffffff,
      ...smBody({ sourceAddr: '4917', destinationAddr: 'X', esmClass: 4, shortMessage: Buffer.from('id:1 stat:DELIVRD') }),
      tlvs: { receiptedMessageId: '1', messageState: 2, networkErrorCode: { type: 3, code: 0x0102 } },
    },
    bytes: frame(0x05, 0, 0x7fffffff, [
      0, 0, 0, ...c('4917'), 0, 0, ...c('X'),
      4, 0, 0, // esm_class 0x04 = receipt
      0, 0, 0, 0, 0, 0,
      17, ...Buffer.from('id:1 stat:DELIVRD'),
      0x00, 0x1e, 0, 2, 0x31, 0x00, // receipted_message_id "1\0"
      0x04, 0x27, 0, 1, 2, // message_state DELIVERED
      0x04, 0x23, 0, 3, 3, 0x01, 0x02, // network_error_code GSM 0x0102
    ]),
  },
  {
    name: 'bind_transceiver',
    pdu: { command: 'bind_transceiver', commandId: 9, status: 0, sequence: 1, systemId: 'client1', password: 'secret', systemType: 'LOAD', interfaceVersion: 0x34, addrTon: 1, addrNpi: 1, addressRange: '' },
    bytes: frame(0x09, 0, 1, [...c('client1'), ...c('secret'), ...c('LOAD'), 0x34, 1, 1, ...c('')]),
  },
  {
    name: 'bind_transmitter',
    pdu: { command: 'bind_transmitter', commandId: 2, status: 0, sequence: 2, systemId: 'a', password: '', systemType: '', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: '^49' },
    bytes: frame(0x02, 0, 2, [...c('a'), 0, 0, 0x34, 0, 0, ...c('^49')]),
  },
  {
    name: 'bind_receiver',
    pdu: { command: 'bind_receiver', commandId: 1, status: 0, sequence: 3, systemId: 'r', password: 'p', systemType: '', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: '' },
    bytes: frame(0x01, 0, 3, [...c('r'), ...c('p'), 0, 0x34, 0, 0, 0]),
  },
  {
    name: 'bind_transceiver_resp with sc_interface_version',
    pdu: { command: 'bind_transceiver_resp', commandId: 0x80000009, status: 0, sequence: 1, systemId: 'MTSIM', scInterfaceVersion: 0x34 },
    bytes: frame(0x80000009, 0, 1, [...c('MTSIM'), 0x02, 0x10, 0, 1, 0x34]),
  },
  {
    name: 'bind_transmitter_resp error: header only',
    pdu: { command: 'bind_transmitter_resp', commandId: 0x80000002, status: Status.ESME_RINVPASWD, sequence: 4, systemId: '' },
    bytes: frame(0x80000002, 0x0e, 4, []),
  },
  {
    name: 'bind_receiver_resp',
    pdu: { command: 'bind_receiver_resp', commandId: 0x80000001, status: 0, sequence: 5, systemId: 'S' },
    bytes: frame(0x80000001, 0, 5, [...c('S')]),
  },
  {
    name: 'submit_sm_resp',
    pdu: { command: 'submit_sm_resp', commandId: 0x80000004, status: 0, sequence: 7, messageId: '0000000123' },
    bytes: frame(0x80000004, 0, 7, [...c('0000000123')]),
  },
  {
    name: 'submit_sm_resp throttled: header only',
    pdu: { command: 'submit_sm_resp', commandId: 0x80000004, status: 0x58, sequence: 7, messageId: '' },
    bytes: frame(0x80000004, 0x58, 7, []),
  },
  {
    name: 'deliver_sm_resp (message_id NULL)',
    pdu: { command: 'deliver_sm_resp', commandId: 0x80000005, status: 0, sequence: 10, messageId: '' },
    bytes: frame(0x80000005, 0, 10, [0]),
  },
  { name: 'enquire_link', pdu: { command: 'enquire_link', commandId: 0x15, status: 0, sequence: 11 }, bytes: frame(0x15, 0, 11, []) },
  { name: 'enquire_link_resp', pdu: { command: 'enquire_link_resp', commandId: 0x80000015, status: 0, sequence: 11 }, bytes: frame(0x80000015, 0, 11, []) },
  { name: 'unbind', pdu: { command: 'unbind', commandId: 6, status: 0, sequence: 12 }, bytes: frame(0x06, 0, 12, []) },
  { name: 'unbind_resp', pdu: { command: 'unbind_resp', commandId: 0x80000006, status: 0, sequence: 12 }, bytes: frame(0x80000006, 0, 12, []) },
  { name: 'generic_nack', pdu: { command: 'generic_nack', commandId: 0x80000000, status: 3, sequence: 13 }, bytes: frame(0x80000000, 3, 13, []) },
  {
    name: 'query_sm (raw body)',
    pdu: { command: 'query_sm', commandId: 3, status: 0, sequence: 14, body: Buffer.from([...c('42'), 0, 0, ...c('')]) },
    bytes: frame(0x03, 0, 14, [...c('42'), 0, 0, 0]),
  },
]

describe('codec table', () => {
  for (const t of cases) {
    it(`encodes ${t.name}`, () => {
      expect(encodePdu(t.pdu).toString('hex')).toBe(t.bytes.toString('hex'))
    })
    it(`decodes ${t.name}`, () => {
      expect(decodePdu(t.bytes)).toEqual(t.pdu)
    })
  }

  it('commandId may be omitted on input', () => {
    expect(encodePdu({ command: 'unbind', status: 0, sequence: 1 })).toEqual(frame(6, 0, 1, []))
  })

  it('decodes a *_resp with error status that still carries a body', () => {
    const p = decodePdu(frame(0x80000004, 0x45, 3, [...c('77')]))
    expect(p).toMatchObject({ command: 'submit_sm_resp', status: 0x45, messageId: '77' })
  })

  it('keeps unknown TLVs in wire order under other', () => {
    const bytes = frame(0x80000004, 0, 1, [...c('9'), 0x14, 0x00, 0, 2, 0xaa, 0xbb, 0x00, 0x05, 0, 1, 0x01])
    const p = decodePdu(bytes)
    expect(p).toMatchObject({ tlvs: { other: [{ tag: 0x1400, value: Buffer.from([0xaa, 0xbb]) }, { tag: 5, value: Buffer.from([1]) }] } })
    expect(encodePdu(p)).toEqual(bytes)
  })

  it('refuses to encode out-of-spec fields and leaves the scratch writer usable', () => {
    const sm = { command: 'submit_sm' as const, status: 0, sequence: 1, ...smBody({ destinationAddr: '1'.repeat(21) }) }
    expect(() => encodePdu(sm)).toThrow(InternalError)
    expect(() => encodePdu({ ...sm, destinationAddr: '1', shortMessage: Buffer.alloc(255) })).toThrow(/254/)
    expect(encodePdu({ command: 'unbind', status: 0, sequence: 2 })).toEqual(frame(6, 0, 2, []))
  })
})

describe('fast paths equal the generic encoder', () => {
  /** The bytes a session's writer holds after one fast-path write (the session sends w.buf[0, pos)). */
  const written = (write: (w: Writer) => void): Buffer => {
    const w = new Writer(64)
    write(w)
    return Buffer.from(w.buf.subarray(0, w.pos))
  }
  it.each([
    [(w: Writer) => writeSubmitSmResp(w, 5, 0, 'abc'), { command: 'submit_sm_resp', status: 0, sequence: 5, messageId: 'abc' }],
    [(w: Writer) => writeSubmitSmResp(w, 5, 0x58, 'ignored'), { command: 'submit_sm_resp', status: 0x58, sequence: 5, messageId: '' }],
    [(w: Writer) => writeDeliverSmResp(w, 6, 0), { command: 'deliver_sm_resp', status: 0, sequence: 6, messageId: '' }],
    [(w: Writer) => writeDeliverSmResp(w, 6, 8), { command: 'deliver_sm_resp', status: 8, sequence: 6, messageId: '' }],
    [(w: Writer) => writeHeader(w, CommandId.enquire_link_resp, 0x7fffffff), { command: 'enquire_link_resp', status: 0, sequence: 0x7fffffff }],
    [(w: Writer) => writeHeader(w, CommandId.enquire_link, 3), { command: 'enquire_link', status: 0, sequence: 3 }],
    [(w: Writer) => writeHeader(w, CommandId.generic_nack, 9, Status.ESME_RINVCMDID), { command: 'generic_nack', status: 3, sequence: 9 }],
  ] as const)('%#', (write, pdu) => {
    expect(written(write).toString('hex')).toBe(encodePdu(pdu as Parameters<typeof encodePdu>[0]).toString('hex'))
  })
})
