// SmppSession over real sockets on 127.0.0.1 (port 0). Every wait is bounded.
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../support/wait.js'
import { CommandId, SmppSession, Status, decodePdu, encodePdu, smBody, type Pdu, type SessionOptions } from '../../smpp/index.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})

/** A listening server; resolves with the accepted server-side socket and a connected client socket. */
async function socketPair(): Promise<{ server: net.Socket; client: net.Socket }> {
  const srv = net.createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const { port } = srv.address() as net.AddressInfo
  const accepted = new Promise<net.Socket>((r) => srv.once('connection', r))
  const client = net.connect(port, '127.0.0.1')
  await new Promise<void>((r, j) => client.once('connect', r).once('error', j))
  const server = await accepted
  cleanups.push(() => {
    client.destroy()
    server.destroy()
    srv.close()
  })
  return { server, client }
}

async function sessionPair(serverOpts: SessionOptions = {}, clientOpts: SessionOptions = {}) {
  const { server, client } = await socketPair()
  return { srv: new SmppSession(server, serverOpts), cli: new SmppSession(client, clientOpts) }
}


/** Lets the event loop go round n times (I/O callbacks included): no wall-clock margin involved. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r))
}

const submit = (destinationAddr = '4917000') => ({ command: 'submit_sm' as const, status: 0, sequence: 0, ...smBody({ sourceAddr: 'MTSIM', destinationAddr, shortMessage: Buffer.from('hi') }) })

describe('SmppSession', () => {
  it('batches writes and delivers many PDUs in order; request() correlates responses', async () => {
    const { srv, cli } = await sessionPair()
    const seen: number[] = []
    srv.onPdu = (p) => {
      seen.push(p.sequence)
      srv.sendSubmitSmResp(p.sequence, 0, 'id' + p.sequence)
    }
    let writes = 0
    const write = cli.socket.write.bind(cli.socket)
    cli.socket.write = ((...args: Parameters<typeof write>) => (writes++, write(...args))) as typeof write
    const N = 10_000
    const results = new Map<number, string>()
    for (let i = 0; i < N; i++) {
      const seq = cli.request(submit(), (resp, timedOut) => {
        expect(timedOut).toBe(false)
        results.set(seq, resp && resp.command === 'submit_sm_resp' ? resp.messageId : 'bad')
      })
    }
    expect(cli.pendingCount).toBe(N)
    await waitFor(() => results.size === N)
    expect(seen).toEqual(Array.from({ length: N }, (_, i) => i + 1))
    for (const [seq, id] of results) expect(id).toBe('id' + seq)
    expect(writes).toBeLessThan(N / 50) // 10k PDUs in a handful of socket writes
    expect(cli.pendingCount).toBe(0)
  })

  it('routes out-of-order responses by sequence; unmatched responses go to onPdu', async () => {
    const { srv, cli } = await sessionPair()
    const got: Pdu[] = []
    srv.onPdu = (p) => got.push(p)
    const answers: [number, string][] = []
    const seqs = [1, 2, 3].map(() => cli.request(submit(), (r) => answers.push([r!.sequence, (r as { messageId: string }).messageId])))
    await waitFor(() => got.length === 3)
    for (const p of [...got].reverse()) srv.sendSubmitSmResp(p.sequence, 0, 'm' + p.sequence)
    const stray: Pdu[] = []
    cli.onPdu = (p) => stray.push(p)
    srv.send({ command: 'deliver_sm_resp', status: 0, sequence: 999, messageId: '' })
    await waitFor(() => answers.length === 3 && stray.length === 1)
    expect(answers).toEqual(seqs.reverse().map((s) => [s, 'm' + s]))
    expect(stray[0]).toMatchObject({ command: 'deliver_sm_resp', sequence: 999 })
  })

  it('times out unanswered requests; late answers go to onPdu', async () => {
    const { srv, cli } = await sessionPair({}, { responseTimeoutMs: 100 })
    const held: Pdu[] = []
    srv.onPdu = (p) => held.push(p)
    const outcomes: boolean[] = []
    const t0 = Date.now()
    for (let i = 0; i < 50; i++) cli.request(submit(), (resp, timedOut) => outcomes.push(resp === undefined && timedOut))
    await waitFor(() => outcomes.length === 50, 5000)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(95)
    expect(outcomes.every(Boolean)).toBe(true)
    expect(cli.pendingCount).toBe(0)
    const late: Pdu[] = []
    cli.onPdu = (p) => late.push(p)
    srv.sendSubmitSmResp(held[0]!.sequence, 0, 'late')
    await waitFor(() => late.length === 1)
    expect(late[0]).toMatchObject({ command: 'submit_sm_resp', messageId: 'late' })
  })

  it('answers enquire_link itself unless the owner opts out', async () => {
    const { srv, cli } = await sessionPair()
    const toOwner: Pdu[] = []
    srv.onPdu = (p) => toOwner.push(p)
    const resp = await new Promise<Pdu | undefined>((r) => cli.request({ command: 'enquire_link', status: 0, sequence: 0 }, r))
    expect(resp).toMatchObject({ command: 'enquire_link_resp', commandId: CommandId.enquire_link_resp, status: 0 })
    expect(toOwner).toEqual([])

    const pair2 = await sessionPair({ autoEnquireLinkResp: false })
    const own: Pdu[] = []
    pair2.srv.onPdu = (p) => own.push(p)
    pair2.cli.send({ command: 'enquire_link', status: 0, sequence: 5 })
    await waitFor(() => own.length === 1)
    expect(own[0]).toMatchObject({ command: 'enquire_link', sequence: 5 })
  })

  it('keepalive sends enquire_link when idle', async () => {
    const { srv, cli } = await sessionPair({ autoEnquireLinkResp: false }, { enquireLinkIntervalMs: 30 })
    let links = 0
    srv.onPdu = (p) => {
      if (p.command === 'enquire_link') {
        links++
        srv.sendEnquireLinkResp(p.sequence)
      }
    }
    await waitFor(() => links >= 2, 5000)
    expect(cli.isClosed).toBe(false)
  })

  it('answers an unknown command_id with generic_nack RINVCMDID and keeps the connection', async () => {
    const { server, client } = await socketPair()
    const srv = new SmppSession(server)
    const inbound: Buffer[] = []
    client.on('data', (d) => inbound.push(d))
    const bad = Buffer.alloc(16)
    bad.writeUInt32BE(16, 0)
    bad.writeUInt32BE(0x00000077, 4)
    bad.writeUInt32BE(31337, 12)
    client.write(Buffer.concat([bad, encodePdu({ command: 'enquire_link', status: 0, sequence: 2 })]))
    await waitFor(() => Buffer.concat(inbound).length >= 32)
    const all = Buffer.concat(inbound)
    expect(decodePdu(all.subarray(0, 16))).toMatchObject({ command: 'generic_nack', status: Status.ESME_RINVCMDID, sequence: 31337 })
    expect(decodePdu(all.subarray(16, 32))).toMatchObject({ command: 'enquire_link_resp', sequence: 2 })
    expect(srv.isClosed).toBe(false)
  })

  it('answers an absurd command_length with generic_nack RINVCMDLEN and closes; onClose fires once', async () => {
    const { server, client } = await socketPair()
    const srv = new SmppSession(server)
    const closes: (Error | undefined)[] = []
    srv.onClose = (e) => closes.push(e)
    const inbound: Buffer[] = []
    client.on('data', (d) => inbound.push(d))
    const ended = new Promise((r) => client.once('end', r))
    client.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 4]))
    await ended
    expect(decodePdu(Buffer.concat(inbound))).toMatchObject({ command: 'generic_nack', status: Status.ESME_RINVCMDLEN })
    client.end()
    await waitFor(() => srv.isClosed)
    srv.close()
    await turns(5) // any stray second close would have been delivered by now
    expect(closes.length).toBe(1)
  })

  it('close fails pending requests with (undefined, false) and fires onClose once', async () => {
    const { cli, srv } = await sessionPair()
    let arrived = 0
    srv.onPdu = () => arrived++
    const outcomes: [boolean, boolean][] = []
    let closes = 0
    cli.onClose = () => closes++
    for (let i = 0; i < 5; i++) cli.request(submit(), (r, t) => outcomes.push([r === undefined, t]))
    await waitFor(() => arrived === 5) // in flight at the server, unanswered
    srv.close()
    await waitFor(() => cli.isClosed)
    cli.close()
    cli.end()
    expect(outcomes).toEqual(Array(5).fill([true, false]))
    expect(closes).toBe(1)
    // after close: sends are dropped, requests fail at once
    cli.send(submit())
    let failed = false
    cli.request(submit(), (r, t) => (failed = r === undefined && !t))
    expect(failed).toBe(true)
  })

  it('a peer that stops reading makes the session pause reading instead of buffering without bound', async () => {
    const { server, client } = await socketPair()
    const srv = new SmppSession(server)
    const longId = 'x'.repeat(64)
    srv.onPdu = (p) => srv.sendSubmitSmResp(p.sequence, 0, longId) // ~2.3x amplification
    let drained = 0
    srv.onDrain = () => drained++
    // The client writes ~10 MB of submit_sm and never reads (no 'data' listener: paused mode).
    const one = encodePdu(submit('1'))
    const N = 300_000
    const big = Buffer.allocUnsafe(one.length * N)
    for (let i = 0; i < N; i++) {
      one.writeUInt32BE(i + 1, 12)
      one.copy(big, i * one.length)
    }
    client.write(big)
    await waitFor(() => srv.backedUp, 15_000)
    expect(server.isPaused()).toBe(true)
    expect(srv.writable).toBe(false)
    // Paused: once the stream's own buffer is full it stops reading from the socket, and many
    // event-loop turns with the client's bytes waiting in the kernel then read nothing more.
    await waitFor(() => server.readableLength >= server.readableHighWaterMark)
    const readWhilePaused = server.bytesRead
    await turns(50)
    expect(server.bytesRead).toBe(readWhilePaused)
    expect(server.bytesRead).toBeLessThan(big.length)
    expect(srv.queuedBytes).toBeLessThan(2 * 1024 * 1024)
    // Now the client reads: everything drains and every request gets its response.
    let received = 0
    client.on('data', (d) => (received += d.length))
    const expected = N * (16 + longId.length + 1)
    await waitFor(() => received === expected, 30_000)
    expect(drained).toBeGreaterThan(0)
    expect(srv.backedUp).toBe(false)
  })

  it('nextSequence wraps from 0x7FFFFFFF to 1', async () => {
    const { cli } = await sessionPair()
    ;(cli as unknown as { seq: number }).seq = 0x7ffffffe
    expect([cli.nextSequence(), cli.nextSequence(), cli.nextSequence()]).toEqual([0x7fffffff, 1, 2])
  })
})
