// The failover figures (results.failover) as table rows: one per outage of a failed-over operator.
// The console summary and summary.md print them; report.html has its own richer table.
import type { ResultsFile } from '../results/results-format.js'
import { fmtInt, fmtMs } from './report-figures.js'

export const FAILOVER_HEAD = ['operator', 'backup', 'outage', 'first at backup', 'rerouted', 'queued', 'duplicated', 'drain', 'lost']

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`
const msOrDash = (ms: number | null) => (ms === null ? '-' : fmtMs(ms * 1000))

export function failoverRows(r: ResultsFile): string[][] {
  const rows: string[][] = []
  for (const [id, f] of Object.entries(r.failover?.operators ?? {})) {
    for (const o of f.outages) {
      rows.push([
        id,
        f.backup,
        `${secs(o.start)}-${secs(o.end)}`,
        o.switchoverMs === null ? 'none' : `+${msOrDash(o.switchoverMs)}`,
        fmtInt(o.reroutedDuring),
        fmtInt(f.queued),
        fmtInt(f.duplicates),
        msOrDash(o.drainMs),
        fmtInt(f.lost),
      ])
    }
  }
  return rows
}
