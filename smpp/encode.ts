// PDU -> bytes. `writePdu` appends to any Writer (the session's outbound queue); `encodePdu`
// and the fast paths return an owned Buffer built in a module-level scratch writer.

import { bug } from '../lib/errors.js'
import { CommandId, EsmClass, MaxLen, NetworkType, Tlv } from './constants.js'
import type { PduInput, SmBody, SmTlvs, SubmitMulti, SubmitMultiResp } from './pdu.js'
import { writeGsm7 } from './text.js'
import { Writer } from './writer.js'

const scratch = new Writer(4096)

/** Encode any modelled PDU to an owned Buffer. Throws RangeError on out-of-spec field values. */
export function encodePdu(pdu: PduInput): Buffer {
  writePdu(scratch, pdu)
  return scratch.end()
}

/**
 * Append one PDU to `w` and finish it. Per spec (sections 4.1.2, 4.4.2, 4.6.2) a response with a
 * non-zero command_status carries no body, so those are written header-only (as the `smpp`
 * package does); generic_nack and other header-only kinds never have one.
 */
export function writePdu(w: Writer, pdu: PduInput): void {
  const mark = w.pos
  try {
    writeBody(w, pdu)
  } catch (err) {
    w.pos = mark // never leave half a PDU in a queue
    throw err
  }
}

function writeBody(w: Writer, pdu: PduInput): void {
  const id = pdu.commandId ?? CommandId[pdu.command]
  w.begin(id, pdu.status, pdu.sequence)
  if (pdu.status !== 0 && (id & 0x80000000) !== 0) {
    w.finish()
    return
  }
  switch (pdu.command) {
    case 'submit_sm': // 0x00000004
    case 'deliver_sm': // 0x00000005
      writeSmBody(w, pdu)
      break
    case 'submit_multi': // 0x00000021
      writeSubmitMultiBody(w, pdu)
      break
    case 'submit_multi_resp': // 0x80000021
      writeSubmitMultiRespBody(w, pdu)
      break
    case 'bind_receiver': // 0x00000001
    case 'bind_transmitter': // 0x00000002
    case 'bind_transceiver': // 0x00000009
      w.cstr(pdu.systemId, MaxLen.systemId)
        .cstr(pdu.password, MaxLen.password)
        .cstr(pdu.systemType, MaxLen.systemType)
        .u8(pdu.interfaceVersion)
        .u8(pdu.addrTon)
        .u8(pdu.addrNpi)
        .cstr(pdu.addressRange, MaxLen.addressRange)
      break
    case 'bind_receiver_resp': // 0x80000001
    case 'bind_transmitter_resp': // 0x80000002
    case 'bind_transceiver_resp': // 0x80000009
      w.cstr(pdu.systemId, MaxLen.systemId)
      if (pdu.scInterfaceVersion !== undefined) w.u16(Tlv.sc_interface_version).u16(1).u8(pdu.scInterfaceVersion)
      if (pdu.tlvs) writeTlvs(w, pdu.tlvs)
      break
    case 'submit_sm_resp': // 0x80000004
    case 'deliver_sm_resp': // 0x80000005
      w.cstr(pdu.messageId, MaxLen.messageId)
      if (pdu.tlvs) writeTlvs(w, pdu.tlvs)
      break
    case 'generic_nack': // 0x80000000
    case 'enquire_link': // 0x00000015
    case 'enquire_link_resp': // 0x80000015
    case 'unbind': // 0x00000006
    case 'unbind_resp': // 0x80000006
      break
    default: // raw kinds: the caller supplied the encoded body
      w.octets(pdu.body)
  }
  w.finish()
}

function writeSmBody(w: Writer, b: SmBody): void {
  const sm = b.shortMessage
  // Segmentation (text.ts) keeps every short_message within 254 octets: longer is a bug.
  if (sm.length > MaxLen.shortMessage) bug(`short_message of ${sm.length} octets exceeds 254; use message_payload`)
  w.cstr(b.serviceType, MaxLen.serviceType)
    .u8(b.sourceAddrTon)
    .u8(b.sourceAddrNpi)
    .cstr(b.sourceAddr, MaxLen.addr)
    .u8(b.destAddrTon)
    .u8(b.destAddrNpi)
    .cstr(b.destinationAddr, MaxLen.addr)
    .u8(b.esmClass)
    .u8(b.protocolId)
    .u8(b.priorityFlag)
    .cstr(b.scheduleDeliveryTime, MaxLen.time)
    .cstr(b.validityPeriod, MaxLen.time)
    .u8(b.registeredDelivery)
    .u8(b.replaceIfPresentFlag)
    .u8(b.dataCoding)
    .u8(b.smDefaultMsgId)
    .u8(sm.length)
    .octets(sm)
  if (b.tlvs) writeTlvs(w, b.tlvs)
}

function writeSubmitMultiBody(w: Writer, b: Omit<SubmitMulti, 'commandId'>): void {
  const n = b.destAddresses.length
  // Callers group at most max_destinations (schema: 1..254) per PDU: anything else is a bug.
  if (n < 1 || n > MaxLen.multiDestinations) bug(`submit_multi with ${n} destinations; number_of_dests is 1 to ${MaxLen.multiDestinations}`)
  const sm = b.shortMessage
  if (sm.length > MaxLen.shortMessage) bug(`short_message of ${sm.length} octets exceeds 254; use message_payload`)
  w.cstr(b.serviceType, MaxLen.serviceType).u8(b.sourceAddrTon).u8(b.sourceAddrNpi).cstr(b.sourceAddr, MaxLen.addr).u8(n)
  for (const d of b.destAddresses) {
    if (d.destFlag === 1) w.u8(1).u8(d.destAddrTon).u8(d.destAddrNpi).cstr(d.destinationAddr, MaxLen.addr)
    else w.u8(2).cstr(d.dlName, MaxLen.dlName)
  }
  w.u8(b.esmClass)
    .u8(b.protocolId)
    .u8(b.priorityFlag)
    .cstr(b.scheduleDeliveryTime, MaxLen.time)
    .cstr(b.validityPeriod, MaxLen.time)
    .u8(b.registeredDelivery)
    .u8(b.replaceIfPresentFlag)
    .u8(b.dataCoding)
    .u8(b.smDefaultMsgId)
    .u8(sm.length)
    .octets(sm)
  if (b.tlvs) writeTlvs(w, b.tlvs)
}

function writeSubmitMultiRespBody(w: Writer, r: Omit<SubmitMultiResp, 'commandId'>): void {
  const n = r.unsuccessSmes.length
  if (n > MaxLen.multiDestinations) bug(`submit_multi_resp with ${n} unsuccess_sme entries; at most ${MaxLen.multiDestinations}`)
  w.cstr(r.messageId, MaxLen.messageId).u8(n)
  for (const u of r.unsuccessSmes) w.u8(u.destAddrTon).u8(u.destAddrNpi).cstr(u.destinationAddr, MaxLen.addr).u32(u.errorStatusCode)
}

/** Fixed order: segmentation first, then payload, then receipt TLVs, then unknown ones as given. */
function writeTlvs(w: Writer, t: SmTlvs): void {
  if (t.userMessageReference !== undefined) w.u16(Tlv.user_message_reference).u16(2).u16(t.userMessageReference)
  if (t.sarMsgRefNum !== undefined) w.u16(Tlv.sar_msg_ref_num).u16(2).u16(t.sarMsgRefNum)
  if (t.sarTotalSegments !== undefined) w.u16(Tlv.sar_total_segments).u16(1).u8(t.sarTotalSegments)
  if (t.sarSegmentSeqnum !== undefined) w.u16(Tlv.sar_segment_seqnum).u16(1).u8(t.sarSegmentSeqnum)
  if (t.messagePayload !== undefined) {
    if (t.messagePayload.length > 0xffff) bug('message_payload longer than 65535 octets')
    w.u16(Tlv.message_payload).u16(t.messagePayload.length).octets(t.messagePayload)
  }
  if (t.receiptedMessageId !== undefined) {
    const id = t.receiptedMessageId
    w.u16(Tlv.receipted_message_id).u16(id.length + 1).cstr(id, MaxLen.messageId)
  }
  if (t.messageState !== undefined) w.u16(Tlv.message_state).u16(1).u8(t.messageState)
  if (t.networkErrorCode !== undefined) {
    w.u16(Tlv.network_error_code).u16(3).u8(t.networkErrorCode.type).u16(t.networkErrorCode.code)
  }
  if (t.scInterfaceVersion !== undefined) w.u16(Tlv.sc_interface_version).u16(1).u8(t.scInterfaceVersion)
  if (t.other) {
    for (const o of t.other) w.u16(o.tag).u16(o.value.length).octets(o.value)
  }
}

// ---- fast paths for the responses a simulator sends per message ----

export function writeSubmitSmResp(w: Writer, sequence: number, status: number, messageId: string): void {
  w.begin(CommandId.submit_sm_resp, status, sequence)
  if (status === 0) w.cstr(messageId, MaxLen.messageId)
  w.finish()
}

export function writeDeliverSmResp(w: Writer, sequence: number, status: number): void {
  // message_id is unused in deliver_sm_resp and set to NULL (one 0x00 octet) on success.
  w.begin(CommandId.deliver_sm_resp, status, sequence)
  if (status === 0) w.u8(0)
  w.finish()
}

export function writeHeader(w: Writer, commandId: number, sequence: number, status = 0): void {
  w.begin(commandId, status, sequence).finish()
}

/**
 * A delivery receipt deliver_sm (esm_class 0x04, data_coding 0, GSM-7 text) as a simulator sends
 * one per message. The sender keeps ONE such record and refills it per receipt: with
 * writeReceiptDeliverSm that is no PDU object, no TLV objects and no text Buffer per receipt.
 */
export interface ReceiptDeliverSm {
  sourceAddrTon: number
  sourceAddrNpi: number
  /** The handset the message went to. */
  sourceAddr: string
  destAddrTon: number
  destAddrNpi: number
  /** The original sender. */
  destinationAddr: string
  /** Appendix B receipt text, encoded as GSM-7 into short_message. */
  text: string
  /** Add receipted_message_id, message_state and network_error_code (GSM). */
  tlvs: boolean
  receiptedMessageId: string
  messageState: number
  networkErrorCode: number
}

/**
 * Append a receipt deliver_sm: the same octets writePdu writes for the equivalent DeliverSm
 * (asserted in test/smpp), without building it. Throws RangeError (nothing queued) when a field is
 * out of spec, like writePdu.
 */
export function writeReceiptDeliverSm(w: Writer, sequence: number, r: ReceiptDeliverSm): void {
  const mark = w.pos
  try {
    w.begin(CommandId.deliver_sm, 0, sequence)
      .u8(0) // service_type ""
      .u8(r.sourceAddrTon)
      .u8(r.sourceAddrNpi)
      .cstr(r.sourceAddr, MaxLen.addr)
      .u8(r.destAddrTon)
      .u8(r.destAddrNpi)
      .cstr(r.destinationAddr, MaxLen.addr)
      .u8(EsmClass.RECEIPT)
    // protocol_id, priority_flag, schedule_delivery_time "", validity_period "", registered_delivery,
    // replace_if_present_flag, data_coding, sm_default_msg_id: all 0.
    w.ensure(8 + 1 + 2 * r.text.length)
    w.buf.fill(0, w.pos, w.pos + 8)
    const lengthAt = w.pos + 8
    const n = writeGsm7(w.buf, lengthAt + 1, r.text)
    if (n > MaxLen.shortMessage) bug(`short_message of ${n} octets exceeds 254; use message_payload`)
    w.buf[lengthAt] = n
    w.pos = lengthAt + 1 + n
    if (r.tlvs) {
      const id = r.receiptedMessageId
      w.u16(Tlv.receipted_message_id).u16(id.length + 1).cstr(id, MaxLen.messageId)
      w.u16(Tlv.message_state).u16(1).u8(r.messageState)
      w.u16(Tlv.network_error_code).u16(3).u8(NetworkType.GSM).u16(r.networkErrorCode)
    }
    w.finish()
  } catch (err) {
    w.pos = mark
    throw err
  }
}
