// Plain typed PDU objects: what decodePdu returns and encodePdu accepts.
// Field names are the spec's, camelCased. Buffers in decoded PDUs (shortMessage, messagePayload,
// other TLV values, body) are subarrays of the socket read buffer: copy them if kept for long.

import type { CommandName } from './constants.js'

interface Header {
  commandId: number
  status: number
  sequence: number
}

/** TLVs mtsim reads and writes by name; anything else lands in `other` (in wire order). */
export interface SmTlvs {
  userMessageReference?: number // 0x0204, u16
  sarMsgRefNum?: number // 0x020C, u16
  sarTotalSegments?: number // 0x020E, u8
  sarSegmentSeqnum?: number // 0x020F, u8
  messagePayload?: Buffer // 0x0424
  receiptedMessageId?: string // 0x001E, C-string
  messageState?: number // 0x0427, u8
  networkErrorCode?: { type: number; code: number } // 0x0423, u8 + u16
  scInterfaceVersion?: number // 0x0210, u8 (bind_*_resp)
  other?: { tag: number; value: Buffer }[]
}

/** The body submit_sm and deliver_sm share (section 4.4.1 / 4.6.1). */
export interface SmBody {
  serviceType: string
  sourceAddrTon: number
  sourceAddrNpi: number
  sourceAddr: string
  destAddrTon: number
  destAddrNpi: number
  destinationAddr: string
  esmClass: number
  protocolId: number
  priorityFlag: number
  scheduleDeliveryTime: string
  validityPeriod: string
  registeredDelivery: number
  replaceIfPresentFlag: number
  dataCoding: number
  smDefaultMsgId: number
  shortMessage: Buffer
  tlvs?: SmTlvs
}

export interface SubmitSm extends Header, SmBody {
  command: 'submit_sm'
}

export interface DeliverSm extends Header, SmBody {
  command: 'deliver_sm'
}

/** One entry of submit_multi's dest_address list (section 4.5.1.1): dest_flag 1 an SME address, 2 a distribution list name. */
export type MultiDestination =
  | { destFlag: 1; destAddrTon: number; destAddrNpi: number; destinationAddr: string }
  | { destFlag: 2; dlName: string }

/** submit_multi (section 4.5.1): submit_sm's body with a list of destinations instead of one. */
export interface SubmitMulti extends Header, Omit<SmBody, 'destAddrTon' | 'destAddrNpi' | 'destinationAddr'> {
  command: 'submit_multi'
  /** 1 to 254 entries (number_of_dests). */
  destAddresses: MultiDestination[]
}

/** One entry of submit_multi_resp's unsuccess_sme list (section 4.5.2.1). */
export interface UnsuccessSme {
  destAddrTon: number
  destAddrNpi: number
  destinationAddr: string
  /** The command_status this destination failed with. */
  errorStatusCode: number
}

/** submit_multi_resp (section 4.5.2): one message_id, and the destinations that were not accepted. */
export interface SubmitMultiResp extends Header {
  command: 'submit_multi_resp'
  messageId: string
  unsuccessSmes: UnsuccessSme[]
}

export type BindCommand = 'bind_receiver' | 'bind_transmitter' | 'bind_transceiver'

export interface Bind extends Header {
  command: BindCommand
  systemId: string
  password: string
  systemType: string
  interfaceVersion: number
  addrTon: number
  addrNpi: number
  addressRange: string
}

export interface BindResp extends Header {
  command: 'bind_receiver_resp' | 'bind_transmitter_resp' | 'bind_transceiver_resp'
  systemId: string
  scInterfaceVersion?: number
  tlvs?: SmTlvs
}

export interface SubmitSmResp extends Header {
  command: 'submit_sm_resp'
  messageId: string
  tlvs?: SmTlvs
}

export interface DeliverSmResp extends Header {
  command: 'deliver_sm_resp'
  messageId: string
  tlvs?: SmTlvs
}

export type HeaderOnlyCommand = 'generic_nack' | 'enquire_link' | 'enquire_link_resp' | 'unbind' | 'unbind_resp'

export interface HeaderOnly extends Header {
  command: HeaderOnlyCommand
}

/** Commands that are valid SMPP 3.4 but which mtsim does not model field by field. */
export type RawCommand = Exclude<
  CommandName,
  | SubmitSm['command'] | DeliverSm['command'] | BindCommand | BindResp['command'] | 'submit_sm_resp' | 'deliver_sm_resp' | HeaderOnlyCommand
  | 'submit_multi' | 'submit_multi_resp'
>

/** query_sm, replace_sm, cancel_sm, data_sm, outbind, alert_notification and resps: body kept raw. */
export interface RawPdu extends Header {
  command: RawCommand
  body: Buffer
}

export type Pdu = SubmitSm | DeliverSm | SubmitMulti | SubmitMultiResp | Bind | BindResp | SubmitSmResp | DeliverSmResp | HeaderOnly | RawPdu

/** What encodePdu accepts: commandId may be left out (it follows from `command`). */
export type PduInput = Pdu extends infer T ? (T extends Pdu ? Omit<T, 'commandId'> & { commandId?: number } : never) : never

const EMPTY = Buffer.alloc(0)

/** A submit_sm/deliver_sm body with spec defaults, for building PDUs without listing 16 fields. */
export function smBody(fields: Partial<SmBody> = {}): SmBody {
  return {
    serviceType: '',
    sourceAddrTon: 0,
    sourceAddrNpi: 0,
    sourceAddr: '',
    destAddrTon: 0,
    destAddrNpi: 0,
    destinationAddr: '',
    esmClass: 0,
    protocolId: 0,
    priorityFlag: 0,
    scheduleDeliveryTime: '',
    validityPeriod: '',
    registeredDelivery: 0,
    replaceIfPresentFlag: 0,
    dataCoding: 0,
    smDefaultMsgId: 0,
    shortMessage: EMPTY,
    ...fields,
  }
}
