// The report's MO and compliance section (results.mo): what the subscribers sent and what reached
// the application, how long MO took (handset -> application), how fast STOPs arrived, and whether
// anything was still sent to numbers that had opted out (violations, counted by the network).
import { decodeHistogram, percentiles } from '../lib/hdr.js'
import type { MoResults } from '../results/results-format.js'
import { esc } from './html-tables.js'
import { MO_HEAD, moRows } from './mo-rows.js'
import type { ResultsFile } from '../results/results-format.js'
import { fmtInt, fmtMs } from './report-figures.js'

function latencyLine(label: string, b64: string): string {
  const p = percentiles(decodeHistogram(b64))
  if (!p.count) return `<li>${esc(label)}: no samples</li>`
  return `<li>${esc(label)} (${fmtInt(p.count)}): p50 ${fmtMs(p.p50)}, p90 ${fmtMs(p.p90)}, p99 ${fmtMs(p.p99)}, max ${fmtMs(p.max)}</li>`
}

export function moSection(r: ResultsFile & { mo: MoResults }): string {
  const mo = r.mo
  const t = mo.totals
  const rows = moRows(r)
  const bad = (i: number, v: string) => ((i === 3 || i === 4 || i === 11) && v !== '0' ? `<b class="bad">${esc(v)}</b>` : esc(v))
  const body = rows.map((cells) => `<tr>${cells.map((c, i) => `<td${i ? ' class="num"' : ''}>${i ? bad(i, c) : `<b>${esc(c)}</b>`}</td>`).join('')}</tr>`).join('\n')
  const th = MO_HEAD.map((h, i) => `<th${i ? ' class="num"' : ''}>${esc(h)}</th>`).join('')
  const streams = Object.entries(mo.violationsByStream)
  const verdict = t.optout_violations
    ? `<p class="verdict-line bad">${fmtInt(t.optout_violations)} MT reached numbers after their STOP (+ grace): the opt-outs were not honoured.</p>`
    : `<p class="verdict-line">No MT reached a number after its STOP (+ grace).</p>`
  return `${verdict}
<p>Application <b>${esc(mo.application)}</b> (${mo.application === 'compliant' ? 'stops sending to a number once its STOP arrives' : 'keeps sending after a STOP'}); STOP keywords: ${esc(mo.keywords.join(', '))}.
Subscribers sent ${fmtInt(t.sent)} MO (${fmtInt(t.replies)} replies, ${fmtInt(t.stops)} STOPs, ${fmtInt(t.spontaneous)} spontaneous); ${fmtInt(t.received)} reached the application${t.lost ? `, <b class="bad">${fmtInt(t.lost)} lost</b>` : ''}${t.duplicated ? `, <b class="bad">${fmtInt(t.duplicated)} duplicated</b>` : ''}${t.unknown ? `, ${fmtInt(t.unknown)} unknown` : ''}; ${fmtInt(t.correlated)} replies and STOPs named the MT they answer.</p>
<div class="tw"><table class="mo"><thead><tr>${th}</tr></thead><tbody>
${body}
</tbody></table></div>
<ul>
${latencyLine('MO transit, handset -> application', mo.latency)}
${latencyLine('STOP sent -> received by the application', mo.stopLatency)}
${latencyLine('violations: time since the STOP', mo.violationDelay)}
</ul>
${streams.length ? `<p>Violations by stream: ${streams.map(([s, n]) => `${esc(s)} ${fmtInt(n)}`).join(', ')}.</p>` : ''}
<p class="muted">MO are matched by the " #M&lt;id&gt;" tag at the end of their text. Lost: sent by a subscriber, never received (one still held by the operator at the end counts too). Violations are counted by the simulated operator: an MT accepted for a number more than its grace period after the number's STOP.</p>`
}
