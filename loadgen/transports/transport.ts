// The one contract between the load engine and the ways of reaching a gateway (direct SMPP, HTTP,
// webhook receipts, the in-memory fake). The engine only ever talks to this interface.
import type { OutboundMessage } from '../plan/traffic.js'

export type { OutboundMessage }

export interface SubmitOutcome {
  kind: 'accepted' | 'rejected' | 'failed'
  /** 'ESME_ROK', 'ESME_RTHROTTLED', 'HTTP_503', 'TIMEOUT', 'DISCONNECTED' ... */
  status: string
  /** Gateway/operator message ids (one per segment; receipts are matched by any of them). Empty when receipts carry our seq instead (HTTP dlr-url). */
  messageIds: string[]
}

export interface IncomingReceipt {
  messageId?: string
  /** Our plan sequence when the gateway hands it back (dlr-url). */
  seq?: number
  /** DELIVRD, UNDELIV, EXPIRED, REJECTD, DELETED, UNKNOWN, ENROUTE, ACCEPTD */
  stat: string
  final: boolean
  err?: string
}

/** A mobile-originated message as the gateway handed it to mtsim (deliver_sm on our bind, or the MO webhook). */
export interface IncomingMo {
  /** The subscriber. */
  from: string
  /** The number or short code written to. */
  to: string
  text: string
}

export interface ReceiptSink {
  onReceipt(r: IncomingReceipt): void
  /** MO (deliver_sm that is no receipt, or a call to the MO webhook). */
  onMo?(mo: IncomingMo): void
}

export interface Transport {
  readonly name: string
  /**
   * True when every receipt it hands on names a gateway message id, never our seq (SMPP): the
   * engine then keeps no seq -> message map. Absent or false: receipts may carry seq (HTTP dlr-url).
   */
  readonly receiptsCarryIds?: boolean
  start(receipts: ReceiptSink): Promise<void>
  /** How many more sends it can take right now (free window slots over all binds/connections). */
  capacity(): number
  /**
   * Whether the bind/connection this message would use has room now. Optional: transports that
   * route per operator implement it so one stalled operator does not hold up the others.
   */
  canSend?(msg: OutboundMessage): boolean
  /** Exactly one callback per send, ever (also on close: 'failed'). */
  send(msg: OutboundMessage, done: (outcome: SubmitOutcome) => void): void
  /**
   * Transports that send several messages in one PDU (submit_multi) under the first one's tag: the
   * message of that group that went to `destination` (digits, no +). Others: absent.
   */
  memberSeq?(tagSeq: number, destination: string): number
  /** Stop sending, wait for answers already due (bounded), then disconnect. */
  close(): Promise<void>
}
