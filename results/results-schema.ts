// The results.json contract (results/results-format.ts) as one strict schema, so a damaged or
// hand-edited results file is reported with path, expected and found instead of crashing a chart.
// Keep in step with results-format.ts: the `satisfies` check at the bottom fails to compile when
// the two drift apart in a way that matters to readers.
import { Type, type Static } from '@sinclair/typebox'
import { Obj } from '../config/schema-kit.js'
import type { ResultsFile } from './results-format.js'

const Count = Type.Integer({ minimum: 0, description: 'a count, 0 or more' })
const Counts = Type.Record(Type.String(), Count, { description: 'a mapping of names to counts' })
const Hist = Type.String({ description: 'an HDR histogram as compressed base64 (empty for none)' })
const Ms = Type.Number({ minimum: 0, description: 'milliseconds since run start, 0 or more' })

export const TotalsSchema = Obj({
  planned: Count,
  sent: Count,
  dropped: Count,
  late: Count,
  accepted: Count,
  rejected: Count,
  failed: Count,
  delivered: Count,
  undelivered: Count,
  expired: Count,
  rejected_by_operator: Count,
  failed_in_gateway: Count,
  other_final: Count,
  pending: Count,
  missing: Count,
  no_receipt_requested: Type.Optional(Count),
  held_by_gateway: Count,
  arrived: Count,
  lost_in_gateway: Count,
  duplicate_receipts: Count,
  unknown_receipts: Count,
  intermediate_receipts: Count,
  misrouted: Count,
  duplicate_submits: Count,
  segments: Count,
  // Runs with MO only (loadgen/mo/): see Totals in results-format.ts.
  suppressed: Type.Optional(Count),
  mo_sent: Type.Optional(Count),
  mo_received: Type.Optional(Count),
  mo_lost: Type.Optional(Count),
  mo_duplicated: Type.Optional(Count),
  stops_received: Type.Optional(Count),
  optout_violations: Type.Optional(Count),
})

const Pair = Obj({ corrected: Hist, uncorrected: Hist })
const HistogramsSchema = Obj({ submit: Pair, receipt: Pair, transit: Pair })

const OperatorSchema = Obj({ totals: TotalsSchema, statuses: Counts, receipts: Counts, histograms: HistogramsSchema })

const StreamSchema = Obj({
  totals: TotalsSchema, statuses: Counts, receipts: Counts, histograms: HistogramsSchema,
  operators: Type.Record(Type.String(), OperatorSchema),
})

const PointOperator = Obj({ sent: Count, accepted: Count, rejected: Count, failed: Count, receipts: Count })

const TimePointSchema = Obj({
  t: Ms,
  planned: Count,
  sent: Count,
  accepted: Count,
  rejected: Count,
  failed: Count,
  dropped: Count,
  late: Count,
  receipts: Count,
  inFlight: Count,
  awaitingReceipt: Count,
  errors: Counts,
  submit: Hist,
  receipt: Hist,
  operators: Type.Optional(Type.Record(Type.String(), PointOperator)),
  streams: Type.Optional(Type.Record(Type.String(), PointOperator)),
})

const FaultSchema = Obj({
  operator: Type.String(),
  kind: Type.String(),
  start: Ms,
  end: Ms,
  source: Type.Union([Type.Literal('timeline'), Type.Literal('api')], { description: 'timeline or api' }),
})

const ThresholdSchema = Obj({
  metric: Type.String(),
  scope: Type.String({ description: '"overall", an operator id, or stream tags like "stream:otp,operator:telia"' }),
  expression: Type.String(),
  ok: Type.Boolean(),
  observed: Type.Union([Type.Number(), Type.Null()], { description: 'a number or null' }),
  abortOnFail: Type.Boolean(),
  insufficient: Type.Optional(Obj({ samples: Type.Integer({ minimum: 0 }), needed: Type.Integer({ minimum: 0 }) })),
})

const MetaSchema = Obj({
  name: Type.String(),
  scenarioFile: Type.Union([Type.String(), Type.Null()], { description: 'a file name or null' }),
  scenario: Type.Unknown(),
  network: Type.Unknown(),
  seed: Type.Union([Type.Number(), Type.String()], { description: 'a number or text' }),
  versions: Type.Record(Type.String(), Type.String()),
  gateway: Type.String(),
  startedAt: Type.String({ description: 'an ISO 8601 time' }),
  endedAt: Type.String({ description: 'an ISO 8601 time' }),
  durationMs: Ms,
  interrupted: Type.Boolean(),
  segment: Type.Union([Obj({ index: Count, count: Type.Integer({ minimum: 1 }) }), Type.Null()], {
    description: 'null or { index, count }',
  }),
  intervalMs: Type.Number({ exclusiveMinimum: 0, description: 'the time series interval in ms, more than 0' }),
  modelled: Type.Optional(Type.Boolean({ description: 'true for figures from mtsim model' })),
})

const MsOrNull = Type.Union([Type.Number(), Type.Null()], { description: 'ms or null' })
const FailoverSchema = Obj({
  operators: Type.Record(Type.String(), Obj({
    backup: Type.String(),
    outages: Type.Array(Obj({
      start: Ms, end: Ms, firstAtBackup: MsOrNull, switchoverMs: MsOrNull, reroutedDuring: Count, drainMs: MsOrNull,
    })),
    rerouted: Count, queued: Count, duplicates: Count, accepted: Count, lost: Count,
  })),
})

const MoCountsFields = {
  sent: Count, replies: Count, stops: Count, spontaneous: Count, received: Count, lost: Count, duplicated: Count, unknown: Count,
  correlated: Count, stops_received: Count, suppressed: Count, optout_violations: Count,
}
const MoSchema = Obj({
  application: Type.Union([Type.Literal('compliant'), Type.Literal('naive')]),
  keywords: Type.Array(Type.String()),
  totals: Obj(MoCountsFields),
  operators: Type.Record(Type.String(), Obj({ ...MoCountsFields, latency: Hist, stopLatency: Hist })),
  latency: Hist,
  stopLatency: Hist,
  violationsByStream: Counts,
  violationDelay: Hist,
})

const NetworkOperatorSchema = Obj({
  submits: Obj({ first: Count, repeated: Count, untagged: Count }),
  answers: Counts,
  unanswered: Count,
  binds: Obj({
    opened: Count,
    refused: Count,
    dropped: Count,
    events: Type.Array(Obj({
      t: Type.Number({ description: 'ms since run start' }),
      kind: Type.Union([Type.Literal('opened'), Type.Literal('refused'), Type.Literal('dropped')], { description: 'opened, refused or dropped' }),
    })),
  }),
  receipts: Obj({ sent: Counts, acked: Count, resent: Count, lost: Count, duplicated: Count, backlog: Count }),
})
const NetworkPointSchema = Obj({
  t: Ms,
  operators: Type.Record(Type.String(), Obj({
    first: Count, repeated: Count, throttled: Count, errors: Count, unanswered: Count, binds: Count, receipts: Count, backlog: Count,
  })),
})
const NetworkSideSchema = Obj({ operators: Type.Record(Type.String(), NetworkOperatorSchema), timeseries: Type.Array(NetworkPointSchema) })

const CountOrNull = Type.Union([Count, Type.Null()], { description: 'a count or null' })
const GatewaySampleSchema = Obj({
  t: Type.Number({ description: 'ms since run start' }),
  queued: CountOrNull,
  links: Type.Record(Type.String(), Obj({ state: Type.String(), queued: Count, sent: Count, failed: Count })),
  metrics: Type.Record(Type.String(), Type.Number()),
})
const GatewaySideSchema = Obj({
  source: Type.String(),
  url: Type.String(),
  failedPolls: Count,
  samples: Type.Array(GatewaySampleSchema),
  end: Type.Union([GatewaySampleSchema, Type.Null()], { description: 'a sample or null' }),
  settings: Type.Optional(Type.Record(Type.String(), Type.String())),
  linkOperators: Type.Optional(Type.Record(Type.String(), Type.String())),
})
const SendDelaysSchema = Obj({
  window: Type.Record(Type.String(), Obj({ dropped: Count, late: Count, inFlight: Count })),
  behind: Obj({ dropped: Count, late: Count, maxLateMs: Type.Number({ minimum: 0 }) }),
  interrupted: Obj({ dropped: Count }),
  loop: Obj({ delayP99Ms: Type.Number({ minimum: 0 }), delayMaxMs: Type.Number({ minimum: 0 }), cpuPercent: Type.Number({ minimum: 0 }) }),
})

export const ResultsSchema = Obj({
  schema: Type.Literal('mtsim/results'),
  version: Type.Literal(2),
  meta: MetaSchema,
  totals: TotalsSchema,
  statuses: Counts,
  receipts: Counts,
  histograms: HistogramsSchema,
  operators: Type.Record(Type.String(), OperatorSchema),
  streams: Type.Optional(Type.Record(Type.String(), StreamSchema)),
  timeseries: Type.Array(TimePointSchema),
  faults: Type.Array(FaultSchema),
  thresholds: Type.Array(ThresholdSchema),
  failover: Type.Optional(FailoverSchema),
  mo: Type.Optional(MoSchema),
  network: Type.Optional(NetworkSideSchema),
  gateway: Type.Optional(GatewaySideSchema),
  sendDelays: Type.Optional(SendDelaysSchema),
})

// Both directions: every valid file is a ResultsFile, and every ResultsFile passes the schema.
type Checked = Static<typeof ResultsSchema>
export const schemaMatchesContract = [(x: Checked): ResultsFile => x, (x: ResultsFile): Checked => x]
