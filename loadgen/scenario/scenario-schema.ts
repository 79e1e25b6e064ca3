// The scenario file: what to send, how fast, through which gateway, to which network, and what
// counts as a pass. One strict schema (unknown keys rejected, every problem reported at once);
// cross-field rules (template variables, threshold expressions, operator references) are checked
// by scenario-check.ts. Executor field names follow k6 (rate, timeUnit, duration,
// startRate, stages) so k6 users read them without a manual; the k6 types keep them aligned.
import { Type, type Static } from '@sinclair/typebox'
import type { ConstantArrivalRateScenario, RampingArrivalRateScenario } from 'k6/options'
import { Obj, Duration, Rate as RateLimit } from '../../config/schema-kit.js'
import { Tagged } from '../../config/schema-kit.js'
import { ThresholdsSchema } from '../../results/thresholds-schema.js'
import { GatewaySchema } from './gateway-schema.js'
import { ModelSectionSchema } from './model-section.js'

const Weight = Type.Optional(Type.Number({ minimum: 0, maximum: 1e9, description: 'a relative weight, 0 to 1000000000 (default 1)' }))

const Destination = Type.Union(
  [
    Obj({ operator: Type.String({ minLength: 1, description: 'an operator id from the network' }), weight: Weight }),
    Obj({ range: Type.String({ pattern: '^\\+?[0-9]{1,15}-\\+?[0-9]{1,15}$', description: 'a number range like "4790000000-4790999999"' }), weight: Weight }),
  ],
  { description: 'a destination: {operator: id} or {range: "first-last"}, each with an optional weight' },
)

// SMPP's source_addr holds at most 20 characters (21 with its NUL).
const SenderId = Type.String({ minLength: 1, maxLength: 20, description: 'a sender id of 1 to 20 characters (SMPP source_addr)' })
const Sender = Type.Union(
  [SenderId, Obj({ sender: SenderId, weight: Weight })],
  { description: 'a sender id of 1 to 20 characters, or {sender: id, weight: n}' },
)

const Text = Type.Union(
  [Type.String({ minLength: 1 }), Obj({ text: Type.String({ minLength: 1, description: 'a message text with {{variables}}' }), weight: Weight })],
  { description: 'a message text, or {text: "...", weight: n}' },
)

export const TrafficSchema = Obj({
  destinations: Type.Array(Destination, { minItems: 1 }),
  msisdn_length: Type.Optional(Type.Integer({ minimum: 4, maximum: 15, description: 'the digits in a generated number, 4 to 15 (default 11)' })),
  senders: Type.Optional(Type.Array(Sender, { minItems: 1 })),
  templates: Type.Optional(Type.Array(Text, { minItems: 1 })),
  encoding: Type.Optional(Type.Union([Type.Literal('gsm7'), Type.Literal('ucs2'), Type.Literal('auto')], { description: 'gsm7, ucs2 or auto' })),
  length: Type.Optional(Obj({
    min: Type.Integer({ minimum: 1, maximum: 10_000, description: 'the fewest characters, 1 to 10000' }),
    max: Type.Integer({ minimum: 1, maximum: 10_000, description: 'the most characters, 1 to 10000' }),
  })),
  multipart: Type.Optional(Type.Union([Type.Literal('udh'), Type.Literal('sar'), Type.Literal('payload')], {
    description: 'udh (user data header), sar (sar_* TLVs) or payload (one message_payload TLV)',
  })),
  registered_delivery: Type.Optional(Type.Integer({ minimum: 0, maximum: 31, description: 'the SMPP registered_delivery byte, 0 to 31 (default 1)' })),
})

const Rate = (what: string) => RateLimit(`${what}, 0 or more`, true)

const common = {
  name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'a stream name of letters, digits, ., - and _' }),
  traffic: TrafficSchema,
  messages: Type.Optional(Type.Integer({ minimum: 1, description: 'the most messages this stream sends, 1 or more' })),
  start: Type.Optional(Duration('when the stream starts, relative to the run start, like "10s"')),
  arrivals: Type.Optional(Type.Union([Type.Literal('uniform'), Type.Literal('poisson')], {
    description: 'uniform (evenly spaced sends) or poisson (random gaps, same mean rate)',
  })),
}

const Stage = Obj({
  target: Rate('the rate to reach at the end of the stage, per timeUnit'),
  duration: Duration('the stage length, like "30s"'),
})

export const StreamSchema = Tagged(
  'executor',
  [
    Obj({
      executor: Type.Literal('constant-arrival-rate'),
      rate: Rate('messages per timeUnit'),
      timeUnit: Type.Optional(Duration('the period `rate` counts over (default "1s")')),
      duration: Duration('how long the stream runs, like "30s"'),
      ...common,
    }),
    Obj({
      executor: Type.Literal('ramping-arrival-rate'),
      startRate: Type.Optional(Rate('the messages per timeUnit at the start (default 0)')),
      timeUnit: Type.Optional(Duration('the period rates count over (default "1s")')),
      stages: Type.Array(Stage, { minItems: 1 }),
      ...common,
    }),
    Obj({
      executor: Type.Literal('daily-profile'),
      daily_volume: Type.Integer({ minimum: 1, description: 'messages in one (simulated) day, 1 or more' }),
      hourly_weights: Type.Array(Type.Number({ minimum: 0, maximum: 1e9, description: 'a relative weight, 0 to 1000000000' }), {
        minItems: 24,
        maxItems: 24,
        description: '24 relative weights, one per hour from 00:00',
      }),
      speedup: Type.Optional(Type.Number({ minimum: 1, maximum: 86_400, description: 'how many times faster than real time, 1 to 86400 (720 plays a day in 2 minutes)' })),
      ...common,
    }),
  ],
  'a stream with an executor: constant-arrival-rate, ramping-arrival-rate or daily-profile',
)

export const ScenarioSchema = Obj(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.Optional(Type.String({ minLength: 1, description: 'a name for the run' })),
    seed: Type.Optional(Type.Union([Type.Integer(), Type.String()], { description: 'a number or text seed' })),
    network: Type.Union([Type.String({ minLength: 1 }), Type.Object({}, { additionalProperties: true })], {
      description: 'a network file path (relative to this file) or an inline network',
    }),
    gateway: GatewaySchema,
    streams: Type.Array(StreamSchema, { minItems: 1 }),
    receipts: Type.Optional(
      Obj({
        wait: Type.Optional(Duration('how long to wait for a final receipt, like "60s"')),
        multipart: Type.Optional(
          Type.Union([Type.Literal('per_segment'), Type.Literal('per_message')], {
            description:
              'per_segment (a multipart message is final when every segment has its final receipt) or per_message (the SMSC sends one receipt for the whole message); default: per_segment, or in direct mode what each simulated operator does',
          }),
        ),
      }),
    ),
    scheduling: Type.Optional(Obj({
      late_after: Type.Optional(Duration('how late a send may be before it counts as late (default "10ms")')),
      max_lag: Type.Optional(Duration('how late a send may be before it is dropped (default "2s")')),
    })),
    mo: Type.Optional(
      Obj({
        application: Type.Optional(
          Type.Union([Type.Literal('compliant'), Type.Literal('naive')], {
            description: 'compliant (stops sending to a number once its STOP arrived) or naive (keeps sending); default compliant',
          }),
        ),
        keywords: Type.Optional(
          Type.Array(Type.String({ pattern: '^[A-Za-z0-9]{1,20}$', description: 'a keyword of 1 to 20 letters or digits, like "STOP"' }), { minItems: 1 }),
        ),
        wait: Type.Optional(Duration('after the load, how long to wait for MO the network already sent, like "10s" (default "10s")')),
      }, { description: 'how the application under test treats MO (opt-outs)' }),
    ),
    thresholds: Type.Optional(ThresholdsSchema),
    model: Type.Optional(ModelSectionSchema),
  },
  { title: 'mtsim scenario', description: 'A load test for mtsim: network, gateway, streams of traffic and thresholds.' },
)

export type ScenarioFile = Static<typeof ScenarioSchema>
export type StreamFile = Static<typeof StreamSchema>
export type TrafficFile = Static<typeof TrafficSchema>

// Compile-time guard: the k6 executor fields we mirror keep k6's names.
type K6Fields = keyof ConstantArrivalRateScenario | keyof RampingArrivalRateScenario
const k6Names: K6Fields[] = ['executor', 'rate', 'timeUnit', 'duration', 'startRate', 'stages']
void k6Names
