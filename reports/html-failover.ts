// The report's failover section: one row per outage of a failed-over operator (results/failover.ts
// computes the figures), so a reader sees when it went down, how fast the gateway moved its traffic
// to the backup, how long the queue took to drain after recovery and whether anything was lost.
import type { FailoverFigures } from '../results/results-format.js'
import { esc } from './html-tables.js'

const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const msOrDash = (ms: number | null) => (ms === null ? '-' : ms < 10_000 ? `${ms} ms` : sec(ms))

export function failoverSection(failover: FailoverFigures): string {
  const head = [
    'operator', 'backup', 'outage from', 'to', 'first at backup', 'switch-over', 'rerouted (outage)',
    'rerouted (run)', 'queued', 'duplicated', 'drain after recovery', 'accepted', 'lost',
  ]
  const rows: string[] = []
  for (const [id, o] of Object.entries(failover.operators)) {
    for (const w of o.outages) {
      const cells = [
        `<b>${esc(id)}</b>`, esc(o.backup), sec(w.start), sec(w.end), w.firstAtBackup === null ? 'never' : sec(w.firstAtBackup),
        msOrDash(w.switchoverMs), String(w.reroutedDuring), String(o.rerouted), String(o.queued), String(o.duplicates),
        msOrDash(w.drainMs), String(o.accepted), o.lost === 0 ? '0' : `<b class="bad">${o.lost}</b>`,
      ]
      rows.push(`<tr>${cells.map((c, i) => `<td${i >= 2 ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`)
    }
  }
  const th = head.map((h, i) => `<th${i >= 2 ? ' class="num"' : ''}>${h}</th>`).join('')
  return `<div class="tw"><table class="failover"><thead><tr>${th}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>
<p class="muted">Switch-over: outage start to the first message for the operator's numbers at the backup. Drain: outage end to the arrival of the last message sent while it was down. Lost: accepted with no final receipt (must be 0).</p>`
}
