// Prometheus metrics for a running network. Nothing here touches the SMPP hot path: every value is
// read from OperatorHandle.stats() when Prometheus scrapes, in prom-client collect() callbacks.
// The operators already keep absolute counts, so counters are refilled from those on each scrape
// (reset, then inc by the absolute value): the exposed TYPE stays `counter`, so rate() works.
import { Registry, Counter, Gauge } from 'prom-client'
import { performance } from 'node:perf_hooks'
import type { NetworkHandle, OperatorStats } from '../types.js'

type Snapshot = { id: string; stats: OperatorStats; faults: number }[]

/** Latency quantiles exported as gauges: label value -> field of LatencySummary. */
const QUANTILES = [
  ['0.5', 'p50'],
  ['0.9', 'p90'],
  ['0.99', 'p99'],
  ['0.999', 'p999'],
  ['1', 'max'],
] as const

/** Per-operator counters with no extra label: metric suffix, help, how to read it. */
const PLAIN_COUNTERS: [string, string, (s: OperatorStats) => number][] = [
  ['submits_total', 'submit_sm PDUs received (one per segment)', (s) => s.submits],
  ['messages_total', 'whole messages received (segments reassembled)', (s) => s.messages],
  ['unanswered_total', 'submits deliberately never answered (no_response_rate, black hole)', (s) => s.unanswered],
  ['disconnects_total', 'connections dropped by the operator', (s) => s.disconnects],
  ['bind_refusals_total', 'bind attempts refused', (s) => s.bindRefusals],
  ['misrouted_total', 'messages accepted for a destination the operator does not serve', (s) => s.misrouted],
  ['receipts_acked_total', 'deliver_sm receipts answered by the client', (s) => s.receipts.acked],
  ['receipts_lost_total', 'receipts deliberately never sent (loss_rate)', (s) => s.receipts.lost],
  ['receipts_duplicated_total', 'receipts deliberately sent twice (duplicate_rate)', (s) => s.receipts.duplicated],
  ['receipts_resent_total', 'receipts sent again because their bind dropped before acknowledging them', (s) => s.receipts.resent],
  ['connections_refused_total', 'connections closed on arrival because smpp.limits.max_connections were open', (s) => s.protections.connectionsRefused],
  ['auth_failures_total', 'binds refused for an unknown system_id or a wrong password (answered after smpp.failed_binds.delay)', (s) => s.protections.authFailures],
  ['invalid_pdus_total', 'PDUs that could not be decoded, answered with generic_nack', (s) => s.protections.invalidPdus],
  // MO (operators with an `mo:` section; 0 for the others).
  ['mo_sent_total', 'MO deliver_sm sent to a bind (one per MO; resends apart)', (s) => s.mo?.sent ?? 0],
  ['mo_acked_total', 'MO deliver_sm answered ESME_ROK', (s) => s.mo?.acked ?? 0],
  ['mo_resent_total', 'MO sent again because their bind dropped before answering', (s) => s.mo?.resent ?? 0],
  ['mo_stops_total', 'opt-out keywords (STOP...) sent by subscribers', (s) => s.mo?.stops ?? 0],
  ['optout_violations_total', 'MT accepted for a number after its STOP and grace period', (s) => s.mo?.violations ?? 0],
  ['tls_handshakes_total', 'TLS handshakes completed on the TLS port (smpp.tls)', (s) => s.tls?.handshakes ?? 0],
  ['submit_multi_total', 'submit_multi PDUs received', (s) => s.multi?.submits ?? 0],
  ['submit_multi_destinations_total', 'destinations in submit_multi PDUs received', (s) => s.multi?.destinations ?? 0],
  ['submit_multi_accepted_total', 'submit_multi destinations accepted (each a message with its own receipts)', (s) => s.multi?.accepted ?? 0],
]

/** Why the operator's limits closed connections: reason label -> how to read it. */
const CLOSE_REASONS: [string, (s: OperatorStats) => number][] = [
  ['bind_timeout', (s) => s.protections.bindTimeouts],
  ['inactivity', (s) => s.protections.inactivityTimeouts],
  ['buffer_limit', (s) => s.protections.bufferOverflows],
  ['auth_failures', (s) => s.protections.authDisconnects],
  // The TLS port: a plain-text client, a failed handshake, a handshake not finished within bind_timeout.
  ['tls_plaintext', (s) => s.tls?.plaintextRefused ?? 0],
  ['tls_handshake_failed', (s) => s.tls?.handshakeFailures ?? 0],
  ['tls_handshake_timeout', (s) => s.tls?.handshakeTimeouts ?? 0],
]

const PLAIN_GAUGES: [string, string, (s: OperatorStats, faults: number) => number][] = [
  ['up', '1 when the operator answers normally, 0 during an outage or black hole', (s) => (s.state === 'up' ? 1 : 0)],
  ['in_flight', 'submits received and not yet answered', (s) => s.inFlight],
  ['connections', 'TCP connections open now, bound or not', (s) => s.connections],
  ['buffered_bytes', 'bytes held now for incomplete PDUs, all connections together', (s) => s.bufferedBytes],
  ['receipts_pending', 'receipts scheduled and not yet sent', (s) => s.receipts.pending],
  ['mo_held', 'MO waiting now for a receiver bind', (s) => s.mo?.held ?? 0],
  ['opted_out', 'numbers that opted out (sent a STOP keyword)', (s) => s.mo?.optedOut ?? 0],
  ['active_faults', 'faults active now (timeline and control API)', (_s, faults) => faults],
]

export interface NetworkMetrics {
  readonly registry: Registry
  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<string>
  readonly contentType: string
}

export function createNetworkMetrics(network: NetworkHandle): NetworkMetrics {
  const registry = new Registry()
  let cached: Snapshot | undefined
  // One stats() call per operator per scrape, shared by every metric's collect(). prom-client
  // calls all collect() callbacks synchronously in one go, so the snapshot is dropped at the next
  // microtask and the following scrape reads fresh values.
  const snapshot = (): Snapshot => {
    if (!cached) {
      cached = network.operators.map((op) => ({ id: op.config.id, stats: op.stats(), faults: op.activeFaults().length }))
      queueMicrotask(() => (cached = undefined))
    }
    return cached
  }

  for (const [suffix, help, read] of PLAIN_COUNTERS) {
    new Counter({
      name: `mtsim_operator_${suffix}`,
      help,
      labelNames: ['operator'],
      registers: [registry],
      collect() {
        this.reset()
        for (const { id, stats } of snapshot()) this.inc({ operator: id }, read(stats))
      },
    })
  }
  for (const [suffix, help, read] of PLAIN_GAUGES) {
    new Gauge({
      name: `mtsim_operator_${suffix}`,
      help,
      labelNames: ['operator'],
      registers: [registry],
      collect() {
        for (const { id, stats, faults } of snapshot()) this.set({ operator: id }, read(stats, faults))
      },
    })
  }

  new Counter({
    name: 'mtsim_operator_submit_responses_total',
    help: 'submit_sm_resp sent, by command_status name',
    labelNames: ['operator', 'status'],
    registers: [registry],
    collect() {
      this.reset()
      for (const { id, stats } of snapshot()) {
        for (const [status, n] of Object.entries(stats.statuses)) this.inc({ operator: id, status }, n)
      }
    },
  })
  new Counter({
    name: 'mtsim_operator_connections_closed_total',
    help: 'connections the operator closed to protect itself, by reason (bind_timeout, inactivity, buffer_limit, auth_failures)',
    labelNames: ['operator', 'reason'],
    registers: [registry],
    collect() {
      this.reset()
      for (const { id, stats } of snapshot()) for (const [reason, read] of CLOSE_REASONS) this.inc({ operator: id, reason }, read(stats))
    },
  })
  new Counter({
    name: 'mtsim_operator_receipts_sent_total',
    help: 'deliver_sm receipts sent, by stat (DELIVRD, UNDELIV, ENROUTE, ...)',
    labelNames: ['operator', 'stat'],
    registers: [registry],
    collect() {
      this.reset()
      for (const { id, stats } of snapshot()) {
        for (const [stat, n] of Object.entries(stats.receipts.sent)) this.inc({ operator: id, stat }, n)
      }
    },
  })
  new Gauge({
    name: 'mtsim_operator_binds',
    help: 'SMPP binds open now, by bind type',
    labelNames: ['operator', 'type'],
    registers: [registry],
    collect() {
      for (const { id, stats } of snapshot()) {
        for (const [type, n] of Object.entries(stats.binds)) this.set({ operator: id, type }, n)
      }
    },
  })
  new Gauge({
    name: 'mtsim_operator_submit_latency_seconds',
    help: 'submit_sm -> submit_sm_resp latency as sent by the operator, quantiles over the whole run',
    labelNames: ['operator', 'quantile'],
    registers: [registry],
    collect() {
      for (const { id, stats } of snapshot()) {
        for (const [quantile, field] of QUANTILES) this.set({ operator: id, quantile }, stats.latency[field] / 1e6)
      }
    },
  })
  new Gauge({
    name: 'mtsim_network_uptime_seconds',
    help: 'seconds since the network started',
    registers: [registry],
    collect() {
      this.set((performance.now() - network.startedAt) / 1000)
    },
  })

  return { registry, scrape: () => registry.metrics(), contentType: registry.contentType }
}
