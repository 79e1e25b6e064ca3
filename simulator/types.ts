// What a running simulated network exposes to the control API, the CLI and the load generator.
import type { Fault, NetworkConfig, OperatorConfig } from './network.js'
import type { TlsStats } from './tls/tls-listener.js'

export type { TlsStats }

/** What an operator counted of submit_multi (OperatorStats.multi). */
export interface MultiStats {
  /** submit_multi PDUs received. */
  submits: number
  /** dest_address entries in them (SME addresses and distribution lists). */
  destinations: number
  /** Destinations accepted: each one a message with its own receipts. */
  accepted: number
  /** Destinations refused in an unsuccess_sme entry, by status name. */
  unsuccess: Record<string, number>
  /** submit_multi_resp sent, by command_status name. */
  statuses: Record<string, number>
  /** Never answered (black hole, no_response_rate, or the bind went away first). */
  unanswered: number
}


export type OperatorState = 'up' | 'outage' | 'black_hole'

export interface LatencySummary {
  count: number
  /** Microseconds. */
  p50: number
  p90: number
  p99: number
  p999: number
  max: number
}

export interface OperatorStats {
  id: string
  state: OperatorState
  binds: { transmitter: number; receiver: number; transceiver: number }
  /** TCP connections open now, bound or not. */
  connections: number
  /** Bytes held now for incomplete PDUs, all connections together (limit: smpp.limits.max_buffered_bytes). */
  bufferedBytes: number
  /** submit_sm PDUs received (one per segment) and whole messages (segments reassembled). */
  submits: number
  messages: number
  /** submit_sm_resp sent, by status name (ESME_ROK, ESME_RTHROTTLED, ...). */
  statuses: Record<string, number>
  /** Submits deliberately never answered (no_response_rate, black hole). */
  unanswered: number
  /** Submits received and not yet answered (latency still running). */
  inFlight: number
  disconnects: number
  bindRefusals: number
  /** Accepted for a destination the operator does not serve (unknown_destination: accept). */
  misrouted: number
  /** What the operator's limits (smpp.limits, smpp.failed_binds) did to misbehaving peers. */
  protections: ProtectionStats
  receipts: {
    /** Scheduled, not yet sent (incl. waiting for a receiver bind, held by a backlog), or sent and not yet acknowledged. */
    pending: number
    /** deliver_sm receipts sent, by stat (DELIVRD, UNDELIV, ENROUTE...). */
    sent: Record<string, number>
    acked: number
    lost: number
    duplicated: number
    /** Final receipts sent again after their bind dropped before the deliver_sm_resp (not in `sent`). */
    resent: number
  }
  /** submit_sm -> submit_sm_resp as sent by this operator. */
  latency: LatencySummary
  /** Binds opened and dropped, with the first events' times (refusals are bindRefusals). Absent from older peers. */
  bindLog?: { opened: number; dropped: number; events: BindEvent[] }
  /**
   * submit_sm carrying a message's first segment, by correlation tag (lib/tag.ts): first copies,
   * repeated copies (a gateway's resends), untagged. Only when the network reports arrivals.
   */
  copies?: { first: number; repeated: number; untagged: number }
  /** The TLS port's handshakes and refusals (only when smpp.tls is set). */
  tls?: TlsStats
  /** submit_multi PDUs and their destinations (only once one arrived). */
  multi?: MultiStats
  /** Mobile-originated traffic (operators with a `mo:` section only). */
  mo?: MoStats
}

export interface BindEvent {
  /** Scheduler clock (performance.now() ms; NetworkHandle.startedAt is on the same clock). */
  atMs: number
  kind: 'opened' | 'refused' | 'dropped'
}

export type MoKind = 'reply' | 'stop' | 'spontaneous'

/** What one operator's subscribers wrote back (simulator/mo/mo-engine.ts). */
export interface MoStats {
  /** MO decided on (replies and STOPs scheduled, spontaneous MO drawn). */
  generated: number
  /** deliver_sm sent to a bind the first time (one per MO). */
  sent: number
  /** Answered ESME_ROK / with an error status. */
  acked: number
  nacked: number
  /** Sent again after their bind dropped before the deliver_sm_resp (not in `sent`). */
  resent: number
  /** Waiting now for a receiver bind. */
  held: number
  /** Scheduled but not yet due when MO stopped (end of the run). */
  cancelled: number
  /** Sent by subscribers (at their due time), by kind. */
  stops: number
  replies: number
  spontaneous: number
  /** Numbers that opted out. */
  optedOut: number
  /** MT accepted for an opted-out number after the grace period. */
  violations: number
}

/** One MO as the subscriber sent it (told to the load generator for correlation). */
export interface MoEvent {
  id: number
  kind: MoKind
  /** The subscriber. */
  from: string
  /** The MT's sender (replies, STOPs) or a short code (spontaneous). */
  to: string
  /** Ends with " #M<id>". */
  text: string
  /** The text of the MT answered ('' for spontaneous MO). */
  mtText: string
}

export interface ProtectionStats {
  /** Connections closed at once because max_connections were open. */
  connectionsRefused: number
  /** Connections closed for not binding within bind_timeout. */
  bindTimeouts: number
  /** Connections closed after inactivity_timeout without a byte from the peer. */
  inactivityTimeouts: number
  /** Connections closed because their incomplete PDU took the operator over max_buffered_bytes. */
  bufferOverflows: number
  /** PDUs that could not be decoded (answered generic_nack); a broken length also closes the connection. */
  invalidPdus: number
  /** Binds refused for an unknown system_id or a wrong password (answered after failed_binds.delay). */
  authFailures: number
  /** Connections closed after failed_binds.close_after failed binds. */
  authDisconnects: number
}

export interface ActiveFault {
  /** The operator the fault is on. */
  operator: string
  fault: Fault
  /** ms since network start. */
  start: number
  end: number
  source: 'timeline' | 'api'
}

export interface OperatorHandle {
  readonly config: OperatorConfig
  /** The port actually listened on (differs from config.port when that was 0). */
  readonly port: number
  /** The TLS port actually listened on and the certificate it presents (PEM), when smpp.tls is set. */
  readonly tls?: { port: number; cert: string }
  state(): OperatorState
  activeFaults(): ActiveFault[]
  stats(): OperatorStats
  /** Starts a fault now (its `at` is ignored), lasting fault.duration. */
  injectFault(fault: Fault): ActiveFault
  /** Ends every active fault now (timeline faults included), restoring normal behaviour. */
  clearFaults(): number
}

/**
 * Told about each message an operator accepted, so the load generator can measure gateway transit
 * and catch misrouted and duplicated messages, and about each one it swallowed (taken in, never
 * answered: black hole, no_response_rate), since a gateway's resend of those reaches the operator
 * twice. Copies answered with a temporary error (throttle, full queue) are not told: resending
 * them is the gateway's job; a refusal for good is (onRefused).
 * Called on the hot path: keep it cheap.
 */
export interface SubmitObserver {
  /**
   * text is the decoded text of the first segment (where mtsim's correlation tag sits); taken:
   * accepted (ESME_ROK) rather than swallowed.
   */
  onMessage(operatorId: string, destination: string, text: string, nowUs: number, taken: boolean): void
  /**
   * The operator refused a copy for good (an error answer a gateway does not retry: not a
   * throttle or a full queue). What the gateway then reports for the message is the operator's
   * refusal passed on, not a failure of its own. In-process networks only (not through workers).
   */
  onRefused?(operatorId: string, text: string, nowUs: number): void
  /** A subscriber sent an MO at `atUs` (networks with `mo:` only). */
  onMo?(operatorId: string, mo: MoEvent, atUs: number): void
  /** An MT was accepted for a number that opted out `delayMs` before (beyond the grace period). */
  onViolation?(operatorId: string, destination: string, mtText: string, delayMs: number, nowUs: number): void
}

export interface NetworkHandle {
  readonly config: NetworkConfig
  readonly operators: readonly OperatorHandle[]
  /** performance.now() at start; fault times are relative to it. */
  readonly startedAt: number
  operator(id: string): OperatorHandle | undefined
  /** Every fault window so far (ended and active), for reports. */
  faultHistory(): ActiveFault[]
  /**
   * Starts the operators' timelines now (timeline `at` times count from this moment). Only needed
   * when the network was started with `timeline: 'manual'`, e.g. by `mtsim run`, so that `at: 10s`
   * means 10 s into the load, not into a gateway's start-up. Fault times stay relative to startedAt.
   */
  startTimeline(): void
  /** Subscribers stop writing (end of a run): MO not yet due are cancelled; absent on networks that run MO elsewhere. */
  stopMo?(): void
  close(): Promise<void>
}
