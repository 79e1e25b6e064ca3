// A gateway's own status for http/smpp targets (scenario gateway.status): Prometheus text or JSON,
// scraped from a local server as run/gateway-watch.ts does at the end of a run; what cannot be
// read is a failed poll, not a crash.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prometheusValue, scrapeSample } from '../../gateways/status-scrape.js'
import { GatewayWatch } from '../../run/gateway-watch.js'

const PROM = `# HELP gw_queue_messages Messages waiting per link
# TYPE gw_queue_messages gauge
gw_queue_messages{link="telia"} 2532
gw_queue_messages{link="ice"} 7
gw_sent_total 10400
`
let server: Server
let base = ''

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/metrics') return void res.end(PROM)
    if (req.url === '/status.json') return void res.end(JSON.stringify({ queue: { total: 41 }, sent: '900' }))
    res.statusCode = 503
    res.end('down')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('gateway status scrape', () => {
  it('reads Prometheus series: a name sums its series, name{labels} is one', () => {
    expect(prometheusValue(PROM, 'gw_queue_messages')).toBe(2539)
    expect(prometheusValue(PROM, 'gw_queue_messages{link="telia"}')).toBe(2532)
    expect(prometheusValue(PROM, 'gw_sent_total')).toBe(10400)
    expect(prometheusValue(PROM, 'nothing')).toBeUndefined()
  })

  it('scrapes Prometheus and JSON into samples; a failing URL counts as a failed poll', async () => {
    const p = await scrapeSample({ url: `${base}/metrics`, format: 'prometheus', queued: 'gw_queue_messages', metrics: { sent: 'gw_sent_total' } }, 1000)
    expect(p).toEqual({ t: 1000, queued: 2539, links: {}, metrics: { sent: 10400 } })
    const j = await scrapeSample({ url: `${base}/status.json`, format: 'json', queued: 'queue.total', metrics: { sent: 'sent', none: 'no.such' } }, 0)
    expect(j).toEqual({ t: 0, queued: 41, links: {}, metrics: { sent: 900 } })

    const good = new GatewayWatch({ source: 'json', url: `${base}/status.json`, sample: (t) => scrapeSample({ url: `${base}/status.json`, format: 'json', queued: 'queue.total', metrics: {} }, t) })
    good.start(performance.now())
    const side = await good.finish()
    expect(side.end?.queued).toBe(41)
    expect(side.failedPolls).toBe(0)
    const bad = new GatewayWatch({ source: 'json', url: `${base}/down`, sample: (t) => scrapeSample({ url: `${base}/down`, format: 'json', metrics: {} }, t) })
    bad.start(performance.now())
    const none = await bad.finish()
    expect(none.end).toBeNull()
    expect(none.failedPolls).toBe(1)
  })
})
