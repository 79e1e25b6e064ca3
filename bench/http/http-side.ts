// Bench child for the HTTP paths, one role per process so CPU figures belong to one side:
//   endpoint              a trivial sendsms endpoint (node:http, answers 200 "OK <n>")
//   webhook               mtsim's receipt webhook (loadgen/transports/webhook.ts) counting receipts
//   transport PORT N      mtsim's http transport (loadgen/transports/http.ts) sending N messages
//   callbacks PORT N      a plain undici client posting N delivery callbacks to the webhook
// Each sends {type:'ready', port?}; senders then report {type:'done', elapsedMs, cpuUs, ...}.
import { createServer } from 'node:http'
import { Pool } from 'undici'
import { normalizeGateway, type HttpGateway } from '../../loadgen/scenario/gateway-config.js'
import type { OutboundMessage, SubmitOutcome } from '../../loadgen/transports/transport.js'
import { HttpTransport } from '../../loadgen/transports/http.js'
import { ReceiptWebhook } from '../../loadgen/transports/webhook.js'
import type { HttpSideIn, HttpSideOut } from '../side-messages.js'

/** Requests in flight at once (the transport's `connections`, the callback client's pool). */
export const HTTP_CONNECTIONS = 32

const [role, portArg, countArg] = process.argv.slice(2)
const send = (m: HttpSideOut) => process.send!(m)
const cpuNow = () => {
  const c = process.cpuUsage()
  return c.user + c.system
}
process.on('SIGTERM', () => process.exit(0))

function gateway(port: number): HttpGateway {
  return normalizeGateway(
    {
      kind: 'http',
      url: `http://127.0.0.1:${port}/send`,
      query: { to: '{{to}}', text: '{{text}}', dlr: '{{dlr_url}}' },
      message_id: { from: 'body', pattern: '^OK (\\S+)' },
      connections: HTTP_CONNECTIONS,
      webhook: { mapping: { status: { from: 'query', key: 'status' } } },
    },
    [],
  ) as HttpGateway
}

function message(seq: number): OutboundMessage {
  return {
    seq, tag: '', stream: 'bench', operator: 'bench-op', source: 'MTSIM', destination: String(4790000000 + seq),
    text: `Your code is ${100000 + (seq % 900000)}`, encoding: 'auto', multipart: 'udh', registeredDelivery: 1,
  }
}

/** Keeps `inFlight` requests going until `total` are done; resolves with the elapsed ms. */
function closedLoop(total: number, inFlight: number, start: (i: number, done: () => void) => void): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now()
    let started = 0
    let finished = 0
    const next = (): void => {
      if (++finished === total) return resolve(performance.now() - t0)
      if (started < total) start(started++, next)
    }
    while (started < Math.min(inFlight, total)) start(started++, next)
  })
}

if (role === 'endpoint') {
  let n = 0
  const server = createServer((_req, res) => res.end(`OK ${++n}`))
  server.keepAliveTimeout = 65_000
  server.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (server.address() as { port: number }).port }))
} else if (role === 'webhook') {
  let receipts = 0
  const webhook = new ReceiptWebhook(gateway(1).webhook)
  const url = await webhook.start({ onReceipt: () => receipts++ })
  send({ type: 'ready', port: Number(new URL(url).port) })
  process.on('message', (m: HttpSideIn) => {
    if (m.type === 'usage') send({ type: 'usage-reply', cpuUs: cpuNow(), receipts, malformed: webhook.stats().malformed })
  })
} else if (role === 'transport') {
  const total = Number(countArg)
  const transport = new HttpTransport(gateway(Number(portArg)))
  await transport.start({ onReceipt: () => {} })
  send({ type: 'ready' })
  let accepted = 0
  const cpu0 = cpuNow()
  const elapsedMs = await closedLoop(total, HTTP_CONNECTIONS, (i, done) =>
    transport.send(message(i), (o: SubmitOutcome) => {
      if (o.kind === 'accepted' && o.messageIds.length === 1) accepted++
      done()
    }),
  )
  const cpuUs = cpuNow() - cpu0
  await transport.close()
  send({ type: 'done', elapsedMs, cpuUs, accepted })
} else if (role === 'callbacks') {
  const total = Number(countArg)
  const pool = new Pool(`http://127.0.0.1:${portArg}`, { connections: HTTP_CONNECTIONS, keepAliveTimeout: 30_000 })
  send({ type: 'ready' })
  let ok = 0
  const elapsedMs = await closedLoop(total, HTTP_CONNECTIONS, (i, done) => {
    pool.request({ method: 'GET', path: `/dlr?id=${i}&status=DELIVRD` }, (err, data) => {
      if (err) return done()
      data.body.dump().then(() => {
        if (data.statusCode === 200) ok++
        done()
      }, done)
    })
  })
  await pool.close()
  send({ type: 'done', elapsedMs, ok })
}
