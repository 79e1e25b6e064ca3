// The direct target against the real simulator: binds per operator, routing, throttling, receipts.
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../support/wait.js'
import type { IncomingReceipt, OutboundMessage, SubmitOutcome } from '../../../loadgen/transports/transport.js'
import { DirectTransport, type DirectTargetOptions } from '../../../loadgen/transports/direct.js'
import { createTransport } from '../../../loadgen/transports/index.js'
import { MtsimError } from '../../../lib/errors.js'
import { parseNetwork } from '../../../simulator/network.js'
import { startNetwork } from '../../../simulator/start-network.js'
import type { NetworkHandle } from '../../../simulator/types.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const fast = { distribution: 'fixed', value: '5ms' }

async function network(): Promise<NetworkHandle> {
  const config = parseNetwork(
    {
      seed: 3,
      operators: [
        {
          id: 'opa', mcc: '242', mnc: '01', prefixes: ['4790'],
          smpp: { port: 0, accounts: [{ system_id: 'tx', password: 'p', bind_types: ['transmitter'] }, { system_id: 'gw', password: 'p' }] },
          throttle: { rate: 0.01, burst: 5 },
          receipts: { delay: fast, format: { text_label: 'Text', id_format: 'hex', tlvs: false } },
        },
        {
          id: 'opb', mcc: '242', mnc: '02', prefixes: ['4791'],
          smpp: { port: 0, accounts: [{ system_id: 'gw', password: 'p' }] },
          latency: { distribution: 'fixed', value: '40ms' },
          receipts: { delay: fast, outcomes: [{ stat: 'UNDELIV', weight: 1 }] },
        },
      ],
    },
    'test-network',
  )
  const net = await startNetwork(config)
  cleanups.push(() => net.close())
  return net
}

const opts: DirectTargetOptions = {
  binds: 1, defaultBinds: 1, mode: 'transceiver', window: 50,
  responseTimeoutMs: 5000, enquireLinkMs: 0, reconnectInitialMs: 20, reconnectMaxMs: 200,
}

async function direct(net: NetworkHandle, over: Partial<DirectTargetOptions> = {}, sink: IncomingReceipt[] = []): Promise<DirectTransport> {
  const t = new DirectTransport(net, { ...opts, ...over })
  cleanups.push(() => t.close())
  await t.start({ onReceipt: (r) => sink.push(r) })
  return t
}

function msg(seq: number, operator: string, destination: string, text = `T${seq} hello`): OutboundMessage {
  return { seq, tag: `T${seq} `, stream: 's', operator, source: 'MTSIM', destination, text, encoding: 'auto', multipart: 'udh', registeredDelivery: 1 }
}

function sendAll(t: DirectTransport, msgs: OutboundMessage[]): Promise<SubmitOutcome[]> {
  const out: SubmitOutcome[] = new Array(msgs.length)
  let left = msgs.length
  return new Promise((resolve) => msgs.forEach((m, i) => t.send(m, (o) => ((out[i] = o), --left === 0 && resolve(out)))))
}


describe('DirectTransport against the simulator', () => {
  it('binds each operator with its first account allowing the mode, `binds` per operator', async () => {
    const net = await network()
    await direct(net, { binds: { opa: 2, opb: 3 } })
    expect(net.operator('opa')!.stats().binds).toEqual({ transmitter: 0, receiver: 0, transceiver: 2 })
    expect(net.operator('opb')!.stats().binds).toEqual({ transmitter: 0, receiver: 0, transceiver: 3 })
  })

  it('a throttled operator: burst 5 of 20 accepted, 15 ESME_RTHROTTLED; hex receipts match the ids', async () => {
    const net = await network()
    const sink: IncomingReceipt[] = []
    const t = await direct(net, {}, sink)
    const outs = await sendAll(t, Array.from({ length: 20 }, (_, i) => msg(i, 'opa', '4790000' + i)))
    const accepted = outs.filter((o) => o.kind === 'accepted')
    expect(accepted).toHaveLength(5)
    expect(outs.filter((o) => o.kind === 'rejected' && o.status === 'ESME_RTHROTTLED')).toHaveLength(15)
    await waitFor(() => sink.length === 5)
    expect(sink.map((r) => r.messageId).sort()).toEqual(accepted.map((o) => o.messageIds[0]).sort())
    expect(sink.every((r) => r.stat === 'DELIVRD' && r.final)).toBe(true)
  })

  it('routes by msg.operator, else by prefix; no operator -> NO_ROUTE', async () => {
    const net = await network()
    const sink: IncomingReceipt[] = []
    const t = await direct(net, {}, sink)
    const outs = await sendAll(t, [msg(1, 'opb', '4791000001'), msg(2, '', '4791000002'), msg(3, '', '4400000003'), msg(4, 'nope', '4790000004')])
    expect(outs.map((o) => o.status)).toEqual(['ESME_ROK', 'ESME_ROK', 'NO_ROUTE', 'ESME_ROK'])
    expect(outs[2]).toEqual({ kind: 'failed', status: 'NO_ROUTE', messageIds: [] })
    expect(net.operator('opb')!.stats().submits).toBe(2)
    expect(net.operator('opa')!.stats().submits).toBe(1)
    await waitFor(() => sink.length === 3)
    const byId = new Map(sink.map((r) => [r.messageId, r.stat]))
    expect(outs[0]!.messageIds[0]).toMatch(/^opb:\d+$/)
    expect(outs[3]!.messageIds[0]).toMatch(/^opa:[0-9a-f]+$/)
    expect(byId.get(outs[0]!.messageIds[0])).toBe('UNDELIV')
    expect(byId.get(outs[3]!.messageIds[0])).toBe('DELIVRD')
  })

  it('canSend is per operator: a full opb does not block opa', async () => {
    const net = await network()
    const t = await direct(net, { window: 3 })
    const b = (i: number) => msg(i, 'opb', '4791000000')
    const outs: SubmitOutcome[] = []
    let i = 0
    while (t.canSend(b(i))) t.send(b(i++), (o) => outs.push(o))
    expect(i).toBe(3)
    expect(t.canSend(msg(99, 'opa', '4790000000'))).toBe(true)
    expect(t.capacity()).toBe(3) // opa's 3 free slots; opb's are all taken
    await waitFor(() => outs.length === 3)
    expect(outs.every((o) => o.kind === 'accepted')).toBe(true)
  })

  it('a multipart message is 3 submits, 1 message and 1 outcome with 3 ids', async () => {
    const net = await network()
    const t = await direct(net)
    const [o] = await sendAll(t, [msg(1, 'opb', '4791000001', 'x'.repeat(400))])
    expect(o!.kind).toBe('accepted')
    expect(o!.messageIds).toHaveLength(3)
    expect(net.operator('opb')!.stats()).toMatchObject({ submits: 3, messages: 1 })
  })

  it('rebinds after an outage drops the connection', async () => {
    const net = await network()
    const t = await direct(net)
    net.operator('opb')!.injectFault({ kind: 'outage', at: 0, duration: 150 })
    await waitFor(() => t.stats().opb!.disconnects >= 1)
    await waitFor(() => t.canSend(msg(1, 'opb', '4791000001')), 5000)
    const [o] = await sendAll(t, [msg(1, 'opb', '4791000001')])
    expect(o!.kind).toBe('accepted')
    expect(t.stats().opb!.binds).toBeGreaterThanOrEqual(2)
  })

  it('createTransport: direct without a network is a usage error; tx+rx needs an account allowing both', async () => {
    const net = await network()
    expect(() => createTransport({ gateway: { kind: 'direct', binds: {}, window: 1, mode: 'transceiver' } })).toThrow(MtsimError)
    expect(() => new DirectTransport(net, { ...opts, binds: 9 })).toThrow('gateway.binds asks for 9 binds to operator opa, but its account gw allows max_binds 8')
    const t = createTransport({ gateway: { kind: 'direct', binds: { opa: 1, opb: 1 }, window: 5, mode: 'tx+rx' } }, net)
    cleanups.push(() => t.close())
    await t.start({ onReceipt: () => {} })
    expect(net.operator('opa')!.stats().binds).toEqual({ transmitter: 1, receiver: 1, transceiver: 0 })
  })
})
