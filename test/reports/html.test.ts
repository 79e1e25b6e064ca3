// report.html in a real browser: it must open from disk with no console errors and no network
// requests, and every chart must actually be drawn. A screenshot lands in out/test-artifacts/.
import { describe, it, expect } from 'vitest'
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeReport } from '../../reports/index.js'
import { renderHtml, scriptSafe } from '../../reports/html.js'
import { syntheticRun } from './fixtures.js'
import { findChromium, visit } from './chromium.js'

const CHART_IDS = [
  'chart-throughput', 'chart-submit-time', 'chart-receipt-time', 'chart-dist-submit', 'chart-dist-receipt', 'chart-dist-transit',
  'chart-outcomes', 'chart-errors', 'chart-gauges',
]

// Per canvas: how many pixels are painted at all, and how many are data-coloured (saturated),
// so a chart with axes but no lines would not pass.
const SELF_CHECK = `(() => {
  const out = { charts: Number(document.documentElement.getAttribute('data-charts')), canvases: {} };
  for (const c of document.querySelectorAll('canvas')) {
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let painted = 0, coloured = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] === 0) continue;
      painted++;
      const max = Math.max(px[i], px[i + 1], px[i + 2]), min = Math.min(px[i], px[i + 1], px[i + 2]);
      if (max - min > 60) coloured++;
    }
    out.canvases[c.id] = { width: c.width, height: c.height, painted, coloured };
  }
  out.resources = performance.getEntriesByType('resource').length;
  out.text = document.body.innerText;
  return out;
})()`

const chromium = findChromium()
const skip = !chromium && !process.env.CI
if (skip) console.log('skipping browser tests: chromium not found (apt-get install -y chromium); they run when CI=true')

describe.skipIf(skip)('report.html in headless Chromium', () => {
  it('opens from disk with no errors or requests and draws every chart', async () => {
    expect(chromium, 'CI=true needs chromium installed').not.toBeNull()
    const results = syntheticRun()
    const baseline = syntheticRun({ slowdown: 0.8 })
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-report-'))
    const files = await writeReport(results, dir, { baseline, generatedAt: '2026-11-24T12:00:00.000Z' })

    const page = await visit(chromium!, files.html, SELF_CHECK)
    mkdirSync('out/test-artifacts', { recursive: true })
    writeFileSync('out/test-artifacts/report.png', page.screenshot)

    expect(page.errors).toEqual([])
    expect(page.requests).toEqual([])
    const v = page.value as { charts: number; resources: number; text: string; canvases: Record<string, { width: number; painted: number; coloured: number }> }
    expect(v.resources).toBe(0)
    expect(v.charts).toBe(CHART_IDS.length)
    expect(Object.keys(v.canvases).sort()).toEqual([...CHART_IDS].sort())
    for (const id of CHART_IDS) {
      const c = v.canvases[id]!
      expect(c.width, id).toBeGreaterThan(300)
      expect(c.coloured, `${id} has coloured (data) pixels`).toBeGreaterThan(200)
    }
    // The tables a reader looks for.
    expect(v.text).toContain('FAILED: 4 of 7 thresholds')
    expect(v.text).toContain('ESME_RTHROTTLED')
    expect(v.text).toContain('0x00000058')
    expect(v.text).toContain('telco-b')
    expect(v.text).toMatch(/Against baseline/)
  })

  it('shades fault windows on time charts (pixels inside the outage box differ from outside)', async () => {
    // One quiet operator, one long outage: the box is the only thing drawn in its span.
    const results = syntheticRun({ durationS: 60, rate: 50 })
    results.faults = [{ operator: 'telco-b', kind: 'outage', start: 10_000, end: 40_000, source: 'api' }]
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-report-'))
    const html = join(dir, 'report.html')
    writeFileSync(html, renderHtml(results))
    const probe = `(() => {
      const chart = Chart.getChart('chart-gauges');
      const x = chart.scales.x, y = chart.chartArea.top + 40;
      const ctx = chart.canvas.getContext('2d'), r = window.devicePixelRatio || 1;
      const at = (s) => Array.from(ctx.getImageData(Math.round(x.getPixelForValue(s) * r), Math.round(y * r), 1, 1).data);
      return { inside: at(25), outside: at(50) };
    })()`
    const page = await visit(chromium!, html, probe)
    expect(page.errors).toEqual([])
    const { inside, outside } = page.value as { inside: number[]; outside: number[] }
    // Outage boxes are translucent red: more red than green inside, plain background outside.
    expect(inside[0]! - inside[1]!).toBeGreaterThan(5)
    expect(Math.abs(outside[0]! - outside[1]!)).toBeLessThan(5)
  })
})

describe.skipIf(skip)('report.html printed', () => {
  it('at A4 landscape width every table and chart fits the page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-report-'))
    const html = join(dir, 'report.html')
    writeFileSync(html, renderHtml(syntheticRun({ durationS: 30, rate: 40 })))
    // 297 mm - 2 x 12 mm margins at 96 dpi.
    const width = Math.floor(((297 - 24) / 25.4) * 96)
    const probe = `(() => {
      window.dispatchEvent(new Event('beforeprint'));
      const over = [];
      for (const el of document.querySelectorAll('table, canvas')) {
        const r = el.getBoundingClientRect();
        if (r.right > ${width} + 1 || el.scrollWidth > (el.parentElement.clientWidth + 1)) over.push(el.id || el.tagName + ' ' + el.textContent.slice(0, 30));
      }
      return over;
    })()`
    const page = await visit(chromium!, html, probe, { width, height: 700 }, 'print')
    expect(page.errors).toEqual([])
    expect(page.value).toEqual([])
  })
})

describe('report.html content (no browser)', () => {
  it('is self-contained: chart.js inlined, no src/href to anything outside the file', () => {
    const html = renderHtml(syntheticRun({ durationS: 10, rate: 20 }))
    // Booleans, not toMatch: a failure must not print 200 kB of chart.js.
    expect(html.includes('Chart.js v4')).toBe(true)
    expect(/<[^>]+\s(src|href)\s*=/i.test(html.slice(0, html.indexOf('<script')))).toBe(false)
    // Exactly three script elements: the data, chart.js, the page script.
    expect(html.match(/<script\b/g)).toHaveLength(3)
    expect(html.match(/<\/script>/g)).toHaveLength(3)
  })

  it('escapes user text in the page and cannot be broken out of a script element', () => {
    const r = syntheticRun({ durationS: 5, rate: 10, name: 'evil </script><img src=x onerror=alert(1)>' })
    const html = renderHtml(r)
    expect(html.includes('<img src=x')).toBe(false)
    expect(html.match(/<\/script>/g)).toHaveLength(3)
    expect(scriptSafe('"</script>" <!-- x')).toBe('"<\\/script>" <\\!-- x')
  })

  it('shows a failover table only when the results have failover figures, and says when a run is partial', () => {
    const r = syntheticRun({ durationS: 5, rate: 10 })
    expect(renderHtml(r).includes('<h2>Failover</h2>')).toBe(false)
    r.failover = {
      operators: {
        'telco-b': {
          backup: 'telco-a', rerouted: 40, queued: 3, duplicates: 1, accepted: 200, lost: 2,
          outages: [{ start: 20000, end: 30000, firstAtBackup: 21840, switchoverMs: 1840, reroutedDuring: 35, drainMs: 1200 }],
        },
      },
    }
    r.meta.interrupted = true
    r.meta.segment = { index: 1, count: 3 }
    const html = renderHtml(r)
    expect(html.includes('<h2>Failover</h2>')).toBe(true)
    const row = html.match(/<table class="failover">[\s\S]*?<tbody>\n(<tr>.*<\/tr>)/)?.[1] ?? ''
    const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1])
    expect(cells).toEqual(['<b>telco-b</b>', 'telco-a', '20.0 s', '30.0 s', '21.8 s', '1840 ms', '35', '40', '3', '1', '1200 ms', '200', '<b class="bad">2</b>'])
    expect(html.includes('This run was interrupted')).toBe(true)
    expect(html.includes('This is share 2 of 3 of a segmented run')).toBe(true)
  })

  it('writes report.html, junit.xml and summary.md and leaves no temporary files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-report-'))
    const files = await writeReport(syntheticRun({ durationS: 5, rate: 10 }), dir)
    expect(readFileSync(files.html, 'utf8')).toMatch(/^<!DOCTYPE html>/)
    expect(readFileSync(files.junit, 'utf8')).toMatch(/^<\?xml/)
    expect(readFileSync(files.summary, 'utf8')).toMatch(/^### mtsim/)
    const { readdirSync } = await import('node:fs')
    expect(readdirSync(dir).sort()).toEqual(['junit.xml', 'report.html', 'summary.md'])
  })
})
