// The coordinator's HTTP API, which the shares of a split run call (client.ts). Small JSON bodies,
// except a share's results.json, which is checked (it must be an mtsim results file of exactly
// that share of this N-way cut) and stored atomically under <out>/share-<i>/results.json.
//
//   GET  /health                    { ok, shares }
//   GET  /status                    who checked in, who delivered, the start (startMs on the coordinator's clock, with now), the outcome
//   POST /shares/:i/ready           check in (binds up); answers { start, now, waiting, abort }
//   POST /shares/:i/alive           a running share's heartbeat; answers { abort } (the run was called off)
//   PUT  /shares/:i/results         the share's results.json (?first_send_ms= how late its first send was)
//   POST /shares/:i/failed          { message }: the share could not run; the run is called off
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { join } from 'node:path'
import { writeFileAtomic } from '../../lib/atomic-write.js'
import { MtsimError } from '../../lib/errors.js'
import { parseResults } from '../../results/load-results.js'
import type { Coordination } from './state.js'
import { preciseNow } from '../start-gate.js'

export interface CoordinatorServerOptions {
  coordination: Coordination
  /** Where each share's results.json is stored. */
  out: string
  host: string
  port: number
  /** Wall clock, epoch ms (tests may step it). */
  now?: () => number
}

/** A results.json with a long time series is several MB; far above that is not one. */
const BODY_LIMIT = 512 * 1024 * 1024

export function buildCoordinatorApi(o: CoordinatorServerOptions): FastifyInstance {
  const c = o.coordination
  const now = o.now ?? preciseNow
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT })
  // Bodies stay text: results are validated by our own loader, and stored byte for byte.
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body))
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof MtsimError) return reply.code(400).send({ error: err.format() })
    return reply.code(err.statusCode && err.statusCode < 500 ? err.statusCode : 500).send({ error: err.message })
  })
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no route ${req.method} ${req.url}` }))

  /** The share index in the path, or a 400 that says what is wrong. */
  const shareOf = (params: unknown, reply: FastifyReply): number | undefined => {
    const raw = (params as { index: string }).index
    const i = Number(raw)
    if (/^\d+$/.test(raw) && i >= 1 && i <= c.count) return i
    void reply.code(400).send({ error: `share ${JSON.stringify(raw)} is not one of 1..${c.count} (this coordinator was started with --shares ${c.count})` })
    return undefined
  }

  app.get('/health', async () => ({ ok: true, shares: c.count }))
  app.get('/status', async () => ({ ...c.status(), startMs: c.startAt, now: now() }))

  app.post('/shares/:index/ready', async (req, reply) => {
    const i = shareOf(req.params, reply)
    if (i === undefined) return reply
    return { ...c.checkIn(i, now()), now: now() }
  })

  app.post('/shares/:index/alive', async (req, reply) => {
    const i = shareOf(req.params, reply)
    if (i === undefined) return reply
    return c.alive(i, now())
  })

  app.put('/shares/:index/results', async (req, reply) => {
    const i = shareOf(req.params, reply)
    if (i === undefined) return reply
    const text = typeof req.body === 'string' ? req.body : ''
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (err) {
      return reply.code(400).send({ error: `share ${i}: the body is not JSON (${(err as Error).message})` })
    }
    const results = parseResults(value, `share ${i}'s results`)
    const seg = results.meta.segment
    if (!seg || seg.index !== i - 1 || seg.count !== c.count) {
      const what = seg ? `share ${seg.index + 1} of ${seg.count}` : 'a whole run'
      const why = `it sent the results of ${what}, not of share ${i} of ${c.count} (check --segment)`
      c.failed(i, why)
      return reply.code(400).send({ error: `share ${i}: ${why}` })
    }
    const file = join(o.out, `share-${i}`, 'results.json')
    writeFileAtomic(file, text)
    const late = Number((req.query as { first_send_ms?: string }).first_send_ms)
    c.delivered(i, file, Number.isFinite(late) ? late : null)
    return reply.code(204).send()
  })

  app.post('/shares/:index/failed', async (req, reply) => {
    const i = shareOf(req.params, reply)
    if (i === undefined) return reply
    let message = 'no reason given'
    try {
      const body = JSON.parse(typeof req.body === 'string' ? req.body : '{}') as { message?: unknown }
      if (typeof body.message === 'string' && body.message.trim()) message = body.message.trim()
    } catch {
      // keep the default: a failure report must never be refused for its shape
    }
    c.failed(i, message)
    return reply.code(204).send()
  })
  return app
}

export async function startCoordinatorServer(o: CoordinatorServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const app = buildCoordinatorApi(o)
  try {
    await app.listen({ host: o.host, port: o.port })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new MtsimError('MTSIM_ERR_PORT_IN_USE', ['mtsim coordinate', String(o.port)])
    throw err
  }
  const addr = app.server.address()
  const port = addr && typeof addr === 'object' ? addr.port : o.port
  return { url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`, close: () => app.close() }
}
