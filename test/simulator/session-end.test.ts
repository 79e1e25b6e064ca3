// Every way a session ends releases its connection, its bind and its receipts (issue 11, defect
// 1): a bad PDU that breaks the framing used to leave the socket paused, so the peer's later bytes
// and FIN were never read, 'close' never came, and the bind counted for good (8 such connections
// locked an account with max_binds 8; their receipts never left).
import { afterEach, describe, expect, it } from 'vitest'
import { Status, smBody } from '../../smpp/index.js'
import type { NetworkHandle } from '../../simulator/types.js'
import { Esme, startOne, waitFor } from './helper.js'
import { RawPeer, bindPdu } from './raw-peer.js'

let network: NetworkHandle | undefined
const peers: RawPeer[] = []
afterEach(async () => {
  for (const p of peers.splice(0)) p.socket.destroy()
  await network?.close()
  network = undefined
})

const submit = (sequence: number) => ({
  command: 'submit_sm' as const,
  status: 0,
  sequence,
  ...smBody({ sourceAddr: 'mtsim', destinationAddr: '4790000001', shortMessage: Buffer.from(`bad peer ${sequence}`), registeredDelivery: 1 }),
})

describe('a session ended by a bad PDU', () => {
  it('command_length 0xFFFFFFFF, more bytes in a later segment, close: connection, bind and unacked receipt are released', async () => {
    network = await startOne({
      smpp: { accounts: [{ system_id: 'esme', password: 'secret', max_binds: 1 }] },
      receipts: { delay: { distribution: 'fixed', value: '0ms' } },
    })
    const op = network.operators[0]!
    const bad = await RawPeer.connect(op.port)
    peers.push(bad)
    bad.send(bindPdu())
    expect((await bad.next('bind_transceiver_resp')).status).toBe(Status.ESME_ROK)
    // A receipt goes out on this bind and is never acknowledged: the operator keeps it for the account.
    bad.send(submit(2))
    await bad.next('deliver_sm')
    expect(op.stats()).toMatchObject({ connections: 1, binds: { transceiver: 1 }, receipts: { pending: 1, acked: 0 } })

    bad.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 4, 0, 0, 0, 0]))
    expect((await bad.next('generic_nack')).status).toBe(Status.ESME_RINVCMDLEN)
    await bad.until(() => bad.ended) // the server gave up on the stream and half-closed
    bad.write(Buffer.alloc(100, 0x41)) // a later TCP segment, after the server's FIN
    bad.socket.end()
    await bad.until(() => bad.closed)

    await waitFor(() => op.stats().connections === 0, 10_000, 'the bad connection released')
    expect(op.stats().binds.transceiver).toBe(0)
    expect(op.stats().protections.invalidPdus).toBe(1)
    // The account (max_binds 1) is free again, and the receipt comes to the next bind.
    const good = await Esme.bound(op.port, 'receiver')
    await waitFor(() => good.received.length === 1, 10_000, 'the receipt sent again to the new bind')
    await waitFor(() => op.stats().receipts.acked === 1, 10_000, 'the receipt acknowledged')
    expect(op.stats().receipts).toMatchObject({ pending: 0, resent: 1 })
    good.close()
  })

  it('eight such connections do not lock an account with max_binds 8', async () => {
    network = await startOne({ smpp: { accounts: [{ system_id: 'esme', password: 'secret', max_binds: 8 }] } })
    const op = network.operators[0]!
    for (let i = 0; i < 8; i++) {
      const bad = await RawPeer.connect(op.port)
      peers.push(bad)
      bad.send(bindPdu())
      await bad.next('bind_transceiver_resp')
      bad.write(Buffer.from([0xff, 0xff, 0xff, 0xff]))
      await bad.next('generic_nack')
      bad.write(Buffer.from([1, 2, 3]))
      bad.socket.end()
    }
    await waitFor(() => op.stats().connections === 0, 10_000, 'all eight released')
    const good = await Esme.bound(op.port)
    expect((await good.submit())?.status).toBe(Status.ESME_ROK)
    good.close()
  })

  it('a peer that never closes after the server ended is cut off after the grace period', async () => {
    network = await startOne()
    const op = network.operators[0]!
    const bad = await RawPeer.connect(op.port)
    peers.push(bad)
    bad.write(Buffer.from([0, 0, 0, 1])) // command_length 1: fatal at once, before any bind
    await bad.next('generic_nack')
    await bad.until(() => bad.ended)
    // We keep our side open and never send a FIN: the server must not wait for it forever (it
    // cuts the connection off DEFAULT_CLOSE_GRACE_MS after its own end).
    await waitFor(() => op.stats().connections === 0, 10_000, 'the connection released')
  })
})
