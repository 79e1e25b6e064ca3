// Differential tests against the `smpp` npm package (0.5.1): for every PDU kind and field
// combination mtsim emits, our bytes equal the package's, and each side reads the other's output.
import smpp from 'smpp'
import { describe, expect, it } from 'vitest'
import { decodePdu, decodeShortMessage, encodeGsm7, encodePdu, smBody, type PduInput, type SmBody, type SmTlvs } from '../../smpp/index.js'

type Opts = Record<string, unknown>
const theirsEncode = (command: string, opts: Opts): Buffer => new smpp.PDU(command, opts).toBuffer()
const theirsDecode = (b: Buffer): Record<string, any> => smpp.PDU.fromBuffer(b)

const snake: Record<keyof Omit<SmBody, 'tlvs'>, string> = {
  serviceType: 'service_type', sourceAddrTon: 'source_addr_ton', sourceAddrNpi: 'source_addr_npi', sourceAddr: 'source_addr',
  destAddrTon: 'dest_addr_ton', destAddrNpi: 'dest_addr_npi', destinationAddr: 'destination_addr', esmClass: 'esm_class',
  protocolId: 'protocol_id', priorityFlag: 'priority_flag', scheduleDeliveryTime: 'schedule_delivery_time',
  validityPeriod: 'validity_period', registeredDelivery: 'registered_delivery', replaceIfPresentFlag: 'replace_if_present_flag',
  dataCoding: 'data_coding', smDefaultMsgId: 'sm_default_msg_id', shortMessage: 'short_message',
}

/** The package writes TLVs in option-key order; list them in our encoder's fixed order. */
function tlvOpts(t: SmTlvs | undefined): Opts {
  const o: Opts = {}
  if (!t) return o
  if (t.userMessageReference !== undefined) o.user_message_reference = t.userMessageReference
  if (t.sarMsgRefNum !== undefined) o.sar_msg_ref_num = t.sarMsgRefNum
  if (t.sarTotalSegments !== undefined) o.sar_total_segments = t.sarTotalSegments
  if (t.sarSegmentSeqnum !== undefined) o.sar_segment_seqnum = t.sarSegmentSeqnum
  if (t.messagePayload !== undefined) o.message_payload = t.messagePayload
  if (t.receiptedMessageId !== undefined) o.receipted_message_id = t.receiptedMessageId
  if (t.messageState !== undefined) o.message_state = t.messageState
  if (t.networkErrorCode !== undefined) o.network_error_code = Buffer.from([t.networkErrorCode.type, t.networkErrorCode.code >> 8, t.networkErrorCode.code & 0xff])
  return o
}

function smOpts(b: SmBody, sequence: number): Opts {
  const o: Opts = { sequence_number: sequence }
  for (const [k, v] of Object.entries(snake)) o[v] = (b as unknown as Record<string, unknown>)[k]
  return { ...o, ...tlvOpts(b.tlvs) }
}

// Field combinations: text/encoding, esm_class, registered_delivery, addressing, times, TLV sets.
const texts: [number, Buffer, string][] = [
  [0, encodeGsm7('Hello @ world €5 {x}'), 'Hello @ world €5 {x}'],
  [8, Buffer.from('Привет 😀', 'utf16le').swap16(), 'Привет 😀'],
  [3, Buffer.from('Grüße', 'latin1'), 'Grüße'],
]
const tlvSets: (SmTlvs | undefined)[] = [
  undefined,
  { receiptedMessageId: '4F2A9C01', messageState: 2, networkErrorCode: { type: 3, code: 0 } },
  { receiptedMessageId: 'x'.repeat(64), messageState: 5, networkErrorCode: { type: 3, code: 0x0115 } },
  { sarMsgRefNum: 513, sarTotalSegments: 3, sarSegmentSeqnum: 1 },
  { userMessageReference: 65535, sarMsgRefNum: 1, sarTotalSegments: 2, sarSegmentSeqnum: 2 },
  { messagePayload: Buffer.alloc(600, 0x41) },
  { messageState: 8 },
]
const bodies: SmBody[] = []
for (const [dc, sm] of texts) {
  for (const esm of [0, 4, 0x40]) {
    for (const rd of [0, 1, 0x11]) {
      bodies.push(smBody({
        serviceType: rd ? 'CMT' : '', sourceAddrTon: 5, sourceAddrNpi: 0, sourceAddr: 'MTSIM', destAddrTon: 1, destAddrNpi: 1,
        destinationAddr: '4917012345678', esmClass: esm, protocolId: rd, priorityFlag: esm ? 1 : 0,
        scheduleDeliveryTime: rd === 0x11 ? '250101120000000+' : '', validityPeriod: rd === 1 ? '000001000000000R' : '',
        registeredDelivery: rd, replaceIfPresentFlag: 0, dataCoding: dc, smDefaultMsgId: 0, shortMessage: sm,
      }))
    }
  }
}

describe('submit_sm / deliver_sm vs smpp package', () => {
  let n = 0
  for (const command of ['submit_sm', 'deliver_sm'] as const) {
    for (const [bi, body] of bodies.entries()) {
      for (const [ti, tlvs] of tlvSets.entries()) {
        const seq = ++n * 7919
        const ours: PduInput = { command, status: 0, sequence: seq, ...body, ...(tlvs ? { tlvs } : {}) }
        it(`${command} body#${bi} tlvs#${ti}`, () => {
          const theirs = theirsEncode(command, smOpts({ ...body, tlvs }, seq))
          const mine = encodePdu(ours)
          expect(mine.toString('hex')).toBe(theirs.toString('hex'))
          // We read what they write...
          const decoded = decodePdu(theirs)
          expect(decoded).toMatchObject({ command, sequence: seq, sourceAddr: body.sourceAddr, destinationAddr: body.destinationAddr, esmClass: body.esmClass, dataCoding: body.dataCoding })
          expect(decoded).toEqual({ ...ours, commandId: command === 'submit_sm' ? 4 : 5 })
          // ...and they read what we write (their filters decode text by data_coding).
          const p = theirsDecode(mine)
          expect(p.command).toBe(command)
          expect(p.destination_addr).toBe(body.destinationAddr)
          expect(p.registered_delivery).toBe(body.registeredDelivery)
          if (tlvs?.receiptedMessageId) expect(p.receipted_message_id).toBe(tlvs.receiptedMessageId)
          if (tlvs?.messageState) expect(p.message_state).toBe(tlvs.messageState)
          if (tlvs?.sarMsgRefNum) expect([p.sar_msg_ref_num, p.sar_total_segments, p.sar_segment_seqnum]).toEqual([tlvs.sarMsgRefNum, tlvs.sarTotalSegments, tlvs.sarSegmentSeqnum])
          if (tlvs?.networkErrorCode) expect(p.network_error_code[0]).toBe(3)
          // decodeShortMessage prefers message_payload when both are present (spec: mutually exclusive).
          const theirText = tlvs?.messagePayload ? p.message_payload.message : p.short_message.message
          if (body.esmClass !== 0x40) expect(theirText).toBe(decodeShortMessage(decoded as SmBody))
        })
      }
    }
  }
})

const simple: [PduInput, string, Opts][] = [
  [{ command: 'bind_transceiver', status: 0, sequence: 1, systemId: 'loadgen01', password: 'pw123456', systemType: 'LOAD', interfaceVersion: 0x34, addrTon: 1, addrNpi: 1, addressRange: '^49' },
    'bind_transceiver', { sequence_number: 1, system_id: 'loadgen01', password: 'pw123456', system_type: 'LOAD', interface_version: 0x34, addr_ton: 1, addr_npi: 1, address_range: '^49' }],
  [{ command: 'bind_transmitter', status: 0, sequence: 2, systemId: 'a', password: '', systemType: '', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: '' },
    'bind_transmitter', { sequence_number: 2, system_id: 'a', interface_version: 0x34 }],
  [{ command: 'bind_receiver', status: 0, sequence: 3, systemId: 'r', password: 'p', systemType: 'x', interfaceVersion: 0x50, addrTon: 0, addrNpi: 0, addressRange: '' },
    'bind_receiver', { sequence_number: 3, system_id: 'r', password: 'p', system_type: 'x' }],
  [{ command: 'bind_transceiver_resp', status: 0, sequence: 1, systemId: 'MTSIM', scInterfaceVersion: 0x34 }, 'bind_transceiver_resp', { sequence_number: 1, system_id: 'MTSIM', sc_interface_version: 0x34 }],
  [{ command: 'bind_transmitter_resp', status: 0, sequence: 2, systemId: 'MTSIM' }, 'bind_transmitter_resp', { sequence_number: 2, system_id: 'MTSIM' }],
  [{ command: 'bind_receiver_resp', status: 0x0e, sequence: 3, systemId: '' }, 'bind_receiver_resp', { sequence_number: 3, command_status: 0x0e }],
  [{ command: 'submit_sm_resp', status: 0, sequence: 4, messageId: '00000000000000000042' }, 'submit_sm_resp', { sequence_number: 4, message_id: '00000000000000000042' }],
  [{ command: 'submit_sm_resp', status: 0x58, sequence: 5, messageId: '' }, 'submit_sm_resp', { sequence_number: 5, command_status: 0x58 }],
  [{ command: 'deliver_sm_resp', status: 0, sequence: 6, messageId: '' }, 'deliver_sm_resp', { sequence_number: 6 }],
  [{ command: 'deliver_sm_resp', status: 0x08, sequence: 7, messageId: '' }, 'deliver_sm_resp', { sequence_number: 7, command_status: 8 }],
  [{ command: 'enquire_link', status: 0, sequence: 8 }, 'enquire_link', { sequence_number: 8 }],
  [{ command: 'enquire_link_resp', status: 0, sequence: 8 }, 'enquire_link_resp', { sequence_number: 8 }],
  [{ command: 'unbind', status: 0, sequence: 9 }, 'unbind', { sequence_number: 9 }],
  [{ command: 'unbind_resp', status: 0, sequence: 9 }, 'unbind_resp', { sequence_number: 9 }],
  [{ command: 'generic_nack', status: 3, sequence: 10 }, 'generic_nack', { sequence_number: 10, command_status: 3 }],
]

describe('other PDU kinds vs smpp package', () => {
  it.each(simple)('%#: %s', (ours, command, opts) => {
    const theirs = theirsEncode(command, opts)
    const mine = encodePdu(ours)
    expect(mine.toString('hex')).toBe(theirs.toString('hex'))
    expect(decodePdu(theirs)).toMatchObject(ours)
    const p = theirsDecode(mine)
    expect(p.command).toBe(command)
    expect(p.sequence_number).toBe(ours.sequence)
    expect(p.command_status).toBe(ours.status)
    if ('systemId' in ours && ours.systemId) expect(p.system_id).toBe(ours.systemId)
    if ('messageId' in ours && ours.messageId) expect(p.message_id).toBe(ours.messageId)
  })
})
