// Per-message randomness. Every random decision about a message (disconnect, no response,
// latency, failure status, receipt outcome, loss, duplicate, receipt delays) comes from a small
// generator re-seeded from (network seed, operator id, the message's content, the decision), so
// a message meets the same fate whatever arrived before it: outcomes do not depend on arrival
// order, concurrency, the number of binds or how a load is split into --segment shares.
//
// The content key is destination + the payload bytes of the message's first segment (UDH
// stripped, so the client's concatenation reference does not matter) or its whole
// message_payload. Identical messages to the same handset therefore share their fate; the load
// generator's correlation tag makes every message's text distinct.
//
// Timing-dependent behaviour (throttle, window, timeline faults) stays timing-dependent, and
// bind refusals keep the operator's sequential stream (simulator/operator.ts).
import { hashBytes, hashString, mix32, Rng } from '../lib/rng.js'
import { EsmClass } from '../smpp/constants.js'
import type { SubmitSm } from '../smpp/pdu.js'

/** The decisions, each its own stream. Intermediate receipt stages use INTERMEDIATE_DELAY + stage. */
export const Decision = {
  DISCONNECT: 1,
  NO_RESPONSE: 2,
  LATENCY: 3,
  FAILURE: 4,
  OUTCOME: 5,
  LOSS: 6,
  DUPLICATE: 7,
  FINAL_DELAY: 8,
  INTERMEDIATE_DELAY: 16,
} as const

export class MessageDraws {
  /** One generator, re-seeded per decision: no object per message. */
  private readonly rng = new Rng(0)
  private readonly base: number

  constructor(seed: number | string, operatorId: string) {
    this.base = hashString(`${seed}/${operatorId}/messages`)
  }

  /**
   * The content key of a submit. `seq` > 1 marks a segment that arrived before segment 1 of its
   * message (rare: segments travel in order on one bind); it is keyed by its own bytes and number.
   */
  key(pdu: Pick<SubmitSm, 'destinationAddr' | 'shortMessage' | 'esmClass' | 'tlvs'>, seq = 0): number {
    let h = hashString(pdu.destinationAddr, this.base)
    h = Math.imul(h ^ 0xff, 0x01000193) >>> 0 // a separator byte no digit string ends in
    const payload = pdu.tlvs?.messagePayload
    if (payload !== undefined) return hashBytes(payload, h)
    const sm = pdu.shortMessage
    const start = (pdu.esmClass & EsmClass.UDHI) !== 0 && sm.length > 0 ? Math.min(sm[0]! + 1, sm.length) : 0
    h = hashBytes(sm, h, start)
    return seq > 1 ? mix32(h ^ seq) : h
  }

  /** The key of segment `seq` of a message (per-segment decisions); the message's own key for 0. */
  segmentKey(key: number, seq: number): number {
    return seq === 0 ? key : mix32((key ^ Math.imul(seq, 0x9e3779b9)) >>> 0)
  }

  /** One draw against weighted failure statuses (rates summing to at most 1); ESME_ROK (0) when none hits. */
  failure(key: number, statuses: readonly { status: number; rate: number }[]): number {
    if (statuses.length === 0) return 0
    let x = this.for(key, Decision.FAILURE).next()
    for (const f of statuses) {
      if (x < f.rate) return f.status
      x -= f.rate
    }
    return 0
  }

  /** The generator for one decision about one message (or segment); valid until the next call. */
  for(key: number, decision: number): Rng {
    return this.rng.reseed(key, decision)
  }
}
