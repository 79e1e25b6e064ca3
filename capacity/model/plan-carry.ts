// Before anything is sent: can the gateway's links carry the plan's peak? For each operator the
// plan's peak rate to it (the streams' peaks, by the operator's share of each stream's messages)
// is set against what its link carries at most: binds x window / mean answer time (Little's law),
// the gateway's own pacing, the operator's throttle. `mtsim validate`, `mtsim plan` and the start of
// `mtsim run` print one line per operator the plan overwhelms, so a run that can only drop sends
// says so before it starts ("stream promo peaks at 1,000,000/s; north: 1 bind x window 10 at
// ~2.0 ms carry ~5,000/s").
//
// The same link settings and latency distributions as `mtsim model` (links.ts, operator-model.ts),
// without running the model: a bound, not a forecast.
//
// API: carryWarnings(scenario, summary) -> lines.
import type { Scenario } from '../../loadgen/scenario/scenario.js'
import type { PlanSummary } from '../../loadgen/plan/plan-summary.js'
import { linkSettings } from './links.js'
import { operatorModel } from './operator-model.js'

export interface OperatorCarry {
  operator: string
  /** The plan's peak to this operator (msg/s), and the stream that contributes most to it. */
  peakPerS: number
  stream: string
  streamPeakPerS: number
  /** What the link carries at most (msg/s), which limit that is, and how it was worked out. */
  carryPerS: number
  limit: string
}

export function operatorCarry(scenario: Scenario, summary: PlanSummary): OperatorCarry[] {
  const out: OperatorCarry[] = []
  scenario.network.operators.forEach((op, index) => {
    let peak = 0
    let top = { name: '', peak: 0, part: 0 }
    let segments = 0
    let messages = 0
    for (const st of summary.streams) {
      const n = st.operators[op.id] ?? 0
      if (!n || !st.planned) continue
      const part = (st.peakPerS * n) / st.planned
      peak += part
      segments += (st.segments * n) / st.planned
      messages += n
      if (part > top.part) top = { name: st.name, peak: st.peakPerS, part }
    }
    if (peak <= 0) return
    const perMessage = messages > 0 ? segments / messages : 1
    const link = linkSettings(scenario, op)
    const holdMs = Math.max(0.05, operatorModel(scenario, op, index).normal.latency.mean)
    const window = Math.min(link.window, link.operatorWindow)
    const limits: { perS: number; text: string }[] = [
      {
        perS: (link.binds * window * 1000) / holdMs / perMessage,
        text: `${link.binds} bind${link.binds === 1 ? '' : 's'} x window ${window} at ~${fmtMs(holdMs)} carry ~${fmtRate((link.binds * window * 1000) / holdMs / perMessage)}/s`,
      },
    ]
    if (link.pacing !== null) limits.push({ perS: (link.pacing * link.binds) / perMessage, text: `the gateway paces ${link.binds} x ${fmtRate(link.pacing)}/s` })
    const t = op.throttle
    if (t) {
      const rate = t.per === 'bind' ? t.rate * link.binds : t.rate
      limits.push({ perS: rate / (t.countSegments ? perMessage : 1), text: `${op.id} throttles at ${fmtRate(rate)}/s${t.per === 'bind' ? ` (${fmtRate(t.rate)} per bind)` : ''}` })
    }
    const least = limits.reduce((a, b) => (b.perS < a.perS ? b : a))
    out.push({ operator: op.id, peakPerS: peak, stream: top.name, streamPeakPerS: top.peak, carryPerS: least.perS, limit: least.text })
  })
  return out
}

/** One line per operator whose link cannot carry the plan's peak. */
export function carryWarnings(scenario: Scenario, summary: PlanSummary): string[] {
  return operatorCarry(scenario, summary)
    .filter((c) => c.peakPerS > c.carryPerS * 1.0001)
    .map(
      (c) =>
        `stream ${c.stream} peaks at ${fmtRate(c.streamPeakPerS)}/s; ${c.operator} gets ${fmtRate(c.peakPerS)}/s at the peak, but ${c.limit}: ` +
        `expect sends to wait, be late (scheduling.late_after) or be dropped (scheduling.max_lag), or the operator to answer ESME_RTHROTTLED`,
    )
}

function fmtRate(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 10 ? x.toFixed(1) : x.toFixed(2)
}

function fmtMs(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`
}
