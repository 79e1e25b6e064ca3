// submit_multi (SMPP 3.4 section 4.5) on a simulated operator: one PDU, many destinations, each
// with its own fate. What concerns the PDU (black hole, window, disconnect, no response, throttle,
// sender) is decided once, as for a submit_sm, keyed by the first destination; what concerns a
// destination (served or not, failure status, receipt outcome) is drawn per destination with the
// same content key a submit_sm to it would have, so a message meets the same fate either way.
// The answer is ONE submit_multi_resp after the operator's latency: one message_id for the
// accepted destinations and an unsuccess_sme entry (address and status) for each refused one; a
// PDU whose every destination failed is answered ESME_RSUBMITFAIL. Each accepted destination gets
// its own receipts, all naming that message_id (the handset tells them apart). Distribution lists
// (dest_flag 2) are not simulated: each is refused with ESME_RINVDLNAME. A throttle counts the PDU
// once; segments of a multipart message sent by submit_multi are taken as whole messages.
import { Status, statusName } from '../smpp/constants.js'
import type { SubmitMulti, UnsuccessSme } from '../smpp/pdu.js'
import { decodeShortMessage } from '../smpp/text.js'
import type { BindConnection } from './bind.js'
import type { DelaySampler } from './delay.js'
import { Decision, type MessageDraws } from './draws.js'
import type { OperatorConfig } from './network.js'
import type { OperatorCounters } from './operator-stats.js'
import type { ReceiptEngine } from './receipts/receipts.js'
import type { Scheduler } from './scheduler.js'
import type { TokenBucket } from './throttle.js'
import type { MultiStats, OperatorState } from './types.js'

/** What the pipeline needs of its operator. */
export interface MultiHost {
  readonly config: OperatorConfig
  readonly draws: MessageDraws
  readonly scheduler: Scheduler
  readonly counters: OperatorCounters
  readonly receipts: ReceiptEngine
  state(): OperatorState
  /** The latency in force now (a latency_spike replaces the operator's own). */
  latency(): DelaySampler | undefined
  throttleBucket(conn: BindConnection): TokenBucket | undefined
  served(destination: string): boolean
  nextMessageId(): number
  messageIdText(id: number): string
  connection(id: number): BindConnection | undefined
  /**
   * A destination arrived (as a whole submit_sm would): the observer is told (taken: accepted rather
   * than swallowed), and MO hears of accepted ones.
   */
  arrived(conn: BindConnection, destination: string, source: string, text: string, key: number, now: number, taken: boolean): void
  /** The operator's count of copies by tag: `copies` messages under the PDU's one tag. */
  seen(text: string, copies: number): void
}

interface PendingResp {
  conn: number
  sequence: number
  status: number
  messageId: string
  unsuccess: UnsuccessSme[]
}

export class SubmitMultiPipeline {
  private readonly counts = { submits: 0, destinations: 0, accepted: 0, unanswered: 0 }
  private readonly unsuccess = new Map<number, number>()
  private readonly statuses = new Map<number, number>()
  /** Answers waiting out their latency, by scheduler token. */
  private readonly pending = new Map<number, PendingResp>()
  private nextToken = 0
  private readonly kind: number

  constructor(private readonly host: MultiHost) {
    this.kind = host.scheduler.register(this.due)
  }

  stats(): MultiStats | undefined {
    if (this.counts.submits === 0) return undefined
    const named = (m: Map<number, number>) => Object.fromEntries([...m].map(([code, n]) => [statusName(code), n]))
    return { ...this.counts, unsuccess: named(this.unsuccess), statuses: named(this.statuses) }
  }

  submitMulti(conn: BindConnection, pdu: SubmitMulti): void {
    const h = this.host
    const cfg = h.config
    const now = h.scheduler.clock()
    const draws = h.draws
    this.counts.submits++
    this.counts.destinations += pdu.destAddresses.length
    const smes = pdu.destAddresses.flatMap((d) => (d.destFlag === 1 ? [d] : []))
    h.counters.messages += smes.length
    const text = decodeShortMessage(pdu)
    h.seen(text, smes.length)
    const swallowed = () => {
      this.counts.unanswered++
      for (const d of smes) h.arrived(conn, d.destinationAddr, pdu.sourceAddr, text, 0, now, false)
    }
    if (h.state() !== 'up') return swallowed()
    if (conn.outstanding >= cfg.window.maxOutstanding) return this.answer(conn, pdu.sequence, cfg.window.excessStatus, now, now)
    // The PDU's own draws: keyed as a submit_sm to its first destination would be.
    const pduKey = draws.key({ ...pdu, destinationAddr: smes[0]?.destinationAddr ?? '' })
    if (draws.for(pduKey, Decision.DISCONNECT).chance(cfg.failures.disconnectRate)) {
      h.counters.disconnects++
      conn.drop()
      return swallowed()
    }
    if (draws.for(pduKey, Decision.NO_RESPONSE).chance(cfg.failures.noResponseRate)) return swallowed()
    const respondAt = now + this.delay(pduKey)
    const bucket = h.throttleBucket(conn)
    if (bucket !== undefined && !bucket.take(1, now)) return this.answer(conn, pdu.sequence, cfg.throttle?.status ?? Status.ESME_RTHROTTLED, now, respondAt)
    if (cfg.senders && !cfg.senders.approved.has(pdu.sourceAddr)) return this.answer(conn, pdu.sequence, cfg.senders.rejectStatus, now, respondAt)

    const unsuccess: UnsuccessSme[] = []
    const refuse = (destAddrTon: number, destAddrNpi: number, destinationAddr: string, status: number) => {
      unsuccess.push({ destAddrTon, destAddrNpi, destinationAddr, errorStatusCode: status })
      this.unsuccess.set(status, (this.unsuccess.get(status) ?? 0) + 1)
    }
    for (const d of pdu.destAddresses) if (d.destFlag === 2) refuse(0, 0, d.dlName.slice(0, 20), Status.ESME_RINVDLNAME)
    let id = 0
    for (const d of smes) {
      const served = h.served(d.destinationAddr)
      if (!served && cfg.unknownDestination === 'reject') {
        refuse(d.destAddrTon, d.destAddrNpi, d.destinationAddr, Status.ESME_RINVDSTADR)
        continue
      }
      const key = draws.key({ ...pdu, destinationAddr: d.destinationAddr })
      const status = draws.failure(key, cfg.failures.statuses)
      if (status !== Status.ESME_ROK) {
        refuse(d.destAddrTon, d.destAddrNpi, d.destinationAddr, status)
        continue
      }
      if (!served) h.counters.misrouted++
      if (id === 0) id = h.nextMessageId()
      this.counts.accepted++
      const outcome = h.receipts.pickOutcome(key)
      h.receipts.accept(id, d.destinationAddr, pdu.sourceAddr, conn.account, outcome, pdu.registeredDelivery, respondAt, text, key)
      h.arrived(conn, d.destinationAddr, pdu.sourceAddr, text, key, now, true)
    }
    if (id === 0) return this.answer(conn, pdu.sequence, Status.ESME_RSUBMITFAIL, now, respondAt)
    this.answer(conn, pdu.sequence, Status.ESME_ROK, now, respondAt, h.messageIdText(id), unsuccess)
  }

  private delay(key: number): number {
    const sampler = this.host.latency()
    return sampler ? sampler.sample(this.host.draws.for(key, Decision.LATENCY)) : 0
  }

  private answer(conn: BindConnection, sequence: number, status: number, now: number, at: number, messageId = '', unsuccess: UnsuccessSme[] = []): void {
    const r: PendingResp = { conn: conn.id, sequence, status, messageId, unsuccess }
    if (at <= now) return this.send(conn, r)
    const token = (this.nextToken = (this.nextToken + 1) >>> 0)
    this.pending.set(token, r)
    conn.outstanding++
    this.host.scheduler.schedule(this.kind, at, token)
  }

  private due = (token: number): void => {
    const r = this.pending.get(token)
    if (r === undefined) return
    this.pending.delete(token)
    const conn = this.host.connection(r.conn)
    if (conn === undefined) {
      this.counts.unanswered++ // the connection went away first
      return
    }
    conn.outstanding--
    this.send(conn, r)
  }

  private send(conn: BindConnection, r: PendingResp): void {
    conn.session.send({ command: 'submit_multi_resp', status: r.status, sequence: r.sequence, messageId: r.messageId, unsuccessSmes: r.unsuccess })
    this.statuses.set(r.status, (this.statuses.get(r.status) ?? 0) + 1)
  }
}
