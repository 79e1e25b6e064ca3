// Per-stream rows in the console, summary.md and report.html (issue 13 item 5), from a real engine
// run of three streams (a fake gateway, about 2 s) whose thresholds pass one stream and fail
// another. The report is opened in headless Chromium: the streams section and its chart are drawn
// (screenshot in out/test-artifacts/report-streams.png).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runLoad } from '../../loadgen/engine/engine.js'
import type { ResultsFile } from '../../results/results-format.js'
import { parseThresholds } from '../../results/thresholds.js'
import { formatConsoleSummary } from '../../reports/console.js'
import { formatSummaryMarkdown } from '../../reports/summary-md.js'
import { renderHtml } from '../../reports/html.js'
import { streamRows } from '../../reports/stream-rows.js'
import { FakeTransport } from '../support/fake-transport.js'
import { constantPlan, messages, outDir, scenario } from '../loadgen/engine/helpers.js'
import { syntheticRun } from './fixtures.js'
import { findChromium, visit } from './chromium.js'

let r: ResultsFile

beforeAll(async () => {
  const thresholds = parseThresholds(
    {
      'planned{stream:otp}': ['count==300'],
      'accepted{stream:otp,operator:alpha}': ['count>0'],
      'planned{stream:promo}': ['count==150', 'count>1000'],
      sent: ['count>0'],
    },
    'streams.test.ts', ['alpha', 'beta'], ['otp', 'promo', 'bulk'],
  )
  r = await runLoad({
    scenario: scenario({ waitMs: 300, thresholds }),
    plan: constantPlan([{ rate: 300, count: 300, name: 'otp' }, { rate: 150, count: 150, name: 'promo' }, { rate: 60, count: 60, name: 'bulk' }]),
    transport: new FakeTransport({ seed: 3, rejectRate: 0.1, receiptDelayMs: { min: 2, max: 8 } }),
    outDir: outDir(), traffic: messages(),
  })
}, 30_000)

describe('per-stream rows', () => {
  it('list each stream with its cells and the verdict of the thresholds scoped to it', () => {
    const rows = streamRows(r)
    expect(rows.map((x) => [x.stream, x.operator, x.thresholds])).toEqual([
      ['otp', null, { total: 2, failed: 0 }],
      ['otp', 'alpha', { total: 1, failed: 0 }],
      ['otp', 'beta', { total: 0, failed: 0 }],
      ['promo', null, { total: 2, failed: 1 }],
      ['promo', 'alpha', { total: 0, failed: 0 }],
      ['promo', 'beta', { total: 0, failed: 0 }],
      ['bulk', null, { total: 0, failed: 0 }],
      ['bulk', 'alpha', { total: 0, failed: 0 }],
      ['bulk', 'beta', { total: 0, failed: 0 }],
    ])
    expect(rows.filter((x) => x.operator === null).map((x) => x.totals.sent)).toEqual([300, 150, 60])
  })

  it('console: a streams table, cells indented under their stream', () => {
    const text = formatConsoleSummary(r)
    const lines = text.split('\n')
    const head = lines.findIndex((l) => /^\s+stream\s+planned\s+sent/.test(l))
    expect(head).toBeGreaterThan(0)
    const o = r.streams!.otp.totals
    expect(lines[head + 1]).toMatch(new RegExp(`^  otp\\s+300\\s+300\\s+${o.accepted}\\s+${o.rejected}\\s+0\\s+.*2 of 2 ok$`))
    expect(lines[head + 2]).toMatch(/^ {4}to alpha\s+150\s+150\s.*1 of 1 ok$/)
    expect(lines[head + 4]).toMatch(/^  promo\s+150\s+150\s.*1 of 2 FAILED$/)
    expect(lines[head + 7]).toMatch(/^  bulk\s+60\s+60\s.*\s-$/)
  })

  it('summary.md: one row per stream, a failed verdict in bold', () => {
    const md = formatSummaryMarkdown(r)
    expect(md).toContain('| stream | sent | accepted | delivery rate | submit p99 | receipt p99 | thresholds |')
    expect(md).toMatch(/\n\| otp \| 300 \| [\d,]+ \| [\d.]+% \| [\d.]+ ms \| [\d.]+ ms \| 2 of 2 ok \|\n/)
    expect(md).toMatch(/\n\| promo \| 150 \| .* \| \*\*1 of 2 FAILED\*\* \|\n/)
    expect(md).toMatch(/\n\| bulk \| 60 \| .* \| - \|\n/)
  })

  it('report.html: a gateway failed column only when a stream has gateway failures; held messages under no receipt', () => {
    expect(renderHtml(r)).not.toContain('<th class="num">gateway failed</th>')
    const promo = r.streams!.promo
    const held = { ...promo.totals, delivered: promo.totals.delivered - 3, failed_in_gateway: 2, held_by_gateway: 1 }
    const through: ResultsFile = { ...r, streams: { ...r.streams!, promo: { ...promo, totals: held } } }
    const html = renderHtml(through)
    expect(html).toContain('<th class="num">gateway failed</th>')
    const row = html.split('\n').find((l) => l.includes('<b>promo</b>'))!
    const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1])
    // stream, thresholds, planned, sent, accepted, rejected, failed, delivered, not delivered, gateway failed, no receipt
    expect(cells.slice(7, 11)).toEqual([String(held.delivered), '0', '2', String(held.missing + held.pending + 1)])
  })

  it('are left out for a single stream and for results without per-stream figures (version 1)', () => {
    const v1 = syntheticRun({ durationS: 3, rate: 20 })
    expect(v1.streams).toBeUndefined()
    expect(formatConsoleSummary(v1)).not.toMatch(/^\s+stream\s+planned/m)
    expect(formatSummaryMarkdown(v1)).not.toContain('| stream |')
    expect(renderHtml(v1)).not.toContain('<h2>Streams</h2>')
    const one: ResultsFile = { ...r, streams: { otp: r.streams!.otp } }
    expect(formatConsoleSummary(one)).not.toMatch(/^\s+stream\s+planned/m)
    expect(renderHtml(one)).not.toContain('id="chart-streams"')
  })
})

const chromium = findChromium()
const skip = !chromium && !process.env.CI
if (skip) console.log('skipping the streams browser test: chromium not found (apt-get install -y chromium); it runs when CI=true')

describe.skipIf(skip)('report.html streams section in headless Chromium', () => {
  it('shows the stream rows with their verdicts and draws the per-stream chart', async () => {
    expect(chromium, 'CI=true needs chromium installed').not.toBeNull()
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-streams-'))
    const html = join(dir, 'report.html')
    writeFileSync(html, renderHtml(r, { generatedAt: '2026-12-03T08:00:00.000Z' }))
    const probe = `(() => {
      const c = document.getElementById('chart-streams');
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let i = 0; i < px.length; i += 4) {
        const max = Math.max(px[i], px[i + 1], px[i + 2]), min = Math.min(px[i], px[i + 1], px[i + 2]);
        if (px[i + 3] && max - min > 60) coloured++;
      }
      const rows = [...document.querySelectorAll('table.streams tbody tr')].map((tr) => [...tr.cells].slice(0, 4).map((td) => td.innerText.trim()));
      return { coloured, rows, datasets: Chart.getChart('chart-streams').data.datasets.map((d) => d.label) };
    })()`
    const page = await visit(chromium!, html, probe)
    mkdirSync('out/test-artifacts', { recursive: true })
    writeFileSync('out/test-artifacts/report-streams.png', page.screenshot)
    expect(page.errors).toEqual([])
    expect(page.requests).toEqual([])
    const v = page.value as { coloured: number; rows: string[][]; datasets: string[] }
    expect(v.coloured).toBeGreaterThan(200)
    expect(v.datasets).toEqual(['otp sent', 'otp accepted', 'promo sent', 'promo accepted', 'bulk sent', 'bulk accepted'])
    expect(v.rows.map((row) => row.slice(0, 2))).toEqual([
      ['otp', '2 of 2 ok'], ['to alpha', '1 of 1 ok'], ['to beta', '-'],
      ['promo', '1 of 2 FAILED'], ['to alpha', '-'], ['to beta', '-'],
      ['bulk', '-'], ['to alpha', '-'], ['to beta', '-'],
    ])
    expect(v.rows[0]![2]).toBe('300')
  })
})
