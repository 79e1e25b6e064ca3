// Which resource ran out at a step, per operator and for the step, from the counters each side
// keeps (style rule 15: one viewpoint per source, joined here):
//   operator throttle   the operator answered its throttle status to >= 1% of its submits
//   operator window     submits in flight at the operator reached 90% of max_outstanding x binds,
//                       or it refused submits for a full window
//   gateway queue       Kannel's queue for the operator grew past half a second of its traffic
//                       and was not empty at the end (the gateway's link to it is the limit)
//   sender window       mtsim's own binds x window (direct) or the gateway's SMPP window (smpp)
//                       could not take the sends: sends to that operator dropped, or a fifth late
//   gateway front end   the gateway's sendsms / HTTP answers fell behind (kannel, http): dropped or
//                       late sends while no operator link was saturated
// A step that failed without any of these failed on latency alone (the operator's own delays).
import type { ResultsFile } from '../../results/results-format.js'
import type { OperatorUse } from './session.js'
import { scopePrefix } from '../../results/thresholds.js'

export type Resource = 'operator throttle' | 'operator window' | 'gateway queue' | 'sender window' | 'gateway front end'

export interface OperatorVerdict {
  id: string
  /** Messages per second offered to it and accepted by it (by the operator itself when the network counts it). */
  offeredPerS: number
  carriedPerS: number
  resource: Resource | null
  evidence: string
  /** Its own thresholds ({operator:id}) that failed at this step. */
  failed: string[]
}

export interface StepVerdict {
  resource: Resource | null
  operator: string | null
  evidence: string
  operators: OperatorVerdict[]
  /** Thresholds that failed, as "scope metric expression (observed)". */
  failed: string[]
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`

export function diagnose(results: ResultsFile, use: Record<string, OperatorUse>, gatewayKind: string, stepMs: number): StepVerdict {
  const seconds = stepMs / 1000
  const failed = results.thresholds.filter((t) => !t.ok).map((t) => `${scopePrefix(t.scope)}${t.metric} ${t.expression} (${t.observed === null ? 'no data' : +t.observed.toFixed(3)})`)
  const front = gatewayKind === 'kannel' || gatewayKind === 'http'
  const operators: OperatorVerdict[] = Object.entries(use).map(([id, u]) => {
    const o = results.operators[id]
    const t = o?.totals
    const offered = (t?.planned ?? 0) / seconds
    // Carried: what the operator itself accepted while the plan sent (a gateway's later drain is not carrying the rate).
    const carriedCount = u.submits > 0 ? u.acceptedInPlan : (t?.accepted ?? 0)
    const v: OperatorVerdict = {
      id, offeredPerS: offered, carriedPerS: carriedCount / seconds, resource: null, evidence: '',
      failed: results.thresholds.filter((x) => !x.ok && x.scope === id).map((x) => `${x.metric} ${x.expression}`),
    }
    const throttledShare = u.submits > 0 ? u.throttled / u.submits : 0
    const queueLimit = Math.max(10, offered * 0.5)
    if (throttledShare >= 0.01) {
      v.resource = 'operator throttle'
      v.evidence = `throttled ${pct(throttledShare)} of its ${u.submits} submits`
    } else if (u.windowRefused > 0 || (u.window > 0 && u.peakInFlight >= 0.9 * u.window)) {
      v.resource = 'operator window'
      v.evidence = u.windowRefused > 0 ? `refused ${u.windowRefused} submits for a full window` : `${u.peakInFlight} of ${u.window} submits in flight`
    } else if (!front && t && (t.dropped > 0 || t.late > 0.2 * Math.max(1, t.sent))) {
      v.resource = 'sender window'
      v.evidence = `${t.dropped} sends dropped, ${t.late} of ${t.sent} late`
    } else if (u.peakGatewayQueue !== null && u.peakGatewayQueue > queueLimit && (u.gatewayQueueAtEnd ?? 0) > 0) {
      v.resource = 'gateway queue'
      v.evidence = `the gateway queued up to ${u.peakGatewayQueue} for it`
    } else if (front && t && t.dropped > 0) {
      v.resource = 'gateway front end'
      v.evidence = `${t.dropped} sends dropped (the gateway answered too slowly)`
    }
    return v
  })
  // The step's verdict: an operator whose own thresholds failed, else the most loaded flagged one.
  const flagged = operators.filter((o) => o.resource !== null)
  const pick = flagged.find((o) => o.failed.length) ?? flagged.sort((a, b) => b.offeredPerS - a.offeredPerS)[0]
  if (pick) return { resource: pick.resource, operator: pick.id, evidence: pick.evidence, operators, failed }
  const t = results.totals
  if (t.dropped > 0) {
    return { resource: front ? 'gateway front end' : 'sender window', operator: null, evidence: `${t.dropped} sends dropped`, operators, failed }
  }
  return { resource: null, operator: null, evidence: failed.length ? 'no resource saturated: latency alone broke the thresholds' : '', operators, failed }
}
