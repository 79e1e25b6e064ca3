// The fuzzer behind `npm run bench -- --only fuzz` (1,000,000 PDUs) and its 20,000-PDU twin in
// the test suite (test/simulator/fuzz.test.ts): a gateway under test may send anything, and the
// simulated network must come out of it as it went in. Against a simulator running in its own
// process (FuzzTarget), many short connections each send a stream of PDUs: valid ones (binds with
// right and wrong passwords, submits asking for receipts, acks, enquire_link, unbind, commands an
// SMSC does not offer), mutated ones (bytes flipped, fields cut, lengths wrong), random bytes, and
// framing breakers (command_length 0..15, 0xFFFFFFFF, beyond the limit). Bytes go out in random
// pieces, some one byte per write, with event-loop turns between (separate TCP segments); a
// connection ends with a FIN, a reset, a half-close, or by waiting for the server to give up.
// Then the figures: the process alive, its fds, connections and binds back to where they were,
// every receipt either acknowledged by a fuzz client or waiting for the account (a clean receiver
// bind gets every one of them), and a clean bind served.
import net from 'node:net'
import { Rng } from '../../lib/rng.js'
import { CommandId, Framer, Status, decodePdu, encodePdu, smBody, type Pdu, type PduInput } from '../../smpp/index.js'

/** What the fuzzer needs of the simulator under test: its port and its own view of itself. */
export interface FuzzTarget {
  readonly port: number
  stats(): Promise<TargetStats>
}

export interface TargetStats {
  alive: boolean
  /** Open file descriptors of the simulator's process. */
  fds: number
  connections: number
  binds: number
  pendingReceipts: number
  /** Receipts sent and acknowledged, and resent after their bind dropped. */
  acked: number
  resent: number
  invalidPdus: number
  /** submit_sm_resp with ESME_ROK. */
  accepted: number
  rssBytes: number
}

export interface FuzzOptions {
  pdus: number
  seed?: number | string
  /** Connections open at once (default 32). */
  concurrency?: number
  systemId: string
  password: string
  /** The simulator's max_pdu_length (framing breakers go just past it). */
  maxPduLength: number
  log?: (line: string) => void
  /** Upper bound for waiting on the simulator to settle after the fuzz (default 60 s). */
  settleMs?: number
}

export interface FuzzReport {
  pdus: number
  connections: number
  bytes: number
  seconds: number
  before: TargetStats
  after: TargetStats
  /** Receipts waiting for the account after the fuzz, and how many a clean receiver bind got. */
  queuedReceipts: number
  deliveredToCleanBind: number
  /** The clean bind's submit_sm_resp status (0 = served). */
  cleanSubmitStatus: number
  /** Figures that are not what they must be: empty when the simulator came through intact. */
  problems: string[]
}

const turn = () => new Promise<void>((r) => setImmediate(r))

/** Resolves when `check` holds; polls (the target is another process); fails after `ms`. */
async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`fuzz: timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** PDUs a gateway could plausibly send, whole and well formed. */
function validPdu(rng: Rng, o: FuzzOptions, seq: number): PduInput {
  const bind = (command: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver', password: string): PduInput => ({
    command, status: 0, sequence: seq, systemId: rng.chance(0.9) ? o.systemId : 'x' + rng.int(1000), password,
    systemType: '', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: '',
  })
  switch (rng.int(10)) {
    case 0:
      return bind(['bind_transceiver', 'bind_transmitter', 'bind_receiver'][rng.int(3)] as 'bind_transceiver', rng.chance(0.7) ? o.password : 'guess' + rng.int(100))
    case 1:
      return { command: 'enquire_link', status: 0, sequence: seq }
    case 2:
      return { command: 'deliver_sm_resp', status: 0, sequence: 1 + rng.int(2000), messageId: '' }
    case 3:
      return { command: 'generic_nack', status: Status.ESME_RINVCMDLEN, sequence: seq }
    case 4:
      return rng.chance(0.1) ? { command: 'unbind', status: 0, sequence: seq } : { command: 'enquire_link', status: 0, sequence: seq }
    default: {
      const text = Buffer.from(`fuzz ${rng.u32().toString(36)}`)
      return {
        command: 'submit_sm', status: 0, sequence: seq,
        ...smBody({ sourceAddr: 'fuzz', destinationAddr: `4790${String(rng.int(1_000_000)).padStart(6, '0')}`, shortMessage: text, registeredDelivery: 1 }),
      }
    }
  }
}

/**
 * One PDU's worth of bytes: valid, mutated or random. `keepFraming` limits it to damage that leaves
 * command_length right (so the next PDU is still read as one); otherwise anything goes, and the
 * stream may be broken for good from here on.
 */
function pduBytes(rng: Rng, o: FuzzOptions, seq: number, keepFraming: boolean): Buffer {
  const roll = rng.next()
  if (roll < 0.45) return encodePdu(validPdu(rng, o, seq))
  if (roll < 0.85) return mutate(rng, encodePdu(validPdu(rng, o, seq)), keepFraming)
  const len = (keepFraming ? 16 : 1) + rng.int(300)
  const b = Buffer.alloc(len)
  for (let i = 0; i < len; i++) b[i] = rng.int(256)
  if (len >= 16 && (keepFraming || rng.chance(0.6))) {
    b.writeUInt32BE(len, 0) // a plausible header: the decoder, not just the framer, sees it
    const ids = [CommandId.submit_sm, CommandId.bind_transceiver, CommandId.deliver_sm_resp, CommandId.unbind, CommandId.query_sm, CommandId.data_sm, rng.u32()]
    b.writeUInt32BE(ids[rng.int(ids.length)]! >>> 0, 4)
  }
  return b
}

/** A header the stream cannot be resynchronised after: command_length 0..15, 0xFFFFFFFF, past the limit. */
function framingBreaker(rng: Rng, o: FuzzOptions, seq: number): Buffer {
  const head = Buffer.alloc(16)
  const lengths = [0, 1, 15, 0xffffffff, o.maxPduLength + 1, rng.u32()]
  head.writeUInt32BE(lengths[rng.int(lengths.length)]! >>> 0, 0)
  head.writeUInt32BE(CommandId.submit_sm, 4)
  head.writeUInt32BE(seq, 12)
  return head
}

/** Cases 1 to 3 may break the framing; with keepFraming the others are used instead. */
function mutate(rng: Rng, b: Buffer, keepFraming: boolean): Buffer {
  let pick = rng.int(7)
  if (keepFraming && pick >= 1 && pick <= 3) pick = [0, 4, 5, 6][rng.int(4)]!
  switch (pick) {
    case 0: // a few bytes of the body flipped
      for (let k = 1 + rng.int(4); k > 0; k--) if (b.length > 16) b[16 + rng.int(b.length - 16)] ^= 1 + rng.int(255)
      return b
    case 1: // any byte flipped, the header included
      b[rng.int(b.length)] ^= 1 + rng.int(255)
      return b
    case 2: // command_length off by a little: the next PDU's bytes are read as this one's
      b.writeUInt32BE(Math.max(0, b.length + rng.int(9) - 4), 0)
      return b
    case 3: // cut short, length unchanged
      return b.subarray(0, 1 + rng.int(b.length))
    case 4: {
      // extended with garbage, length adjusted
      const extra = Buffer.alloc(1 + rng.int(64))
      for (let i = 0; i < extra.length; i++) extra[i] = rng.int(256)
      const out = Buffer.concat([b, extra])
      out.writeUInt32BE(out.length, 0)
      return out
    }
    case 5: // another command_id
      b.writeUInt32BE(rng.u32(), 4)
      return b
    default: // C-strings without their terminators
      for (let i = 16; i < b.length; i++) if (b[i] === 0 && rng.chance(0.5)) b[i] = 0x41
      return b
  }
}

const bindAs = (command: 'bind_receiver' | 'bind_transmitter' | 'bind_transceiver', o: FuzzOptions, sequence: number): PduInput => ({
  command, status: 0, sequence, systemId: o.systemId, password: o.password, systemType: '', interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: '',
})

/** One fuzz connection; resolves when it is closed, with how many PDUs and bytes it sent. */
async function session(port: number, rng: Rng, o: FuzzOptions, budget: number): Promise<{ pdus: number; bytes: number }> {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: rng.chance(0.3) })
  socket.setNoDelay(true)
  let closed = false
  const done = new Promise<void>((resolve) => socket.once('close', () => ((closed = true), resolve())))
  socket.on('error', () => {})
  // Read what comes back; acknowledge some receipts properly; some clients never read at all.
  if (rng.chance(0.1)) socket.pause()
  else {
    const ackAll = rng.chance(0.5)
    const framer = new Framer((frame) => {
      let p: Pdu
      try {
        p = decodePdu(Buffer.from(frame))
      } catch {
        return
      }
      if (p.command === 'deliver_sm' && ackAll && !closed && socket.writable) socket.write(encodePdu({ command: 'deliver_sm_resp', status: 0, sequence: p.sequence, messageId: '' }))
    })
    socket.on('data', (chunk: Buffer) => {
      try {
        framer.push(chunk)
      } catch {
        // the server never sends a broken frame; nothing to do with one anyway
      }
    })
  }
  const connected = await new Promise<boolean>((resolve) => {
    socket.once('connect', () => resolve(true))
    socket.once('close', () => resolve(false))
  })
  let pdus = 0
  let bytes = 0
  if (connected) {
    let seq = 1
    const parts: Buffer[] = []
    const n = Math.min(budget, 1 + rng.int(400))
    // Usually a good bind first, so what follows reaches the bound state's handlers too. Most
    // connections keep their framing (so their PDUs are all read) until, often, one breaker near
    // the end, followed by more bytes; a quarter are chaos throughout.
    if (rng.chance(0.7)) parts.push(encodePdu(bindAs((['bind_transceiver', 'bind_transmitter', 'bind_receiver'] as const)[rng.int(3)]!, o, seq++)))
    const chaos = rng.chance(0.25)
    const breakAt = rng.chance(0.5) ? Math.max(parts.length, n - 1 - rng.int(5)) : -1
    while (parts.length < n) parts.push(parts.length === breakAt ? framingBreaker(rng, o, seq++) : pduBytes(rng, o, seq++, !chaos))
    pdus = parts.length
    const stream = Buffer.concat(parts)
    bytes = stream.length
    // Out in random pieces: mostly whole runs of PDUs, sometimes one byte at a time for a while.
    let off = 0
    while (off < stream.length && !closed) {
      const size = rng.chance(0.05) ? 1 : 1 + rng.int(rng.chance(0.5) ? 64 : 4096)
      const piece = stream.subarray(off, off + size)
      off += piece.length
      if (!socket.writable) break
      if (!socket.write(piece)) await Promise.race([new Promise((r) => socket.once('drain', r)), done])
      if (rng.chance(0.3)) await turn() // a separate TCP segment
    }
  }
  // How it ends: FIN, reset, half-close and wait for the server, or just wait for the server.
  socket.resume() // a client that never read starts now, so it sees the server's FIN
  const end = rng.int(4)
  if (end === 0 || !connected) socket.destroy()
  else if (end === 1) socket.resetAndDestroy()
  else if (end === 2) socket.end()
  else {
    socket.end()
    socket.resume()
  }
  if (!closed) {
    // Bounded: the server cuts a peer off within its close grace; past that, we close ourselves.
    const timer = setTimeout(() => socket.destroy(), 5000)
    await done
    clearTimeout(timer)
  }
  return { pdus, bytes }
}

/** A well-behaved ESME for the final checks. */
class CleanEsme {
  readonly received: Pdu[] = []
  private readonly waiters: (() => void)[] = []
  private constructor(private readonly socket: net.Socket) {
    const framer = new Framer((frame) => {
      const p = decodePdu(Buffer.from(frame))
      if (p.command === 'deliver_sm') socket.write(encodePdu({ command: 'deliver_sm_resp', status: 0, sequence: p.sequence, messageId: '' }))
      this.received.push(p)
      for (const w of this.waiters.splice(0)) w()
    })
    socket.on('data', (c: Buffer) => framer.push(c))
    socket.on('error', () => {})
  }

  static async connect(port: number): Promise<CleanEsme> {
    const socket = net.connect({ port, host: '127.0.0.1' })
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
    return new CleanEsme(socket)
  }

  async request(pdu: PduInput, command: Pdu['command']): Promise<Pdu> {
    this.socket.write(encodePdu(pdu))
    const found = () => this.received.find((p) => p.command === command && p.sequence === pdu.sequence)
    while (!found()) await new Promise<void>((r) => this.waiters.push(r))
    return found()!
  }

  count(command: Pdu['command']): number {
    return this.received.filter((p) => p.command === command).length
  }

  close(): void {
    this.socket.destroy()
  }
}

export async function runFuzz(target: FuzzTarget, o: FuzzOptions): Promise<FuzzReport> {
  const log = o.log ?? (() => {})
  const rng = new Rng(o.seed ?? 'fuzz')
  const concurrency = o.concurrency ?? 32
  const settleMs = o.settleMs ?? 60_000
  const before = await target.stats()
  const started = performance.now()
  let sent = 0
  let bytes = 0
  let connections = 0
  let nextReport = 100_000
  let refused = 0
  const worker = async (w: number): Promise<void> => {
    const own = new Rng(`${String(o.seed ?? 'fuzz')}/${w}/${rng.u32()}`)
    for (;;) {
      // Reserve a session's most before the await, so the workers together send exactly o.pdus.
      const budget = Math.min(o.pdus - sent, 400)
      if (budget <= 0) return
      sent += budget
      const r = await session(target.port, own, o, budget)
      sent -= budget - r.pdus
      // A simulator that stopped accepting connections (or died) ends the fuzz instead of spinning.
      if (r.pdus === 0 && ++refused > 1000) throw new Error('fuzz: the simulator refused 1000 connections')
      bytes += r.bytes
      connections++
      if (sent >= nextReport) {
        nextReport += 100_000 // before the await: one report per 100,000, whichever worker gets there
        const s = await target.stats()
        log(`fuzz: ${sent} PDUs over ${connections} connections, simulator rss ${(s.rssBytes / 1048576).toFixed(0)} MB, ${s.connections} connections open`)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)))
  const seconds = (performance.now() - started) / 1000
  log(`fuzz: ${sent} PDUs sent over ${connections} connections (${(bytes / 1048576).toFixed(1)} MB) in ${seconds.toFixed(1)} s; waiting for the simulator to settle`)

  // Every fuzz connection is closed on our side: the simulator must release all of them.
  let settled: TargetStats = before
  await until(async () => {
    settled = await target.stats()
    return settled.connections === before.connections && settled.binds === before.binds && settled.fds <= before.fds
  }, settleMs, 'the simulator to release every fuzz connection').catch((err: Error) => log(err.message))
  // Receipts still due come due (the fuzz network's delays are milliseconds); none may be stuck on a dead bind.
  const queuedReceipts = settled.pendingReceipts
  const rx = await CleanEsme.connect(target.port)
  const bound = await rx.request(bindAs('bind_receiver', o, 1), 'bind_receiver_resp')
  let delivered = 0
  if (bound.status === Status.ESME_ROK) {
    await until(async () => (await target.stats()).pendingReceipts === 0, settleMs, 'every queued receipt to reach the clean receiver').catch((err: Error) =>
      log(err.message),
    )
    delivered = rx.count('deliver_sm')
  }
  rx.close()
  const trx = await CleanEsme.connect(target.port)
  const trxBind = await trx.request(bindAs('bind_transceiver', o, 1), 'bind_transceiver_resp')
  const submit: PduInput = {
    command: 'submit_sm', status: 0, sequence: 2,
    ...smBody({ sourceAddr: 'clean', destinationAddr: '4790000000', shortMessage: Buffer.from('after the fuzz'), registeredDelivery: 0 }),
  }
  const cleanSubmitStatus = trxBind.status === Status.ESME_ROK ? (await trx.request(submit, 'submit_sm_resp')).status : trxBind.status
  trx.close()
  await until(async () => (await target.stats()).connections === before.connections, settleMs, 'the clean binds to close').catch(() => undefined)
  const after = await target.stats()

  const problems: string[] = []
  if (!after.alive) problems.push('the simulator process died')
  if (after.connections !== before.connections) problems.push(`connections ${after.connections}, started with ${before.connections}`)
  if (after.binds !== before.binds) problems.push(`binds ${after.binds}, started with ${before.binds}`)
  if (after.fds > before.fds) problems.push(`fds ${after.fds}, started with ${before.fds}`)
  if (bound.status !== Status.ESME_ROK) problems.push(`the clean receiver bind was refused (${bound.status})`)
  if (delivered < queuedReceipts) problems.push(`${queuedReceipts} receipts were waiting for the account, the clean bind got ${delivered}`)
  if (after.pendingReceipts !== 0) problems.push(`${after.pendingReceipts} receipts still pending after the clean bind`)
  if (cleanSubmitStatus !== Status.ESME_ROK) problems.push(`the clean submit was answered ${cleanSubmitStatus}`)
  return { pdus: sent, connections, bytes, seconds, before, after, queuedReceipts, deliveredToCleanBind: delivered, cleanSubmitStatus, problems }
}

/** The fuzz's figures as lines for people. */
export function describeFuzz(r: FuzzReport): string[] {
  const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`
  return [
    `fuzz: ${r.pdus} PDUs over ${r.connections} connections, ${(r.bytes / 1048576).toFixed(1)} MB, ${r.seconds.toFixed(1)} s (${Math.round(r.pdus / r.seconds)} PDUs/s)`,
    `fuzz: simulator alive: ${r.after.alive ? 'yes' : 'NO'}; fds ${r.before.fds} -> ${r.after.fds}; connections ${r.before.connections} -> ${r.after.connections}; binds ${r.before.binds} -> ${r.after.binds}; rss ${mb(r.before.rssBytes)} -> ${mb(r.after.rssBytes)}`,
    `fuzz: simulator saw ${r.after.invalidPdus - r.before.invalidPdus} undecodable PDUs, accepted ${r.after.accepted - r.before.accepted} submits, ` +
      `${r.after.acked - r.before.acked} deliver_sm_resp OK (acks and random ones), resent ${r.after.resent - r.before.resent} receipts after their bind dropped unacknowledged`,
    `fuzz: receipts waiting for the account after the fuzz ${r.queuedReceipts}, delivered to a clean receiver bind ${r.deliveredToCleanBind}, pending at the end ${r.after.pendingReceipts}`,
    `fuzz: clean bind and submit after the fuzz: ${r.cleanSubmitStatus === 0 ? 'served (ESME_ROK)' : `FAILED (status ${r.cleanSubmitStatus})`}`,
    r.problems.length ? `fuzz: PROBLEMS: ${r.problems.join('; ')}` : 'fuzz: intact',
  ]
}
