// Where the engine's messages come from and how many segments each goes out as.
import { Rng } from '../../lib/rng.js'
import { gsm7Length, gsm7Septets } from '../../smpp/text.js'
import type { StreamPlan } from './plan.js'
import type { Scenario } from '../scenario/scenario.js'
import { createTraffic } from './traffic.js'
import type { OutboundMessage } from './traffic.js'

/** Makes the message for a plan seq (one per stream; loadgen/plan/traffic.ts Traffic). */
export interface MessageSource {
  message(seq: number): OutboundMessage
  /** message(seq).operator without building the message (the backlog needs only that). */
  operatorOf?(seq: number): string
}

/**
 * The scenario's own traffic mix for each plan stream. Each stream's generator is keyed by the seed
 * and the stream name only, so every --segment share makes the same message for the same seq.
 */
export function scenarioTraffic(scenario: Scenario, streams: readonly StreamPlan[]): (streamIndex: number) => MessageSource {
  return (i) => createTraffic(streams[i].stream, scenario, Rng.derive(scenario.seed, `traffic/${streams[i].name}`))
}

/**
 * Segments a message goes out as (SMPP 3.4 / GSM 03.40 sizes: 160/153 GSM-7 septets, 70/67 UCS-2
 * units; message_payload is always one submit). Counted from lengths, without encoding anything;
 * it can be one low when a 2-septet character would straddle a boundary (smpp/text.ts never splits one).
 */
export function segmentCount(msg: OutboundMessage): number {
  if (msg.multipart === 'payload') return 1
  // One pass for 'auto' (this runs once per message sent).
  const septets = msg.encoding === 'auto' ? gsm7Septets(msg.text) : -1
  const gsm = msg.encoding === 'gsm7' || septets >= 0
  const units = septets >= 0 ? septets : gsm ? gsm7Length(msg.text) : msg.text.length
  if (units <= (gsm ? 160 : 70)) return 1
  return Math.ceil(units / (gsm ? 153 : 67))
}
