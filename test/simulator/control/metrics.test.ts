import { describe, it, expect } from 'vitest'
import { buildControlApi } from '../../../simulator/control/control-api.js'
import { createNetworkMetrics } from '../../../simulator/control/prometheus.js'
import { fakeNetwork } from './fake-network.js'
import { parseProm } from './prom-text.js'

function loaded() {
  const net = fakeNetwork()
  const [alpha, beta] = net.operators
  Object.assign(alpha.counters, {
    submits: 120,
    messages: 100,
    statuses: { ESME_ROK: 110, ESME_RTHROTTLED: 7, ESME_RSYSERR: 3 },
    binds: { transmitter: 1, receiver: 1, transceiver: 2 },
    inFlight: 4,
    unanswered: 2,
    disconnects: 1,
    latency: { count: 120, p50: 12_000, p90: 20_000, p99: 50_000, p999: 80_000, max: 95_000 },
  })
  alpha.counters.receipts = { pending: 6, sent: { DELIVRD: 90, UNDELIV: 4, ENROUTE: 10 }, acked: 100, lost: 1, duplicated: 2, resent: 3 }
  beta.counters.submits = 5
  beta.counters.statuses = { ESME_ROK: 5 }
  return net
}

describe('network metrics', () => {
  it('exposes labelled series per operator, read from stats() at scrape time', async () => {
    const net = loaded()
    const prom = parseProm(await createNetworkMetrics(net).scrape())
    expect(prom.value('mtsim_operator_submits_total', { operator: 'alpha' })).toBe(120)
    expect(prom.value('mtsim_operator_submits_total', { operator: 'beta' })).toBe(5)
    expect(prom.value('mtsim_operator_messages_total', { operator: 'alpha' })).toBe(100)
    expect(prom.value('mtsim_operator_submit_responses_total', { operator: 'alpha', status: 'ESME_ROK' })).toBe(110)
    expect(prom.value('mtsim_operator_submit_responses_total', { operator: 'alpha', status: 'ESME_RTHROTTLED' })).toBe(7)
    expect(prom.value('mtsim_operator_submit_responses_total', { operator: 'alpha', status: 'ESME_RSYSERR' })).toBe(3)
    expect(prom.value('mtsim_operator_submit_responses_total', { operator: 'beta', status: 'ESME_ROK' })).toBe(5)
    expect(prom.value('mtsim_operator_receipts_sent_total', { operator: 'alpha', stat: 'DELIVRD' })).toBe(90)
    expect(prom.value('mtsim_operator_receipts_sent_total', { operator: 'alpha', stat: 'ENROUTE' })).toBe(10)
    expect(prom.value('mtsim_operator_binds', { operator: 'alpha', type: 'transceiver' })).toBe(2)
    expect(prom.value('mtsim_operator_binds', { operator: 'beta', type: 'receiver' })).toBe(0)
    expect(prom.value('mtsim_operator_in_flight', { operator: 'alpha' })).toBe(4)
    expect(prom.value('mtsim_operator_receipts_pending', { operator: 'alpha' })).toBe(6)
    expect(prom.value('mtsim_operator_receipts_lost_total', { operator: 'alpha' })).toBe(1)
    expect(prom.value('mtsim_operator_receipts_duplicated_total', { operator: 'alpha' })).toBe(2)
    expect(prom.value('mtsim_operator_receipts_resent_total', { operator: 'alpha' })).toBe(3)
    expect(prom.value('mtsim_operator_unanswered_total', { operator: 'alpha' })).toBe(2)
    expect(prom.value('mtsim_operator_disconnects_total', { operator: 'alpha' })).toBe(1)
    expect(prom.value('mtsim_operator_up', { operator: 'alpha' })).toBe(1)
    expect(prom.value('mtsim_operator_active_faults', { operator: 'alpha' })).toBe(0)
    expect(prom.value('mtsim_operator_submit_latency_seconds', { operator: 'alpha', quantile: '0.5' })).toBe(0.012)
    expect(prom.value('mtsim_operator_submit_latency_seconds', { operator: 'alpha', quantile: '0.99' })).toBe(0.05)
    expect(prom.value('mtsim_operator_submit_latency_seconds', { operator: 'alpha', quantile: '1' })).toBe(0.095)
    // Series with no counts yet do not appear (beta sent no receipts).
    expect(prom.samples.filter((s) => s.name === 'mtsim_operator_receipts_sent_total' && s.labels.operator === 'beta')).toEqual([])
    expect(prom.types.get('mtsim_operator_submits_total')).toBe('counter')
    expect(prom.types.get('mtsim_operator_submit_responses_total')).toBe('counter')
    expect(prom.types.get('mtsim_operator_in_flight')).toBe('gauge')
  })

  it('calls stats() once per operator per scrape and reads fresh values on the next', async () => {
    const net = loaded()
    const metrics = createNetworkMetrics(net)
    await metrics.scrape()
    expect(net.operators.map((o) => o.statsCalls)).toEqual([1, 1])
    net.operators[0].counters.submits = 121
    net.operators[0].counters.statuses = { ESME_ROK: 111 }
    const prom = parseProm(await metrics.scrape())
    expect(net.operators.map((o) => o.statsCalls)).toEqual([2, 2])
    expect(prom.value('mtsim_operator_submits_total', { operator: 'alpha' })).toBe(121)
    expect(prom.value('mtsim_operator_submit_responses_total', { operator: 'alpha', status: 'ESME_ROK' })).toBe(111)
    // Counters are refilled from absolute values, not added up across scrapes.
    expect(prom.samples.filter((s) => s.name === 'mtsim_operator_submit_responses_total' && s.labels.operator === 'alpha')).toHaveLength(1)
  })

  it('shows an injected outage as up 0 and one active fault', async () => {
    const net = loaded()
    net.operators[1].injectFault({ kind: 'outage', at: 0, duration: 60_000 })
    const prom = parseProm(await createNetworkMetrics(net).scrape())
    expect(prom.value('mtsim_operator_up', { operator: 'beta' })).toBe(0)
    expect(prom.value('mtsim_operator_active_faults', { operator: 'beta' })).toBe(1)
    expect(prom.value('mtsim_operator_up', { operator: 'alpha' })).toBe(1)
  })

  it('serves the same text on GET /metrics with the Prometheus content type', async () => {
    const app = buildControlApi(loaded())
    try {
      const res = await app.inject({ method: 'GET', url: '/metrics' })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
      const prom = parseProm(res.body)
      expect(prom.value('mtsim_operator_submits_total', { operator: 'alpha' })).toBe(120)
      expect(prom.value('mtsim_network_uptime_seconds')).toBeGreaterThanOrEqual(0)
    } finally {
      await app.close()
    }
  })

  it('keeps one registry per network (two networks do not clash)', async () => {
    const a = createNetworkMetrics(loaded())
    const b = createNetworkMetrics(fakeNetwork())
    expect(parseProm(await a.scrape()).value('mtsim_operator_submits_total', { operator: 'alpha' })).toBe(120)
    expect(parseProm(await b.scrape()).value('mtsim_operator_submits_total', { operator: 'alpha' })).toBe(0)
  })
})
