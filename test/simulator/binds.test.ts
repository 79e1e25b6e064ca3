import { describe, expect, it } from 'vitest'
import { Status } from '../../smpp/constants.js'
import { Esme, startOne, waitFor, perTest } from './helper.js'

const t = perTest()
const client = t.connect

const accounts = {
  smpp: {
    accounts: [
      { system_id: 'esme', password: 'secret' },
      { system_id: 'txonly', password: 'pw', bind_types: ['transmitter'], max_binds: 1 },
    ],
  },
}

describe('binds and bind state', () => {
  it('answers each authentication failure with its own status', async () => {
    t.net = await startOne(accounts)
    expect(await (await client()).bind('transceiver', 'nobody', 'secret')).toBe(Status.ESME_RINVSYSID)
    expect(await (await client()).bind('transceiver', 'esme', 'wrong')).toBe(Status.ESME_RINVPASWD)
    expect(await (await client()).bind('receiver', 'txonly', 'pw')).toBe(Status.ESME_RBINDFAIL)
    expect(await (await client()).bind('transmitter', 'txonly', 'pw')).toBe(Status.ESME_ROK)
    // max_binds 1: the second transmitter bind of txonly is refused
    expect(await (await client()).bind('transmitter', 'txonly', 'pw')).toBe(Status.ESME_RBINDFAIL)
    const s = t.net.operators[0]!.stats()
    expect(s.bindRefusals).toBe(4)
    expect(s.binds).toEqual({ transmitter: 1, receiver: 0, transceiver: 0 })
  })

  it('refuses a second bind on the same connection with ESME_RALYBND', async () => {
    t.net = await startOne()
    const c = await client()
    expect(await c.bind('transmitter')).toBe(Status.ESME_ROK)
    expect(await c.bind('transceiver')).toBe(Status.ESME_RALYBND)
  })

  it('answers submit_sm before a bind and on a receiver bind with ESME_RINVBNDSTS', async () => {
    t.net = await startOne()
    const unbound = await client()
    expect((await unbound.submit())?.status).toBe(Status.ESME_RINVBNDSTS)
    const rx = await client()
    expect(await rx.bind('receiver')).toBe(Status.ESME_ROK)
    expect((await rx.submit())?.status).toBe(Status.ESME_RINVBNDSTS)
    expect(t.net.operators[0]!.stats().statuses).toEqual({ ESME_RINVBNDSTS: 2 })
  })

  it('answers enquire_link unbound and bound, unbind then closes, unknown commands get generic_nack', async () => {
    t.net = await startOne()
    const c = await client()
    expect((await c.request({ command: 'enquire_link', status: 0, sequence: 0 }))?.command).toBe('enquire_link_resp')
    await c.bind('transceiver')
    expect((await c.request({ command: 'enquire_link', status: 0, sequence: 0 }))?.command).toBe('enquire_link_resp')
    const q = await c.request({ command: 'query_sm', status: 0, sequence: 0, body: Buffer.from([0x31, 0, 0, 0, 0x30, 0]) })
    expect(q).toMatchObject({ command: 'generic_nack', status: Status.ESME_RINVCMDID })
    // A command_id SMPP does not define at all.
    const raw = Buffer.alloc(16)
    raw.writeUInt32BE(16, 0)
    raw.writeUInt32BE(0x00000077, 4)
    raw.writeUInt32BE(4242, 12)
    c.session.sendBuffer(raw)
    const nack = new Promise<unknown>((resolve) => c.session.request({ command: 'enquire_link', status: 0, sequence: 4242 }, (r) => resolve(r)))
    // The server answers the raw PDU (seq 4242) with generic_nack before our enquire_link.
    expect(await nack).toMatchObject({ command: 'generic_nack', status: Status.ESME_RINVCMDID, sequence: 4242 })
    expect((await c.request({ command: 'unbind', status: 0, sequence: 0 }))?.command).toBe('unbind_resp')
    await waitFor(() => c.closed, 2000, 'close after unbind')
  })

  it('refuses binds at the configured bind_refusal_rate, the same way for the same seed', async () => {
    const run = async () => {
      t.net = await startOne({ failures: { bind_refusal_rate: 0.5, bind_refusal_status: 'ESME_RSYSERR' } }, { seed: 11 })
      const statuses: number[] = []
      for (let i = 0; i < 20; i++) {
        const c = await client()
        statuses.push(await c.bind('transceiver'))
        c.close()
      }
      await t.net.close()
      return statuses
    }
    const a = await run()
    const b = await run()
    expect(a).toEqual(b)
    expect(new Set(a)).toEqual(new Set([Status.ESME_ROK, Status.ESME_RSYSERR]))
  })
})
