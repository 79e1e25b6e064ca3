// The network file: the simulated operators, one strict schema. Exported as JSON Schema to
// scenarios/schema/network.schema.json (npm run schema) so editors complete YAML.
// Words in `description` are what error messages say was expected.
import { Type, type Static } from '@sinclair/typebox'
import { MAX_DELAY_MS, MAX_TIMEOUT_MS } from '../lib/limits.js'
import { moSchema } from './mo/mo-schema.js'
import { Obj, Duration, Probability, Port, Rate, StatusCode, Tagged, Weight } from '../config/schema-kit.js'

/** A delay inside a distribution: at most MAX_DELAY_MS (7 days). */
const Delay = (description?: string) => Duration(description, MAX_DELAY_MS)

const spikes = Obj(
  {
    probability: Probability('the chance that one response gets a spike, 0 to 1'),
    size: Delay('the extra delay of a spike, like "500ms"'),
  },
  { description: 'occasional extra delay added on top of the distribution' },
)

/** A delay distribution; also used for receipt delays. */
export const DelaySchema = Tagged(
  'distribution',
  [
    Obj({ distribution: Type.Literal('fixed'), value: Delay(), spikes: Type.Optional(spikes) }),
    Obj({ distribution: Type.Literal('uniform'), min: Delay(), max: Delay(), spikes: Type.Optional(spikes) }),
    Obj({ distribution: Type.Literal('normal'), mean: Delay(), stddev: Delay(), spikes: Type.Optional(spikes) }),
    Obj({ distribution: Type.Literal('lognormal'), p50: Delay(), p99: Delay(), spikes: Type.Optional(spikes) }),
    Obj({ distribution: Type.Literal('exponential'), mean: Delay(), spikes: Type.Optional(spikes) }),
  ],
  'a delay distribution: fixed (value), uniform (min, max), normal (mean, stddev), lognormal (p50, p99) or exponential (mean)',
)

const BindType = Type.Union([Type.Literal('transmitter'), Type.Literal('receiver'), Type.Literal('transceiver')], {
  description: 'a bind type: transmitter, receiver or transceiver',
})

const AccountSchema = Obj({
  system_id: Type.String({ minLength: 1, maxLength: 15, description: 'an SMPP system_id of 1 to 15 characters' }),
  password: Type.String({ maxLength: 8, description: 'an SMPP password of up to 8 characters' }),
  bind_types: Type.Optional(Type.Array(BindType, { minItems: 1, uniqueItems: true })),
  max_binds: Type.Optional(Type.Integer({ minimum: 1, description: 'the most simultaneous binds, 1 or more' })),
})

const WindowSchema = Obj({
  max_outstanding: Type.Integer({ minimum: 1, description: 'the most unanswered submits per bind, 1 or more' }),
  excess_status: Type.Optional(
    Type.Union([Type.Literal('ESME_RTHROTTLED'), Type.Literal('ESME_RMSGQFUL')], {
      description: 'the status for submits over the window: ESME_RTHROTTLED or ESME_RMSGQFUL',
    }),
  ),
})

/** What one operator tolerates from its connections: the simulator's own protection against a misbehaving peer. */
const LimitsSchema = Obj({
  bind_timeout: Type.Optional(
    Duration('how long a connection may stay unbound before it is closed, like "30s" (0 = no limit; default "30s")', MAX_TIMEOUT_MS),
  ),
  inactivity_timeout: Type.Optional(
    Duration('how long a connection may send nothing (enquire_link counts) before it is closed, like "2m" (0 = no limit; default "2m")', MAX_TIMEOUT_MS),
  ),
  max_connections: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'the most connections open at once, bound or not, 1 to 1000000 (default 1000)' }),
  ),
  max_pdu_length: Type.Optional(
    Type.Integer({ minimum: 64, maximum: 16_777_216, description: 'the largest command_length accepted, 64 to 16777216 bytes (default 65536)' }),
  ),
  max_buffered_bytes: Type.Optional(
    Type.Integer({
      minimum: 65_536,
      maximum: 4_294_967_296,
      description: 'the most bytes of incomplete PDUs held for all connections together, 65536 to 4294967296 (default 16777216)',
    }),
  ),
})

/** Password guessing: every failed authentication is answered late, and a connection gets only a few tries. */
const FailedBindsSchema = Obj({
  delay: Type.Optional(
    Duration('how long to wait before answering a bind with an unknown system_id or a wrong password, like "1s" (default "1s")', MAX_TIMEOUT_MS),
  ),
  close_after: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'close the connection after this many failed binds on it, 1 or more (default 3)' }),
  ),
})

/**
 * SMPP over TLS: a second listener beside the plain port. Without cert_file/key_file the operator
 * makes a self-signed certificate at start (for its host, 127.0.0.1 and localhost).
 */
const TlsSchema = Obj({
  port: Port('the TLS port, 0 to 65535 (0 picks a free port)'),
  cert_file: Type.Optional(Type.String({ minLength: 1, description: 'a PEM certificate file (with key_file), relative to the network file' })),
  key_file: Type.Optional(Type.String({ minLength: 1, description: 'a PEM private key file (with cert_file), relative to the network file' })),
})

const ThrottleSchema = Obj({
  rate: Rate('messages per second, more than 0'),
  per: Type.Optional(Type.Union([Type.Literal('bind'), Type.Literal('operator')], { description: 'bind or operator' })),
  burst: Type.Optional(Type.Integer({ minimum: 1, description: 'how many messages may arrive at once, 1 or more' })),
  status: Type.Optional(StatusCode()),
  count_segments: Type.Optional(Type.Boolean({ description: 'true to count each multipart segment against the cap' })),
})

const WeightedStatus = Obj({
  status: StatusCode(),
  rate: Probability('the share of submits answered with this status, 0 to 1'),
})

const FailuresSchema = Obj({
  statuses: Type.Optional(Type.Array(WeightedStatus)),
  no_response_rate: Type.Optional(Probability('the share of submits never answered, 0 to 1')),
  disconnect_rate: Type.Optional(Probability('the chance per submit that the connection is dropped, 0 to 1')),
  bind_refusal_rate: Type.Optional(Probability('the share of bind attempts refused, 0 to 1')),
  bind_refusal_status: Type.Optional(StatusCode()),
})

const SendersSchema = Obj({
  approved: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'approved sender ids' }),
  reject_status: Type.Optional(StatusCode()),
})

export const ReceiptStat = Type.Union(
  ['DELIVRD', 'UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED', 'UNKNOWN'].map((s) => Type.Literal(s)),
  { description: 'a final receipt state: DELIVRD, UNDELIV, EXPIRED, REJECTD, DELETED or UNKNOWN' },
)

const OutcomeSchema = Obj({
  stat: ReceiptStat,
  weight: Weight(),
  err: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z]{1,3}$', description: 'a 1 to 3 character err code like "000"' })),
})

const ReceiptsSchema = Obj({
  delay: DelaySchema,
  outcomes: Type.Optional(Type.Array(OutcomeSchema, { minItems: 1 })),
  intermediate: Type.Optional(
    Obj({
      states: Type.Array(Type.Union([Type.Literal('ENROUTE'), Type.Literal('ACCEPTD')], { description: 'ENROUTE or ACCEPTD' }), {
        minItems: 1,
      }),
      delay: Type.Optional(DelaySchema),
    }),
  ),
  loss_rate: Type.Optional(Probability('the share of receipts never sent, 0 to 1')),
  duplicate_rate: Type.Optional(Probability('the share of receipts sent twice, 0 to 1')),
  window: Type.Optional(
    Type.Integer({ minimum: 1, description: 'the most receipt deliver_sm sent and not yet answered per bind, 1 or more (default 1000)' }),
  ),
  format: Type.Optional(
    Obj({
      text_label: Type.Optional(Type.Union([Type.Literal('text'), Type.Literal('Text')], { description: '"text" or "Text"' })),
      id_format: Type.Optional(Type.Union([Type.Literal('decimal'), Type.Literal('hex')], { description: 'decimal or hex' })),
      tlvs: Type.Optional(Type.Boolean({ description: 'true to add receipted_message_id, message_state and network_error_code' })),
      text_excerpt: Type.Optional(Type.Boolean({ description: 'true to put the first 20 characters of the message after text:' })),
    }),
  ),
  multipart: Type.Optional(
    Type.Union([Type.Literal('per_segment'), Type.Literal('per_message')], {
      description: 'per_segment (a receipt for every segment) or per_message (one, for the last segment)',
    }),
  ),
})

const at = Duration('when the event starts, relative to the network start, like "30s"')
const lasting = Duration('how long the event lasts, like "20s"')

/** A fault on the operator's timeline; also the body of POST /operators/:id/faults (without `at`). */
export const faultVariants = {
  outage: { event: Type.Literal('outage'), duration: lasting },
  black_hole: { event: Type.Literal('black_hole'), duration: lasting },
  latency_spike: { event: Type.Literal('latency_spike'), duration: lasting, latency: DelaySchema },
  throttle_change: {
    event: Type.Literal('throttle_change'),
    duration: lasting,
    rate: Rate('the new messages per second, more than 0'),
  },
  receipt_backlog: { event: Type.Literal('receipt_backlog'), duration: lasting },
}
const faultDescription = 'a fault event: outage, black_hole, latency_spike, throttle_change or receipt_backlog'

const f = faultVariants
export const TimelineEventSchema = Tagged(
  'event',
  [
    Obj({ at, ...f.outage }),
    Obj({ at, ...f.black_hole }),
    Obj({ at, ...f.latency_spike }),
    Obj({ at, ...f.throttle_change }),
    Obj({ at, ...f.receipt_backlog }),
  ],
  faultDescription,
)
export const FaultBodySchema = Tagged(
  'event',
  [Obj(f.outage), Obj(f.black_hole), Obj(f.latency_spike), Obj(f.throttle_change), Obj(f.receipt_backlog)],
  faultDescription,
)

export const OperatorSchema = Obj({
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'an id of lowercase letters, digits, - and _' }),
  name: Type.Optional(Type.String({ description: 'a display name' })),
  mcc: Type.String({ pattern: '^[0-9]{3}$', description: 'a 3-digit MCC like "242"' }),
  mnc: Type.String({ pattern: '^[0-9]{2,3}$', description: 'a 2 or 3-digit MNC like "01"' }),
  prefixes: Type.Array(Type.String({ pattern: '^\\+?[0-9]{1,15}$', description: 'a number prefix of digits like "4790"' }), {
    minItems: 1,
  }),
  smpp: Obj({
    host: Type.Optional(Type.String({ description: 'the address to listen on (default 127.0.0.1)' })),
    port: Port(),
    accounts: Type.Array(AccountSchema, { minItems: 1 }),
    window: Type.Optional(WindowSchema),
    unknown_destination: Type.Optional(
      Type.Union([Type.Literal('reject'), Type.Literal('accept')], {
        description: 'reject (ESME_RINVDSTADR) or accept (accepted and counted as misrouted)',
      }),
    ),
    limits: Type.Optional(LimitsSchema),
    failed_binds: Type.Optional(FailedBindsSchema),
    tls: Type.Optional(TlsSchema),
  }),
  latency: Type.Optional(DelaySchema),
  throttle: Type.Optional(ThrottleSchema),
  failures: Type.Optional(FailuresSchema),
  senders: Type.Optional(SendersSchema),
  receipts: Type.Optional(ReceiptsSchema),
  timeline: Type.Optional(Type.Array(TimelineEventSchema)),
  mo: Type.Optional(moSchema(DelaySchema)),
})

export const NetworkSchema = Obj(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.Optional(Type.String({ description: 'a name for the network' })),
    seed: Type.Optional(Type.Union([Type.Integer(), Type.String()], { description: 'a number or text seed' })),
    operators: Type.Array(OperatorSchema, { minItems: 1 }),
  },
  { title: 'mtsim network', description: 'Simulated mobile operators (SMSCs) for mtsim.' },
)

export type NetworkFile = Static<typeof NetworkSchema>
export type OperatorFile = Static<typeof OperatorSchema>
export type DelayFile = Static<typeof DelaySchema>
export type TimelineEventFile = Static<typeof TimelineEventSchema>
export type FaultBody = Static<typeof FaultBodySchema>
