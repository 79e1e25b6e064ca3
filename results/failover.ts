// Failover figures of a segmented run's shares, merged (the figures themselves are computed during
// the run by loadgen/measure/failover-tracker.ts).
import type { FailoverFigures, OperatorFailover } from './results-format.js'

/**
 * Shares of one segmented run: counts add up, the earliest switch-over and the longest drain of an
 * outage (the same window in every share: one network timeline) are kept.
 */
export function mergeFailover(shares: readonly FailoverFigures[]): FailoverFigures {
  const out: Record<string, OperatorFailover> = {}
  for (const share of shares) {
    for (const [id, f] of Object.entries(share.operators)) {
      const m = out[id]
      if (!m) {
        out[id] = { ...f, outages: f.outages.map((o) => ({ ...o })) }
        continue
      }
      m.rerouted += f.rerouted
      m.queued += f.queued
      m.duplicates += f.duplicates
      m.accepted += f.accepted
      m.lost += f.lost
      for (const o of f.outages) {
        const same = m.outages.find((x) => x.start === o.start && x.end === o.end)
        if (!same) {
          m.outages.push({ ...o })
          continue
        }
        same.reroutedDuring += o.reroutedDuring
        if (o.firstAtBackup !== null && (same.firstAtBackup === null || o.firstAtBackup < same.firstAtBackup)) {
          same.firstAtBackup = o.firstAtBackup
          same.switchoverMs = o.switchoverMs
        }
        if (o.drainMs !== null && (same.drainMs === null || o.drainMs > same.drainMs)) same.drainMs = o.drainMs
      }
    }
  }
  return { operators: out }
}
