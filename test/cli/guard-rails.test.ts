// Issue 14, guard rails, through the built CLI: a run that measured next to nothing cannot pass.
// A bare-number duration is warned about (it is milliseconds), and a threshold judged on too few
// samples fails as insufficient data unless the scenario lowers the bar with min_samples.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ResultsFile } from '../../results/results-format.js'
import { cliOut, fixture, mtsim } from './cli-run.js'

const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile

describe('insufficient data and bare durations', () => {
  it('validate warns that `duration: 60` is read as 60 ms, and still calls the file valid', async () => {
    const r = await mtsim(['validate', fixture('bare-duration.yaml')])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('valid scenario file')
    expect(r.stderr).toMatch(/warning: .*bare-duration\.yaml:10:15 streams\[0\]\.duration: 60 is a bare number, read as 60 ms; write "60ms", or "60s"/)
  })

  it('a p(99) over one latency fails as insufficient data (exit 99), in the console, results.json, summary.md and junit.xml', async () => {
    const out = cliOut('insufficient')
    const r = await mtsim(['run', fixture('bare-duration.yaml'), '--out', out, '--no-progress'])
    expect(r.stderr).toContain('60 is a bare number')
    expect(r.code).toBe(99)
    expect(r.stdout).toMatch(/thresholds: 1 of 1 FAILED \(1 on insufficient data/)
    expect(r.stdout).toMatch(/FAIL\s+overall\s+submit_latency p\(99\)<500\s+.*insufficient data: 1 of 100 samples/)
    const res = results(out)
    expect(res.totals.planned).toBe(1)
    expect(res.thresholds[0]).toMatchObject({ ok: false, insufficient: { samples: 1, needed: 100 } })
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('insufficient data: 1 of 100 samples')
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('insufficient data: 1 of 100 samples')
  })

  it('min_samples in the scenario lowers the bar: the same single message passes (exit 0)', async () => {
    const out = cliOut('min-samples')
    const r = await mtsim(['run', fixture('min-samples.yaml'), '--out', out, '--no-progress'])
    expect(r.stderr).not.toContain('bare number')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('thresholds: all 1 passed')
    expect(results(out).thresholds[0].insufficient).toBeUndefined()
  })
})
