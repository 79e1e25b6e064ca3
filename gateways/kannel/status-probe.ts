// One poll of a managed Kannel's status page as a results sample (results/results-format.ts
// GatewaySample): what Kannel says it still holds, per SMSC link and in all. Kannel's own words:
// `queued` is its outgoing queue (sms "sent ... (N queued)") plus every link's queue.
import type { GatewaySample } from '../../results/results-format.js'
import type { KannelStatus } from './status.js'

/** The core settings that decide Kannel's retries, as written in its kannel.conf (overrides included). */
export function kannelRetrySettings(confText: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of ['sms-resend-retry', 'sms-resend-freq']) {
    const m = new RegExp(`^${key} = "?(-?[0-9]+)"?$`, 'm').exec(confText)
    if (m) out[key] = m[1]!
  }
  return out
}

export function kannelSample(status: KannelStatus, t: number): GatewaySample {
  const links: GatewaySample['links'] = {}
  let queued = status.sms.sentQueued
  for (const s of status.smscs) {
    // A transmitter+receiver account shows as two lines with one smsc-id: added up.
    const l = (links[s.smscId] ??= { state: s.state, queued: 0, sent: 0, failed: 0 })
    if (s.state !== 'online') l.state = s.state
    l.queued += s.queued
    l.sent += s.sent.sms
    l.failed += s.failed
    queued += s.queued
  }
  return {
    t,
    queued,
    links,
    metrics: { received: status.sms.received, sent: status.sms.sent, outgoingQueue: status.sms.sentQueued, dlrQueued: status.dlr.queued },
  }
}
