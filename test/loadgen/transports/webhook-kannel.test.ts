import { afterEach, describe, expect, it } from 'vitest'
import { normalizeGateway, type HttpGateway } from '../../../loadgen/scenario/gateway-config.js'
import type { HttpGatewayFile } from '../../../loadgen/scenario/gateway-schema.js'
import type { IncomingReceipt, OutboundMessage } from '../../../loadgen/transports/transport.js'
import { HttpRequestBuilder } from '../../../loadgen/transports/http.js'
import { kannelHttpGateway, kannelRefine } from '../../../loadgen/transports/kannel-preset.js'
import { ReceiptWebhook } from '../../../loadgen/transports/webhook.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

function http(file: Omit<HttpGatewayFile, 'kind'>): HttpGateway {
  return normalizeGateway({ kind: 'http', ...file } as HttpGatewayFile, []) as HttpGateway
}

async function webhook(g: HttpGateway): Promise<{ hook: ReceiptWebhook; sink: IncomingReceipt[] }> {
  const sink: IncomingReceipt[] = []
  const hook = new ReceiptWebhook(g.webhook, g.preset)
  cleanups.push(() => hook.close())
  await hook.start({ onReceipt: (r) => sink.push(r) })
  return { hook, sink }
}

const msg = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  seq: 17, tag: 'T17 ', stream: 's', operator: 'op', source: 'MTSIM', destination: '4790000001', text: 'T17 hi', encoding: 'auto', multipart: 'udh', registeredDelivery: 1, ...over,
})

describe('receipt webhook', () => {
  it('maps query callbacks, JSON and form bodies; counts what it cannot map and still answers 200', async () => {
    const g = http({
      url: 'http://127.0.0.1:1/s',
      webhook: {
        path: '/cb',
        mapping: { our_id: { from: 'query', key: 'ref' }, message_id: { from: 'json', key: 'data.id' }, status: { from: 'json', key: 'data.state' }, err: { from: 'json', key: 'data.err' } },
        status_map: { delivered: 'DELIVRD', failed: 'UNDELIV', sent: 'ACCEPTD' },
      },
    })
    const { hook, sink } = await webhook(g)
    const post = (q: string, body: string, type = 'application/json') => fetch(`${hook.url}${q}`, { method: 'POST', headers: { 'content-type': type }, body })
    const replies = [
      await post('?ref=5', JSON.stringify({ data: { state: 'delivered', err: '000' } })),
      await post('', JSON.stringify({ data: { id: 'gw-9', state: 'failed', err: '012' } })),
      await post('?ref=6', JSON.stringify({ data: { state: 'sent' } })),
      await post('?ref=7', '{not json'), // malformed
      await post('?ref=8', JSON.stringify({ data: { state: 'weird' } })), // status nobody mapped
      await post('', JSON.stringify({ data: { state: 'delivered' } })), // neither our id nor theirs
      await fetch(`http://127.0.0.1:${new URL(hook.url).port}/elsewhere?x=1`), // unknown path
    ]
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200])
    expect(sink).toEqual([
      { seq: 5, stat: 'DELIVRD', final: true, err: '000' },
      { messageId: 'gw-9', stat: 'UNDELIV', final: true, err: '012' },
      { seq: 6, stat: 'ACCEPTD', final: false },
    ])
    expect(hook.stats()).toEqual({ received: 6, receipts: 3, malformed: 3, unknownPath: 1, mo: 0, moMalformed: 0 })
  })

  it('takes MO on /mo from a query (as the Kannel sms-service calls it), a form or a JSON body', async () => {
    const g = http({ url: 'http://127.0.0.1:1/s', webhook: { path: '/cb' } })
    const mos: unknown[] = []
    const hook = new ReceiptWebhook(g.webhook, g.preset)
    cleanups.push(() => hook.close())
    await hook.start({ onReceipt: () => {}, onMo: (m) => mos.push(m) })
    const base = `http://127.0.0.1:${new URL(hook.url).port}/mo`
    const replies = [
      await fetch(`${base}?from=%2B4790000001&to=4040&text=STOP%20%23M1A&smsc=north`),
      await fetch(base, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'from=4790000002&to=MTSIM&text=YES+%23M2' }),
      await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '4790000003', text: 'hi' }) }),
      await fetch(`${base}?to=4040&text=no+sender`), // malformed: no from
    ]
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200])
    expect(mos).toEqual([
      { from: '+4790000001', to: '4040', text: 'STOP #M1A' },
      { from: '4790000002', to: 'MTSIM', text: 'YES #M2' },
      { from: '4790000003', to: '', text: 'hi' },
    ])
    expect(hook.stats()).toMatchObject({ mo: 3, moMalformed: 1, received: 0 })
  })

  it('takes MO on its own path with a field mapping (gateway.webhook.mo)', async () => {
    const g = http({
      url: 'http://127.0.0.1:1/s',
      webhook: { path: '/cb', mo: { path: '/inbound', mapping: { from: { from: 'json', key: 'msg.msisdn' }, to: { from: 'query', key: 'sc' }, text: { from: 'json', key: 'msg.body' } } } },
    })
    const mos: unknown[] = []
    const hook = new ReceiptWebhook(g.webhook, g.preset)
    cleanups.push(() => hook.close())
    await hook.start({ onReceipt: () => {}, onMo: (m) => mos.push(m) })
    const base = `http://127.0.0.1:${new URL(hook.url).port}`
    const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    await post('/inbound?sc=4040', { msg: { msisdn: '4790000007', body: 'STOP #MZZ' } })
    await post('/inbound', { msisdn: '4790000008', body: 'top-level keys are not the mapping' })
    await post('/mo', { msg: { msisdn: '4790000009', body: 'the default path is not served' } })
    expect(mos).toEqual([{ from: '4790000007', to: '4040', text: 'STOP #MZZ' }])
    expect(hook.stats()).toMatchObject({ mo: 1, moMalformed: 1, unknownPath: 1 })
  })

  it('maps a GET query callback and a form body', async () => {
    const g = http({
      url: 'http://127.0.0.1:1/s',
      webhook: { mapping: { our_id: { from: 'query', key: 'id' }, status: { from: 'query', key: 's' } } },
    })
    const { hook, sink } = await webhook(g)
    await fetch(`${hook.url}?id=3&s=delivrd`)
    await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'id=4&s=EXPIRED' })
    expect(sink).toEqual([
      { seq: 3, stat: 'DELIVRD', final: true },
      { seq: 4, stat: 'EXPIRED', final: true },
    ])
  })

  it('keeps idle sockets for 65 s (longer than Kannel reuses them)', async () => {
    const { hook } = await webhook(http({ url: 'http://127.0.0.1:1/s' }))
    expect((hook as unknown as { app: { server: { keepAliveTimeout: number } } }).app.server.keepAliveTimeout).toBe(65_000)
  })
})

describe('kannel preset', () => {
  it('builds the sendsms URL with credentials, coding and a dlr-url carrying our id and %d %i %F %A', () => {
    const g = kannelHttpGateway('http://127.0.0.1:13013/cgi-bin/sendsms', 'load', 'secret')
    const b = new HttpRequestBuilder(g)
    b.setWebhookUrl('http://127.0.0.1:4000/dlr')
    const gsm = b.build(msg())
    expect(gsm.method).toBe('GET')
    const dlr = 'http://127.0.0.1:4000/dlr?id=17&status=%d&smsc=%i&msgid=%F&answer=%A'
    expect(gsm.path).toBe(
      '/cgi-bin/sendsms?from=MTSIM&to=4790000001&text=T17%20hi&coding=0&charset=UTF-8&dlr-mask=31' +
        `&dlr-url=${encodeURIComponent(dlr)}&username=load&password=secret`,
    )
    const q = new URL(b.build(msg({ text: 'Привет', encoding: 'auto' })).path, 'http://x').searchParams
    expect(q.get('coding')).toBe('2')
    expect(q.get('text')).toBe('Привет')
    expect(q.get('dlr-url')).toBe(dlr)
  })

  it('reads sendsms replies: accepted, queued, not routable, auth failure', () => {
    const b = new HttpRequestBuilder(kannelHttpGateway('http://127.0.0.1:13013/cgi-bin/sendsms', 'u', 'p'))
    expect(b.outcome(202, {}, '0: Accepted for delivery')).toEqual({ kind: 'accepted', status: 'KANNEL_ACCEPTED', messageIds: [] })
    expect(b.outcome(202, {}, '3: Queued for later delivery')).toEqual({ kind: 'accepted', status: 'KANNEL_QUEUED', messageIds: [] })
    expect(b.outcome(403, {}, 'Not routable. Do not try again.')).toEqual({ kind: 'rejected', status: 'KANNEL_NOT_ROUTABLE', messageIds: [] })
    expect(b.outcome(403, {}, 'Authorization failed for sendsms')).toEqual({ kind: 'rejected', status: 'KANNEL_AUTH_FAILED', messageIds: [] })
    expect(b.outcome(500, {}, 'oops')).toEqual({ kind: 'rejected', status: 'HTTP_500', messageIds: [] })
  })

  const receipt = (stat: string, err: string) => `id:1234 sub:001 dlvrd:000 submit date:2601020304 done date:2601020305 stat:${stat} err:${err} text:hi`

  it.each([
    ['1', receipt('DELIVRD', '000'), { seq: 17, stat: 'DELIVRD', final: true, err: '000', messageId: undefined }],
    ['2', receipt('UNDELIV', '001'), { seq: 17, stat: 'UNDELIV', final: true, err: '001' }],
    ['2', receipt('EXPIRED', '002'), { seq: 17, stat: 'EXPIRED', final: true, err: '002' }],
    ['2', receipt('REJECTD', '003'), { seq: 17, stat: 'REJECTD', final: true, err: '003' }],
    ['2', '', { seq: 17, stat: 'UNDELIV', final: true }],
    ['4', '', { seq: 17, stat: 'ENROUTE', final: false }],
    ['8', 'ACK/', { seq: 17, stat: 'ACCEPTD', final: false }],
    ['16', 'NACK/0x0000000b/Invalid Destination Address', { seq: 17, stat: 'REJECTD', final: true, err: '0x0000000b' }],
  ])('maps Kannel %%d=%s (%%A %j) over the real webhook', async (d, answer, expected) => {
    const { hook, sink } = await webhook(kannelHttpGateway('http://127.0.0.1:13013/cgi-bin/sendsms', 'u', 'p'))
    // What Kannel requests after substituting the escapes of our dlr-url.
    const q = new URLSearchParams({ id: '17', status: d, smsc: 'op1', msgid: '1234', answer })
    const res = await fetch(`${hook.url}?${q}`)
    expect(res.status).toBe(200)
    expect(sink).toEqual([Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined))])
  })

  it('kannelRefine keeps the mapped state when %A is not a receipt', () => {
    expect(kannelRefine('2', 'UNDELIV', 'something else')).toEqual({ stat: 'UNDELIV', err: '' })
    expect(kannelRefine('1', 'DELIVRD', receipt('EXPIRED', '002'))).toEqual({ stat: 'DELIVRD', err: '002' })
  })
})
