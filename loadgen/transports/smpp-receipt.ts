// A deliver_sm -> the receipt the engine gets. Tolerates every variant the simulator (and real
// SMSCs) send: text:/Text:, decimal or hex ids, missing text fields when the TLVs carry them.
// The receipted_message_id TLV wins over the text id (it is the submit_sm_resp id as issued).
// Two entries with one rule: readReceipt for a decoded PDU, readReceiptView for the hot path's
// frame view (smpp/deliver-view.ts), which never builds the PDU.

import { DataCoding, STAT_TEXT, decodeShortMessage, parseReceiptStatus, type DeliverSm, type DeliverSmView } from '../../smpp/index.js'
import type { IncomingReceipt } from './transport.js'
import type { ReceiptIdCanon } from './receipt-ids.js'

// esm_class bits 2..5 give the message type: 0x04 SMSC delivery receipt, 0x20 intermediate notification.
const MESSAGE_TYPE_MASK = 0x3c
const TYPE_RECEIPT = 0x04
const TYPE_INTERMEDIATE = 0x20

const isReceipt = (esmClass: number) => {
  const type = esmClass & MESSAGE_TYPE_MASK
  return type === TYPE_RECEIPT || type === TYPE_INTERMEDIATE
}

/** 'mo' for an ordinary message, undefined for a receipt that cannot be read. */
export function readReceipt(pdu: DeliverSm, canon: ReceiptIdCanon): IncomingReceipt | 'mo' | undefined {
  if (!isReceipt(pdu.esmClass)) return 'mo'
  const tlvs = pdu.tlvs
  // Receipt text is ASCII: reading it as latin1 skips the GSM-7 table walk.
  const text = pdu.dataCoding === DataCoding.UCS2 ? decodeShortMessage(pdu) : (tlvs?.messagePayload ?? pdu.shortMessage).toString('latin1')
  const tlvId = tlvs?.receiptedMessageId
  const state = tlvs?.messageState ?? -1
  const netErr = tlvs?.networkErrorCode ? tlvs.networkErrorCode.code : -1
  return fromParts(text, tlvId ? canon.tlvId(tlvId) : undefined, state, netErr, canon)
}

/**
 * The same reading from a frame view. undefined when the view cannot settle it (not a receipt, UCS-2
 * text, unreadable): the caller then decodes the frame and uses readReceipt, which counts those.
 */
export function readReceiptView(frame: Buffer, v: DeliverSmView, canon: ReceiptIdCanon): IncomingReceipt | undefined {
  if (!isReceipt(v.esmClass) || v.dataCoding === DataCoding.UCS2) return undefined
  const text = v.payloadStart >= 0 ? frame.toString('latin1', v.payloadStart, v.payloadEnd) : frame.toString('latin1', v.smStart, v.smEnd)
  const tlvId = v.idEnd > v.idStart ? canon.tlvId(frame.toString('latin1', v.idStart, v.idEnd)) : undefined
  return fromParts(text, tlvId, v.messageState, v.networkErrorCode, canon)
}

function fromParts(text: string, tlvId: string | undefined, state: number, netErr: number, canon: ReceiptIdCanon): IncomingReceipt | undefined {
  // Only id, stat and err are needed: the fast reader skips the dates and the text field.
  const r = parseReceiptStatus(text)
  const messageId = tlvId ?? (r ? canon.textId(r.id) : undefined)
  const stat = r?.stat ?? (state >= 0 ? STAT_TEXT[state] : undefined)
  if (messageId === undefined || !stat) return undefined
  const err = r?.err || (netErr >= 0 ? String(netErr) : '')
  return { messageId, stat, final: stat !== 'ENROUTE' && stat !== 'ACCEPTD', err }
}
