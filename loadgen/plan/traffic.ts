// The traffic mix: what message number `seq` of a stream is (destination, sender, text). Each
// message is a pure function of (scenario seed, stream, seq): its random draws come from a
// counter-based generator keyed by seq, so a --segment share, a rerun and a resend all produce the
// same message for the same seq, in any order, with no state carried between messages.
//
// API: createTraffic(stream, scenario, rng) -> Traffic; Traffic.message(seq) -> OutboundMessage.
// Allocates only the returned object and its strings.
import { PrefixTable } from '../../lib/prefix.js'
import type { Rng } from '../../lib/rng.js'
import type { DestinationConfig, Scenario, StreamConfig, TrafficConfig } from '../scenario/scenario.js'
import { formatTag } from '../../lib/tag.js'
import { renderMessage, type Draw } from '../scenario/template.js'

export interface OutboundMessage {
  /** Plan-wide sequence (StreamPlan.lastSeq). */
  seq: number
  /** The correlation tag the text starts with, trailing space included (see tag.ts). */
  tag: string
  stream: string
  /** The operator whose prefixes the destination falls under, or '' if none. */
  operator: string
  source: string
  /** Digits only, no '+'. */
  destination: string
  text: string
  encoding: TrafficConfig['encoding']
  multipart: TrafficConfig['multipart']
  registeredDelivery: number
}

export interface Traffic {
  message(seq: number): OutboundMessage
  /** message(seq).operator, from the destination draw alone. */
  operatorOf(seq: number): string
}

/** GSM-7 padding for `length`: plain words, so padding never changes a message's encoding. */
const FILLER = ' lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.repeat(90)

export function createTraffic(stream: StreamConfig, scenario: Scenario, rng: Rng): Traffic {
  return new StreamTraffic(stream, scenario, rng.u32())
}

/** Cumulative weights, built once, picked with one draw. */
class Picker<T> {
  private readonly cumulative: Float64Array
  private readonly total: number
  constructor(
    private readonly items: readonly T[],
    weight: (t: T) => number,
  ) {
    this.cumulative = new Float64Array(items.length)
    let sum = 0
    items.forEach((t, i) => (this.cumulative[i] = sum += weight(t)))
    this.total = sum
  }
  pick(x: number): T {
    const target = x * this.total
    const c = this.cumulative
    let lo = 0
    let hi = c.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (target < c[mid]) hi = mid
      else lo = mid + 1
    }
    return this.items[lo]
  }
}

/** splitmix32 over (key, seq, counter): a fresh, reproducible stream of draws per message. */
class SeqDraw implements Draw {
  private s = 0
  constructor(private readonly key: number) {}

  reset(seq: number): void {
    this.s = mix32((this.key ^ mix32(seq >>> 0)) + Math.floor(seq / 4294967296))
  }

  private u32(): number {
    this.s = (this.s + 0x9e3779b9) >>> 0
    return mix32(this.s)
  }

  /** Uniform in [0, 1) with 53 bits, so ranges of up to 15-digit numbers are uniform too. */
  next(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992
  }

  int(n: number): number {
    return Math.floor(this.next() * n)
  }
}

function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

class StreamTraffic implements Traffic {
  private readonly draw: SeqDraw
  private readonly destinations: Picker<DestinationConfig>
  private readonly senders: Picker<TrafficConfig['senders'][number]>
  private readonly templates: Picker<TrafficConfig['templates'][number]>
  private readonly routes = new PrefixTable<string>()
  private readonly t: TrafficConfig

  constructor(
    private readonly stream: StreamConfig,
    scenario: Scenario,
    key: number,
  ) {
    this.t = stream.traffic
    this.draw = new SeqDraw(key)
    this.destinations = new Picker(this.t.destinations, (d) => d.weight)
    this.senders = new Picker(this.t.senders, (s) => s.weight)
    this.templates = new Picker(this.t.templates, (x) => x.weight)
    for (const op of scenario.network.operators) for (const p of op.prefixes) this.routes.add(p, op.id)
  }

  operatorOf(seq: number): string {
    // The same first draws as message(), in the same order.
    const d = this.draw
    d.reset(seq)
    const dest = this.destinations.pick(d.next())
    return dest.kind === 'operator' ? dest.operator : (this.routes.lookup(rangeNumber(dest, d)) ?? '')
  }

  message(seq: number): OutboundMessage {
    const d = this.draw
    const t = this.t
    d.reset(seq)
    const dest = this.destinations.pick(d.next())
    let destination: string
    let operator: string
    if (dest.kind === 'operator') {
      const prefix = dest.prefixes[d.int(dest.prefixes.length)]
      const rest = t.msisdnLength - prefix.length
      destination = prefix + String(d.int(10 ** rest)).padStart(rest, '0')
      operator = dest.operator
    } else {
      destination = rangeNumber(dest, d)
      operator = this.routes.lookup(destination) ?? ''
    }
    const source = this.senders.pick(d.next()).sender
    const tag = formatTag(seq)
    let text = tag + renderMessage(this.templates.pick(d.next()).template, seq, d)
    if (t.length) text = fit(text, t.length.min + d.int(t.length.max - t.length.min + 1), tag.length)
    return {
      seq,
      tag,
      stream: this.stream.name,
      operator,
      source,
      destination,
      text,
      encoding: t.encoding,
      multipart: t.multipart,
      registeredDelivery: t.registeredDelivery,
    }
  }
}

/** A number drawn from a destination range (message() and operatorOf() draw it alike). */
function rangeNumber(dest: Extract<DestinationConfig, { kind: 'range' }>, d: SeqDraw): string {
  return String(dest.first + d.int(dest.last - dest.first + 1))
}

/** Pads with filler or trims to `length` characters; never cuts the tag or a surrogate pair. */
function fit(text: string, length: number, keep: number): string {
  if (text.length < length) return text + FILLER.slice(0, length - text.length)
  let end = Math.max(length, keep)
  if (end >= text.length) return text
  const c = text.charCodeAt(end - 1)
  if (c >= 0xd800 && c <= 0xdbff) end--
  return text.slice(0, end)
}
