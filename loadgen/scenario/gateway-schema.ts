// The `gateway` section of a scenario file: how mtsim's load generator reaches the operators.
// A tagged union on `kind`: direct (bind straight to the simulated operators), smpp (any SMPP
// server, e.g. a gateway under test), http (any HTTP sendsms API with a receipt webhook; `preset:
// kannel` fills in Kannel's shape) and kannel (a Kannel that mtsim configures and runs itself).
// Part of ScenarioSchema (loadgen/scenario/scenario-schema.ts); normalised by loadgen/scenario/gateway-config.ts.
import { Type, type Static } from '@sinclair/typebox'
import { Obj, Duration, Port, Tagged } from '../../config/schema-kit.js'
import { MAX_TIMEOUT_MS } from '../../lib/limits.js'

/** A timeout or interval of the load generator's own connections: at most a day (lib/limits.ts). */
const Timing = (description: string) => Duration(description, MAX_TIMEOUT_MS)

const Binds = Type.Integer({ minimum: 1, maximum: 64, description: 'the number of binds, 1 to 64' })
const Window = Type.Integer({ minimum: 1, maximum: 100_000, description: 'the most unanswered submits per bind, 1 to 100000' })
const Mode = Type.Union([Type.Literal('transceiver'), Type.Literal('tx+rx')], {
  description: 'transceiver (one bind sends and receives) or tx+rx (a transmitter and a receiver bind)',
})
const StringMap = (description: string) => Type.Record(Type.String(), Type.String(), { description })

/** The gateway's own status page or metrics, scraped through the run (gateways/status-scrape.ts). */
const GatewayStatus = Obj({
  url: Type.String({ minLength: 1, description: 'the status or metrics URL (http://...)' }),
  format: Type.Union([Type.Literal('prometheus'), Type.Literal('json')], { description: 'prometheus (text exposition) or json' }),
  queued: Type.Optional(Type.String({ minLength: 1, description: 'the metric name (prometheus) or dotted JSON path of what the gateway still holds for sending' })),
  metrics: Type.Optional(StringMap('further figures to keep: name -> metric name or JSON path')),
}, { description: "the gateway's own status, polled each second" })

/** How the load generator's binds verify an SMPP server's TLS certificate. */
const ClientTls = Obj({
  ca_file: Type.Optional(Type.String({ minLength: 1, description: 'a PEM file of the certificates to trust (relative to the scenario file), instead of the system CAs' })),
  insecure: Type.Optional(Type.Boolean({ description: 'true to accept any certificate (no verification: tests only)' })),
  servername: Type.Optional(Type.String({ minLength: 1, description: 'the name the certificate must carry (SNI), when it is not the host' })),
})

export const DirectGatewaySchema = Obj({
  kind: Type.Literal('direct'),
  binds: Type.Optional(Type.Union([Binds, Type.Record(Type.String(), Binds)], {
    description: 'binds per operator: one number for all, or a mapping of operator id to number',
  })),
  window: Type.Optional(Window),
  mode: Type.Optional(Mode),
  response_timeout: Type.Optional(Timing('how long to wait for a submit_sm_resp before the send counts as failed (TIMEOUT), like "10s"')),
  tls: Type.Optional(Type.Union([Type.Literal(false), ClientTls], {
    description: "false (plain ports only), or how to verify an operator's TLS port (default: operators with smpp.tls are reached over TLS, trusting their own certificate)",
  })),
})

export const SmppGatewaySchema = Obj({
  kind: Type.Literal('smpp'),
  status: Type.Optional(GatewayStatus),
  host: Type.Optional(Type.String({ minLength: 1, description: 'the SMPP server address (default 127.0.0.1)' })),
  port: Port('the SMPP server port, 1 to 65535'),
  system_id: Type.String({ minLength: 1, maxLength: 15, description: 'an SMPP system_id of 1 to 15 characters' }),
  password: Type.String({ maxLength: 8, description: 'an SMPP password of up to 8 characters' }),
  system_type: Type.Optional(Type.String({ maxLength: 12, description: 'an SMPP system_type of up to 12 characters' })),
  binds: Type.Optional(Binds),
  mode: Type.Optional(Mode),
  window: Type.Optional(Window),
  enquire_link: Type.Optional(Timing('the enquire_link interval, like "30s"')),
  response_timeout: Type.Optional(Timing('how long to wait for a response, like "10s"')),
  reconnect: Type.Optional(Obj({
    initial: Type.Optional(Timing('the first reconnect delay, like "250ms"')),
    max: Type.Optional(Timing('the longest reconnect delay (the delay doubles up to it), like "10s"')),
  })),
  tls: Type.Optional(Type.Union([Type.Boolean(), ClientTls], {
    description: 'true (SMPP over TLS, verified against the system CAs), false (plain, the default), or how to verify the certificate',
  })),
  submit_multi: Type.Optional(Obj({
    max_destinations: Type.Integer({ minimum: 2, maximum: 254, description: 'the most destinations in one submit_multi, 2 to 254' }),
    max_wait: Type.Optional(Timing('how long a message may wait for others with the same text before its submit_multi goes anyway, like "50ms" (default "50ms")')),
  }, { description: 'send messages that share their text (after the correlation tag) together in submit_multi PDUs' })),
})

const Extract = Obj({
  from: Type.Union([Type.Literal('body'), Type.Literal('header'), Type.Literal('json')], {
    description: 'body (a regex over the reply body), header (a reply header) or json (a path into a JSON reply)',
  }),
  pattern: Type.Optional(Type.String({ minLength: 1, description: 'a regular expression whose first group is the id' })),
  header: Type.Optional(Type.String({ minLength: 1, description: 'a reply header name' })),
  path: Type.Optional(Type.String({ minLength: 1, description: 'a dotted path like "messages.0.id"' })),
})

const Field = Obj({
  from: Type.Union([Type.Literal('query'), Type.Literal('json')], { description: 'query (a URL parameter) or json (a path into a JSON body)' }),
  key: Type.String({ minLength: 1, description: 'the parameter name or dotted JSON path' }),
})

const FinalOrIntermediate = Type.Union(
  ['DELIVRD', 'UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED', 'UNKNOWN', 'ENROUTE', 'ACCEPTD'].map((s) => Type.Literal(s)),
  { description: 'a receipt state: DELIVRD, UNDELIV, EXPIRED, REJECTD, DELETED, UNKNOWN, ENROUTE or ACCEPTD' },
)

const Webhook = Obj({
  host: Type.Optional(Type.String({ minLength: 1, description: 'the address the receipt webhook listens on (default 127.0.0.1)' })),
  port: Type.Optional(Port()),
  path: Type.Optional(Type.String({ pattern: '^/', description: 'a URL path starting with "/"' })),
  url_query: Type.Optional(StringMap('parameters added to the callback URL ({{id}} is our id; other values go in as written, e.g. "%d")')),
  mapping: Type.Optional(Obj({
    message_id: Type.Optional(Field),
    our_id: Type.Optional(Field),
    status: Type.Optional(Field),
    err: Type.Optional(Field),
  })),
  status_map: Type.Optional(Type.Record(Type.String(), FinalOrIntermediate, {
    description: 'callback status value -> receipt state, e.g. "1": DELIVRD',
  })),
  mo: Type.Optional(Obj({
    path: Type.Optional(Type.String({ pattern: '^/', description: 'the MO webhook\'s URL path, starting with "/" (default "/mo")' })),
    mapping: Type.Optional(Obj({ from: Type.Optional(Field), to: Type.Optional(Field), text: Type.Optional(Field) })),
  }, { description: 'where your platform forwards MO (mobile-originated messages) on the same listener' })),
})

export const HttpGatewaySchema = Obj({
  kind: Type.Literal('http'),
  status: Type.Optional(GatewayStatus),
  preset: Type.Optional(Type.Literal('kannel', { description: '"kannel" (Kannel sendsms and dlr-url)' })),
  url: Type.String({ pattern: '^https?://', description: 'an http:// URL like "http://127.0.0.1:13013/cgi-bin/sendsms"' }),
  method: Type.Optional(Type.Union([Type.Literal('GET'), Type.Literal('POST')], { description: 'GET or POST' })),
  query: Type.Optional(StringMap('URL parameters: name -> template with {{variables}}')),
  body: Type.Optional(Type.String({ description: 'a request body template with {{variables}}' })),
  headers: Type.Optional(StringMap('request headers: name -> template')),
  success: Type.Optional(Obj({
    status: Type.Optional(Type.Array(Type.Integer({ minimum: 100, maximum: 599, description: 'an HTTP status 100 to 599' }), { minItems: 1 })),
    body_match: Type.Optional(Type.String({ minLength: 1, description: 'a regular expression the reply body must match' })),
  })),
  message_id: Type.Optional(Extract),
  connections: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024, description: 'the connection pool size, 1 to 1024' })),
  timeout: Type.Optional(Timing('the request timeout, like "10s"')),
  webhook: Type.Optional(Webhook),
})

/** A link's pace in kannel.conf: messages per second, or `operator` (from the operator's throttle). */
const Throughput = Type.Union([
  Type.Number({ exclusiveMinimum: 0, description: 'messages per second on each of the link\'s binds, more than 0' }),
  Type.Literal('operator', { description: '"operator": the operator\'s throttle rate (divided over its binds for a per-operator throttle)' }),
], { description: 'messages per second, or "operator"' })

export const KannelGatewaySchema = Obj({
  kind: Type.Literal('kannel'),
  resend: Type.Optional(Obj({
    retry: Type.Optional(Type.Integer({ minimum: -1, description: 'sms-resend-retry: how often a temporarily failed submit (throttled, queue full) is sent again before Kannel discards it; -1 forever (default)' })),
    frequency: Type.Optional(Duration('sms-resend-freq: the wait before a temporarily failed submit is sent again, whole seconds (default "1s")', 3_600_000)),
  }, { description: 'Kannel\'s resends of temporarily failed submits' })),
  throughput: Type.Optional(Type.Union([Throughput, Type.Record(Type.String(), Throughput)], {
    description: 'smsc throughput: one for every link, or operator id -> messages per second or "operator" (default: unpaced)',
  })),
  overrides: Type.Optional(Type.Record(Type.String(), StringMap('kannel.conf settings: name -> value'), {
    description: 'kannel.conf settings per group (core, smsbox, smsc, sendsms-user)',
  })),
  failover: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1, description: 'a backup operator id' }), {
    description: 'operator id -> backup operator id',
  })),
})

export const GatewaySchema = Tagged(
  'kind',
  [DirectGatewaySchema, SmppGatewaySchema, HttpGatewaySchema, KannelGatewaySchema],
  'a gateway: direct, smpp, http or kannel',
)

export type GatewayFile = Static<typeof GatewaySchema>
export type HttpGatewayFile = Static<typeof HttpGatewaySchema>
export type KannelGatewayFile = Static<typeof KannelGatewaySchema>
