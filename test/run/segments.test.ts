// Issues 3 and 4: `--segment` shares of a seeded run. The shares' plans add up to the whole plan
// exactly (uneven counts, uniform and Poisson streams), and because the simulator draws each
// message's fate from its content (not from arrival order), a network without throttles or
// windows that bind gives the same totals for the whole run and for the merged shares. Merged
// histograms are the exact sum of the shares'; on a deterministic data set their percentiles are
// those of the whole within HDR precision.
import { describe, it, expect, beforeAll } from 'vitest'
import { mergeResults } from '../../results/merge.js'
import { runScenario, type RunScenarioResult } from '../../run/run-scenario.js'
import type { ResultsFile, Totals } from '../../results/results-format.js'
import { addEncoded, createHistogram, decodeHistogram, encodeHistogram, percentiles } from '../../lib/hdr.js'
import { operator, outDir, scenario, stream, sum } from './helpers.js'

const SHARES = 3
const UNIFORM = 1201 // not a multiple of 3: shares of 401, 400, 400
const POISSON = 300

const sc = scenario({
  network: {
    seed: 77,
    operators: [
      operator('mixed', '4790', {
        failures: { statuses: [{ status: 'ESME_RSYSERR', rate: 0.04 }, { status: 'ESME_RINVSRCADR', rate: 0.02 }], no_response_rate: 0.01 },
        receipts: {
          delay: { distribution: 'uniform', min: '10ms', max: '100ms' },
          outcomes: [{ stat: 'DELIVRD', weight: 90 }, { stat: 'UNDELIV', weight: 7 }, { stat: 'EXPIRED', weight: 3 }],
          loss_rate: 0.03,
          duplicate_rate: 0.03,
        },
      }),
      operator('plain', '4740', {
        failures: { statuses: [{ status: 'ESME_RTHROTTLED', rate: 0.05 }] },
        receipts: { delay: { distribution: 'uniform', min: '10ms', max: '60ms' }, outcomes: [{ stat: 'DELIVRD', weight: 95 }, { stat: 'REJECTD', weight: 5 }] },
      }),
    ],
  },
  gateway: { kind: 'direct', window: 1000, response_timeout: '1s' },
  streams: [
    stream(1600, 2, ['mixed', 'plain'], { name: 'uniform', messages: UNIFORM }),
    stream(POISSON, 1, ['mixed', 'plain'], { name: 'poisson', arrivals: 'poisson' }),
  ],
  receipts: { wait: '1500ms' },
  scheduling: { max_lag: '5s' },
  thresholds: { sent: [`count==${UNIFORM + POISSON}`], 'sent{stream:poisson}': [`count==${POISSON}`] },
})

/** Everything but `late`, which depends on the machine's timing, not on the plan or the network. */
function counted(t: Totals): Omit<Totals, 'late'> {
  const { late: _late, ...rest } = t
  return rest
}

describe('--segment shares', () => {
  let whole: RunScenarioResult
  const shares: RunScenarioResult[] = []

  beforeAll(async () => {
    whole = await runScenario(sc, { outDir: outDir('whole') })
    for (let index = 1; index <= SHARES; index++) {
      shares.push(await runScenario(sc, { outDir: outDir(`share-${index}`), segment: { index, count: SHARES } }))
    }
  }, 60_000)

  it('add up to the plan exactly, each share sending only its own messages', () => {
    expect(whole.results.totals.planned).toBe(UNIFORM + POISSON)
    expect(shares.map((s) => s.results.meta.segment)).toEqual([0, 1, 2].map((index) => ({ index, count: SHARES })))
    expect(sum(Object.fromEntries(shares.map((s, i) => [i, s.results.totals.planned])))).toBe(UNIFORM + POISSON)
    // The uniform stream splits 401/400/400; Poisson's 300 split 100 each (k mod 3).
    expect(shares.map((s) => s.results.totals.planned)).toEqual([501, 500, 500])
    for (const s of [whole, ...shares]) {
      expect(s.results.totals.dropped).toBe(0)
      // What each run sent is exactly what its simulator received: no share sent another's messages.
      expect(sum(Object.fromEntries(s.simulator.map((o) => [o.id, o.messages])))).toBe(s.results.totals.sent)
    }
  })

  it('merged, give the totals, statuses and receipt states of the unsplit run', () => {
    const { results: merged, warnings } = mergeResults(shares.map((s, i) => ({ file: `share-${i + 1}.json`, results: s.results })))
    expect(warnings).toEqual([])
    expect(merged.meta.segment).toBeNull()
    const w = whole.results
    expect(counted(merged.totals)).toEqual(counted(w.totals))
    expect(merged.statuses).toEqual(w.statuses)
    expect(merged.receipts).toEqual(w.receipts)
    for (const id of ['mixed', 'plain']) {
      expect(counted(merged.operators[id]!.totals), id).toEqual(counted(w.operators[id]!.totals))
      expect(merged.operators[id]!.statuses, id).toEqual(w.operators[id]!.statuses)
      expect(merged.operators[id]!.receipts, id).toEqual(w.operators[id]!.receipts)
    }
    // The network's mix really was exercised (fixed seed: not luck).
    for (const k of ['rejected', 'failed', 'undelivered', 'rejected_by_operator', 'missing', 'duplicate_receipts'] as const) {
      expect(w.totals[k], k).toBeGreaterThan(0)
    }
    // Thresholds are evaluated again on the sums: each share sent a third, the whole all of it.
    expect(shares.every((s) => s.exitCode === 99)).toBe(true)
    expect(whole.exitCode).toBe(0)
    expect(merged.thresholds.map((t) => [t.metric, t.scope, t.ok, t.observed])).toEqual([
      ['sent', 'overall', true, UNIFORM + POISSON],
      ['sent', 'stream:poisson', true, POISSON],
    ])
  })

  it('merged, give the unsplit run\'s figures per stream and per (stream, operator) cell', () => {
    const merged = mergeResults(shares.map((s, i) => ({ file: `share-${i + 1}.json`, results: s.results }))).results
    const w = whole.results
    expect(Object.keys(merged.streams!)).toEqual(['poisson', 'uniform'])
    expect(merged.streams!.uniform!.totals.planned).toBe(UNIFORM)
    for (const name of ['uniform', 'poisson']) {
      const m = merged.streams![name]!
      const ws = w.streams![name]!
      expect(counted(m.totals), name).toEqual(counted(ws.totals))
      expect(m.statuses, name).toEqual(ws.statuses)
      expect(m.receipts, name).toEqual(ws.receipts)
      expect(Object.keys(m.operators).sort()).toEqual(['mixed', 'plain'])
      for (const id of ['mixed', 'plain']) {
        expect(counted(m.operators[id]!.totals), `${name} ${id}`).toEqual(counted(ws.operators[id]!.totals))
        expect(m.operators[id]!.statuses, `${name} ${id}`).toEqual(ws.operators[id]!.statuses)
        // Histograms of a cell: the exact sum of the shares' cells, counting what the whole run's cell counts.
        const mine = createHistogram()
        for (const sh of shares) mine.add(decodeHistogram(sh.results.streams![name]!.operators[id]!.histograms.receipt.corrected))
        expect(merged.streams![name]!.operators[id]!.histograms.receipt.corrected).toBe(encodeHistogram(mine))
        expect(mine.totalCount).toBe(decodeHistogram(ws.operators[id]!.histograms.receipt.corrected).totalCount)
      }
    }
    // The per-stream time series merge too: each stream's sends add up to its total.
    for (const name of ['uniform', 'poisson']) {
      expect(merged.timeseries.reduce((a, p) => a + p.streams![name]!.sent, 0)).toBe(w.streams![name]!.totals.sent)
    }
  })

  it('merged histograms are the exact sum of the shares\' (counts add, buckets add)', () => {
    const merged = mergeResults(shares.map((s, i) => ({ file: `share-${i + 1}.json`, results: s.results }))).results
    for (const name of ['submit', 'receipt', 'transit'] as const) {
      for (const kind of ['corrected', 'uncorrected'] as const) {
        const parts = shares.map((s) => s.results.histograms[name][kind])
        const mine = createHistogram()
        for (const p of parts) mine.add(decodeHistogram(p))
        const theirs = decodeHistogram(merged.histograms[name][kind])
        expect(theirs.totalCount, `${name} ${kind}`).toBe(sum(Object.fromEntries(parts.map((p, i) => [i, decodeHistogram(p).totalCount]))))
        expect(encodeHistogram(theirs), `${name} ${kind}`).toBe(encodeHistogram(mine))
      }
    }
    const answered = merged.totals.accepted + merged.totals.rejected
    expect(decodeHistogram(merged.histograms.submit.corrected).totalCount).toBe(answered)
    expect(decodeHistogram(whole.results.histograms.submit.corrected).totalCount).toBe(answered)
  })

  it('on deterministic latencies, merged percentiles are the whole run\'s, within HDR precision of the true values', () => {
    // The same 30 000 latencies (a spread from 0.2 ms to 2.5 s), recorded once whole and once
    // dealt into the three shares by message number, as --segment deals them.
    const values = Array.from({ length: 30_000 }, (_, k) => 200 + ((k * 7919) % 30_000) ** 2 / 360)
    const wholeHist = createHistogram()
    const shareHists = shares.map(() => createHistogram())
    values.forEach((v, k) => {
      wholeHist.recordValue(Math.round(v))
      shareHists[k % SHARES]!.recordValue(Math.round(v))
    })
    const withHist = (r: ResultsFile, h: string): ResultsFile => ({
      ...r,
      histograms: { ...r.histograms, submit: { corrected: h, uncorrected: h } },
    })
    const merged = mergeResults(shares.map((s, i) => ({ file: `s${i}`, results: withHist(s.results, encodeHistogram(shareHists[i]!)) }))).results
    const got = percentiles(addEncoded([merged.histograms.submit.corrected]))
    // As the unsplit run's results.json would hold it (encoded: max reads as its bucket's top).
    const want = percentiles(decodeHistogram(encodeHistogram(wholeHist)))
    expect(got).toEqual(want)
    const sorted = values.map(Math.round).sort((a, b) => a - b)
    for (const [q, key] of [[50, 'p50'], [90, 'p90'], [99, 'p99'], [99.9, 'p999']] as const) {
      const exact = sorted[Math.ceil((q / 100) * sorted.length) - 1]!
      // 3 significant digits: a recorded value is within 1/1000 of the bucket it lands in.
      expect(Math.abs(got[key] - exact), `p${q}`).toBeLessThanOrEqual(exact / 1000 + 1)
    }
    expect(Math.abs(got.max - sorted.at(-1)!)).toBeLessThanOrEqual(sorted.at(-1)! / 1000 + 1)
    expect(got.count).toBe(values.length)
  })
})
