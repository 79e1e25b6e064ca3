// The `http` gateway target: each message is one HTTP request built from the scenario's templates,
// sent over one undici Pool (keep-alive, `connections` sockets). The window is the number of
// sockets: HTTP/1.1 runs one request per socket, so more in flight would only queue inside undici
// and hide the wait from capacity(). Receipts come back through the webhook (loadgen/transports/webhook.ts),
// whose URL (with our id) is the {{dlr_url}} variable.
//
// Outcomes: success rule met -> accepted (status HTTP_<code>, or Kannel's); other replies ->
// rejected HTTP_<code> (or the status Kannel's body names); no reply in time -> failed TIMEOUT;
// connection refused/reset -> failed NETWORK.

import { Pool } from 'undici'
import { isGsm7 } from '../../smpp/index.js'
import type { HttpGateway } from '../scenario/gateway-config.js'
import { renderRequest, type Template } from '../scenario/template.js'
import type { OutboundMessage, ReceiptSink, SubmitOutcome, Transport } from './transport.js'
import { jsonPath } from './json-path.js'
import { kannelAcceptedStatus, kannelRejectedStatus } from './kannel-preset.js'
import { ReceiptWebhook, type WebhookStats } from './webhook.js'

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'])

export interface HttpRequestParts {
  path: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  body: string | undefined
}

/** Builds requests and reads replies; no I/O, so the Kannel URL shape is testable on its own. */
export class HttpRequestBuilder {
  readonly origin: string
  private readonly basePath: string
  private readonly joiner: string
  /** One reused values record: rendering is synchronous. */
  private readonly values: Record<string, string> = {}
  private dlrBase = ''

  constructor(readonly g: HttpGateway) {
    const u = new URL(g.url)
    this.origin = u.origin
    this.basePath = u.pathname + u.search
    this.joiner = u.search ? '&' : '?'
  }

  /** The webhook's URL; {{dlr_url}} is this plus the webhook's url_query. */
  setWebhookUrl(url: string): void {
    this.dlrBase = url
  }

  build(msg: OutboundMessage): HttpRequestParts {
    const v = this.values
    v.to = msg.destination
    v.from = msg.source
    v.text = msg.text
    v.id = v.seq = String(msg.seq)
    v.tag = msg.tag
    v.stream = msg.stream
    v.operator = msg.operator
    // Kannel's coding numbers (0 = 7-bit GSM, 2 = UCS-2); other APIs usually take the same.
    v.coding = msg.encoding === 'ucs2' || (msg.encoding === 'auto' && !isGsm7(msg.text)) ? '2' : '0'
    v.registered_delivery = String(Number(msg.registeredDelivery))
    v.dlr_url = this.dlrBase ? this.dlrUrl(v) : ''
    let path = this.basePath
    let sep = this.joiner
    for (const [k, t] of this.g.query) {
      path += sep + encodeURIComponent(k) + '=' + encodeURIComponent(renderRequest(t, v))
      sep = '&'
    }
    const headers: Record<string, string> = {}
    for (const [k, t] of this.g.headers) headers[k] = renderRequest(t, v)
    return { path, method: this.g.method, headers, body: this.g.body ? renderRequest(this.g.body, v) : undefined }
  }

  /** url_query values go in verbatim (Kannel's %d...), only {{id}} and friends are filled in. */
  private dlrUrl(v: Record<string, string>): string {
    let url = this.dlrBase
    let sep = url.includes('?') ? '&' : '?'
    for (const [k, t] of this.g.webhook.urlQuery as [string, Template][]) {
      url += sep + k + '=' + renderRequest(t, v)
      sep = '&'
    }
    return url
  }

  /** Reply -> outcome. */
  outcome(status: number, headers: Record<string, string | string[] | undefined>, body: string): SubmitOutcome {
    const g = this.g
    const kannel = g.preset === 'kannel'
    if (g.success.status.includes(status) && (g.success.bodyMatch === null || g.success.bodyMatch.test(body))) {
      const id = this.messageId(headers, body)
      return { kind: 'accepted', status: kannel ? kannelAcceptedStatus(body) : `HTTP_${status}`, messageIds: id ? [id] : [] }
    }
    return { kind: 'rejected', status: kannel ? kannelRejectedStatus(status, body) : `HTTP_${status}`, messageIds: [] }
  }

  private messageId(headers: Record<string, string | string[] | undefined>, body: string): string | undefined {
    const m = this.g.messageId
    if (m === null) return undefined
    if (m.from === 'header') {
      const h = headers[m.header]
      return Array.isArray(h) ? h[0] : h
    }
    if (m.from === 'body') return m.pattern.exec(body)?.[1]
    try {
      return jsonPath(JSON.parse(body), m.path)
    } catch {
      return undefined
    }
  }
}

export class HttpTransport implements Transport {
  readonly name: string
  readonly builder: HttpRequestBuilder
  readonly webhook: ReceiptWebhook
  private readonly pool: Pool
  private inFlight = 0

  constructor(readonly g: HttpGateway) {
    this.name = `http ${g.url}`
    this.builder = new HttpRequestBuilder(g)
    this.webhook = new ReceiptWebhook(g.webhook, g.preset)
    this.pool = new Pool(this.builder.origin, {
      connections: g.connections,
      pipelining: 1,
      // Kannel and most gateways keep sockets for a while; reuse them instead of reconnecting.
      keepAliveTimeout: 30_000,
      headersTimeout: g.timeoutMs,
      bodyTimeout: g.timeoutMs,
      connect: { timeout: g.timeoutMs },
    })
  }

  async start(receipts: ReceiptSink): Promise<void> {
    this.builder.setWebhookUrl(await this.webhook.start(receipts))
  }

  capacity(): number {
    return this.g.connections - this.inFlight
  }

  canSend(_msg?: OutboundMessage): boolean {
    return this.inFlight < this.g.connections
  }

  send(msg: OutboundMessage, done: (o: SubmitOutcome) => void): void {
    const req = this.builder.build(msg)
    this.inFlight++
    this.pool.request(req, (err, data) => {
      if (err) return this.finish(done, failure(err))
      data.body.text().then(
        (body) => this.finish(done, this.builder.outcome(data.statusCode, data.headers, body)),
        (e: unknown) => this.finish(done, failure(e)),
      )
    })
  }

  private finish(done: (o: SubmitOutcome) => void, o: SubmitOutcome): void {
    this.inFlight--
    done(o)
  }

  webhookStats(): WebhookStats {
    return this.webhook.stats()
  }

  /** Requests still running are answered (undici completes them), then sockets and webhook close. */
  async close(): Promise<void> {
    await this.pool.close()
    await this.webhook.close()
  }
}

function failure(err: unknown): SubmitOutcome {
  const code = (err as { code?: string } | null)?.code ?? ''
  return { kind: 'failed', status: TIMEOUT_CODES.has(code) ? 'TIMEOUT' : 'NETWORK', messageIds: [] }
}
