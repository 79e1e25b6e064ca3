// Reports on what the real engine writes (not only on our synthetic fixture): a short run through
// the fake gateway, its results.json read back through the strict loader, every report produced.
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { runLoad } from '../../loadgen/engine/engine.js'
import { FakeTransport } from '../support/fake-transport.js'
import { writeResults } from '../../results/results-writer.js'
import { loadResults, writeReport, formatConsoleSummary } from '../../reports/index.js'
import { constantPlan, messages, outDir, scenario, segmentsOf } from '../loadgen/engine/helpers.js'
import { parseXml } from './xml-check.js'
import { findChromium, visit } from './chromium.js'

describe('reports on a real engine run', () => {
  it('loads the engine results.json and writes every report from it', async () => {
    const fake = new FakeTransport({
      seed: 3, window: 100, latencyMs: { min: 1, max: 10 }, rejectRate: 0.05, failRate: 0.01, failAfterMs: 20, segmentsOf,
      receiptDelayMs: { min: 1, max: 20 }, outcomes: [{ stat: 'DELIVRD', weight: 9 }, { stat: 'UNDELIV', weight: 1 }], lossRate: 0.02,
    })
    const dir = outDir()
    const run = await runLoad({
      scenario: scenario({ waitMs: 200 }),
      plan: constantPlan([{ rate: 1000, count: 1500 }]),
      transport: fake,
      outDir: dir,
      traffic: messages(5),
    })
    const file = writeResults(dir, run)
    const r = loadResults(file)
    expect(r.totals).toEqual(run.totals)

    const files = await writeReport(r, dir)
    const junit = parseXml(readFileSync(files.junit, 'utf8'))
    expect(Number(junit.attrs.tests)).toBe(r.thresholds.length)
    const text = formatConsoleSummary(r)
    expect(text).toMatch(new RegExp(`planned\\s+1,500\\s`))
    expect(text).toMatch(new RegExp(`rejected\\s+${r.totals.rejected.toLocaleString('en-US')}\\s`))

    const chromium = findChromium()
    if (!chromium && !process.env.CI) return console.log('skipping the browser half: chromium not found')
    expect(chromium, 'CI=true needs chromium installed').not.toBeNull()
    const page = await visit(chromium!, files.html, "document.documentElement.getAttribute('data-charts')")
    expect(page.errors).toEqual([])
    expect(page.requests).toEqual([])
    expect(page.value).toBe('9')
  })
})
