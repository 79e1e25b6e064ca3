// One message in flight on an SMPP bind: the answers of its segments are folded into one outcome
// (accepted only when every segment was; otherwise the first error). Records are pooled by the
// client, so each one's response callback is created once and reused for every message it carries.

import type { Pdu, ResponseCallback } from '../../smpp/index.js'
import type { OutboundMessage, SubmitOutcome } from './transport.js'

export interface FlightOwner {
  segmentAnswered(flight: Flight, resp: Pdu | undefined, timedOut: boolean): void
}

function noop(): void {}

export class Flight {
  done: (o: SubmitOutcome) => void = noop
  msg: OutboundMessage | undefined
  segments = 0
  resolved = 0
  kind: SubmitOutcome['kind'] = 'accepted'
  status = 'ESME_ROK'
  /** Canonical ids by segment index (holes for segments that were not accepted). */
  ids: string[] = []
  /** sequence_number of each segment sent, in segment order. */
  readonly seqs: number[] = []
  readonly onResp: ResponseCallback

  constructor(owner: FlightOwner) {
    this.onResp = (resp, timedOut) => owner.segmentAnswered(this, resp, timedOut)
  }

  begin(msg: OutboundMessage, segments: number, done: (o: SubmitOutcome) => void): void {
    this.msg = msg
    this.segments = segments
    this.done = done
    this.ids = new Array<string>(segments) // handed to the engine in the outcome: never reused
  }

  /** The first error decides the outcome. */
  fail(kind: 'rejected' | 'failed', status: string): void {
    if (this.kind === 'accepted') {
      this.kind = kind
      this.status = status
    }
  }

  accepted(sequence: number, id: string): void {
    this.ids[this.seqs.indexOf(sequence)] = id
  }

  /** Counts one segment as answered; true when that was the last one. */
  settle(): boolean {
    return ++this.resolved >= this.segments
  }

  /** Builds the outcome and resets the record for reuse (read `done` first). */
  finish(): SubmitOutcome {
    const ids = this.kind === 'accepted' ? this.ids : this.ids.filter((id) => id !== undefined)
    const result: SubmitOutcome = { kind: this.kind, status: this.status, messageIds: ids }
    this.done = noop
    this.msg = undefined
    this.ids = []
    this.seqs.length = 0
    this.resolved = 0
    this.kind = 'accepted'
    this.status = 'ESME_ROK'
    return result
  }
}
