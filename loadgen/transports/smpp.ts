// The `smpp` gateway target: N binds to one SMPP server (a gateway under test, or any SMSC).
// BindPool is also what direct.ts keeps per operator: it spreads messages over its binds, picking
// the bind with the most free window (least loaded), starting the scan after the last pick so
// equal binds take turns.

import type { LinkSettings, SmppEndpoint } from '../scenario/gateway-config.js'
import type { OutboundMessage, ReceiptSink, SubmitOutcome, Transport } from './transport.js'
import { ReceiptIdCanon, type ReceiptIdFormat } from './receipt-ids.js'
import { SmppClient, type SmppClientOptions, type SmppClientStats } from './smpp-client.js'
import { MultiGrouper } from './smpp-multi.js'

export type { LinkSettings }

export interface SmppTargetOptions extends SmppEndpoint, LinkSettings {
  receiptIdFormat?: ReceiptIdFormat
  /** Put before every message id this target reports (direct mode: "<operator id>:"). */
  idPrefix?: string
  startTimeoutMs?: number
  /** Group messages with the same text into submit_multi (smpp-multi.ts). */
  submitMulti?: { maxDestinations: number; maxWaitMs: number }
}

export class BindPool {
  readonly clients: SmppClient[]
  private next = 0

  constructor(opts: SmppTargetOptions) {
    const canon = new ReceiptIdCanon(opts.receiptIdFormat ?? 'auto', opts.idPrefix ?? '')
    const clientOpts: SmppClientOptions = { ...opts, canon, idsByHandset: opts.submitMulti !== undefined }
    this.clients = Array.from({ length: opts.binds }, () => new SmppClient(clientOpts))
  }

  async start(sink: ReceiptSink): Promise<void> {
    const results = await Promise.allSettled(this.clients.map((c) => c.start(sink)))
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) {
      await this.close()
      throw failed.reason
    }
  }

  capacity(): number {
    let n = 0
    for (const c of this.clients) n += c.capacity()
    return n
  }

  canSend(): boolean {
    for (const c of this.clients) if (c.capacity() > 0) return true
    return false
  }

  /** The bind with the most free window, or undefined when every bind is full or down. */
  pick(): SmppClient | undefined {
    const list = this.clients
    const n = list.length
    let best: SmppClient | undefined
    let bestFree = 0
    let bestIndex = 0
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n
      const free = list[i]!.capacity()
      if (free > bestFree) {
        best = list[i]
        bestFree = free
        bestIndex = i
      }
    }
    if (best) this.next = (bestIndex + 1) % n
    return best
  }

  /** A full pool still takes the message (on the first bind) so its outcome is reported, never lost. */
  send(msg: OutboundMessage, done: (o: SubmitOutcome) => void): void {
    ;(this.pick() ?? this.clients[this.next]!).send(msg, done)
  }

  stats(): SmppClientStats {
    const sum: SmppClientStats = { binds: 0, disconnects: 0, receipts: 0, malformedReceipts: 0, moMessages: 0, lateResponses: 0 }
    for (const c of this.clients) {
      const s = c.stats()
      for (const k of Object.keys(sum) as (keyof SmppClientStats)[]) sum[k] += s[k]
    }
    return sum
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()))
  }
}

export class SmppTransport implements Transport {
  readonly name: string
  /** deliver_sm receipts always name the submit_sm_resp id. */
  readonly receiptsCarryIds = true
  private readonly pool: BindPool
  private readonly multi: MultiGrouper | undefined

  constructor(opts: SmppTargetOptions) {
    this.name = `smpp ${opts.host}:${opts.port}`
    this.pool = new BindPool(opts)
    const pool = this.pool
    this.multi = opts.submitMulti
      ? new MultiGrouper(opts.submitMulti, () => pool.pick() ?? pool.clients[0]!, (msg, done) => pool.send(msg, done))
      : undefined
    if (this.multi) {
      const multi = this.multi
      this.memberSeq = (tagSeq, destination) => multi.memberSeq(tagSeq, destination)
    }
  }

  /** Set only with gateway.submit_multi (Transport.memberSeq). */
  memberSeq?: (tagSeq: number, destination: string) => number

  start(receipts: ReceiptSink): Promise<void> {
    return this.pool.start(receipts)
  }

  capacity(): number {
    return this.pool.capacity()
  }

  canSend(_msg?: OutboundMessage): boolean {
    return this.pool.canSend()
  }

  send(msg: OutboundMessage, done: (o: SubmitOutcome) => void): void {
    if (this.multi) this.multi.send(msg, done)
    else this.pool.send(msg, done)
  }

  stats(): SmppClientStats {
    return this.pool.stats()
  }

  close(): Promise<void> {
    this.multi?.flushAll() // groups still waiting go now, and are answered before the binds close
    return this.pool.close()
  }
}
