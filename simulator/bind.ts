// One SMPP connection to a simulated operator: bind state and the ONE dispatch on command_id,
// with handlers named after the spec. Operator-wide decisions (authentication, the submit
// pipeline, receipts) belong to the BindOwner (simulator/operator.ts).
import { CommandId, INTERFACE_VERSION, RESPONSE_BIT, Status } from '../smpp/constants.js'
import type { Bind, BindResp, DeliverSmResp, Pdu, SubmitMulti, SubmitSm } from '../smpp/pdu.js'
import type { SmppSession } from '../smpp/session.js'
import type { PduError } from '../smpp/decode.js'
import type { BindType } from './network.js'
import type { TokenBucket } from './throttle.js'

export interface BindOwner {
  /** system_id the operator puts in bind_*_resp. */
  readonly smscId: string
  /**
   * status 0 and the account index, or a refusal; `close` asks to drop the connection after
   * answering; `authFailed` (unknown system_id, wrong password) hands the answer to authFailed().
   */
  authenticate(type: BindType, systemId: string, password: string): { status: number; account: number; close: boolean; authFailed: boolean }
  /** Answers a failed authentication when and how the operator's failed_binds say. */
  authFailed(conn: BindConnection, answer: () => void): void
  /** A PDU could not be decoded (the session answers it). */
  invalidPdu(): void
  bound(conn: BindConnection): void
  submitSm(conn: BindConnection, pdu: SubmitSm): void
  submitMulti(conn: BindConnection, pdu: SubmitMulti): void
  /** A submit refused before the operator looks at it (bind state): answered at once. */
  submitRefused(conn: BindConnection, sequence: number, status: number): void
  deliverSmResp(conn: BindConnection, pdu: DeliverSmResp): void
  drained(conn: BindConnection): void
  closed(conn: BindConnection): void
}

let nextId = 1

export class BindConnection {
  /** Never reused while the process runs, so a late response slot cannot reach a newer bind. */
  readonly id = nextId++
  type: BindType | undefined = undefined
  account = -1
  /** Submits whose answer is scheduled and not yet sent (the window). */
  outstanding = 0
  /** Set by the operator for per-bind throttles. */
  bucket: TokenBucket | undefined = undefined
  /** Binds refused on this connection for an unknown system_id or a wrong password. */
  authFailures = 0
  /**
   * Final receipts sent on this bind and not yet acknowledged: deliver_sm sequence -> receipt-store
   * slot. A real SMSC keeps such receipts and sends them again when the bind drops before its
   * deliver_sm_resp, so they are not lost with the connection.
   */
  readonly unacked = new Map<number, number>()

  constructor(
    readonly session: SmppSession,
    private readonly owner: BindOwner,
  ) {
    session.onPdu = this.dispatch
    session.onDrain = () => owner.drained(this)
    session.onClose = () => owner.closed(this)
    session.onInvalid = (err: PduError) => {
      owner.invalidPdu()
      session.answerInvalid(err)
    }
  }

  get canReceive(): boolean {
    return this.type === 'receiver' || this.type === 'transceiver'
  }

  get canTransmit(): boolean {
    return this.type === 'transmitter' || this.type === 'transceiver'
  }

  /** Drop the TCP connection now (disconnect_rate, outage, network close). */
  drop(): void {
    this.session.close()
  }

  private dispatch = (pdu: Pdu): void => {
    try {
      this.handle(pdu)
    } catch (err) {
      // Whatever went wrong costs this connection only, never the operator or other binds.
      this.session.close(err instanceof Error ? err : new Error(String(err)))
    }
  }

  private handle(pdu: Pdu): void {
    switch (pdu.commandId) {
      case CommandId.bind_receiver: return this.bindReceiver(pdu as Bind) // 0x00000001
      case CommandId.bind_transmitter: return this.bindTransmitter(pdu as Bind) // 0x00000002
      case CommandId.bind_transceiver: return this.bindTransceiver(pdu as Bind) // 0x00000009
      case CommandId.submit_sm: return this.submitSm(pdu as SubmitSm) // 0x00000004
      case CommandId.submit_multi: return this.submitMulti(pdu as SubmitMulti) // 0x00000021
      case CommandId.deliver_sm_resp: return this.deliverSmResp(pdu as DeliverSmResp) // 0x80000005
      case CommandId.enquire_link: return this.enquireLink(pdu) // 0x00000015
      case CommandId.unbind: return this.unbind(pdu) // 0x00000006
      case CommandId.unbind_resp: return this.unbindResp() // 0x80000006
      case CommandId.generic_nack: return this.genericNack() // 0x80000000
      default:
        // Responses we never asked for are dropped (nacking them could loop); requests an SMSC
        // here does not offer (query_sm, data_sm, replace_sm...) get generic_nack.
        if (pdu.commandId < RESPONSE_BIT) this.session.sendGenericNack(pdu.sequence, Status.ESME_RINVCMDID)
    }
  }

  private bindReceiver(pdu: Bind): void {
    this.bind(pdu, 'receiver', 'bind_receiver_resp')
  }

  private bindTransmitter(pdu: Bind): void {
    this.bind(pdu, 'transmitter', 'bind_transmitter_resp')
  }

  private bindTransceiver(pdu: Bind): void {
    this.bind(pdu, 'transceiver', 'bind_transceiver_resp')
  }

  private bind(pdu: Bind, type: BindType, command: BindResp['command']): void {
    const answer = (status: number) =>
      this.session.send({ command, status, sequence: pdu.sequence, systemId: this.owner.smscId, scInterfaceVersion: INTERFACE_VERSION })
    if (this.type !== undefined) return answer(Status.ESME_RALYBND)
    const { status, account, close, authFailed } = this.owner.authenticate(type, pdu.systemId, pdu.password)
    if (authFailed) return this.owner.authFailed(this, () => answer(status))
    answer(status)
    if (status !== Status.ESME_ROK) {
      if (close) this.session.end()
      return
    }
    this.type = type
    this.account = account
    this.owner.bound(this)
  }

  private submitSm(pdu: SubmitSm): void {
    if (!this.canTransmit) return this.owner.submitRefused(this, pdu.sequence, Status.ESME_RINVBNDSTS)
    this.owner.submitSm(this, pdu)
  }

  private submitMulti(pdu: SubmitMulti): void {
    if (!this.canTransmit) {
      this.session.send({ command: 'submit_multi_resp', status: Status.ESME_RINVBNDSTS, sequence: pdu.sequence, messageId: '', unsuccessSmes: [] })
      return
    }
    this.owner.submitMulti(this, pdu)
  }

  private deliverSmResp(pdu: DeliverSmResp): void {
    this.owner.deliverSmResp(this, pdu)
  }

  /** Answered in every state, bound or not (section 4.11). */
  private enquireLink(pdu: Pdu): void {
    this.session.sendEnquireLinkResp(pdu.sequence)
  }

  private unbind(pdu: Pdu): void {
    this.session.send({ command: 'unbind_resp', status: Status.ESME_ROK, sequence: pdu.sequence })
    this.session.end()
  }

  private unbindResp(): void {
    this.session.end()
  }

  private genericNack(): void {
    // The client could not parse something we sent; nothing to answer.
  }
}
