// The receipt webhook of the `http` gateway target: a fastify server on 127.0.0.1 (port 0 unless
// configured) that turns delivery callbacks into IncomingReceipts through the scenario's mapping.
// Every request is answered 200 at once, whatever it holds: a gateway that gets errors retries,
// which would only muddle the counts. What could not be mapped is counted instead.
//
// keepAliveTimeout is 65 s: Node's default (5 s) closes idle sockets that Kannel still reuses, and
// Kannel then loses the odd callback (seen in Kannel runs: a callback on a socket the server had just closed).

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { MtsimError } from '../../lib/errors.js'
import type { CallbackField, HttpGateway } from '../scenario/gateway-config.js'
import type { IncomingMo, IncomingReceipt, ReceiptSink } from './transport.js'
import { jsonPath } from './json-path.js'
import { KANNEL_ANSWER_PARAM, kannelRefine } from './kannel-preset.js'

export type WebhookConfig = HttpGateway['webhook']

export interface WebhookStats {
  /** Callbacks on the webhook path. */
  received: number
  /** Handed to the engine as receipts. */
  receipts: number
  /** On the path but unusable: unparsable body, no id, or a status the status_map does not know. */
  malformed: number
  /** Requests to any other path. */
  unknownPath: number
  /** Calls to the MO path (MO_PATH) handed on as MO, and those without from or text. */
  mo: number
  moMalformed: number
}

/**
 * Where a gateway forwards MO by default (gateway.webhook.mo.path): GET or POST with the fields
 * from, to and text (gateway.webhook.mo.mapping) in the query string, a form or a JSON body. The
 * generated kannel.conf calls it from an sms-service (gateways/kannel/config.ts).
 */
export const MO_PATH = '/mo'

const KNOWN_STATS = new Set(['DELIVRD', 'UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED', 'UNKNOWN', 'ENROUTE', 'ACCEPTD'])

type Fields = Record<string, unknown>

export class ReceiptWebhook {
  private app: FastifyInstance | undefined
  private sink: ReceiptSink | undefined
  private readonly counters: WebhookStats = { received: 0, receipts: 0, malformed: 0, unknownPath: 0, mo: 0, moMalformed: 0 }
  private readonly ourIdPath: string[] | undefined
  private readonly messageIdPath: string[] | undefined
  private readonly statusPath: string[] | undefined
  private readonly errPath: string[] | undefined
  url = ''

  constructor(
    readonly cfg: WebhookConfig,
    private readonly preset: 'kannel' | null = null,
  ) {
    const split = (f: CallbackField | null) => (f && f.from === 'json' ? f.key.split('.') : undefined)
    this.ourIdPath = split(cfg.mapping.ourId)
    this.messageIdPath = split(cfg.mapping.messageId)
    this.statusPath = split(cfg.mapping.status)
    this.errPath = split(cfg.mapping.err)
  }

  /** Listens and returns the callback URL (without the per-message query). */
  async start(sink: ReceiptSink): Promise<string> {
    this.sink = sink
    const app = Fastify({ logger: false, keepAliveTimeout: 65_000, bodyLimit: 64 * 1024, return503OnClosing: false })
    // Bodies are parsed here, so a malformed one is counted and answered like any other.
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))
    app.route({ method: ['GET', 'POST'], url: this.cfg.path, handler: this.handle })
    if (this.cfg.mo.path !== this.cfg.path) app.route({ method: ['GET', 'POST'], url: this.cfg.mo.path, handler: this.handleMo })
    app.setNotFoundHandler((_req, reply) => {
      this.counters.unknownPath++
      void reply.code(200).send('OK')
    })
    try {
      await app.listen({ host: this.cfg.host, port: this.cfg.port })
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EADDRINUSE') throw new MtsimError('MTSIM_ERR_PORT_IN_USE', ['receipt webhook (gateway.webhook.port)', String(this.cfg.port)])
      throw new MtsimError('MTSIM_ERR_WEBHOOK_LISTEN', [`${this.cfg.host}:${this.cfg.port}`, code ?? String(err)])
    }
    this.app = app
    const addr = app.server.address()
    const port = typeof addr === 'object' && addr ? addr.port : this.cfg.port
    this.url = `http://${this.cfg.host}:${port}${this.cfg.path}`
    return this.url
  }

  private handle = (req: FastifyRequest, reply: FastifyReply): void => {
    this.counters.received++
    const r = this.map(req.query as Fields, req.body, req.headers['content-type'])
    if (r) {
      this.counters.receipts++
      this.sink!.onReceipt(r)
    } else this.counters.malformed++
    void reply.code(200).send('OK')
  }

  private handleMo = (req: FastifyRequest, reply: FastifyReply): void => {
    const mo = mapMo(req.query as Fields, req.body, req.headers['content-type'], this.cfg.mo.mapping)
    if (mo && this.sink!.onMo) {
      this.counters.mo++
      this.sink!.onMo(mo)
    } else this.counters.moMalformed++
    void reply.code(200).send('')
  }

  /** A callback -> receipt, or undefined when it cannot be used. */
  map(query: Fields, rawBody: unknown, contentType: string | undefined): IncomingReceipt | undefined {
    let json: unknown
    let form: Fields | undefined
    if (typeof rawBody === 'string' && rawBody.length > 0) {
      if (contentType?.includes('json')) {
        try {
          json = JSON.parse(rawBody)
        } catch {
          return undefined
        }
      } else if (contentType?.includes('x-www-form-urlencoded')) form = Object.fromEntries(new URLSearchParams(rawBody))
    }
    const m = this.cfg.mapping
    const get = (f: CallbackField | null, path: string[] | undefined): string | undefined => {
      if (!f) return undefined
      if (f.from === 'json') return jsonPath(json, path!)
      return first(query[f.key]) ?? (form ? first(form[f.key]) : undefined)
    }
    const statusValue = get(m.status, this.statusPath)
    if (statusValue === undefined) return undefined
    let stat = this.cfg.statusMap[statusValue] ?? statusValue.toUpperCase()
    if (!KNOWN_STATS.has(stat)) return undefined
    let err = get(m.err, this.errPath)
    if (this.preset === 'kannel') {
      const refined = kannelRefine(statusValue, stat, first(query[KANNEL_ANSWER_PARAM]) ?? (form ? first(form[KANNEL_ANSWER_PARAM]) : undefined))
      stat = refined.stat
      err ??= refined.err
    }
    const r: IncomingReceipt = { stat, final: stat !== 'ENROUTE' && stat !== 'ACCEPTD' }
    // Our own id is exact; the gateway's id is used only when the callback does not carry ours.
    const ourId = get(m.ourId, this.ourIdPath)
    const seq = ourId !== undefined && /^[0-9]{1,15}$/.test(ourId) ? Number(ourId) : undefined
    if (seq !== undefined) r.seq = seq
    else {
      const id = get(m.messageId, this.messageIdPath)
      if (!id) return undefined
      r.messageId = id
    }
    if (err) r.err = err
    return r
  }

  stats(): WebhookStats {
    return { ...this.counters }
  }

  async close(): Promise<void> {
    const app = this.app
    this.app = undefined
    if (app) await app.close()
  }
}

const DEFAULT_MO_MAPPING: WebhookConfig['mo']['mapping'] = {
  from: { from: 'query', key: 'from' }, to: { from: 'query', key: 'to' }, text: { from: 'query', key: 'text' },
}

/**
 * An MO call -> IncomingMo. A `query` field is looked up in the query string, then a form body,
 * then a JSON body's top level; a `json` field is a dotted path into a JSON body.
 */
export function mapMo(query: Fields, rawBody: unknown, contentType: string | undefined, mapping = DEFAULT_MO_MAPPING): IncomingMo | undefined {
  let form: Fields = {}
  let json: unknown
  if (typeof rawBody === 'string' && rawBody.length > 0) {
    if (contentType?.includes('json')) {
      try {
        json = JSON.parse(rawBody)
      } catch {
        return undefined
      }
    } else if (contentType?.includes('x-www-form-urlencoded')) form = Object.fromEntries(new URLSearchParams(rawBody))
  }
  const top = json && typeof json === 'object' ? (json as Fields) : {}
  const get = (f: CallbackField) => (f.from === 'json' ? jsonPath(json, f.key.split('.')) : (first(query[f.key]) ?? first(form[f.key]) ?? first(top[f.key])))
  const from = get(mapping.from)
  const text = get(mapping.text)
  if (!from || text === undefined) return undefined
  return { from, to: get(mapping.to) ?? '', text }
}

function first(v: unknown): string | undefined {
  if (Array.isArray(v)) v = v[0]
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined
}
