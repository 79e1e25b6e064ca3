// The control API of a running network: health, operators, live stats, fault injection and
// Prometheus metrics. Served on 127.0.0.1 unless told otherwise; with a token, every route but
// /health needs `Authorization: Bearer <token>`. Every error body is { error, ... } in words.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { timingSafeEqual } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { validator, type Issue } from '../../config/validator.js'
import { formatPath } from '../../config/load-config.js'
import { MtsimError } from '../../lib/errors.js'
import { FaultBodySchema, type FaultBody } from '../network-schema.js'
import { checkDelay, normalizeFault } from '../network.js'
import { createNetworkMetrics } from './prometheus.js'
import type { ActiveFault, NetworkHandle, OperatorHandle, OperatorStats } from '../types.js'

export interface ControlApiOptions {
  /** When set, every route but /health needs `Authorization: Bearer <token>`. */
  token?: string
  logger?: boolean
}

const ROUTES = [
  'GET /health',
  'GET /operators',
  'GET /operators/:id/stats',
  'POST /operators/:id/faults',
  'DELETE /operators/:id/faults',
  'GET /metrics',
]

/** An active fault as the API shows it: times in ms since network start, plus what is left. */
function faultView(f: ActiveFault, now: number) {
  return { ...f.fault, start: f.start, end: f.end, remainingMs: Math.max(0, Math.round(f.end - now)), source: f.source }
}

export function buildControlApi(network: NetworkHandle, opts: ControlApiOptions = {}): FastifyInstance {
  const app = Fastify({ logger: opts.logger ?? false })
  const metrics = createNetworkMetrics(network)
  const validateFault = validator(FaultBodySchema)
  const now = () => performance.now() - network.startedAt
  const expected = opts.token ? Buffer.from(`Bearer ${opts.token}`) : undefined

  if (expected) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.routeOptions.url === '/health') return
      const got = Buffer.from(req.headers.authorization ?? '')
      // Constant-time compare so the token cannot be guessed byte by byte from response times.
      if (got.length === expected.length && timingSafeEqual(got, expected)) return
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'this control API needs a token: send the header "Authorization: Bearer <token>" (the token mtsim simulate was given: MTSIM_TOKEN, --token-file or --token)' })
    })
  }

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: `no route ${req.method} ${req.url}`, routes: ROUTES })
  })
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    // Fastify's own client errors (bad JSON, wrong content type) keep their code and message;
    // anything else is a bug in mtsim, reported without a stack trace.
    const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500
    reply.code(code).send({ error: code === 500 ? `internal error: ${err.message}` : err.message })
  })

  const operatorOr404 = (id: string, reply: FastifyReply): OperatorHandle | undefined => {
    const op = network.operator(id)
    if (!op) {
      const known = network.operators.map((o) => o.config.id).join(', ')
      reply.code(404).send({ error: `no operator "${id}" in network "${network.config.name}"; known operators: ${known}` })
    }
    return op
  }

  app.get('/health', async () => ({
    status: 'ok',
    network: network.config.name,
    uptime: Math.round(now()) / 1000,
    operators: network.operators.length,
  }))

  app.get('/operators', async () => {
    const t = now()
    return network.operators.map((op) => ({
      id: op.config.id,
      name: op.config.name,
      mcc: op.config.mcc,
      mnc: op.config.mnc,
      host: op.config.host,
      port: op.port,
      ...(op.tls ? { tlsPort: op.tls.port } : {}),
      systemIds: op.config.accounts.map((a) => a.systemId),
      prefixes: op.config.prefixes,
      state: op.state(),
      faults: op.activeFaults().map((f) => faultView(f, t)),
    }))
  })

  app.get<{ Params: { id: string } }>('/operators/:id/stats', async (req, reply) => {
    const op = operatorOr404(req.params.id, reply)
    if (op) return statsView(op.stats())
    return reply
  })

  app.post<{ Params: { id: string } }>('/operators/:id/faults', async (req, reply) => {
    const op = operatorOr404(req.params.id, reply)
    if (!op) return reply
    const issues: Issue[] = validateFault(req.body)
    if (!issues.length) {
      const body = req.body as FaultBody
      if (body.event === 'latency_spike') {
        checkDelay(body.latency, ['latency'], (path, exp, found) => issues.push({ path, expected: exp, found: JSON.stringify(found) }))
      }
    }
    if (issues.length) {
      return reply.code(400).send({
        error: `invalid fault for operator "${op.config.id}"`,
        issues: issues.map((i) => {
          const path = formatPath(i.path)
          return { path, expected: i.expected, found: i.found, message: `${path}: expected ${i.expected}, found ${i.found}` }
        }),
      })
    }
    const active = op.injectFault(normalizeFault(req.body as FaultBody, now()))
    return reply.code(201).send({ operator: op.config.id, state: op.state(), fault: faultView(active, now()) })
  })

  app.delete<{ Params: { id: string } }>('/operators/:id/faults', async (req, reply) => {
    const op = operatorOr404(req.params.id, reply)
    if (!op) return reply
    const cleared = op.clearFaults()
    return { operator: op.config.id, cleared, state: op.state() }
  })

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.contentType)
    return metrics.scrape()
  })

  return app
}

export interface StartControlApiOptions extends ControlApiOptions {
  host?: string
  /** 0 picks a free port. */
  port: number
}

export interface RunningControlApi {
  readonly app: FastifyInstance
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

export async function startControlApi(network: NetworkHandle, opts: StartControlApiOptions): Promise<RunningControlApi> {
  const host = opts.host ?? '127.0.0.1'
  const app = buildControlApi(network, opts)
  try {
    await app.listen({ host, port: opts.port })
  } catch (err) {
    await app.close()
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new MtsimError('MTSIM_ERR_PORT_IN_USE', ['control API', String(opts.port)])
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new MtsimError('MTSIM_ERR_LISTEN', ['control API', `${host}:${opts.port}`, code])
    }
    throw err
  }
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : opts.port
  const urlHost = host.includes(':') ? `[${host}]` : host
  return { app, url: `http://${urlHost}:${port}`, port, close: () => app.close() }
}

/**
 * An operator's stats as the API shows them: latencies in milliseconds, rounded to the microsecond
 * the histogram holds, with the unit named (the stats carry microseconds for Prometheus and the CLI).
 */
export function statsView(stats: OperatorStats): Omit<OperatorStats, 'latency'> & { latency: Record<string, number | string> } {
  const { count, ...us } = stats.latency
  const ms: Record<string, number | string> = { unit: 'ms', count }
  for (const [k, v] of Object.entries(us)) ms[k] = Math.round(v) / 1000
  return { ...stats, latency: ms }
}
