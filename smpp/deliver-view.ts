// A lean read of a deliver_sm straight from its frame, for the load generator's receipt path:
// offsets and numbers into a caller-owned view, no PDU object, no TLV object, no strings. At
// 100k receipts/s decodePdu's objects and strings were a fifth of the load generator's CPU
// (bench/ full-cycle profile).
//
// The view accepts only what decodePdu accepts (same field limits, same TLV rules); on anything
// it would reject, or does not know, it returns false and the caller decodes the frame the full
// way, which answers the error. test/smpp/deliver-view.test.ts holds the two to the same verdicts.

import { CommandId, MaxLen, Tlv } from './constants.js'

export interface DeliverSmView {
  sequence: number
  esmClass: number
  dataCoding: number
  /** short_message octets [smStart, smEnd). */
  smStart: number
  smEnd: number
  /** message_payload TLV octets, or -1 when absent. */
  payloadStart: number
  payloadEnd: number
  /** receipted_message_id TLV (up to its NUL), or -1 when absent. */
  idStart: number
  idEnd: number
  /** message_state TLV, or -1. */
  messageState: number
  /** network_error_code TLV's error code, or -1. */
  networkErrorCode: number
}

export function deliverSmView(): DeliverSmView {
  return { sequence: 0, esmClass: 0, dataCoding: 0, smStart: 0, smEnd: 0, payloadStart: -1, payloadEnd: -1, idStart: -1, idEnd: -1, messageState: -1, networkErrorCode: -1 }
}

/** Offset after a C-octet string at `pos` of at most `max` octets (NUL included), or -1. */
function skipCstr(f: Buffer, pos: number, end: number, max: number): number {
  const limit = Math.min(end, pos + max)
  for (let i = pos; i < limit; i++) if (f[i] === 0) return i + 1
  return -1
}

/** Fills `v` from a whole deliver_sm frame; false when the frame needs the full decoder. */
export function viewDeliverSm(f: Buffer, v: DeliverSmView): boolean {
  const end = f.length
  if (end < 16 || f.readUInt32BE(0) !== end || f.readUInt32BE(4) !== CommandId.deliver_sm) return false
  v.sequence = f.readUInt32BE(12)
  let p = skipCstr(f, 16, end, MaxLen.serviceType)
  if (p < 0 || p + 2 > end) return false
  p = skipCstr(f, p + 2, end, MaxLen.addr) // after source_addr_ton, _npi
  if (p < 0 || p + 2 > end) return false
  p = skipCstr(f, p + 2, end, MaxLen.addr) // after dest_addr_ton, _npi
  if (p < 0 || p + 3 > end) return false
  v.esmClass = f[p]!
  p = skipCstr(f, p + 3, end, MaxLen.time) // after esm_class, protocol_id, priority_flag
  if (p < 0) return false
  p = skipCstr(f, p, end, MaxLen.time)
  if (p < 0 || p + 5 > end) return false
  v.dataCoding = f[p + 2]! // after registered_delivery, replace_if_present_flag
  const smLength = f[p + 4]!
  p += 5
  if (smLength > MaxLen.shortMessage || p + smLength > end) return false
  v.smStart = p
  v.smEnd = p += smLength
  v.payloadStart = v.payloadEnd = v.idStart = v.idEnd = v.messageState = v.networkErrorCode = -1
  while (p < end) {
    if (end - p < 4) return false
    const tag = f.readUInt16BE(p)
    const len = f.readUInt16BE(p + 2)
    p += 4
    const next = p + len
    if (next > end) return false
    switch (tag) {
      case Tlv.receipted_message_id: {
        if (len > MaxLen.messageId) return false
        let nul = p
        while (nul < next && f[nul] !== 0) nul++
        v.idStart = p
        v.idEnd = nul
        break
      }
      case Tlv.message_state:
        if (len !== 1) return false
        v.messageState = f[p]!
        break
      case Tlv.network_error_code:
        if (len !== 3) return false
        v.networkErrorCode = f.readUInt16BE(p + 1)
        break
      case Tlv.message_payload:
        v.payloadStart = p
        v.payloadEnd = next
        break
      case Tlv.user_message_reference:
      case Tlv.sar_msg_ref_num:
        if (len !== 2) return false
        break
      case Tlv.sar_total_segments:
      case Tlv.sar_segment_seqnum:
      case Tlv.sc_interface_version:
        if (len !== 1) return false
        break
      // Any other TLV is carried, not read (decodePdu keeps it in tlvs.other).
    }
    p = next
  }
  return true
}
