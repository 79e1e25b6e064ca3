// The gateway section as the engine uses it: durations in ms, defaults filled, request templates
// compiled, regexes built, and `preset: kannel` expanded into Kannel's sendsms and dlr-url shape
// (Kannel user guide, "Delivery reports": dlr-mask=31; dlr-url %d = 1 delivered, 2 failed, 4 buffered, 8 SMSC ack,
// 16 SMSC reject, 34 = failed + expired; %I differs between callbacks of one message, so our own id goes in the url).
//
// API: normalizeGateway(file, operatorIds) -> GatewayConfig, checkGateway(file, operatorIds, report).
import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { bug } from '../../lib/errors.js'
import type { Report } from '../../config/load-config.js'
import { parseDuration } from '../../lib/duration.js'
import { compileTemplate, type Template } from './template.js'
import type { StatusScrape } from '../../gateways/status-scrape.js'
import type { GatewayFile, HttpGatewayFile, KannelGatewayFile } from './gateway-schema.js'

export type BindMode = 'transceiver' | 'tx+rx'

/**
 * How a bind verifies an SMPP server's TLS certificate: against `ca` (PEM) when given, else the
 * system CAs; `insecure` turns verification off. `servername` is the name checked (and sent as SNI)
 * when it is not the host.
 */
export interface ClientTls {
  ca?: string
  /** Where `ca` came from, for error messages. */
  caFile?: string
  insecure: boolean
  servername?: string
}

export interface DirectGateway {
  kind: 'direct'
  /** Binds per operator id (every operator of the network is present). */
  binds: Record<string, number>
  window: number
  mode: BindMode
  /** submit_sm_resp wait before a send fails with TIMEOUT; unset: the direct link default (10 s). */
  responseTimeoutMs?: number
  /**
   * false: plain ports only. Otherwise operators with a TLS port are reached over TLS, verified
   * with these settings (unset, or no ca: each operator's own certificate is trusted).
   */
  tls?: ClientTls | false
}

/** How each bind behaves, whatever it binds to (the smpp target, or direct binds to the simulated operators). */
export interface LinkSettings {
  mode: BindMode
  window: number
  responseTimeoutMs: number
  enquireLinkMs: number
  reconnectInitialMs: number
  reconnectMaxMs: number
  /** SMPP over TLS; undefined: plain TCP. */
  tls?: ClientTls
}

/** Where a set of binds goes and as whom. */
export interface SmppEndpoint {
  host: string
  port: number
  systemId: string
  password: string
  systemType: string
  binds: number
}

export interface SmppGateway extends SmppEndpoint, LinkSettings {
  kind: 'smpp'
  /** The gateway's own status URL, scraped through the run (gateways/status-scrape.ts). */
  status?: StatusScrape
  /** Group messages with the same text into submit_multi PDUs (loadgen/transports/smpp-multi.ts). */
  submitMulti?: { maxDestinations: number; maxWaitMs: number }
}

export interface CallbackField {
  from: 'query' | 'json'
  key: string
}

export interface HttpGateway {
  kind: 'http'
  /** The gateway's own status URL, scraped through the run (gateways/status-scrape.ts). */
  status?: StatusScrape
  preset: 'kannel' | null
  url: string
  method: 'GET' | 'POST'
  /** URL parameters, in order; values are request templates ({{to}}, {{text}}, {{dlr_url}}...). */
  query: [string, Template][]
  body: Template | null
  headers: [string, Template][]
  success: { status: number[]; bodyMatch: RegExp | null }
  /** Where the gateway's message id is in the reply; null when it gives none (Kannel). */
  messageId: { from: 'body'; pattern: RegExp } | { from: 'header'; header: string } | { from: 'json'; path: string[] } | null
  connections: number
  timeoutMs: number
  webhook: {
    host: string
    /** 0 = a free port. */
    port: number
    path: string
    /** Parameters appended to the callback url: {{id}} is filled in, the rest goes in verbatim (%d...). */
    urlQuery: [string, Template][]
    mapping: { messageId: CallbackField | null; ourId: CallbackField | null; status: CallbackField | null; err: CallbackField | null }
    /** Callback status value -> receipt state (DELIVRD, UNDELIV, ENROUTE...). */
    statusMap: Record<string, string>
    /** The MO webhook on the same listener (loadgen/transports/webhook.ts): its path and where each field is. */
    mo: { path: string; mapping: { from: CallbackField; to: CallbackField; text: CallbackField } }
  }
}

export interface KannelGateway {
  kind: 'kannel'
  overrides: Record<string, Record<string, string>>
  failover: Record<string, string>
  /** sms-resend-retry (-1: forever) and sms-resend-freq (whole seconds). */
  resend: { retry: number; frequencyS: number }
  /** smsc throughput per operator id: messages per second, 'operator' (its throttle), absent: unpaced. */
  throughput: Record<string, number | 'operator'>
}

/** Kannel's resend retries unless the scenario says otherwise: forever, so a throttle is waited out, never turned into discards. */
export const KANNEL_RESEND_RETRY = -1

export type GatewayConfig = DirectGateway | SmppGateway | HttpGateway | KannelGateway

const KANNEL_QUERY: Record<string, string> = {
  from: '{{from}}',
  to: '{{to}}',
  text: '{{text}}',
  coding: '{{coding}}',
  charset: 'UTF-8',
  'dlr-mask': '31',
  'dlr-url': '{{dlr_url}}',
}
const KANNEL_URL_QUERY: Record<string, string> = { id: '{{id}}', status: '%d', smsc: '%i', msgid: '%F', answer: '%A' }
// Kannel 1.4.5 reports an EXPIRED receipt as 34 (2 failed + 32 expired), not 2.
const KANNEL_STATUS_MAP: Record<string, string> = { '1': 'DELIVRD', '2': 'UNDELIV', '4': 'ENROUTE', '8': 'ACCEPTD', '16': 'REJECTD', '34': 'EXPIRED' }

export function checkGateway(g: GatewayFile, operators: readonly string[], report: Report, baseDir?: string): void {
  const at = (...p: (string | number)[]) => ['gateway', ...p]
  if ((g.kind === 'direct' || g.kind === 'smpp') && typeof g.tls === 'object') {
    const t = g.tls
    if (t.ca_file !== undefined && t.insecure) report(at('tls', 'insecure'), 'either ca_file (verify against it) or insecure: true (no verification), not both', true)
    if (t.ca_file !== undefined && baseDir !== undefined) {
      const path = isAbsolute(t.ca_file) ? t.ca_file : resolve(baseDir, t.ca_file)
      const ca = readCa(path)
      if (typeof ca !== 'string') report(at('tls', 'ca_file'), 'a readable PEM file of certificates', `${path} (${ca.error})`)
      else if (!ca.includes('-----BEGIN CERTIFICATE-----')) report(at('tls', 'ca_file'), 'a PEM file of certificates (-----BEGIN CERTIFICATE-----)', `${path}, which has none`)
    }
  }
  if (g.kind === 'direct' && g.binds !== undefined && typeof g.binds === 'object') {
    for (const id of Object.keys(g.binds)) if (!operators.includes(id)) report(at('binds', id), `an operator of the network (${operators.join(', ')})`, id)
  }
  if (g.kind === 'kannel') {
    if (g.throughput !== undefined && typeof g.throughput === 'object') {
      for (const id of Object.keys(g.throughput)) if (!operators.includes(id)) report(at('throughput', id), `an operator of the network (${operators.join(', ')})`, id)
    }
    for (const [from, to] of Object.entries(g.failover ?? {})) {
      if (!operators.includes(from)) report(at('failover', from), `an operator of the network (${operators.join(', ')})`, from)
      if (!operators.includes(to) || to === from) report(at('failover', from), `another operator of the network (${operators.join(', ')})`, to)
    }
  }
  if (g.kind === 'http') checkHttp(g, report)
}

function statusOf(s: HttpGatewayFile['status']): { status?: StatusScrape } {
  return s ? { status: { url: s.url, format: s.format, ...(s.queued ? { queued: s.queued } : {}), metrics: { ...(s.metrics ?? {}) } } } : {}
}

function throughputByOperator(t: KannelGatewayFile['throughput'], operators: readonly string[]): KannelGateway['throughput'] {
  if (t === undefined) return {}
  if (typeof t === 'object') return { ...t }
  return Object.fromEntries(operators.map((id) => [id, t]))
}

function readCa(path: string): string | { error: string } {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    return { error: (err as NodeJS.ErrnoException).code ?? String(err) }
  }
}

/** The scenario's tls setting, files read (checkGateway reported unreadable ones). */
function clientTls(t: boolean | { ca_file?: string; insecure?: boolean; servername?: string }, baseDir: string): ClientTls | undefined {
  if (t === false) return undefined
  if (t === true) return { insecure: false }
  const caFile = t.ca_file === undefined ? undefined : isAbsolute(t.ca_file) ? t.ca_file : resolve(baseDir, t.ca_file)
  const ca = caFile === undefined ? undefined : readCa(caFile)
  if (typeof ca === 'object') bug(`gateway.tls.ca_file ${caFile} unreadable after the check step (${ca.error})`)
  return { insecure: t.insecure ?? false, ...(caFile !== undefined ? { ca, caFile } : {}), ...(t.servername !== undefined ? { servername: t.servername } : {}) }
}

function checkHttp(g: HttpGatewayFile, report: Report): void {
  const at = (...p: (string | number)[]) => ['gateway', ...p]
  const template = (src: string, path: (string | number)[]) => {
    const r = compileTemplate(src, 'request')
    for (const e of r.errors ?? []) report(path, e, src)
  }
  for (const [k, v] of Object.entries(g.query ?? {})) template(v, at('query', k))
  for (const [k, v] of Object.entries(g.headers ?? {})) template(v, at('headers', k))
  for (const [k, v] of Object.entries(g.webhook?.url_query ?? {})) template(v, at('webhook', 'url_query', k))
  if (g.body !== undefined) template(g.body, at('body'))
  regex(g.success?.body_match, at('success', 'body_match'), report)
  const id = g.message_id
  if (id) {
    const need = id.from === 'body' ? 'pattern' : id.from === 'header' ? 'header' : 'path'
    if (id[need] === undefined) report(at('message_id', need), `this key (from: ${id.from} needs ${need})`, undefined)
    if (id.from === 'body') regex(id.pattern, at('message_id', 'pattern'), report)
  }
  if (g.preset === 'kannel') {
    for (const k of ['username', 'password']) if (g.query?.[k] === undefined) report(at('query', k), 'this key (Kannel sendsms needs a username and password)', undefined)
  }
}

function regex(src: string | undefined, path: (string | number)[], report: Report): void {
  if (src === undefined) return
  try {
    new RegExp(src)
  } catch (err) {
    report(path, `a valid regular expression (${(err as Error).message})`, src)
  }
}

/** Templates in this section were checked by checkGateway; a failure here is a bug, said plainly. */
function compiled(src: string): Template {
  const r = compileTemplate(src, 'request')
  if (r.errors) bug(`unchecked request template ${JSON.stringify(src)}: ${r.errors.join('; ')}`) // the check step reports these
  return r.template
}

const field = (f: { from: 'query' | 'json'; key: string } | undefined): CallbackField | null => (f ? { from: f.from, key: f.key } : null)

/** baseDir: the scenario file's folder (gateway.tls.ca_file is relative to it). */
export function normalizeGateway(g: GatewayFile, operators: readonly string[], baseDir = process.cwd()): GatewayConfig {
  switch (g.kind) {
    case 'direct': {
      const binds: Record<string, number> = {}
      for (const id of operators) binds[id] = typeof g.binds === 'number' ? g.binds : (g.binds?.[id] ?? 1)
      const timeout = g.response_timeout === undefined ? {} : { responseTimeoutMs: parseDuration(g.response_timeout) }
      const tls = g.tls === undefined ? {} : { tls: g.tls === false ? (false as const) : clientTls(g.tls, baseDir)! }
      return { kind: 'direct', binds, window: g.window ?? 100, mode: g.mode ?? 'transceiver', ...timeout, ...tls }
    }
    case 'smpp':
      return {
        kind: 'smpp',
        ...statusOf(g.status),
        host: g.host ?? '127.0.0.1',
        port: g.port,
        systemId: g.system_id,
        password: g.password,
        systemType: g.system_type ?? '',
        binds: g.binds ?? 1,
        mode: g.mode ?? 'transceiver',
        window: g.window ?? 100,
        enquireLinkMs: parseDuration(g.enquire_link ?? '30s'),
        responseTimeoutMs: parseDuration(g.response_timeout ?? '10s'),
        reconnectInitialMs: parseDuration(g.reconnect?.initial ?? '250ms'),
        reconnectMaxMs: parseDuration(g.reconnect?.max ?? '10s'),
        ...(g.tls !== undefined && g.tls !== false ? { tls: clientTls(g.tls, baseDir) } : {}),
        ...(g.submit_multi ? { submitMulti: { maxDestinations: g.submit_multi.max_destinations, maxWaitMs: parseDuration(g.submit_multi.max_wait ?? '50ms') } } : {}),
      }
    case 'http':
      return normalizeHttp(g)
    case 'kannel':
      return {
        kind: 'kannel',
        overrides: g.overrides ?? {},
        failover: g.failover ?? {},
        resend: {
          retry: g.resend?.retry ?? KANNEL_RESEND_RETRY,
          frequencyS: Math.max(1, Math.round(parseDuration(g.resend?.frequency ?? '1s') / 1000)),
        },
        throughput: throughputByOperator(g.throughput, operators),
      }
  }
}

function normalizeHttp(g: HttpGatewayFile): HttpGateway {
  const kannel = g.preset === 'kannel'
  const query = { ...(kannel ? KANNEL_QUERY : {}), ...(g.query ?? {}) }
  const urlQuery = g.webhook?.url_query ?? (kannel ? KANNEL_URL_QUERY : { id: '{{id}}' })
  const m = g.webhook?.mapping
  const id = g.message_id
  return {
    kind: 'http',
    ...statusOf(g.status),
    preset: kannel ? 'kannel' : null,
    url: g.url,
    method: g.method ?? 'GET',
    query: Object.entries(query).map(([k, v]) => [k, compiled(v)]),
    body: g.body !== undefined ? compiled(g.body) : null,
    headers: Object.entries(g.headers ?? {}).map(([k, v]) => [k, compiled(v)]),
    success: {
      status: g.success?.status ?? (kannel ? [202] : [200, 201, 202]),
      bodyMatch: g.success?.body_match ? new RegExp(g.success.body_match) : kannel ? /^(0: Accepted|3: Queued)/ : null,
    },
    messageId: !id
      ? null
      : id.from === 'body'
        ? { from: 'body', pattern: new RegExp(id.pattern ?? '(.*)') }
        : id.from === 'header'
          ? { from: 'header', header: (id.header ?? '').toLowerCase() }
          : { from: 'json', path: (id.path ?? '').split('.') },
    connections: g.connections ?? 50,
    timeoutMs: parseDuration(g.timeout ?? '10s'),
    webhook: {
      host: g.webhook?.host ?? '127.0.0.1',
      port: g.webhook?.port ?? 0,
      path: g.webhook?.path ?? '/dlr',
      urlQuery: Object.entries(urlQuery).map(([k, v]) => [k, compiled(v)]),
      mapping: kannel
        ? {
            ourId: field(m?.our_id) ?? { from: 'query', key: 'id' },
            status: field(m?.status) ?? { from: 'query', key: 'status' },
            messageId: field(m?.message_id) ?? { from: 'query', key: 'msgid' },
            err: field(m?.err),
          }
        : { ourId: field(m?.our_id) ?? { from: 'query', key: 'id' }, status: field(m?.status), messageId: field(m?.message_id), err: field(m?.err) },
      statusMap: g.webhook?.status_map ?? (kannel ? KANNEL_STATUS_MAP : {}),
      mo: {
        path: g.webhook?.mo?.path ?? '/mo',
        mapping: {
          from: field(g.webhook?.mo?.mapping?.from) ?? { from: 'query', key: 'from' },
          to: field(g.webhook?.mo?.mapping?.to) ?? { from: 'query', key: 'to' },
          text: field(g.webhook?.mo?.mapping?.text) ?? { from: 'query', key: 'text' },
        },
      },
    },
  }
}
