// SMPP 3.4 numbers: command ids, the one command_status table, TLV tags and field limits.
// Everything here is a plain frozen object so lookups on the hot path are property reads.

/** command_id values (SMPP 3.4 section 5.1.2.1). Responses have bit 31 set. */
export const CommandId = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  query_sm: 0x00000003,
  query_sm_resp: 0x80000003,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  replace_sm: 0x00000007,
  replace_sm_resp: 0x80000007,
  cancel_sm: 0x00000008,
  cancel_sm_resp: 0x80000008,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  outbind: 0x0000000b,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  submit_multi: 0x00000021,
  submit_multi_resp: 0x80000021,
  alert_notification: 0x00000102,
  data_sm: 0x00000103,
  data_sm_resp: 0x80000103,
} as const

export type CommandName = keyof typeof CommandId

/** Bit 31 of command_id marks a response. */
export const RESPONSE_BIT = 0x80000000

const commandNames = new Map<number, CommandName>()
for (const [name, id] of Object.entries(CommandId)) commandNames.set(id, name as CommandName)

/** Spec name of a command_id, or undefined for ids SMPP 3.4 does not define. */
export function commandName(id: number): CommandName | undefined {
  return commandNames.get(id >>> 0)
}

/** The one command_status table (SMPP 3.4 section 5.1.3). Name -> code. */
export const Status = {
  ESME_ROK: 0x00000000,
  ESME_RINVMSGLEN: 0x00000001,
  ESME_RINVCMDLEN: 0x00000002,
  ESME_RINVCMDID: 0x00000003,
  ESME_RINVBNDSTS: 0x00000004,
  ESME_RALYBND: 0x00000005,
  ESME_RINVPRTFLG: 0x00000006,
  ESME_RINVREGDLVFLG: 0x00000007,
  ESME_RSYSERR: 0x00000008,
  ESME_RINVSRCADR: 0x0000000a,
  ESME_RINVDSTADR: 0x0000000b,
  ESME_RINVMSGID: 0x0000000c,
  ESME_RBINDFAIL: 0x0000000d,
  ESME_RINVPASWD: 0x0000000e,
  ESME_RINVSYSID: 0x0000000f,
  ESME_RCANCELFAIL: 0x00000011,
  ESME_RREPLACEFAIL: 0x00000013,
  ESME_RMSGQFUL: 0x00000014,
  ESME_RINVSERTYP: 0x00000015,
  ESME_RINVNUMDESTS: 0x00000033,
  ESME_RINVDLNAME: 0x00000034,
  ESME_RINVDESTFLAG: 0x00000040,
  ESME_RINVSUBREP: 0x00000042,
  ESME_RINVESMCLASS: 0x00000043,
  ESME_RCNTSUBDL: 0x00000044,
  ESME_RSUBMITFAIL: 0x00000045,
  ESME_RINVSRCTON: 0x00000048,
  ESME_RINVSRCNPI: 0x00000049,
  ESME_RINVDSTTON: 0x00000050,
  ESME_RINVDSTNPI: 0x00000051,
  ESME_RINVSYSTYP: 0x00000053,
  ESME_RINVREPFLAG: 0x00000054,
  ESME_RINVNUMMSGS: 0x00000055,
  ESME_RTHROTTLED: 0x00000058,
  ESME_RINVSCHED: 0x00000061,
  ESME_RINVEXPIRY: 0x00000062,
  ESME_RINVDFTMSGID: 0x00000063,
  ESME_RX_T_APPN: 0x00000064,
  ESME_RX_P_APPN: 0x00000065,
  ESME_RX_R_APPN: 0x00000066,
  ESME_RQUERYFAIL: 0x00000067,
  ESME_RINVOPTPARSTREAM: 0x000000c0,
  ESME_ROPTPARNOTALLWD: 0x000000c1,
  ESME_RINVPARLEN: 0x000000c2,
  ESME_RMISSINGOPTPARAM: 0x000000c3,
  ESME_RINVOPTPARAMVAL: 0x000000c4,
  ESME_RDELIVERYFAILURE: 0x000000fe,
  ESME_RUNKNOWNERR: 0x000000ff,
} as const

export type StatusName = keyof typeof Status

const statusNames = new Map<number, StatusName>()
for (const [name, code] of Object.entries(Status)) statusNames.set(code, name as StatusName)

/** Spec name of a command_status; codes outside the table print as `0x%08X`. */
export function statusName(code: number): string {
  return statusNames.get(code >>> 0) ?? '0x' + (code >>> 0).toString(16).toUpperCase().padStart(8, '0')
}

/**
 * Reads a status from configuration: `ESME_RTHROTTLED`, `RTHROTTLED` (prefix optional, any case),
 * `0x58`, `88` or a number. Returns undefined for unknown names and values outside 0..0xFFFFFFFF.
 * Numeric codes need not be in the table (vendor-specific codes 0x400..0x4FF are legal).
 */
export function parseStatus(nameOrNumber: string | number): number | undefined {
  if (typeof nameOrNumber === 'number') {
    return Number.isInteger(nameOrNumber) && nameOrNumber >= 0 && nameOrNumber <= 0xffffffff ? nameOrNumber : undefined
  }
  const s = nameOrNumber.trim()
  if (/^0x[0-9a-f]{1,8}$/i.test(s)) return parseInt(s.slice(2), 16)
  if (/^[0-9]{1,10}$/.test(s)) return parseStatus(Number(s))
  const upper = s.toUpperCase()
  const key = (upper.startsWith('ESME_') ? upper : 'ESME_' + upper) as StatusName
  return Object.prototype.hasOwnProperty.call(Status, key) ? Status[key] : undefined
}

/** TLV (optional parameter) tags, SMPP 3.4 section 5.3.2. */
export const Tlv = {
  dest_addr_subunit: 0x0005,
  dest_network_type: 0x0006,
  dest_bearer_type: 0x0007,
  dest_telematics_id: 0x0008,
  source_addr_subunit: 0x000d,
  source_network_type: 0x000e,
  source_bearer_type: 0x000f,
  source_telematics_id: 0x0010,
  qos_time_to_live: 0x0017,
  payload_type: 0x0019,
  additional_status_info_text: 0x001d,
  receipted_message_id: 0x001e,
  ms_msg_wait_facilities: 0x0030,
  privacy_indicator: 0x0201,
  source_subaddress: 0x0202,
  dest_subaddress: 0x0203,
  user_message_reference: 0x0204,
  user_response_code: 0x0205,
  source_port: 0x020a,
  destination_port: 0x020b,
  sar_msg_ref_num: 0x020c,
  language_indicator: 0x020d,
  sar_total_segments: 0x020e,
  sar_segment_seqnum: 0x020f,
  sc_interface_version: 0x0210,
  callback_num_pres_ind: 0x0302,
  callback_num_atag: 0x0303,
  number_of_messages: 0x0304,
  callback_num: 0x0381,
  dpf_result: 0x0420,
  set_dpf: 0x0421,
  ms_availability_status: 0x0422,
  network_error_code: 0x0423,
  message_payload: 0x0424,
  delivery_failure_reason: 0x0425,
  more_messages_to_send: 0x0426,
  message_state: 0x0427,
  ussd_service_op: 0x0501,
  display_time: 0x1201,
  sms_signal: 0x1203,
  ms_validity: 0x1204,
  alert_on_message_delivery: 0x130c,
  its_reply_type: 0x1380,
  its_session_info: 0x1383,
} as const

/** message_state values (section 5.2.28); the receipt `stat:` text is STAT_TEXT[state]. */
export const MessageState = {
  ENROUTE: 1,
  DELIVERED: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIVERABLE: 5,
  ACCEPTED: 6,
  UNKNOWN: 7,
  REJECTED: 8,
} as const

export type MessageStateValue = (typeof MessageState)[keyof typeof MessageState]

/** Appendix B stat texts, indexed by message_state (index 0 unused). */
export const STAT_TEXT = ['', 'ENROUTE', 'DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD'] as const

/** message_state for a receipt stat text (case-insensitive), or undefined. */
export function stateOfStat(stat: string): MessageStateValue | undefined {
  const i = STAT_TEXT.indexOf(stat.toUpperCase() as (typeof STAT_TEXT)[number])
  return i > 0 ? (i as MessageStateValue) : undefined
}

/** data_coding values we produce or read (section 5.2.19). */
export const DataCoding = {
  DEFAULT: 0x00, // SMSC default alphabet; mtsim treats it as GSM 03.38 unpacked
  IA5: 0x01,
  LATIN1: 0x03,
  BINARY: 0x04,
  UCS2: 0x08,
} as const

/** esm_class bits (section 5.2.12). */
export const EsmClass = {
  DEFAULT: 0x00,
  RECEIPT: 0x04, // deliver_sm carries an SMSC delivery receipt
  INTERMEDIATE: 0x20,
  UDHI: 0x40, // short_message starts with a User Data Header
  REPLY_PATH: 0x80,
} as const

/** registered_delivery bits (section 5.2.17). */
export const RegisteredDelivery = {
  NONE: 0x00,
  FINAL: 0x01,
  FAILURE: 0x02,
  INTERMEDIATE: 0x10,
} as const

/** network_error_code network types (section 5.3.2.31). */
export const NetworkType = { ANSI_136: 1, IS_95: 2, GSM: 3 } as const

/** dest_flag values of submit_multi's dest_address (section 5.2.25). */
export const DestFlag = { SME_ADDRESS: 1, DISTRIBUTION_LIST: 2 } as const

/** interface_version we announce: 3.4. */
export const INTERFACE_VERSION = 0x34

/**
 * Maximum C-octet string sizes INCLUDING the terminating NUL (section 4 tables).
 * message_id is 65 so receipted ids of up to 64 characters fit.
 */
export const MaxLen = {
  systemId: 16,
  password: 9,
  systemType: 13,
  addressRange: 41,
  serviceType: 6,
  addr: 21,
  time: 17,
  messageId: 65,
  dlName: 21,
  shortMessage: 254, // sm_length octet: 0..254
  /** number_of_dests in submit_multi (section 4.5.1). */
  multiDestinations: 254,
} as const

export const HEADER_LENGTH = 16
export const DEFAULT_MAX_PDU_LENGTH = 64 * 1024
