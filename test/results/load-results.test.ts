// Reading results files: the version is checked first, with a clear error naming the file, the
// version found and the one this mtsim reads; damaged files are reported by path, never a crash.
import { describe, it, expect } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadResults, parseResults } from '../../results/load-results.js'
import { MtsimError } from '../../lib/errors.js'
import { syntheticRun } from '../reports/fixtures.js'

const dir = mkdtempSync(join(tmpdir(), 'mtsim-load-'))
function write(name: string, value: unknown): string {
  const file = join(dir, name)
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value))
  return file
}
function failure(fn: () => unknown): MtsimError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(MtsimError)
    return err as MtsimError
  }
  throw new Error('expected an MtsimError')
}

describe('loadResults', () => {
  it('round-trips a results file exactly', () => {
    const r = syntheticRun({ durationS: 5, rate: 20 })
    expect(loadResults(write('ok.json', r))).toEqual(r)
  })

  it('reads no_receipt_requested as 0 in a file written before it existed', () => {
    const r = syntheticRun({ durationS: 2, rate: 5 })
    const old = JSON.parse(JSON.stringify(r)) as typeof r
    delete old.totals.no_receipt_requested
    for (const o of Object.values(old.operators)) delete o.totals.no_receipt_requested
    expect(loadResults(write('before-no-receipt.json', old))).toEqual(r)
  })

  it('reads a version 1 file as version 2 with no per-stream figures', () => {
    const r = syntheticRun({ durationS: 2, rate: 5 })
    const v1 = { ...JSON.parse(JSON.stringify(r)), version: 1 }
    delete v1.streams
    for (const p of v1.timeseries) delete p.streams
    const read = loadResults(write('v1.json', v1))
    expect(read.version).toBe(2)
    expect(read.streams).toBeUndefined()
    expect({ ...read, streams: r.streams, timeseries: r.timeseries }).toEqual(r)
  })

  it('migrates a version 1 file: the gateway counts it could not tell apart read as 0, nothing else changes', () => {
    const r = syntheticRun({ durationS: 2, rate: 5 })
    const v1 = JSON.parse(JSON.stringify(r)) as Record<string, unknown> & typeof r
    delete v1.streams
    for (const p of v1.timeseries) delete p.streams
    const drop = (t: Record<string, unknown>) => {
      for (const k of ['failed_in_gateway', 'held_by_gateway', 'arrived', 'lost_in_gateway']) delete t[k]
    }
    drop(v1.totals as unknown as Record<string, unknown>)
    for (const o of Object.values(v1.operators)) drop(o.totals as unknown as Record<string, unknown>)
    const read = loadResults(write('v1.json', { ...v1, version: 1 }))
    expect(read.version).toBe(2)
    expect({ ...read, streams: r.streams, timeseries: r.timeseries }).toEqual(r)
    expect(read.totals.failed_in_gateway + read.totals.held_by_gateway + read.totals.arrived + read.totals.lost_in_gateway).toBe(0)
  })

  it('refuses an older version, naming the file, the version found and the one expected', () => {
    const file = write('old.json', { ...syntheticRun({ durationS: 2, rate: 5 }), version: 0 })
    const err = failure(() => loadResults(file))
    expect(err.code).toBe('MTSIM_ERR_RESULTS')
    expect(err.exitCode).toBe(104)
    expect(err.message).toBe(`${file}: results version 0 is too old: this mtsim reads version 2 and cannot migrate version 0 (re-run the scenario with this mtsim)`)
  })

  it('refuses a newer version and says to upgrade', () => {
    const file = write('new.json', { ...syntheticRun({ durationS: 2, rate: 5 }), version: 7 })
    expect(failure(() => loadResults(file)).message).toBe(
      `${file}: results version 7 was written by a newer mtsim; this mtsim reads version 2 (upgrade mtsim to report on it)`,
    )
  })

  it('refuses files that are not mtsim results', () => {
    expect(failure(() => loadResults(write('k6.json', { metrics: {} }))).message).toMatch(/not an mtsim results file: expected schema "mtsim\/results", found no schema key$/)
    expect(failure(() => loadResults(write('list.json', [1, 2]))).message).toMatch(/found a list$/)
    expect(failure(() => loadResults(write('broken.json', '{"schema": "mtsim/res'))).message).toMatch(/broken\.json: not valid JSON \(/)
    const missing = join(dir, 'nope.json')
    expect(failure(() => loadResults(missing)).message).toBe(`${missing}: cannot read it (ENOENT)`)
  })

  it('reports every damaged field with its path, expected and found', () => {
    const r = syntheticRun({ durationS: 2, rate: 5 }) as unknown as Record<string, any>
    r.totals.sent = -3
    delete r.histograms.submit.corrected
    r.timeseries[1].surprise = true
    const err = failure(() => parseResults(r, 'damaged.json'))
    expect(err.code).toBe('MTSIM_ERR_CONFIG_INVALID')
    expect(err.exitCode).toBe(104)
    expect(err.details).toEqual([
      'damaged.json totals.sent: expected a count, 0 or more, found -3',
      'damaged.json histograms.submit.corrected: expected this key (it is required), found nothing',
      expect.stringMatching(/^damaged\.json timeseries\[1\]\.surprise: expected one of the keys t, planned, .*, found unknown key "surprise"$/),
    ])
  })
})
