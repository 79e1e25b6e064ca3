import { describe, it, expect, beforeEach, afterEach } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildControlApi, startControlApi } from '../../../simulator/control/control-api.js'
import { MtsimError } from '../../../lib/errors.js'
import { fakeNetwork, type FakeNetwork } from './fake-network.js'

let net: FakeNetwork
let app: FastifyInstance

beforeEach(() => {
  net = fakeNetwork()
  app = buildControlApi(net)
})
afterEach(async () => {
  await app.close()
})

describe('GET /health and /operators', () => {
  it('reports ok, uptime and the operator count', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ status: 'ok', network: 'fake', operators: 2 })
    expect(typeof body.uptime).toBe('number')
    expect(body.uptime).toBeGreaterThanOrEqual(0)
  })

  it('lists every operator with its listening port, system_ids, state and faults', async () => {
    const res = await app.inject({ method: 'GET', url: '/operators' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([
      {
        id: 'alpha',
        name: 'Alpha Mobile',
        mcc: '242',
        mnc: '01',
        host: '127.0.0.1',
        port: 30000,
        systemIds: ['alpha_a', 'alpha_b'],
        prefixes: ['4790'],
        state: 'up',
        faults: [],
      },
      {
        id: 'beta',
        name: 'beta',
        mcc: '242',
        mnc: '02',
        host: '127.0.0.1',
        port: 30001,
        systemIds: ['beta'],
        prefixes: ['4740'],
        state: 'up',
        faults: [],
      },
    ])
  })
})

describe('GET /operators/:id/stats', () => {
  it('returns the operator stats as the operator reports them', async () => {
    const alpha = net.operators[0]
    alpha.counters.submits = 12
    alpha.counters.statuses = { ESME_ROK: 10, ESME_RTHROTTLED: 2 }
    alpha.counters.receipts.sent = { DELIVRD: 9 }
    const res = await app.inject({ method: 'GET', url: '/operators/alpha/stats' })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.id).toBe('alpha')
    expect(body.submits).toBe(12)
    expect(body.statuses).toEqual({ ESME_ROK: 10, ESME_RTHROTTLED: 2 })
    expect(body.receipts.sent).toEqual({ DELIVRD: 9 })
    expect(body.state).toBe('up')
  })

  it('shows latencies in milliseconds with their unit, rounded to the microsecond (issue 14)', async () => {
    net.operators[0].counters.latency = { count: 3, p50: 7106.933182999999, p90: 12000.4, p99: 250, p999: 1_000_000, max: 1_234_567.8 }
    const body = (await app.inject({ method: 'GET', url: '/operators/alpha/stats' })).json()
    expect(body.latency).toEqual({ unit: 'ms', count: 3, p50: 7.107, p90: 12, p99: 0.25, p999: 1000, max: 1234.568 })
  })

  it('404s an unknown operator and names the known ones', async () => {
    const res = await app.inject({ method: 'GET', url: '/operators/gamma/stats' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ error: 'no operator "gamma" in network "fake"; known operators: alpha, beta' })
  })

  it('404s an unknown route and lists the routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope' })
    expect(res.statusCode).toBe(404)
    expect(res.json().error).toBe('no route GET /nope')
    expect(res.json().routes).toContain('POST /operators/:id/faults')
  })
})

describe('POST and DELETE /operators/:id/faults', () => {
  it('injects an outage: 201 with the fault, its end time, and the new state', async () => {
    const res = await app.inject({ method: 'POST', url: '/operators/beta/faults', payload: { event: 'outage', duration: '30s' } })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body.operator).toBe('beta')
    expect(body.state).toBe('outage')
    expect(body.fault).toMatchObject({ kind: 'outage', duration: 30_000, source: 'api' })
    expect(body.fault.end - body.fault.start).toBeCloseTo(30_000, 6)
    expect(body.fault.remainingMs).toBeGreaterThan(29_000)
    expect(body.fault.remainingMs).toBeLessThanOrEqual(30_000)
    expect(net.operators[1].state()).toBe('outage')
    expect(net.operators[0].state()).toBe('up')

    const list = (await app.inject({ method: 'GET', url: '/operators' })).json()
    expect(list[1].state).toBe('outage')
    expect(list[1].faults).toHaveLength(1)
    expect(list[1].faults[0].kind).toBe('outage')
  })

  it('normalizes a latency spike body (durations to ms) before passing it on', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/operators/alpha/faults',
      payload: { event: 'latency_spike', duration: 5000, latency: { distribution: 'uniform', min: '100ms', max: '1s' } },
    })
    expect(res.statusCode).toBe(201)
    expect(net.operators[0].activeFaults()[0].fault).toMatchObject({
      kind: 'latency_spike',
      duration: 5000,
      latency: { kind: 'uniform', min: 100, max: 1000 },
    })
  })

  it('rejects a bad body with 400 and every issue as path, expected, found', async () => {
    const res = await app.inject({ method: 'POST', url: '/operators/alpha/faults', payload: { event: 'throttle_change', rate: -1, colour: 'red' } })
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body.error).toBe('invalid fault for operator "alpha"')
    const messages = body.issues.map((i: { message: string }) => i.message).sort()
    expect(messages).toEqual([
      'colour: expected one of the keys event, duration, rate, found unknown key "colour"',
      'duration: expected this key (it is required), found nothing',
      'rate: expected the new messages per second, more than 0, at most 10000000, found -1',
    ])
    expect(net.operators[0].activeFaults()).toEqual([])
  })

  it('rejects an unknown event naming the allowed ones', async () => {
    const res = await app.inject({ method: 'POST', url: '/operators/alpha/faults', payload: { event: 'earthquake', duration: '1s' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().issues).toEqual([
      {
        path: 'event',
        expected: 'one of "outage", "black_hole", "latency_spike", "throttle_change", "receipt_backlog"',
        found: '"earthquake"',
        message: 'event: expected one of "outage", "black_hole", "latency_spike", "throttle_change", "receipt_backlog", found "earthquake"',
      },
    ])
  })

  it('rejects a latency spike whose min is above its max (a cross-field check)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/operators/alpha/faults',
      payload: { event: 'latency_spike', duration: '1s', latency: { distribution: 'uniform', min: '2s', max: '1s' } },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().issues.map((i: { message: string }) => i.message)).toEqual(['latency.max: expected a value at least min (2s), found "1s"'])
  })

  it('rejects malformed JSON and a missing body with 400 and an error message', async () => {
    const bad = await app.inject({ method: 'POST', url: '/operators/alpha/faults', headers: { 'content-type': 'application/json' }, payload: '{"event":' })
    expect(bad.statusCode).toBe(400)
    expect(typeof bad.json().error).toBe('string')
    const none = await app.inject({ method: 'POST', url: '/operators/alpha/faults' })
    expect(none.statusCode).toBe(400)
    expect(none.json().issues.map((i: { message: string }) => i.message)).toEqual(['(top level): expected a fault event: outage, black_hole, latency_spike, throttle_change or receipt_backlog, found nothing'])
  })

  it('404s a fault for an unknown operator before looking at the body', async () => {
    const res = await app.inject({ method: 'POST', url: '/operators/gamma/faults', payload: {} })
    expect(res.statusCode).toBe(404)
  })

  it('DELETE clears every active fault and says how many', async () => {
    await app.inject({ method: 'POST', url: '/operators/alpha/faults', payload: { event: 'outage', duration: '1m' } })
    await app.inject({ method: 'POST', url: '/operators/alpha/faults', payload: { event: 'receipt_backlog', duration: '1m' } })
    expect(net.operators[0].state()).toBe('outage')
    const res = await app.inject({ method: 'DELETE', url: '/operators/alpha/faults' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ operator: 'alpha', cleared: 2, state: 'up' })
    const again = await app.inject({ method: 'DELETE', url: '/operators/alpha/faults' })
    expect(again.json().cleared).toBe(0)
    expect(net.faultHistory()).toHaveLength(2)
  })
})

describe('bearer token', () => {
  let secured: FastifyInstance
  beforeEach(() => {
    secured = buildControlApi(net, { token: 's3cret' })
  })
  afterEach(async () => {
    await secured.close()
  })

  it('lets /health through without a token', async () => {
    expect((await secured.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200)
  })

  it.each([
    ['GET', '/operators'],
    ['GET', '/operators/alpha/stats'],
    ['POST', '/operators/alpha/faults'],
    ['DELETE', '/operators/alpha/faults'],
    ['GET', '/metrics'],
    ['GET', '/no-such-route'],
  ] as const)('401s %s %s without the token', async (method, url) => {
    const res = await secured.inject({ method, url })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Bearer')
    expect(res.json().error).toMatch(/Authorization: Bearer <token>/)
  })

  it('401s a wrong token and a token without the Bearer scheme', async () => {
    for (const authorization of ['Bearer wrong', 's3cret', 'Bearer s3cret2', 'bearer s3cret']) {
      expect((await secured.inject({ method: 'GET', url: '/operators', headers: { authorization } })).statusCode).toBe(401)
    }
  })

  it('serves every route with the right token', async () => {
    const headers = { authorization: 'Bearer s3cret' }
    expect((await secured.inject({ method: 'GET', url: '/operators', headers })).statusCode).toBe(200)
    const post = await secured.inject({ method: 'POST', url: '/operators/alpha/faults', headers, payload: { event: 'black_hole', duration: '2s' } })
    expect(post.statusCode).toBe(201)
    expect(net.operators[0].state()).toBe('black_hole')
    expect((await secured.inject({ method: 'GET', url: '/metrics', headers })).statusCode).toBe(200)
  })
})

describe('startControlApi', () => {
  it('listens on 127.0.0.1 with port 0 and serves over real HTTP', async () => {
    const api = await startControlApi(net, { port: 0 })
    try {
      expect(api.url).toBe(`http://127.0.0.1:${api.port}`)
      expect(api.port).toBeGreaterThan(0)
      const res = await fetch(`${api.url}/health`)
      expect(res.status).toBe(200)
      expect(((await res.json()) as { status: string }).status).toBe('ok')
    } finally {
      await api.close()
    }
  })

  it('reports a port in use as an MtsimError, not a stack trace', async () => {
    const first = await startControlApi(net, { port: 0 })
    try {
      const err = await startControlApi(net, { port: first.port }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(MtsimError)
      expect((err as MtsimError).format()).toBe(`MTSIM_ERR_PORT_IN_USE: control API: port ${first.port} is already in use (choose another, or 0 for any free port)`)
    } finally {
      await first.close()
    }
  })
})
