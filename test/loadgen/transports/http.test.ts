import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { normalizeGateway, type HttpGateway } from '../../../loadgen/scenario/gateway-config.js'
import type { HttpGatewayFile } from '../../../loadgen/scenario/gateway-schema.js'
import type { IncomingReceipt, OutboundMessage, SubmitOutcome } from '../../../loadgen/transports/transport.js'
import { HttpTransport } from '../../../loadgen/transports/http.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/** A gateway double: records requests, answers with `reply` (or never, when it returns undefined). */
async function gateway(reply: (req: Seen, n: number) => { status: number; body: string; headers?: Record<string, string> } | undefined) {
  const seen: Seen[] = []
  let concurrent = 0
  let maxConcurrent = 0
  const hanging: ServerResponse[] = []
  const server: Server = createServer((req, res) => {
    concurrent++
    maxConcurrent = Math.max(maxConcurrent, concurrent)
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      const s: Seen = { method: req.method!, url: req.url!, headers: req.headers, body }
      seen.push(s)
      const r = reply(s, seen.length)
      if (!r) return void hanging.push(res)
      setTimeout(() => {
        concurrent--
        res.writeHead(r.status, r.headers).end(r.body)
      }, 5)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  cleanups.push(async () => {
    for (const h of hanging) h.destroy()
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
  })
  return { port: (server.address() as AddressInfo).port, seen, get maxConcurrent() { return maxConcurrent } }
}

function http(file: Omit<HttpGatewayFile, 'kind'>): HttpGateway {
  return normalizeGateway({ kind: 'http', ...file } as HttpGatewayFile, []) as HttpGateway
}

async function transport(g: HttpGateway, sink: IncomingReceipt[] = []): Promise<HttpTransport> {
  const t = new HttpTransport(g)
  cleanups.push(() => t.close())
  await t.start({ onReceipt: (r) => sink.push(r) })
  return t
}

function msg(seq: number, over: Partial<OutboundMessage> = {}): OutboundMessage {
  return { seq, tag: `T${seq} `, stream: 's', operator: 'op', source: 'MTSIM', destination: '4790000001', text: `T${seq} hi & bye ø`, encoding: 'auto', multipart: 'udh', registeredDelivery: 1, ...over }
}

function sendAll(t: HttpTransport, msgs: OutboundMessage[]): Promise<SubmitOutcome[]> {
  const out: SubmitOutcome[] = new Array(msgs.length)
  let left = msgs.length
  return new Promise((resolve) => msgs.forEach((m, i) => t.send(m, (o) => ((out[i] = o), --left === 0 && resolve(out)))))
}

describe('HttpTransport against a gateway double', () => {
  it('builds the request from templates and takes the id from a JSON reply', async () => {
    const gw = await gateway(() => ({ status: 200, body: JSON.stringify({ messages: [{ id: 'abc-1' }] }), headers: { 'content-type': 'application/json' } }))
    const t = await transport(
      http({
        url: `http://127.0.0.1:${gw.port}/api/send?key=k1`,
        method: 'POST',
        query: { to: '{{to}}', text: '{{text}}' },
        headers: { 'content-type': 'application/json', 'x-ref': 'ref-{{seq}}' },
        body: '{"from":"{{from}}","op":"{{operator}}"}',
        message_id: { from: 'json', path: 'messages.0.id' },
      }),
    )
    const [o] = await sendAll(t, [msg(7)])
    expect(o).toEqual({ kind: 'accepted', status: 'HTTP_200', messageIds: ['abc-1'] })
    expect(gw.seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/send?key=k1&to=4790000001&text=T7%20hi%20%26%20bye%20%C3%B8',
      body: '{"from":"MTSIM","op":"op"}',
    })
    expect(gw.seen[0]!.headers['x-ref']).toBe('ref-7')
  })

  it('takes the id from a body regex or a header', async () => {
    const gw = await gateway((_r, n) => ({ status: 202, body: `OK id=${n * 11}`, headers: { 'x-msg-id': `h${n}` } }))
    const byBody = await transport(http({ url: `http://127.0.0.1:${gw.port}/s`, message_id: { from: 'body', pattern: 'id=(\\d+)' } }))
    expect(await sendAll(byBody, [msg(1)])).toEqual([{ kind: 'accepted', status: 'HTTP_202', messageIds: ['11'] }])
    const byHeader = await transport(http({ url: `http://127.0.0.1:${gw.port}/s`, message_id: { from: 'header', header: 'X-Msg-Id' } }))
    expect(await sendAll(byHeader, [msg(2)])).toEqual([{ kind: 'accepted', status: 'HTTP_202', messageIds: ['h2'] }])
  })

  it('rejects replies that fail the success rule, with exact counts', async () => {
    const gw = await gateway((_r, n) => (n % 4 === 0 ? { status: 503, body: 'busy' } : n % 4 === 1 ? { status: 200, body: 'ERR no credit' } : { status: 200, body: 'OK' }))
    const t = await transport(http({ url: `http://127.0.0.1:${gw.port}/s`, success: { status: [200], body_match: '^OK' } }))
    const outs = await sendAll(t, Array.from({ length: 8 }, (_, i) => msg(i)))
    const count = (s: string) => outs.filter((o) => o.status === s).length
    expect(outs.filter((o) => o.kind === 'accepted')).toHaveLength(4)
    expect(count('HTTP_503')).toBe(2)
    expect(outs.filter((o) => o.kind === 'rejected' && o.status === 'HTTP_200')).toHaveLength(2)
  })

  it('fails a request with no reply in time as TIMEOUT, and one to a closed port as NETWORK', async () => {
    const gw = await gateway(() => undefined)
    const t = await transport(http({ url: `http://127.0.0.1:${gw.port}/s`, timeout: '200ms' }))
    expect(await sendAll(t, [msg(1)])).toEqual([{ kind: 'failed', status: 'TIMEOUT', messageIds: [] }])
    const closed = await gateway(() => ({ status: 200, body: '' }))
    const port = closed.port
    await cleanups.pop()!() // close that server: its port now refuses connections
    const t2 = await transport(http({ url: `http://127.0.0.1:${port}/s` }))
    expect(await sendAll(t2, [msg(2)])).toEqual([{ kind: 'failed', status: 'NETWORK', messageIds: [] }])
  })

  it('keeps at most `connections` requests in flight and says so in capacity()', async () => {
    const gw = await gateway(() => ({ status: 200, body: 'OK' }))
    const t = await transport(http({ url: `http://127.0.0.1:${gw.port}/s`, connections: 3 }))
    expect(t.capacity()).toBe(3)
    const outs: SubmitOutcome[] = []
    let seq = 0
    const total = 30
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (seq < total && t.canSend()) {
          t.send(msg(seq++), (o) => {
            outs.push(o)
            if (outs.length === total) resolve()
            else pump()
          })
        }
      }
      pump()
      expect(t.capacity()).toBe(0)
    })
    expect(outs.filter((o) => o.kind === 'accepted')).toHaveLength(total)
    expect(gw.maxConcurrent).toBe(3)
    expect(t.capacity()).toBe(3)
  })

  it('puts the webhook url with our id into {{dlr_url}}; the callback reaches the sink by seq', async () => {
    const gw = await gateway(() => ({ status: 200, body: 'OK' }))
    const sink: IncomingReceipt[] = []
    const t = await transport(
      http({
        url: `http://127.0.0.1:${gw.port}/s`,
        query: { dlr: '{{dlr_url}}' },
        webhook: { url_query: { ref: '{{id}}', st: '$status' }, mapping: { our_id: { from: 'query', key: 'ref' }, status: { from: 'query', key: 'st' } }, status_map: { ok: 'DELIVRD' } },
      }),
      sink,
    )
    await sendAll(t, [msg(42)])
    const dlr = new URL(gw.seen[0]!.url, 'http://x').searchParams.get('dlr')!
    expect(dlr).toBe(`${t.webhook.url}?ref=42&st=$status`)
    const res = await fetch(dlr.replace('$status', 'ok'))
    expect(res.status).toBe(200)
    expect(sink).toEqual([{ seq: 42, stat: 'DELIVRD', final: true }])
  })
})
