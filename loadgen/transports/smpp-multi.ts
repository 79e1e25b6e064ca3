// submit_multi from the smpp target (gateway.submit_multi): messages whose text is the same after
// the correlation tag, from the same sender, in the same encoding and asking the same receipts, wait
// together (at most max_wait, at most max_destinations) and go as ONE submit_multi carrying the
// first one's text (and so its tag). A message that needs several segments, or whose destination is
// already in its group, is not held back: it goes alone (submit_sm) or starts the next group.
//
// Two joins undo the grouping for the books. Receipts: the SMSC answers one message_id for the
// PDU and names it in every destination's receipt, so with submit_multi on, every message's id is
// "<message_id>|<destination>" (submit_sm ones too) and every receipt is read as the same pair, its
// handset (source_addr) being the destination. Keying all of them so, rather than only the ids
// submit_multi answered, leaves no race between a receipt on one bind and its PDU's answer on
// another. Arrivals: the in-process network sees the group's tag at every destination;
// memberSeq() says whose it is.
// One timer for all open groups (armed for the oldest), never one per message.
import { segmentText } from '../../smpp/index.js'
import { parseTag } from '../../lib/tag.js'
import type { OutboundMessage, SubmitOutcome } from './transport.js'

export interface MultiMember {
  msg: OutboundMessage
  /** destination_addr as sent: digits, no +. */
  destination: string
  done: (o: SubmitOutcome) => void
}

/** Whoever sends a group: one bind of the pool (SmppClient.sendMulti). */
export interface MultiSender {
  sendMulti(group: MultiMember[]): void
}

export const stripPlus = (addr: string) => (addr.startsWith('+') ? addr.slice(1) : addr)

interface Group {
  members: MultiMember[]
  destinations: Set<string>
  deadline: number
}

/** Groups remembered for memberSeq (arrivals come before or soon after the answer): the oldest go first. */
const MAX_TRACKED_GROUPS = 65_536

export class MultiGrouper {
  private readonly open = new Map<string, Group>()
  /** Leader seq -> destination -> member seq, for arrivals not yet seen. */
  private readonly sent = new Map<number, Map<string, number>>()
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly opts: { maxDestinations: number; maxWaitMs: number },
    private readonly sender: () => MultiSender,
    /** A message that goes on its own (multipart). */
    private readonly single: (msg: OutboundMessage, done: (o: SubmitOutcome) => void) => void,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  send(msg: OutboundMessage, done: (o: SubmitOutcome) => void): void {
    if (segmentText(msg.text, { encoding: msg.encoding, method: msg.multipart }).length !== 1) return this.single(msg, done)
    const key = `${msg.source}\u0000${msg.encoding}\u0000${msg.registeredDelivery}\u0000${msg.text.slice(msg.tag.length)}`
    const destination = stripPlus(msg.destination)
    let g = this.open.get(key)
    if (g && g.destinations.has(destination)) {
      this.flush(key, g)
      g = undefined
    }
    if (!g) {
      g = { members: [], destinations: new Set(), deadline: this.clock() + this.opts.maxWaitMs }
      this.open.set(key, g)
    }
    g.members.push({ msg, destination, done })
    g.destinations.add(destination)
    if (g.members.length >= this.opts.maxDestinations) this.flush(key, g)
    else this.arm()
  }

  /** The message of a group that went to `destination`, for an arrival under the group's tag. */
  memberSeq(tagSeq: number, destination: string): number {
    const members = this.sent.get(tagSeq)
    const seq = members?.get(destination)
    if (seq === undefined) return tagSeq
    members!.delete(destination)
    if (members!.size === 0) this.sent.delete(tagSeq)
    return seq
  }

  /** Sends every open group now (before closing). */
  flushAll(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    for (const [key, g] of this.open) this.flush(key, g)
  }

  private flush(key: string, g: Group): void {
    this.open.delete(key)
    const leader = parseTag(g.members[0]!.msg.tag)
    if (leader !== undefined && g.members.length > 1) {
      const members = new Map<string, number>()
      for (const m of g.members) members.set(m.destination, parseTag(m.msg.tag) ?? m.msg.seq)
      this.sent.set(leader, members)
      if (this.sent.size > MAX_TRACKED_GROUPS) this.sent.delete(this.sent.keys().next().value!)
    }
    this.sender().sendMulti(g.members)
  }

  private arm(): void {
    if (this.timer || this.open.size === 0) return
    const oldest = this.open.values().next().value!
    this.timer = setTimeout(this.due, Math.max(0, oldest.deadline - this.clock()))
    this.timer.unref()
  }

  private due = (): void => {
    this.timer = undefined
    const now = this.clock()
    for (const [key, g] of this.open) {
      if (g.deadline > now) break // insertion order is deadline order
      this.flush(key, g)
    }
    this.arm()
  }
}
