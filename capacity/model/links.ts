// The gateway's link to each operator as the model sees it: binds, window per bind, pacing, what
// happens to a throttled submit, how long a message may wait and how many may wait. Defaults come
// from the scenario's gateway (what `mtsim run` would do), then the scenario's `model.links`
// overrides them; each value says where it came from, so a planner sees the assumptions.
//
//   direct   mtsim binds to the operators itself: gateway.binds x gateway.window, a throttled submit
//            is an error the sender sees (reject), a send that cannot go out within
//            scheduling.max_lag is dropped.
//   kannel   the managed Kannel (gateways/kannel/config.ts): one bind per operator account, window =
//            the operator's max_outstanding (max-pending-submits), throughput override as pacing,
//            throttled submits retried every sms-resend-freq (1 s), no queue limit.
//   smpp/http  your own gateway: like Kannel unless `model.links` says otherwise (marked "assumed").
//
// API: linkSettings(scenario, operator) -> LinkSettings.
import type { Scenario } from '../../loadgen/scenario/scenario.js'
import type { OperatorConfig } from '../../simulator/network.js'
import type { LinkOverrides } from '../../loadgen/scenario/model-section.js'

export type ThrottlePolicy = 'retry' | 'reject'

export interface LinkSettings {
  /** direct: mtsim is the gateway (its sends are the operator's submits); gateway: a gateway answers mtsim first and queues. */
  view: 'direct' | 'gateway'
  binds: number
  /** The gateway's window per bind. */
  window: number
  /** The operator's window per bind (smpp.window.max_outstanding); submits beyond it are refused at once. */
  operatorWindow: number
  excessStatus: number
  /** The gateway's own cap, messages per second per bind; null for none. */
  pacing: number | null
  onThrottle: ThrottlePolicy
  retryAfterMs: number
  queueLimit: number | null
  maxWaitMs: number | null
  responseTimeoutMs: number
  /** The most binds the operator's account allows (sizing: more binds than this are refused). */
  maxBinds: number
  /** Where each setting came from: "gateway.window", "network", "model.links", "Kannel default", "assumed". */
  sources: Record<string, string>
}

const DIRECT_RESPONSE_TIMEOUT_MS = 10_000
/** gateways/kannel/config.ts: wait-ack 30 s, sms-resend-freq 1 s. */
const KANNEL_WAIT_ACK_MS = 30_000
const KANNEL_RESEND_MS = 1000

/** A Kannel override for this operator's smsc groups (most specific wins: smsc, operator id). */
function kannelSetting(s: Scenario, op: OperatorConfig, key: string): string | undefined {
  if (s.gateway.kind !== 'kannel') return undefined
  const o = s.gateway.overrides
  return o[op.id]?.[key] ?? o.smsc?.[key]
}

function transmitAccounts(op: OperatorConfig): number {
  return Math.max(1, op.accounts.filter((a) => a.bindTypes.has('transceiver') || a.bindTypes.has('transmitter')).length)
}

export function linkSettings(s: Scenario, op: OperatorConfig): LinkSettings {
  const g = s.gateway
  const sources: Record<string, string> = {}
  const maxBinds = op.accounts.reduce((m, a) => Math.max(m, a.bindTypes.has('transceiver') || a.bindTypes.has('transmitter') ? a.maxBinds : 0), 0) || 1
  let l: Omit<LinkSettings, 'sources' | 'operatorWindow' | 'excessStatus' | 'maxBinds'>
  if (g.kind === 'direct') {
    l = {
      view: 'direct', binds: g.binds[op.id] ?? 1, window: g.window, pacing: null, onThrottle: 'reject', retryAfterMs: 0,
      queueLimit: null, maxWaitMs: s.scheduling.maxLagMs, responseTimeoutMs: g.responseTimeoutMs ?? DIRECT_RESPONSE_TIMEOUT_MS,
    }
    Object.assign(sources, {
      binds: 'gateway.binds', window: 'gateway.window', pacing: 'none', onThrottle: 'direct mode: the error goes to the sender',
      queueLimit: 'none', maxWaitMs: 'scheduling.max_lag', responseTimeoutMs: g.responseTimeoutMs === undefined ? 'default' : 'gateway.response_timeout',
    })
  } else {
    const kannel = g.kind === 'kannel'
    const origin = kannel ? 'Kannel default' : 'assumed'
    const mps = Number(kannelSetting(s, op, 'max-pending-submits'))
    const throughput = Number(kannelSetting(s, op, 'throughput'))
    const resend = kannel ? Number(g.overrides.core?.['sms-resend-freq']) : NaN
    const waitAck = Number(kannelSetting(s, op, 'wait-ack'))
    l = {
      view: 'gateway',
      binds: transmitAccounts(op),
      window: mps > 0 ? mps : op.window.maxOutstanding,
      pacing: throughput > 0 ? throughput : null,
      onThrottle: 'retry',
      retryAfterMs: resend > 0 ? resend * 1000 : KANNEL_RESEND_MS,
      queueLimit: null,
      maxWaitMs: null,
      responseTimeoutMs: waitAck > 0 ? waitAck * 1000 : KANNEL_WAIT_ACK_MS,
    }
    Object.assign(sources, {
      binds: kannel ? 'one bind per operator account' : 'assumed: one bind per account',
      window: mps > 0 ? 'kannel overrides: max-pending-submits' : "network: the operator's max_outstanding",
      pacing: throughput > 0 ? 'kannel overrides: throughput' : 'none',
      onThrottle: `${origin}: the gateway keeps a throttled message and retries it`,
      retryAfterMs: resend > 0 ? 'kannel overrides: sms-resend-freq' : origin,
      queueLimit: 'none', maxWaitMs: 'none',
      responseTimeoutMs: waitAck > 0 ? 'kannel overrides: wait-ack' : origin,
    })
  }
  const o: LinkOverrides = s.model?.links?.[op.id] ?? {}
  const set = <K extends keyof typeof l>(key: K, value: (typeof l)[K] | undefined) => {
    if (value === undefined) return
    l[key] = value
    sources[key] = 'model.links'
  }
  set('binds', o.binds)
  set('window', o.window)
  set('pacing', o.pacing)
  set('onThrottle', o.onThrottle)
  set('retryAfterMs', o.retryAfterMs)
  set('queueLimit', o.queueLimit)
  set('maxWaitMs', o.maxWaitMs)
  set('responseTimeoutMs', o.responseTimeoutMs)
  return { ...l, operatorWindow: op.window.maxOutstanding, excessStatus: op.window.excessStatus, maxBinds, sources }
}
