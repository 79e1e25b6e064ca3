// The plan as text: `mtsim plan` and `mtsim run --dry-run` print it whole; `mtsim run` prints the
// cut lines before it starts, so a --duration that shortens a stream never does so silently.
import { formatDuration as fmtDuration } from '../../lib/duration.js'
import { planCuts, type PlanSummary, type StreamSummary } from './plan-summary.js'

export function formatPlan(s: PlanSummary): string {
  const out: string[] = []
  const share = s.segment ? `share ${s.segment.index} of ${s.segment.count}, ` : ''
  out.push(`mtsim plan: ${s.name} (${share}seed ${s.seed}, gateway ${s.gateway}); nothing is sent`)
  out.push('')
  const rows = s.streams.map((st) => [
    st.name,
    int(st.planned),
    formatDuration(st.startMs),
    formatDuration(st.durationMs),
    rate(st.peakPerS),
    rate(st.meanPerS),
    `${st.executor}, ${st.arrivals}`,
  ])
  out.push(table(['stream', 'messages', 'start', 'duration', 'peak/s', 'mean/s', 'executor'], rows))
  for (const st of s.streams) {
    out.push('')
    const approx = st.sampled < st.planned ? '~' : ''
    out.push(`  ${st.name}: ${approx}${int(st.segments)} segments (${st.planned ? (st.segments / st.planned).toFixed(2) : '0'} per message)` +
      `; encoding gsm7 ${approx}${int(st.encodings.gsm7)}, ucs2 ${approx}${int(st.encodings.ucs2)}` +
      (st.sampled < st.planned ? ` (counted from the first ${int(st.sampled)} messages)` : ''))
    const ops = Object.entries(st.operators).sort((a, b) => b[1] - a[1])
    out.push(`    operators: ${ops.map(([op, n]) => `${op || '(no operator)'} ${approx}${int(n)} (${pct(n, st.planned)})`).join(', ') || '-'}`)
  }
  out.push('')
  out.push(`total: ${int(s.planned)} messages over ${formatDuration(s.durationMs)}; peak ${rate(s.peakPerS)}/s, mean ${rate(s.meanPerS)}/s`)
  for (const line of cutLines(s)) out.push(line)
  return out.join('\n') + '\n'
}

/** "--duration 30s cuts stream day: 3,143 of 7,200 messages (44%), 30s of its 1m9s". */
export function cutLines(s: PlanSummary): string[] {
  if (s.capMs === null) return []
  const cap = formatDuration(s.capMs)
  return planCuts(s).map((st: StreamSummary) =>
    st.total === 0
      ? `--duration ${cap} leaves out stream ${st.name}: it starts at ${formatDuration(st.startMs)}; 0 of its ${int(st.uncut)} messages planned`
      : `--duration ${cap} cuts stream ${st.name}: ${int(st.total)} of ${int(st.uncut)} messages planned (${pct(st.total, st.uncut)}), ` +
        `${formatDuration(st.durationMs)} of its ${formatDuration(st.uncutMs)}`,
  )
}

function formatDuration(ms: number): string {
  return ms === 0 ? '0s' : fmtDuration(ms)
}

function int(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

function rate(x: number): string {
  return x >= 1000 ? int(x) : x.toFixed(1)
}

function pct(n: number, of: number): string {
  return of > 0 ? `${Math.round((100 * n) / of)}%` : '-'
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i > 0 && i < cells.length - 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line(head), ...rows.map(line)].map((l) => '  ' + l).join('\n')
}
