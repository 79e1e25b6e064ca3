// A deliver_sm -> the receipt the engine gets. Tolerates every variant the simulator (and real
// SMSCs) send: text:/Text:, decimal or hex ids, missing text fields when the TLVs carry them.
// The receipted_message_id TLV wins over the text id (it is the submit_sm_resp id as issued).

import { DataCoding, STAT_TEXT, decodeShortMessage, parseReceiptStatus, type DeliverSm } from '../../smpp/index.js'
import type { IncomingReceipt } from '../transport.js'
import type { ReceiptIdCanon } from './receipt-ids.js'

// esm_class bits 2..5 give the message type: 0x04 SMSC delivery receipt, 0x20 intermediate notification.
const MESSAGE_TYPE_MASK = 0x3c
const TYPE_RECEIPT = 0x04
const TYPE_INTERMEDIATE = 0x20

/** 'mo' for an ordinary message, undefined for a receipt that cannot be read. */
export function readReceipt(pdu: DeliverSm, canon: ReceiptIdCanon): IncomingReceipt | 'mo' | undefined {
  const type = pdu.esmClass & MESSAGE_TYPE_MASK
  if (type !== TYPE_RECEIPT && type !== TYPE_INTERMEDIATE) return 'mo'
  const tlvs = pdu.tlvs
  // Receipt text is ASCII: reading it as latin1 skips the GSM-7 table walk.
  const text = pdu.dataCoding === DataCoding.UCS2 ? decodeShortMessage(pdu) : (tlvs?.messagePayload ?? pdu.shortMessage).toString('latin1')
  // Only id, stat and err are needed: the fast reader skips the dates and the text field.
  const r = parseReceiptStatus(text)
  const tlvId = tlvs?.receiptedMessageId
  const messageId = tlvId ? canon.tlvId(tlvId) : r ? canon.textId(r.id) : undefined
  const stat = r?.stat ?? (tlvs?.messageState !== undefined ? STAT_TEXT[tlvs.messageState] : undefined)
  if (messageId === undefined || !stat) return undefined
  const err = r?.err || (tlvs?.networkErrorCode ? String(tlvs.networkErrorCode.code) : '')
  return { messageId, stat, final: stat !== 'ENROUTE' && stat !== 'ACCEPTD', err }
}
