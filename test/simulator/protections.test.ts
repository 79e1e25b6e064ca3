// An operator's own limits against a misbehaving peer (issue 11, defects 3 and 4): connections
// that never bind or go silent are closed, connections beyond a cap are refused, incomplete PDUs
// share one byte budget, and failed authentication is answered late with few tries per
// connection. Time is a clock the test steps (a manual scheduler): nothing here depends on how
// fast the machine is. Each limit is counted in stats and in the Prometheus metrics.
import { afterEach, describe, expect, it } from 'vitest'
import { Scheduler } from '../../simulator/scheduler.js'
import { createNetworkMetrics } from '../../simulator/control/prometheus.js'
import type { NetworkHandle } from '../../simulator/types.js'
import { Status } from '../../smpp/index.js'
import { Esme, startOne, waitFor } from './helper.js'
import { RawPeer, bindPdu } from './raw-peer.js'

let network: NetworkHandle | undefined
const peers: RawPeer[] = []
afterEach(async () => {
  for (const p of peers.splice(0)) p.socket.destroy()
  await network?.close()
  network = undefined
})

/** A network on a clock that moves only when the test says, in steps as a real timer would see it. */
async function manual(op: Record<string, unknown>) {
  let now = 0
  const scheduler = new Scheduler(() => now, false)
  network = await startOne(op, { scheduler })
  const port = network.operators[0]!.port
  return {
    op: network.operators[0]!,
    advance(ms: number, step = 1000): void {
      const end = now + ms
      while (now < end) {
        now = Math.min(end, now + step)
        scheduler.runDue()
      }
    },
    async peer(): Promise<RawPeer> {
      const p = await RawPeer.connect(port)
      peers.push(p)
      return p
    },
  }
}

/** A round trip on the connection: everything the server sent before its answer has arrived. */
async function roundTrip(p: RawPeer, sequence: number): Promise<void> {
  p.send({ command: 'enquire_link', status: 0, sequence })
  await p.until(() => p.received.some((x) => x.command === 'enquire_link_resp' && x.sequence === sequence))
}

const scrape = async () => createNetworkMetrics(network!).scrape()

describe('operator limits', () => {
  it('closes a connection that does not bind within bind_timeout; a bound one stays', async () => {
    const m = await manual({ smpp: { limits: { bind_timeout: '30s' } } })
    const idle = await m.peer()
    const bound = await m.peer()
    bound.send(bindPdu())
    expect((await bound.next('bind_transceiver_resp')).status).toBe(Status.ESME_ROK)
    await waitFor(() => m.op.stats().connections === 2, 5000, 'both connections accepted')
    m.advance(29_999)
    expect(m.op.stats().protections.bindTimeouts).toBe(0)
    m.advance(1)
    expect(m.op.stats().protections.bindTimeouts).toBe(1)
    await idle.until(() => idle.gone)
    await waitFor(() => m.op.stats().connections === 1, 5000, 'the unbound connection released')
    await roundTrip(bound, 50)
    expect(bound.gone).toBe(false)
    expect(await scrape()).toContain('mtsim_operator_connections_closed_total{operator="op",reason="bind_timeout"} 1')
  })

  it('closes a session silent for inactivity_timeout; enquire_link keeps it alive', async () => {
    const m = await manual({ smpp: { limits: { inactivity_timeout: '60s', bind_timeout: 0 } } })
    const p = await m.peer()
    p.send(bindPdu())
    await p.next('bind_transceiver_resp')
    m.advance(59_000)
    await roundTrip(p, 2) // read at t = 59 s: the session lives until 119 s
    m.advance(59_999)
    await roundTrip(p, 3) // read at t = 118.999 s: until 178.999 s
    m.advance(59_999)
    expect(m.op.stats().protections.inactivityTimeouts).toBe(0)
    expect(p.gone).toBe(false)
    m.advance(1)
    expect(m.op.stats().protections.inactivityTimeouts).toBe(1)
    await p.until(() => p.gone)
    await waitFor(() => m.op.stats().binds.transceiver === 0, 5000, 'the bind released')
    expect(await scrape()).toContain('mtsim_operator_connections_closed_total{operator="op",reason="inactivity"} 1')
  })

  it('refuses connections beyond max_connections, counted; a slot frees when one closes', async () => {
    const m = await manual({ smpp: { limits: { max_connections: 2 } } })
    const a = await m.peer()
    await m.peer()
    const third = await m.peer()
    await third.until(() => third.gone)
    expect(m.op.stats()).toMatchObject({ connections: 2, protections: { connectionsRefused: 1 } })
    a.socket.destroy()
    await waitFor(() => m.op.stats().connections === 1, 5000, 'a slot freed')
    const fourth = await m.peer()
    fourth.send(bindPdu())
    expect((await fourth.next('bind_transceiver_resp')).status).toBe(Status.ESME_ROK)
    expect(await scrape()).toContain('mtsim_operator_connections_refused_total{operator="op"} 1')
  })

  it('incomplete PDUs share max_buffered_bytes: the connection that goes over is closed, the others keep theirs', async () => {
    const m = await manual({ smpp: { limits: { max_pdu_length: 65_536, max_buffered_bytes: 65_536 } } })
    /** 40,000 bytes of a 60,000-byte PDU with an unknown command_id. */
    const partial = () => {
      const b = Buffer.alloc(40_000)
      b.writeUInt32BE(60_000, 0)
      b.writeUInt32BE(0x00001234, 4)
      b.writeUInt32BE(77, 12)
      return b
    }
    const a = await m.peer()
    a.write(partial())
    await waitFor(() => m.op.stats().bufferedBytes === 40_000, 5000, 'the first partial PDU held')
    const b = await m.peer()
    b.write(partial())
    await b.until(() => b.gone)
    expect(m.op.stats()).toMatchObject({ bufferedBytes: 40_000, protections: { bufferOverflows: 1 } })
    // The first connection finishes its PDU: answered (unknown command) and its bytes released.
    a.write(Buffer.alloc(20_000))
    expect((await a.next('generic_nack')).status).toBe(Status.ESME_RINVCMDID)
    expect(m.op.stats().bufferedBytes).toBe(0)
    expect(a.gone).toBe(false)
    expect(await scrape()).toContain('mtsim_operator_connections_closed_total{operator="op",reason="buffer_limit"} 1')
  })

  it('rejects a command_length above max_pdu_length before buffering it', async () => {
    const m = await manual({ smpp: { limits: { max_pdu_length: 1024 } } })
    const p = await m.peer()
    const head = Buffer.alloc(16)
    head.writeUInt32BE(1025, 0)
    head.writeUInt32BE(0x00000004, 4)
    p.write(head)
    expect((await p.next('generic_nack')).status).toBe(Status.ESME_RINVCMDLEN)
    await p.until(() => p.ended)
    expect(m.op.stats().bufferedBytes).toBe(0)
  })

  it('answers failed authentication after failed_binds.delay, and closes after close_after failures', async () => {
    const m = await manual({ smpp: { failed_binds: { delay: '1s', close_after: 3 } } })
    const p = await m.peer()
    const bindResps = () => p.received.filter((x) => x.command === 'bind_transceiver_resp')
    p.send(bindPdu('esme', 'guess1', 'bind_transceiver', 1))
    await roundTrip(p, 100) // the bind was read; had it been answered at once, its answer came first
    expect(bindResps()).toEqual([])
    m.advance(999)
    await roundTrip(p, 101)
    expect(bindResps()).toEqual([])
    m.advance(1)
    await p.until(() => bindResps().length === 1)
    expect(bindResps()[0]).toMatchObject({ status: Status.ESME_RINVPASWD, sequence: 1 })
    // Two more tries (an unknown system_id counts too); a fourth, pipelined, gets no answer at all.
    p.send(bindPdu('nobody', 'secret', 'bind_transceiver', 2))
    p.send(bindPdu('esme', 'guess3', 'bind_transceiver', 3))
    p.send(bindPdu('esme', 'guess4', 'bind_transceiver', 4))
    await roundTrip(p, 102)
    m.advance(1000)
    await p.until(() => p.ended)
    expect(bindResps().map((r) => [r.sequence, r.status])).toEqual([
      [1, Status.ESME_RINVPASWD],
      [2, Status.ESME_RINVSYSID],
      [3, Status.ESME_RINVPASWD],
    ])
    expect(m.op.stats().protections).toMatchObject({ authFailures: 3, authDisconnects: 1 })
    expect(await scrape()).toContain('mtsim_operator_auth_failures_total{operator="op"} 3')
    expect(await scrape()).toContain('mtsim_operator_connections_closed_total{operator="op",reason="auth_failures"} 1')
    // The right password on a fresh connection binds at once.
    const good = await Esme.bound(m.op.port)
    good.close()
  })
})
