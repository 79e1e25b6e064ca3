// Bytes -> PDU. One whole frame in, one plain object out, or a PduError carrying the
// command_status to answer with. The cursor is module state (decoding is synchronous), so a
// decode allocates only the PDU, its strings and subarray views.

import { DestFlag, MaxLen, RESPONSE_BIT, Status, Tlv, commandName } from './constants.js'
import type { Bind, BindResp, DeliverSm, MultiDestination, Pdu, RawCommand, SmTlvs, SubmitMulti, SubmitMultiResp, SubmitSm, UnsuccessSme } from './pdu.js'

/**
 * A PDU we cannot accept. `status` is what to answer (usually in a generic_nack), `sequence` and
 * `commandId` are taken from the header when it was readable. `fatal` means the byte stream
 * itself is broken (bad command_length): answer, then close the connection.
 */
export class PduError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly sequence = 0,
    readonly commandId = 0,
    readonly fatal = false,
  ) {
    super(message)
    this.name = 'PduError'
  }
}

let buf: Buffer = Buffer.alloc(0)
let pos = 0
let end = 0
let seq = 0
let cid = 0

function fail(message: string, status: number): never {
  throw new PduError(message, status, seq, cid)
}

function u8(): number {
  if (pos >= end) fail('PDU body truncated', Status.ESME_RINVCMDLEN)
  return buf[pos++]!
}

/** C-octet string: NUL must occur inside the frame and within `max` octets (incl. the NUL). */
function cstr(max: number, status: number): string {
  // A plain loop: SMPP C-strings are a few octets, where Buffer.indexOf's call overhead dominates
  // (six of them per submit_sm on the simulator's hot path).
  let nul = pos
  while (nul < end && buf[nul] !== 0) nul++
  if (nul >= end) fail('C-string without NUL terminator', Status.ESME_RINVCMDLEN)
  if (nul - pos >= max) fail(`C-string longer than ${max - 1}`, status)
  const s = nul === pos ? '' : buf.toString('latin1', pos, nul)
  pos = nul + 1
  return s
}

/** Decode one whole PDU (header included). `frame.length` must equal command_length. */
export function decodePdu(frame: Buffer): Pdu {
  seq = 0
  cid = 0
  if (frame.length < 16) throw new PduError(`PDU of ${frame.length} octets is shorter than a header`, Status.ESME_RINVCMDLEN, 0, 0, true)
  const len = frame.readUInt32BE(0)
  cid = frame.readUInt32BE(4)
  const status = frame.readUInt32BE(8)
  seq = frame.readUInt32BE(12)
  if (len !== frame.length) fail(`command_length ${len} does not match frame of ${frame.length}`, Status.ESME_RINVCMDLEN)
  const command = commandName(cid)
  if (command === undefined) fail(`unknown command_id 0x${cid.toString(16).padStart(8, '0')}`, Status.ESME_RINVCMDID)
  buf = frame
  pos = 16
  end = len
  const commandId = cid
  const sequence = seq
  // A response with an error status may omit its body entirely (sections 4.1.2, 4.4.2, 4.6.2).
  const bodyless = pos === end && status !== 0 && (cid & RESPONSE_BIT) !== 0
  switch (command) {
    case 'submit_sm': // 0x00000004
    case 'deliver_sm': // 0x00000005
      return readSm(command, commandId, status, sequence)
    case 'submit_multi': // 0x00000021
      return readSubmitMulti(commandId, status, sequence)
    case 'submit_multi_resp': { // 0x80000021
      const messageId = bodyless ? '' : cstr(MaxLen.messageId, Status.ESME_RINVMSGID)
      const unsuccessSmes: UnsuccessSme[] = []
      // Some SMSCs end the body after message_id when every destination was accepted.
      const n = pos < end ? u8() : 0
      for (let i = 0; i < n; i++) {
        const destAddrTon = u8()
        const destAddrNpi = u8()
        const destinationAddr = cstr(MaxLen.addr, Status.ESME_RINVDSTADR)
        if (end - pos < 4) fail('unsuccess_sme truncated', Status.ESME_RINVCMDLEN)
        unsuccessSmes.push({ destAddrTon, destAddrNpi, destinationAddr, errorStatusCode: buf.readUInt32BE(pos) })
        pos += 4
      }
      if (pos !== end) fail('trailing octets after submit_multi_resp body', Status.ESME_RINVCMDLEN)
      const p: SubmitMultiResp = { command, commandId, status, sequence, messageId, unsuccessSmes }
      return p
    }
    case 'submit_sm_resp': // 0x80000004
    case 'deliver_sm_resp': { // 0x80000005
      const messageId = bodyless ? '' : cstr(MaxLen.messageId, Status.ESME_RINVMSGID)
      const tlvs = pos < end ? readTlvs() : undefined
      return tlvs ? { command, commandId, status, sequence, messageId, tlvs } : { command, commandId, status, sequence, messageId }
    }
    case 'bind_receiver': // 0x00000001
    case 'bind_transmitter': // 0x00000002
    case 'bind_transceiver': { // 0x00000009
      const p: Bind = {
        command,
        commandId,
        status,
        sequence,
        systemId: cstr(MaxLen.systemId, Status.ESME_RINVSYSID),
        password: cstr(MaxLen.password, Status.ESME_RINVPASWD),
        systemType: cstr(MaxLen.systemType, Status.ESME_RINVSYSTYP),
        interfaceVersion: u8(),
        addrTon: u8(),
        addrNpi: u8(),
        addressRange: cstr(MaxLen.addressRange, Status.ESME_RINVPARLEN),
      }
      if (pos !== end) fail('trailing octets after bind body', Status.ESME_RINVCMDLEN)
      return p
    }
    case 'bind_receiver_resp': // 0x80000001
    case 'bind_transmitter_resp': // 0x80000002
    case 'bind_transceiver_resp': { // 0x80000009
      const p: BindResp = { command, commandId, status, sequence, systemId: bodyless ? '' : cstr(MaxLen.systemId, Status.ESME_RINVSYSID) }
      if (pos < end) {
        const tlvs = readTlvs()
        if (tlvs.scInterfaceVersion !== undefined) p.scInterfaceVersion = tlvs.scInterfaceVersion
        if (tlvs.other) p.tlvs = { other: tlvs.other }
      }
      return p
    }
    case 'generic_nack': // 0x80000000
    case 'enquire_link': // 0x00000015
    case 'enquire_link_resp': // 0x80000015
    case 'unbind': // 0x00000006
    case 'unbind_resp': // 0x80000006
      if (end !== 16) fail(`${command} must have no body`, Status.ESME_RINVCMDLEN)
      return { command, commandId, status, sequence }
    default:
      return { command: command as RawCommand, commandId, status, sequence, body: frame.subarray(16) }
  }
}

function readSm(command: 'submit_sm' | 'deliver_sm', commandId: number, status: number, sequence: number): SubmitSm | DeliverSm {
  const serviceType = cstr(MaxLen.serviceType, Status.ESME_RINVSERTYP)
  const sourceAddrTon = u8()
  const sourceAddrNpi = u8()
  const sourceAddr = cstr(MaxLen.addr, Status.ESME_RINVSRCADR)
  const destAddrTon = u8()
  const destAddrNpi = u8()
  const destinationAddr = cstr(MaxLen.addr, Status.ESME_RINVDSTADR)
  const esmClass = u8()
  const protocolId = u8()
  const priorityFlag = u8()
  const scheduleDeliveryTime = cstr(MaxLen.time, Status.ESME_RINVSCHED)
  const validityPeriod = cstr(MaxLen.time, Status.ESME_RINVEXPIRY)
  const registeredDelivery = u8()
  const replaceIfPresentFlag = u8()
  const dataCoding = u8()
  const smDefaultMsgId = u8()
  const smLength = u8()
  if (smLength > MaxLen.shortMessage || pos + smLength > end) fail(`sm_length ${smLength} invalid`, Status.ESME_RINVMSGLEN)
  const shortMessage = buf.subarray(pos, pos + smLength)
  pos += smLength
  // Built in one literal (tlvs always present, maybe undefined) so every decoded SM shares one shape.
  return {
    command, commandId, status, sequence, serviceType, sourceAddrTon, sourceAddrNpi, sourceAddr, destAddrTon, destAddrNpi, destinationAddr,
    esmClass, protocolId, priorityFlag, scheduleDeliveryTime, validityPeriod, registeredDelivery,
    replaceIfPresentFlag, dataCoding, smDefaultMsgId, shortMessage,
    tlvs: pos < end ? readTlvs() : undefined,
  } as SubmitSm | DeliverSm
}

function readSubmitMulti(commandId: number, status: number, sequence: number): SubmitMulti {
  const serviceType = cstr(MaxLen.serviceType, Status.ESME_RINVSERTYP)
  const sourceAddrTon = u8()
  const sourceAddrNpi = u8()
  const sourceAddr = cstr(MaxLen.addr, Status.ESME_RINVSRCADR)
  const n = u8()
  if (n === 0 || n > MaxLen.multiDestinations) fail(`number_of_dests ${n}, expected 1 to ${MaxLen.multiDestinations}`, Status.ESME_RINVNUMDESTS)
  const destAddresses: MultiDestination[] = []
  for (let i = 0; i < n; i++) {
    const flag = u8()
    if (flag === DestFlag.SME_ADDRESS) {
      const destAddrTon = u8()
      const destAddrNpi = u8()
      destAddresses.push({ destFlag: 1, destAddrTon, destAddrNpi, destinationAddr: cstr(MaxLen.addr, Status.ESME_RINVDSTADR) })
    } else if (flag === DestFlag.DISTRIBUTION_LIST) {
      destAddresses.push({ destFlag: 2, dlName: cstr(MaxLen.dlName, Status.ESME_RINVDLNAME) })
    } else fail(`dest_flag ${flag}, expected 1 (SME address) or 2 (distribution list)`, Status.ESME_RINVDESTFLAG)
  }
  const esmClass = u8()
  const protocolId = u8()
  const priorityFlag = u8()
  const scheduleDeliveryTime = cstr(MaxLen.time, Status.ESME_RINVSCHED)
  const validityPeriod = cstr(MaxLen.time, Status.ESME_RINVEXPIRY)
  const registeredDelivery = u8()
  const replaceIfPresentFlag = u8()
  const dataCoding = u8()
  const smDefaultMsgId = u8()
  const smLength = u8()
  if (smLength > MaxLen.shortMessage || pos + smLength > end) fail(`sm_length ${smLength} invalid`, Status.ESME_RINVMSGLEN)
  const shortMessage = buf.subarray(pos, pos + smLength)
  pos += smLength
  return {
    command: 'submit_multi', commandId, status, sequence, serviceType, sourceAddrTon, sourceAddrNpi, sourceAddr, destAddresses,
    esmClass, protocolId, priorityFlag, scheduleDeliveryTime, validityPeriod, registeredDelivery,
    replaceIfPresentFlag, dataCoding, smDefaultMsgId, shortMessage,
    tlvs: pos < end ? readTlvs() : undefined,
  }
}

function readTlvs(): SmTlvs {
  const t: SmTlvs = {}
  while (pos < end) {
    if (end - pos < 4) fail('truncated TLV header', Status.ESME_RINVOPTPARSTREAM)
    const tag = buf.readUInt16BE(pos)
    const len = buf.readUInt16BE(pos + 2)
    pos += 4
    if (pos + len > end) fail(`TLV 0x${tag.toString(16)} overruns the PDU`, Status.ESME_RINVPARLEN)
    const next = pos + len
    switch (tag) {
      case Tlv.user_message_reference: t.userMessageReference = fixed(len, 2); break
      case Tlv.sar_msg_ref_num: t.sarMsgRefNum = fixed(len, 2); break
      case Tlv.sar_total_segments: t.sarTotalSegments = fixed(len, 1); break
      case Tlv.sar_segment_seqnum: t.sarSegmentSeqnum = fixed(len, 1); break
      case Tlv.message_state: t.messageState = fixed(len, 1); break
      case Tlv.sc_interface_version: t.scInterfaceVersion = fixed(len, 1); break
      case Tlv.message_payload: t.messagePayload = buf.subarray(pos, next); break
      case Tlv.network_error_code:
        if (len !== 3) fail('network_error_code must be 3 octets', Status.ESME_RINVPARLEN)
        t.networkErrorCode = { type: buf[pos]!, code: buf.readUInt16BE(pos + 1) }
        break
      case Tlv.receipted_message_id: {
        // Some SMSCs omit the NUL inside the TLV; the TLV length bounds the string anyway.
        if (len > MaxLen.messageId) fail('receipted_message_id too long', Status.ESME_RINVPARLEN)
        const nul = buf.indexOf(0, pos)
        t.receiptedMessageId = buf.toString('latin1', pos, nul >= 0 && nul < next ? nul : next)
        break
      }
      default:
        ;(t.other ??= []).push({ tag, value: buf.subarray(pos, next) })
    }
    pos = next
  }
  return t
}

function fixed(len: number, size: 1 | 2): number {
  if (len !== size) fail(`TLV length ${len}, expected ${size}`, Status.ESME_RINVPARLEN)
  return size === 1 ? buf[pos]! : buf.readUInt16BE(pos)
}
