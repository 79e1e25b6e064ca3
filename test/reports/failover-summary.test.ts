// The failover figures reach the console summary and summary.md (not only report.html): issue 5's
// "the run reports when the outage began, when the first message went to the backup, how many
// were queued or duplicated, how long the drain took, and that nothing was lost".
import { describe, expect, it } from 'vitest'
import { formatConsoleSummary, formatSummaryMarkdown } from '../../reports/index.js'
import { failoverRows } from '../../reports/failover-rows.js'
import { syntheticRun } from './fixtures.js'

const withFailover = () => {
  const r = syntheticRun()
  r.failover = {
    operators: {
      'telco-b': {
        backup: 'telco-a',
        outages: [{ start: 4000, end: 9000, firstAtBackup: 4047, switchoverMs: 47, reroutedDuring: 463, drainMs: 70 }],
        rerouted: 470,
        queued: 3,
        duplicates: 2,
        accepted: 1200,
        lost: 0,
      },
    },
  }
  return r
}

describe('failover figures in the text summaries', () => {
  it('one row per outage with the exact figures', () => {
    expect(failoverRows(withFailover())).toEqual([['telco-b', 'telco-a', '4.0s-9.0s', '+47.0 ms', '463', '3', '2', '70.0 ms', '0']])
    expect(failoverRows(syntheticRun())).toEqual([])
  })

  it('the console summary and summary.md show them; runs without failover show no section', () => {
    const console = formatConsoleSummary(withFailover())
    expect(console).toContain('failover (times from run start')
    expect(console).toMatch(/telco-b\s+telco-a\s+4\.0s-9\.0s\s+\+47\.0 ms\s+463\s+3\s+2\s+70\.0 ms\s+0/)
    const md = formatSummaryMarkdown(withFailover())
    expect(md).toContain('| operator | backup | outage | first at backup | rerouted | queued | duplicated | drain | lost |')
    expect(md).toContain('| telco-b | telco-a | 4.0s-9.0s | +47.0 ms | 463 | 3 | 2 | 70.0 ms | 0 |')
    expect(formatConsoleSummary(syntheticRun())).not.toContain('failover')
    expect(formatSummaryMarkdown(syntheticRun())).not.toContain('| backup |')
  })
})
