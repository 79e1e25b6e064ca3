// A small SMSC for transport tests, built on smpp/session.ts: binds, submit_sm with a chosen
// status, held or unanswered responses, receipts in each text variant, dropped connections.
// It counts what it saw so tests can assert exact numbers from the server's side.
import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { CommandId, EsmClass, SmppSession, Status, formatReceipt, segmentInfo, smBody, stateOfStat, type Pdu, type SubmitSm, type ReceiptFormat } from '../../../smpp/index.js'

export interface Submit {
  session: SmppSession
  pdu: SubmitSm
  id: string
}

export class FakeSmsc {
  server: Server
  port = 0
  sessions: SmppSession[] = []
  binds: Record<string, number> = {}
  submits: Submit[] = []
  outstanding = 0
  maxOutstanding = 0
  mode: 'answer' | 'hold' | 'never' = 'answer'
  held: Submit[] = []
  nextId = 1
  /** Status for the n-th submit (1-based). */
  statusOf: (n: number, pdu: SubmitSm) => number = () => Status.ESME_ROK
  bindStatus: number = Status.ESME_ROK
  deliverAcks = 0
  enquireLinks = 0
  answerEnquireLink = true
  bindOf = new Map<SmppSession, string>()

  constructor() {
    this.server = createServer((socket) => {
      const s = new SmppSession(socket, { responseTimeoutMs: 0, autoEnquireLinkResp: false })
      this.sessions.push(s)
      s.onPdu = (pdu) => this.dispatch(s, pdu)
      s.onClose = () => {
        this.sessions = this.sessions.filter((x) => x !== s)
        // Whatever this connection had outstanding will never be answered.
        const lost = this.held.filter((h) => h.session === s).length
        this.held = this.held.filter((h) => h.session !== s)
        this.outstanding -= lost
      }
    })
  }

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r))
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  private dispatch(s: SmppSession, pdu: Pdu): void {
    switch (pdu.command) {
      case 'bind_transceiver':
      case 'bind_transmitter':
      case 'bind_receiver':
        this.binds[pdu.command] = (this.binds[pdu.command] ?? 0) + 1
        if (this.bindStatus === 0) this.bindOf.set(s, pdu.command)
        s.send({ command: `${pdu.command}_resp`, status: this.bindStatus, sequence: pdu.sequence, systemId: 'fake' })
        break
      case 'submit_sm': {
        const sub: Submit = { session: s, pdu: { ...pdu, shortMessage: Buffer.from(pdu.shortMessage) }, id: '' }
        this.submits.push(sub)
        this.outstanding++
        this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding)
        if (this.mode === 'answer') this.answer(sub)
        else if (this.mode === 'hold') this.held.push(sub)
        break
      }
      case 'enquire_link':
        this.enquireLinks++
        if (this.answerEnquireLink) s.sendEnquireLinkResp(pdu.sequence)
        break
      case 'deliver_sm_resp':
        this.deliverAcks++
        break
      case 'unbind':
        s.send({ command: 'unbind_resp', status: 0, sequence: pdu.sequence })
        break
      default:
    }
  }

  private answer(sub: Submit): void {
    this.outstanding--
    const status = this.statusOf(this.submits.indexOf(sub) + 1, sub.pdu)
    sub.id = status === 0 ? String(this.nextId++) : ''
    sub.session.sendSubmitSmResp(sub.pdu.sequence, status, sub.id)
  }

  release(): void {
    const held = this.held
    this.held = []
    for (const h of held) this.answer(h)
  }

  /** Sends a receipt for `id` on the first session (a transceiver or the receiver). */
  receipt(id: string, stat: string, fmt: ReceiptFormat & { tlv?: boolean } = {}, session = this.receiverSession()): void {
    const now = new Date(Date.UTC(2026, 0, 2, 3, 4))
    const text = formatReceipt({ id, sub: 1, dlvrd: stat === 'DELIVRD' ? 1 : 0, submitDate: now, doneDate: now, stat, err: '000', text: 'hello' }, fmt)
    const state = stateOfStat(stat)
    session.send({
      command: 'deliver_sm',
      status: 0,
      sequence: session.nextSequence(),
      ...smBody({
        esmClass: stat === 'ENROUTE' || stat === 'ACCEPTD' ? EsmClass.INTERMEDIATE : EsmClass.RECEIPT,
        shortMessage: Buffer.from(text, 'latin1'),
        tlvs: fmt.tlv ? { receiptedMessageId: id, ...(state ? { messageState: state } : {}) } : undefined,
      }),
    })
  }

  receiverSession(): SmppSession {
    const s = this.sessions.find((x) => this.bindOf.get(x) === 'bind_transceiver' || this.bindOf.get(x) === 'bind_receiver')
    if (!s) throw new Error('no receiving session')
    return s
  }

  dropAll(): void {
    for (const s of this.sessions) s.close()
  }

  segmentsOf(sub: Submit): number {
    return segmentInfo(sub.pdu)?.total ?? 1
  }

  async close(): Promise<void> {
    this.dropAll()
    await new Promise<void>((r) => this.server.close(() => r()))
  }
}

export { CommandId }
