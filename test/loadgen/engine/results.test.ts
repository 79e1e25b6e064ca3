// results.json on disk: valid per the format, histograms decodable and consistent with the counts,
// the time series written line by line while the run goes, and an aborted run still complete.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runLoad } from '../../../loadgen/engine/engine.js'
import { FakeTransport } from '../../support/fake-transport.js'
import { RESULTS_SCHEMA, RESULTS_VERSION, type ResultsFile, type TimePoint } from '../../../results/results-format.js'
import { parseThresholds } from '../../../results/thresholds.js'
import { addEncoded, decodeHistogram } from '../../../lib/hdr.js'
import { constantPlan, messages, outDir, scenario } from './helpers.js'
import { waitFor } from '../../support/wait.js'

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [])

describe('engine results', () => {
  it('without keeping the time series in memory, still writes every point to results.json (from the ndjson)', async () => {
    const dir = outDir()
    const fake = new FakeTransport({ seed: 9, receiptDelayMs: { min: 2, max: 10 } })
    const returned = await runLoad({
      scenario: scenario({ waitMs: 200 }), plan: constantPlan([{ rate: 1000, count: 2500 }]), transport: fake, outDir: dir, traffic: messages(), keepTimeseries: false,
    })
    expect(returned.timeseries).toEqual([])
    const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile
    const fromLog = lines(join(dir, 'timeseries.ndjson')).map((l) => JSON.parse(l) as TimePoint)
    expect(fromLog.length).toBeGreaterThanOrEqual(3)
    expect(r.timeseries).toEqual(fromLog)
    expect({ ...r, timeseries: [] }).toEqual(returned)
    expect(r.timeseries.reduce((n, p) => n + p.sent, 0)).toBe(2500)
  })

  it('writes results.json per the format and the time series as the run goes', async () => {
    const dir = outDir()
    const series = join(dir, 'timeseries.ndjson')
    const fake = new FakeTransport({ seed: 9, rejectRate: 0.1, receiptDelayMs: { min: 2, max: 10 } })
    // Watched while the run goes (the plan lasts 2 s): a whole second is on disk before it ends.
    let midRun: string[] = []
    let ended = false
    const watch = waitFor(() => ended || (midRun = lines(series)).length >= 1, 60_000, 'a first time-series line')
    const returned = await runLoad({ scenario: scenario({ waitMs: 200 }), plan: constantPlan([{ rate: 500, count: 1000 }]), transport: fake, outDir: dir, traffic: messages() })
    ended = true
    await watch
    expect(midRun.length).toBeGreaterThanOrEqual(1)
    expect((JSON.parse(midRun[0]) as TimePoint).t).toBe(0)

    const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile
    expect(r).toEqual(returned)
    expect(r.schema).toBe(RESULTS_SCHEMA)
    expect(r.version).toBe(RESULTS_VERSION)
    expect(Object.keys(r).sort()).toEqual(['faults', 'histograms', 'meta', 'operators', 'receipts', 'schema', 'sendDelays', 'statuses', 'streams', 'thresholds', 'timeseries', 'totals', 'version'])
    expect(r.meta.versions.node).toBe(process.versions.node)
    expect(r.meta.versions.mtsim).toMatch(/^\d+\.\d+\.\d+/)
    expect(r.meta.interrupted).toBe(false)
    expect(r.meta.gateway).toBe('fake')
    expect(r.meta.intervalMs).toBe(1000)
    expect([r.totals.planned, r.totals.sent]).toEqual([1000, fake.counters.sent])

    // Histograms decode, and count exactly what they measure.
    const t = r.totals
    expect(decodeHistogram(r.histograms.submit.corrected).totalCount).toBe(t.accepted + t.rejected)
    expect(decodeHistogram(r.histograms.submit.uncorrected).totalCount).toBe(t.accepted + t.rejected)
    const finals = t.delivered + t.undelivered + t.expired + t.rejected_by_operator + t.other_final
    expect(finals).toBe(t.accepted)
    expect(decodeHistogram(r.histograms.receipt.corrected).totalCount).toBe(finals)
    expect(decodeHistogram(r.histograms.transit.corrected).totalCount).toBe(0) // no in-process network here
    for (const o of Object.values(r.operators)) expect(decodeHistogram(o.histograms.submit.corrected).totalCount).toBe(o.totals.accepted + o.totals.rejected)

    // The time series: one line per interval, the same points as in results.json, adding up to the totals.
    const points = lines(series).map((l) => JSON.parse(l) as TimePoint)
    expect(points).toEqual(r.timeseries)
    expect(points.map((p) => p.t)).toEqual(points.map((_, i) => i * 1000))
    const sum = (k: 'planned' | 'sent' | 'accepted' | 'rejected' | 'receipts') => points.reduce((a, p) => a + p[k], 0)
    expect([sum('planned'), sum('sent'), sum('accepted'), sum('rejected'), sum('receipts')]).toEqual([t.planned, t.sent, t.accepted, t.rejected, finals])
    expect(addEncoded(points.map((p) => p.submit)).totalCount).toBe(t.accepted + t.rejected)
    expect(points.reduce((a, p) => a + (p.errors.ESME_RTHROTTLED ?? 0), 0)).toBe(t.rejected)
    expect(points.reduce((a, p) => a + p.operators!.alpha.sent, 0)).toBe(r.operators.alpha.totals.sent)
  })

  it('an aborted run stops sending and still writes balanced results with interrupted and pending', async () => {
    const dir = outDir()
    const fake = new FakeTransport({ seed: 11, latencyMs: { min: 1, max: 4 }, receiptDelayMs: { min: 10_000, max: 20_000 } })
    const ac = new AbortController()
    // Stopped from outside once 200 sends went out (an event, so a slow machine only stops it later).
    void waitFor(() => fake.counters.sent >= 200, 60_000, '200 sends').then(() => ac.abort())
    const r = await runLoad({ scenario: scenario({ waitMs: 60_000 }), plan: constantPlan([{ rate: 1000, count: 3000 }]), transport: fake, outDir: dir, traffic: messages(), signal: ac.signal, graceMs: 200 })
    const onDisk = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile
    expect(onDisk.meta.interrupted).toBe(true)
    expect(onDisk.totals).toEqual(r.totals) // the file says what the run returned
    const t = onDisk.totals
    expect(t.planned).toBeLessThan(3000)
    expect(t.planned).toBeGreaterThan(100)
    expect(t.sent).toBe(fake.counters.sent)
    expect(t.pending).toBe(t.accepted) // receipts were 10 s away: every accepted message is still pending
    expect(t.missing).toBe(0)
    expect(r.meta.durationMs).toBeLessThan(3000) // stopped long before the 3 s plan's end
  })

  it('aborts on an abortOnFail threshold once its delay has passed', async () => {
    const fake = new FakeTransport({ seed: 12, rejectRate: 0.5 })
    const thresholds = parseThresholds({ accept_rate: [{ threshold: 'rate>=0.9', abortOnFail: true, delayAbortEval: '1s' }] }, 'test')
    const r = await runLoad({ scenario: scenario({ thresholds }), plan: constantPlan([{ rate: 500, count: 2500 }]), transport: fake, outDir: outDir(), traffic: messages(), graceMs: 100 })
    expect(r.meta.interrupted).toBe(true)
    expect(r.totals.planned).toBeGreaterThanOrEqual(500) // not before the 1 s delay
    expect(r.totals.planned).toBeLessThan(2500)
    expect(r.thresholds).toHaveLength(1)
    expect(r.thresholds[0]).toMatchObject({ metric: 'accept_rate', ok: false, abortOnFail: true })
  })
})
