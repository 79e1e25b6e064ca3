// The console summary and the Markdown job summary: the figures they show are the run's figures
// (exact counts, the thresholds' verdict), tables stay aligned, user text cannot break Markdown.
import { describe, it, expect } from 'vitest'
import { formatConsoleSummary } from '../../reports/console.js'
import { formatSummaryMarkdown } from '../../reports/summary-md.js'
import { compareResults } from '../../results/compare.js'
import { syntheticRun } from './fixtures.js'

describe('formatConsoleSummary', () => {
  const r = syntheticRun()
  const text = formatConsoleSummary(r)
  const lines = text.split('\n')

  it('says what ran and balances the books', () => {
    expect(lines[0]).toBe('mtsim results: "synthetic-mixed-faults", seed 42, 1m30s, gateway direct')
    const row = (label: string) => lines.find((l) => l.startsWith(`  ${label} `))!.trim().split(/\s{2,}/)
    expect(row('planned')).toEqual(['planned', '12,000', 'dropped 100, late 290'])
    expect(row('sent')[1]).toBe('11,900')
    expect(row('accepted')[1]).toBe(r.totals.accepted.toLocaleString('en-US'))
    expect(row('failed')[1]).toBe('605')
    expect(row('delivered')[1]).toBe(r.totals.delivered.toLocaleString('en-US'))
  })

  it('lists operators, error statuses with their codes, and every threshold verdict', () => {
    expect(lines.filter((l) => /^\s+telco-[abc]\s/.test(l))).toHaveLength(3)
    expect(text).toMatch(/ESME_RTHROTTLED\s+0x00000058\s+169\s+1\.42%/)
    expect(text).toMatch(/TIMEOUT\s+-\s+605\s+5\.08%/)
    expect(text).toContain('thresholds: 4 of 7 FAILED')
    expect(lines.filter((l) => /^\s+FAIL\s/.test(l))).toHaveLength(4)
    expect(lines.filter((l) => /^\s+ok\s/.test(l))).toHaveLength(3)
    expect(text).toMatch(/FAIL\s+telco-b\s+accept_rate rate>0\.95\s+0\.8127/)
  })

  it('aligns columns: every row of a table is as wide as its header allows', () => {
    const lat = lines.filter((l) => /^\s+(latency \(corrected\)|submit|receipt|to operator \(accepted\))\s/.test(l))
    expect(lat).toHaveLength(4)
    expect(new Set(lat.map((l) => l.length)).size).toBe(1)
  })

  it('adds the baseline comparison when given', () => {
    const c = compareResults(r, syntheticRun({ slowdown: 0.8 }))
    const withBase = formatConsoleSummary(r, { comparison: c })
    expect(withBase).toContain(`against baseline "synthetic-mixed-faults" (2026-11-24T10:00:00.000Z), tolerance 10%: ${c.worse} figure(s) WORSE`)
    expect(withBase).toMatch(/WORSE\s+Submit latency p50\s+\S+ ms\s+\S+ ms\s+\+2\d\.\d%/)
  })

  it('an all-pass run says so', () => {
    const pass = syntheticRun({ durationS: 10, rate: 20, thresholds: { sent: ['count>0'] } })
    expect(formatConsoleSummary(pass)).toContain('thresholds: all 1 passed')
  })
})

describe('formatSummaryMarkdown', () => {
  it('leads with the verdict and has well-formed tables', () => {
    const r = syntheticRun()
    const md = formatSummaryMarkdown(r)
    const lines = md.split('\n')
    expect(lines[0]).toBe('### mtsim: synthetic-mixed-faults')
    // The verdict names the weightiest causes (reports/attribution.ts).
    expect(lines[2]).toBe(
      '**FAILED**: 4 of 7 thresholds: operators reported 645 not delivered; 605 submits unanswered at the load generator. "synthetic-mixed-faults", seed 42, 1m30s, gateway direct.',
    )
    // Every table row has as many cells as its header.
    const tables = md.split('\n\n').filter((b) => b.startsWith('|'))
    expect(tables.length).toBe(4) // totals, operators, who caused what, thresholds
    for (const t of tables) {
      const rows = t.trim().split('\n')
      const cells = (row: string) => row.replace(/\\\|/g, '').split('|').length
      expect(new Set(rows.map(cells)).size, t).toBe(1)
    }
    expect(md).toContain('| **FAIL** | telco-b | `accept_rate rate>0.95` | 0.8127 |')
    expect(md).toContain('ESME_RTHROTTLED (0x00000058) 169')
  })

  it('escapes pipes in user text', () => {
    const r = syntheticRun({ durationS: 2, rate: 5, name: 'a|b' })
    const md = formatSummaryMarkdown(r)
    expect(md.split('\n')[0]).toBe('### mtsim: a\\|b')
  })

  it('includes the baseline table when compared', () => {
    const r = syntheticRun({ durationS: 20, rate: 50 })
    const md = formatSummaryMarkdown(r, compareResults(r, r))
    expect(md).toContain('tolerance 10%: nothing worse.')
    expect(md.match(/^\| (Submit|Receipt) latency p\d\d \|/gm)).toHaveLength(6)
  })
})
