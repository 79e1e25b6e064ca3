// The control API over the real simulator (startNetwork): timeline faults show up, API faults
// change the operator's state, DELETE ends them, /metrics follows.
import { describe, it, expect, afterEach } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildControlApi } from '../../../simulator/control/control-api.js'
import { parseNetwork } from '../../../simulator/network.js'
import { startNetwork } from '../../../simulator/start-network.js'
import type { NetworkHandle } from '../../../simulator/types.js'
import { parseProm } from './prom-text.js'

const account = { system_id: 'esme', password: 'secret' }
let network: NetworkHandle | undefined
let app: FastifyInstance | undefined

afterEach(async () => {
  await app?.close()
  await network?.close()
  app = network = undefined
})

async function start(): Promise<FastifyInstance> {
  const config = parseNetwork(
    {
      name: 'real',
      operators: [
        // An outage from the start, for a minute: the timeline is live as soon as the network is.
        { id: 'down', mcc: '242', mnc: '01', prefixes: ['4790'], smpp: { port: 0, accounts: [account] }, timeline: [{ event: 'outage', at: 0, duration: '1m' }] },
        { id: 'ok', mcc: '242', mnc: '02', prefixes: ['4740'], smpp: { port: 0, accounts: [account] } },
      ],
    },
    'real-network',
  )
  network = await startNetwork(config)
  // Timeline events fire from the scheduler, on its next timer turn: wait (bounded) for it.
  const down = network.operator('down')!
  for (let i = 0; down.state() !== 'outage'; i++) {
    if (i > 100) throw new Error('the timeline outage at 0s never started')
    await new Promise((r) => setTimeout(r, 10))
  }
  app = buildControlApi(network)
  return app
}

describe('control API on the real simulator', () => {
  it('shows a timeline outage, clears it, and injects an API fault', async () => {
    const api = await start()
    const ops = (await api.inject({ method: 'GET', url: '/operators' })).json()
    expect(ops.map((o: { id: string; state: string; port: number }) => [o.id, o.state, o.port > 0])).toEqual([
      ['down', 'outage', true],
      ['ok', 'up', true],
    ])
    expect(ops[0].faults).toHaveLength(1)
    expect(ops[0].faults[0]).toMatchObject({ kind: 'outage', source: 'timeline', duration: 60_000 })
    expect(ops[0].faults[0].end - ops[0].faults[0].start).toBeCloseTo(60_000, 6)

    let prom = parseProm((await api.inject({ method: 'GET', url: '/metrics' })).body)
    expect(prom.value('mtsim_operator_up', { operator: 'down' })).toBe(0)
    expect(prom.value('mtsim_operator_active_faults', { operator: 'down' })).toBe(1)

    const cleared = await api.inject({ method: 'DELETE', url: '/operators/down/faults' })
    expect(cleared.json()).toEqual({ operator: 'down', cleared: 1, state: 'up' })

    const spike = await api.inject({
      method: 'POST',
      url: '/operators/ok/faults',
      payload: { event: 'black_hole', duration: '45s' },
    })
    expect(spike.statusCode).toBe(201)
    const fault = spike.json().fault
    expect(fault).toMatchObject({ kind: 'black_hole', source: 'api', duration: 45_000 })
    expect(fault.end - fault.start).toBeCloseTo(45_000, 6)
    expect(spike.json().state).toBe('black_hole')

    const stats = (await api.inject({ method: 'GET', url: '/operators/ok/stats' })).json()
    expect(stats).toMatchObject({ id: 'ok', state: 'black_hole', submits: 0, inFlight: 0 })
    prom = parseProm((await api.inject({ method: 'GET', url: '/metrics' })).body)
    expect([prom.value('mtsim_operator_up', { operator: 'down' }), prom.value('mtsim_operator_up', { operator: 'ok' })]).toEqual([1, 0])
    expect(network!.faultHistory().map((f) => [f.fault.kind, f.source])).toEqual([
      ['outage', 'timeline'],
      ['black_hole', 'api'],
    ])
  })
})
