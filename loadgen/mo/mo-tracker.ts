// The load generator's view of MO (mobile-originated) traffic, joined with the network's.
//
// Two viewpoints meet here by the " #M<id>" tag at the end of every MO text (simulator/mo/):
// the simulated network says when each subscriber sent an MO (and, for a reply or STOP, which MT it
// answered); the gateway target says when the MO reached mtsim (deliver_sm on our bind, or the MO
// webhook Kannel's sms-service calls). From both: MO transit latency (handset -> application, HDR,
// per operator), MO sent / received / lost / duplicated, and the STOPs the application saw.
//
// The application under test is played here too: `compliant` stops sending to a number as soon as
// its STOP arrives (later sends are suppressed and counted), `naive` keeps sending. Whether the
// network then saw MT for opted-out numbers is the network's count (violations), reported back
// through the same in-process observer.
import { createHistogram, encodeHistogram, recordUs, type Histogram } from '../../lib/hdr.js'
import type { MoEvent, MoKind } from '../../simulator/types.js'
import { parseTag } from '../../lib/tag.js'
import type { IncomingMo } from '../transports/transport.js'
import type { MoCounts, MoResults } from '../../results/results-format.js'

export type { MoCounts, MoResults }

const MO_TAG = / #M([0-9A-Za-z]{1,7})\s*$/

interface Sent {
  op: number
  kind: MoKind
  atUs: number
  received: boolean
}

const zero = (): MoCounts => ({
  sent: 0, replies: 0, stops: 0, spontaneous: 0, received: 0, lost: 0, duplicated: 0, unknown: 0, correlated: 0,
  stops_received: 0, suppressed: 0, optout_violations: 0,
})

export class MoTracker {
  private readonly sent = new Map<number, Sent>()
  private readonly counts: MoCounts[]
  private readonly latency: Histogram[]
  private readonly stopLatency: Histogram[]
  private readonly violationDelay = createHistogram()
  private readonly violationsByStream: Record<string, number> = {}
  private readonly keywords: Set<string>
  /** Numbers whose STOP the application received. */
  private readonly optedOut = new Set<string>()
  /** Numbers whose handset sent a STOP (the network's word): sends to them are remembered by seq for labelling violations. */
  private readonly stoppedAtHandset = new Set<string>()
  private readonly streamOfSeq = new Map<number, string>()
  private readonly index = new Map<string, number>()

  constructor(
    readonly operatorIds: readonly string[],
    private readonly cfg: { application: 'compliant' | 'naive'; keywords: readonly string[] },
  ) {
    operatorIds.forEach((id, i) => this.index.set(id, i))
    this.counts = operatorIds.map(zero)
    this.latency = operatorIds.map(() => createHistogram())
    this.stopLatency = operatorIds.map(() => createHistogram())
    this.keywords = new Set(cfg.keywords.map((k) => k.toUpperCase()))
  }

  get compliant(): boolean {
    return this.cfg.application === 'compliant'
  }

  /** MO sent and not yet received. */
  get outstanding(): number {
    let n = 0
    for (const c of this.counts) n += c.sent - c.received
    return n
  }

  /** The network: a subscriber sent `mo` at `atUs` (performance.now() microseconds). */
  moSent(operatorId: string, mo: MoEvent, atUs: number): void {
    const op = this.index.get(operatorId)
    if (op === undefined) return
    const c = this.counts[op]!
    c.sent++
    if (mo.kind === 'reply') c.replies++
    else if (mo.kind === 'stop') {
      c.stops++
      this.stoppedAtHandset.add(canon(mo.from))
    } else c.spontaneous++
    if (mo.kind !== 'spontaneous' && parseTag(mo.mtText) !== undefined) c.correlated++
    this.sent.set(mo.id, { op, kind: mo.kind, atUs, received: false })
  }

  /** The gateway handed mtsim an MO at `nowUs`. */
  arrived(mo: IncomingMo, nowUs: number): void {
    const m = MO_TAG.exec(mo.text)
    const id = m ? Number.parseInt(m[1]!, 36) : NaN
    const s = this.sent.get(id)
    const isStop = this.keywords.has(firstWord(mo.text))
    if (s === undefined) {
      // Not ours (or its tag was mangled): counted, and a STOP keyword is still honoured.
      this.totalsUnknown++
      if (isStop) this.optedOut.add(canon(mo.from))
      return
    }
    const c = this.counts[s.op]!
    if (s.received) {
      c.duplicated++
      return
    }
    s.received = true
    c.received++
    const us = Math.max(0, Math.round(nowUs - s.atUs))
    recordUs(this.latency[s.op]!, us)
    if (isStop) {
      c.stops_received++
      recordUs(this.stopLatency[s.op]!, us)
      this.optedOut.add(canon(mo.from))
    }
  }

  private totalsUnknown = 0

  /** Compliant applications send nothing to a number whose STOP they received. */
  suppress(destination: string): boolean {
    return this.cfg.application === 'compliant' && this.optedOut.has(canon(destination))
  }

  suppressed(op: number): void {
    this.counts[op]!.suppressed++
  }

  /** A message goes out: remember its stream when its number already opted out at the handset. */
  sending(seq: number, destination: string, stream: string): void {
    if (this.stoppedAtHandset.size && this.stoppedAtHandset.has(canon(destination))) this.streamOfSeq.set(seq, stream)
  }

  /** The network: an MT reached an opted-out number `delayMs` after its STOP. */
  violation(operatorId: string, mtText: string, delayMs: number): void {
    const op = this.index.get(operatorId)
    if (op === undefined) return
    this.counts[op]!.optout_violations++
    recordUs(this.violationDelay, Math.round(delayMs * 1000))
    const seq = parseTag(mtText)
    const stream = (seq !== undefined && this.streamOfSeq.get(seq)) || '(unknown)'
    this.violationsByStream[stream] = (this.violationsByStream[stream] ?? 0) + 1
  }

  /** Per operator: the counters the books and thresholds carry (lost settled now). */
  finish(): MoCounts[] {
    for (const c of this.counts) c.lost = c.sent - c.received
    return this.counts
  }

  results(): MoResults {
    const per = this.finish()
    const totals = zero()
    for (const c of per) for (const k of Object.keys(totals) as (keyof MoCounts)[]) totals[k] += c[k]
    totals.unknown = this.totalsUnknown
    const operators: MoResults['operators'] = {}
    const all = createHistogram()
    const allStop = createHistogram()
    this.operatorIds.forEach((id, i) => {
      operators[id] = { ...per[i]!, latency: encodeHistogram(this.latency[i]!), stopLatency: encodeHistogram(this.stopLatency[i]!) }
      all.add(this.latency[i]!)
      allStop.add(this.stopLatency[i]!)
    })
    return {
      application: this.cfg.application,
      keywords: [...this.keywords],
      totals,
      operators,
      latency: encodeHistogram(all),
      stopLatency: encodeHistogram(allStop),
      violationsByStream: { ...this.violationsByStream },
      violationDelay: encodeHistogram(this.violationDelay),
    }
  }
}

/** Numbers as gateways pass them: with or without a leading +. */
function canon(number: string): string {
  return number.startsWith('+') ? number.slice(1) : number
}

function firstWord(text: string): string {
  const t = text.trimStart()
  const end = t.search(/\s/)
  return (end < 0 ? t : t.slice(0, end)).toUpperCase()
}
