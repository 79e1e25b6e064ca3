// results.json: what one `mtsim run` (or one --segment share of it) measured. Versioned; reports/
// reads it, merges shares of one run and compares runs. Documented in docs/results.md.
//
// The books always balance:
//   planned  = sent + dropped
//   sent     = accepted + rejected + failed
//   accepted = delivered + undelivered + expired + rejected_by_operator + failed_in_gateway + other_final
//              + pending + missing + held_by_gateway + no_receipt_requested
// and, when the network ran in the same process (`network` present), across the gateway:
//   accepted = arrived + held_by_gateway + lost_in_gateway
// (`pending` is non-zero only for an interrupted run: accepted, receipt wait not yet over.
// `no_receipt_requested`: accepted messages sent with registered_delivery 0, which expect no receipt.)
//
// Version 2 (issue 13): finals the operator never sent count failed_in_gateway, not
// rejected_by_operator; accepted messages the network never took count held_by_gateway, not
// pending/missing; the `network` and `gateway` sections. Version 1 files are migrated on read
// (results/load-results.ts).

export const RESULTS_SCHEMA = 'mtsim/results'
// Version 2 (issue 13) also: the streams section, per-stream time series, threshold scopes with
// stream tags.
export const RESULTS_VERSION = 2

export interface Totals {
  /** Sends the plan called for (in this segment). */
  planned: number
  /** Sends attempted. */
  sent: number
  /** Planned sends never attempted: no window room / gateway too slow before the send fell too far behind. */
  dropped: number
  /** Sends attempted later than their plan time by more than the lateness tolerance (a subset of sent). */
  late: number
  /** Gateway (or operator, in direct mode) accepted the submit. */
  accepted: number
  /** Answered with an error status (SMPP command_status != 0, HTTP failure reply). */
  rejected: number
  /** No answer: timeout, connection lost, transport error. */
  failed: number
  /** Final receipts, by kind. */
  delivered: number
  undelivered: number
  expired: number
  /** A final REJECTD the operator sent. */
  rejected_by_operator: number
  /**
   * A final receipt for a message the network never took (no operator accepted any copy of it):
   * the gateway's own failure receipt (Kannel's discard after its resend retries), whatever its stat.
   * Only told apart when the network runs in the same process; otherwise counted by stat as before.
   */
  failed_in_gateway: number
  /** DELETED, UNKNOWN and anything else final. */
  other_final: number
  /** Accepted, no final receipt yet, receipt wait not over (interrupted runs only). */
  pending: number
  /** Accepted, no final receipt within the receipt wait limit. */
  missing: number
  /**
   * Accepted messages that asked for no receipt (registered_delivery 0): they leave the receipt
   * books here, never waited for, never missing. Absent in files written before it existed (0).
   */
  no_receipt_requested?: number
  /**
   * Accepted by the gateway, never taken by any operator, no final receipt when the run ended: still
   * inside the gateway (its queue, its resend loop). Not in pending, missing or no_receipt_requested.
   */
  held_by_gateway: number
  /** Accepted messages an operator took (answered ESME_ROK to a copy): the network's side of the gateway books. */
  arrived: number
  /** Accepted, never taken by an operator, closed by the gateway's own final receipt: the gateway gave up on them. */
  lost_in_gateway: number
  /** Extra receipts for a message that already had its final one. */
  duplicate_receipts: number
  /** Receipts that match no message of this run. */
  unknown_receipts: number
  /** Intermediate receipts (ENROUTE, ACCEPTD) seen. */
  intermediate_receipts: number
  /** Messages the simulator saw arrive at an operator that does not serve the destination. */
  misrouted: number
  /** Messages the simulator saw arrive more than once (e.g. a gateway resend after a drop). */
  duplicate_submits: number
  /** Multipart segments sent (>= sent when long messages are in the mix). */
  segments: number
  /**
   * Runs with MO only (absent otherwise): planned sends a compliant application left out because
   * the number had opted out (planned = sent + dropped + suppressed), and the MO figures of
   * results.mo that thresholds read (mo_sent, mo_received, mo_lost, mo_duplicated, stops_received,
   * optout_violations).
   */
  suppressed?: number
  mo_sent?: number
  mo_received?: number
  mo_lost?: number
  mo_duplicated?: number
  stops_received?: number
  optout_violations?: number
}

/** Histograms as hdr-histogram-js encodeIntoCompressedBase64, integer microseconds. */
export interface LatencyPair {
  /** From the intended (plan) send time: no coordinated omission. */
  corrected: string
  /** From the actual send time: what a naive tool would show. */
  uncorrected: string
}

export interface Histograms {
  /** Send -> submit accepted/rejected answer (SMPP submit_sm_resp, HTTP reply). */
  submit: LatencyPair
  /** Send -> final receipt. */
  receipt: LatencyPair
  /** Gateway transit: send -> the simulated operator received it (only when the network runs in-process). */
  transit: LatencyPair
}

export interface OperatorResults {
  totals: Totals
  /** Submit answer statuses by name (ESME_ROK, ESME_RTHROTTLED, HTTP_503...). */
  statuses: Record<string, number>
  /** Final and intermediate receipt stats (DELIVRD, UNDELIV, ENROUTE...). */
  receipts: Record<string, number>
  histograms: Histograms
}

/**
 * One stream of the scenario: its figures (the sum of its cells), and per operator the figures of
 * the (stream, operator) cell. Operators the stream sent nothing to are absent.
 */
export interface StreamResults extends OperatorResults {
  operators: Record<string, OperatorResults>
}

/** One interval (normally one second) of the run. */
export interface TimePoint {
  /** Start of the interval, ms since run start. */
  t: number
  planned: number
  sent: number
  accepted: number
  rejected: number
  failed: number
  dropped: number
  late: number
  /** Final receipts received in the interval. */
  receipts: number
  /** Gauges at the end of the interval. */
  inFlight: number
  awaitingReceipt: number
  /** Error statuses seen in the interval, by name. */
  errors: Record<string, number>
  /** Per-interval histograms (compressed base64, corrected), for percentiles over time. */
  submit: string
  receipt: string
  /** Per operator: counts only, keeps the file small. */
  operators?: Record<string, { sent: number; accepted: number; rejected: number; failed: number; receipts: number }>
  /** Per stream: the same counts. Absent in files from before version 2 and in modelled results. */
  streams?: Record<string, { sent: number; accepted: number; rejected: number; failed: number; receipts: number }>
}

export interface FaultWindow {
  operator: string
  kind: string
  /** ms since run start. */
  start: number
  end: number
  source: 'timeline' | 'api'
}

export interface ThresholdOutcome {
  metric: string
  /**
   * 'overall', an operator id, or stream tags: 'stream:otp', 'stream:otp,operator:telia'
   * (results/thresholds.ts scopeTag).
   */
  scope: string
  expression: string
  ok: boolean
  /** The value the expression was tested against (null when there was no data). */
  observed: number | null
  abortOnFail: boolean
  /** Present when too few samples were behind `observed` to judge it (results/threshold-samples.ts): then ok is false. */
  insufficient?: { samples: number; needed: number }
}

export interface ResultsFile {
  schema: typeof RESULTS_SCHEMA
  version: typeof RESULTS_VERSION
  meta: {
    name: string
    scenarioFile: string | null
    /** The scenario as loaded (after defaults), so a report is self-explaining. */
    scenario: unknown
    network: unknown
    seed: number | string
    versions: Record<string, string>
    gateway: string
    startedAt: string
    endedAt: string
    durationMs: number
    interrupted: boolean
    /** This share of a --segment run: index counts from 0 (`--segment 2/4` is { index: 1, count: 4 }); null for a whole run. */
    segment: { index: number; count: number } | null
    /** Nominal planned rate over time, for "throughput against plan". */
    intervalMs: number
    /** true: the figures come from `mtsim model` (capacity/model), not from a run. */
    modelled?: boolean
  }
  totals: Totals
  statuses: Record<string, number>
  receipts: Record<string, number>
  histograms: Histograms
  operators: Record<string, OperatorResults>
  /**
   * Per stream of the scenario (by name), with its per-operator cells. Present in every run from
   * version 2 on; absent in version 1 files and modelled results (not measured per stream).
   */
  streams?: Record<string, StreamResults>
  timeseries: TimePoint[]
  faults: FaultWindow[]
  thresholds: ThresholdOutcome[]
  /** MO, replies and opt-outs (networks with `mo:` sections); see MoResults. */
  mo?: MoResults
  /** Failover figures (scenarios with an outage and failover routing); see FailoverFigures. */
  failover?: FailoverFigures
  /** What the simulated network saw (present when it ran in the same process as the load generator). */
  network?: NetworkSide
  /** What the gateway said about itself through the run (managed Kannel, or a status URL the user gave). */
  gateway?: GatewaySide
  /** Why sends were dropped or late, a reason for each (loadgen/measure/send-delays.ts); absent in older files. */
  sendDelays?: SendDelays
}

/** The simulated operators' own counts (their viewpoint, joined to the load generator's by the correlation tag). */
export interface NetworkSide {
  operators: Record<string, NetworkOperator>
  /** One point per meta.intervalMs, counts in the interval (gauges at its end), per operator. */
  timeseries: NetworkPoint[]
}

export interface NetworkOperator {
  /** submit_sm carrying a message's first segment (where the tag sits): first copies, copies of a tag seen before, untagged. */
  submits: { first: number; repeated: number; untagged: number }
  /** submit_sm_resp sent, by status name (ESME_ROK, ESME_RTHROTTLED, ESME_RMSGQFUL...), every segment. */
  answers: Record<string, number>
  /** Submits never answered (black hole, no_response_rate, connection gone first). */
  unanswered: number
  binds: {
    opened: number
    refused: number
    dropped: number
    /** The first 200 bind events, ms since run start (negative: before the load started, e.g. Kannel binding). */
    events: { t: number; kind: 'opened' | 'refused' | 'dropped' }[]
  }
  receipts: { sent: Record<string, number>; acked: number; resent: number; lost: number; duplicated: number; backlog: number }
}

export interface NetworkPoint {
  t: number
  operators: Record<string, NetworkPointOperator>
}

export interface NetworkPointOperator {
  /** submit_sm (first segments) in the interval: first copies, repeated copies. */
  first: number
  repeated: number
  /** Answers ESME_RTHROTTLED, other error answers, in the interval. */
  throttled: number
  errors: number
  /** Submits left unanswered in the interval. */
  unanswered: number
  /** Binds up at the end of the interval. */
  binds: number
  receipts: number
  /** Receipts waiting to be sent or acknowledged at the end of the interval. */
  backlog: number
}

/** The gateway's own status, polled through the run (Kannel's status.xml, or a Prometheus / JSON URL). */
export interface GatewaySide {
  /** kannel, prometheus or json. */
  source: string
  url: string
  /** Polls that failed (the gateway not answering is a finding too). */
  failedPolls: number
  samples: GatewaySample[]
  /** The last successful poll, taken after the load ended (null: none succeeded). */
  end: GatewaySample | null
  /** The settings that decide its retries as it ran them (Kannel: sms-resend-retry, sms-resend-freq). */
  settings?: Record<string, string>
  /** Link (Kannel: smsc-id) -> the operator it binds to. */
  linkOperators?: Record<string, string>
}

export interface GatewaySample {
  /** ms since run start. */
  t: number
  /** Messages the gateway says it still holds for sending (Kannel: sent queue + store), null when unknown. */
  queued: number | null
  /** Per link (Kannel: per SMSC id): state, queued, sent, failed as the gateway counts them. */
  links: Record<string, { state: string; queued: number; sent: number; failed: number }>
  /** Other numbers scraped (status.metrics of an http/smpp target; Kannel's store size). */
  metrics: Record<string, number>
}

/**
 * A reason for every dropped and every late send, from what the engine saw while the send waited
 * (loadgen/measure/send-delays.ts). Dropped over all reasons = totals.dropped, late = totals.late.
 */
export interface SendDelays {
  /**
   * By operator: sends that waited for room on the gateway's binds or connections (the window
   * full) after they fell due. `inFlight`: the most submits in flight to the operator at a moment
   * its sends waited for room (what its binds x window held).
   */
  window: Record<string, { dropped: number; late: number; inFlight: number }>
  /**
   * Sends taken or sent late though room was there whenever the loop looked: the load generator's
   * own machine behind its plan (CPU, a stalled event loop). `maxLateMs`: the latest such send.
   */
  behind: { dropped: number; late: number; maxLateMs: number }
  /** Due but never sent when the run was interrupted (Ctrl-C, an abortOnFail threshold). */
  interrupted: { dropped: number }
  /** The load generator's machine while it sent: event-loop delay (ms) and CPU (% of one core). */
  loop: { delayP99Ms: number; delayMaxMs: number; cpuPercent: number }
}

/**
 * What happened to a failed-over operator's traffic (loadgen/measure/failover-tracker.ts). Present only when the
 * gateway had a backup for an operator (`gateway.failover`) and that operator had an outage.
 * Times are ms since run start. Precision of "during the outage" is 100 ms.
 */
export interface FailoverFigures {
  /** By the operator that went down (the primary). */
  operators: Record<string, OperatorFailover>
}

export interface OperatorFailover {
  /** The operator that may carry its numbers while it is down. */
  backup: string
  outages: OutageFailover[]
  /** Messages for this operator's numbers that arrived at the backup (whole run). */
  rerouted: number
  /** Submits the gateway answered "queued for later delivery" (Kannel: every route down). */
  queued: number
  /** Messages for this operator's numbers that arrived at an operator more than once. */
  duplicates: number
  /** Accepted messages for this operator's numbers. */
  accepted: number
  /** Accepted messages with no final receipt (missing + pending + held_by_gateway): must be 0. */
  lost: number
}

export interface OutageFailover {
  start: number
  end: number
  /** The first message for the operator's numbers at the backup at or after `start` (null: none). */
  firstAtBackup: number | null
  /** firstAtBackup - start. */
  switchoverMs: number | null
  /** Arrivals at the backup while the operator was down. */
  reroutedDuring: number
  /**
   * After `end`: when the last message sent while the operator was down arrived (anywhere); 0 when
   * all had arrived before it came back, null when none was sent then.
   */
  drainMs: number | null
}

/** results.mo (docs/results.md). Books: sent = received + lost; duplicated and unknown are apart. */
export interface MoResults {
  application: 'compliant' | 'naive'
  keywords: string[]
  totals: MoCounts
  operators: Record<string, MoCounts & { latency: string; stopLatency: string }>
  /** MO transit (handset -> mtsim), corrected HDR as everywhere (integer microseconds, base64). */
  latency: string
  /** STOP sent by the handset -> received by the application. */
  stopLatency: string
  /** Violations by the stream the MT came from ("(unknown)": sent before the subscriber's STOP). */
  violationsByStream: Record<string, number>
  /** The delay since the STOP of each violation (ms), as HDR. */
  violationDelay: string
}

export interface MoCounts {
  /** MO the subscribers sent (the network's count), by kind. */
  sent: number
  replies: number
  stops: number
  spontaneous: number
  /** Distinct MO that reached mtsim. */
  received: number
  /** Sent and never received by the end of the run (still held by the operator counts here too). */
  lost: number
  /** Received again after their first arrival. */
  duplicated: number
  /** MO at mtsim with no (known) " #M" tag. */
  unknown: number
  /** Replies and STOPs matched to the MT they answer. */
  correlated: number
  /** STOP keywords the application received (distinct MO). */
  stops_received: number
  /** Sends the compliant application left out (the number had opted out). */
  suppressed: number
  /** MT the network accepted for an opted-out number after the grace period. */
  optout_violations: number
}
