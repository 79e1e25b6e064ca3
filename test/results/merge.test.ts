// Shares of one seeded run merge to exactly the whole: same totals, same per-operator books,
// same statuses and receipts, histograms with the same counts and percentiles, the same time
// series; thresholds evaluated again on the merged figures. Different runs refuse to merge.
import { describe, it, expect } from 'vitest'
import { mergeResults, stableJson } from '../../results/merge.js'
import { decodeHistogram, percentiles } from '../../lib/hdr.js'
import { ExitCode, MtsimError } from '../../lib/errors.js'
import { syntheticRun, syntheticShares } from '../reports/fixtures.js'
import type { ResultsFile } from '../../results/results-format.js'

const named = (list: ResultsFile[]) => list.map((results, i) => ({ file: `share-${i}.json`, results }))

function expectSameHistogram(a: string, b: string, what: string) {
  const pa = percentiles(decodeHistogram(a))
  const pb = percentiles(decodeHistogram(b))
  expect(pa.count, what).toBe(pb.count)
  for (const k of ['min', 'p50', 'p90', 'p99', 'p999', 'max'] as const) {
    // 3 significant digits: equal values land in equal buckets; allow one part in a thousand.
    expect(Math.abs(pa[k] - pb[k]), `${what} ${k}`).toBeLessThanOrEqual(pb[k] / 1000)
  }
}

describe('mergeResults', () => {
  const whole = syntheticRun({ seed: 7, rate: 150, durationS: 60 })
  const shares = syntheticShares(4, { seed: 7, rate: 150, durationS: 60 })

  it('the shares really split the run (each has a quarter of the plan, none is empty)', () => {
    expect(shares.map((s) => s.totals.planned)).toEqual([2250, 2250, 2250, 2250])
    expect(shares.every((s) => s.totals.delivered > 0 && s.totals.failed > 0)).toBe(true)
  })

  it('adds every count exactly, overall and per operator', () => {
    const { results, warnings } = mergeResults(named(shares))
    expect(warnings).toEqual([])
    expect(results.totals).toEqual(whole.totals)
    expect(results.statuses).toEqual(whole.statuses)
    expect(results.receipts).toEqual(whole.receipts)
    for (const id of Object.keys(whole.operators)) {
      expect(results.operators[id]!.totals, id).toEqual(whole.operators[id]!.totals)
      expect(results.operators[id]!.statuses, id).toEqual(whole.operators[id]!.statuses)
      expect(results.operators[id]!.receipts, id).toEqual(whole.operators[id]!.receipts)
    }
    expect(results.meta.segment).toBeNull()
    expect(results.meta.durationMs).toBe(whole.meta.durationMs)
  })

  it('adds histograms: percentiles of the merge are those of the whole run', () => {
    const { results } = mergeResults(named(shares))
    for (const kind of ['submit', 'receipt', 'transit'] as const) {
      for (const c of ['corrected', 'uncorrected'] as const) {
        expectSameHistogram(results.histograms[kind][c], whole.histograms[kind][c], `${kind} ${c}`)
        expectSameHistogram(results.operators['telco-b']!.histograms[kind][c], whole.operators['telco-b']!.histograms[kind][c], `telco-b ${kind} ${c}`)
      }
    }
  })

  it('aligns the time series on t and adds counters, gauges and per-interval histograms', () => {
    // Shares end at different times (their last receipts differ): alignment is by t, not index.
    expect(new Set(shares.map((s) => s.timeseries.length)).size).toBeGreaterThan(1)
    const { results } = mergeResults(named([shares[2]!, shares[0]!, shares[3]!, shares[1]!]))
    expect(results.timeseries.map((p) => p.t)).toEqual(whole.timeseries.map((p) => p.t))
    results.timeseries.forEach((p, i) => {
      const w = whole.timeseries[i]!
      const { submit, receipt, ...counts } = p
      const { submit: ws, receipt: wr, ...wcounts } = w
      expect(counts, `t=${p.t}`).toEqual(wcounts)
      expect(decodeHistogram(submit).totalCount).toBe(decodeHistogram(ws).totalCount)
      expect(decodeHistogram(receipt).totalCount).toBe(decodeHistogram(wr).totalCount)
    })
  })

  it('adds the network\'s side of every share (counts, bind events by time, series on t); leaves the gateway\'s out', () => {
    const side = (k: number): NonNullable<ResultsFile['network']> => ({
      operators: {
        telia: {
          submits: { first: 10 * k, repeated: k, untagged: 0 }, answers: { ESME_ROK: 10 * k, ESME_RTHROTTLED: k }, unanswered: k,
          binds: { opened: 1, refused: 0, dropped: 1, events: [{ t: 100 * k, kind: 'opened' }] },
          receipts: { sent: { DELIVRD: 9 * k }, acked: 9 * k, resent: 0, lost: 0, duplicated: 0, backlog: k },
        },
      },
      timeseries: [0, 1000].map((t) => ({ t, operators: { telia: { first: 5 * k, repeated: 0, throttled: k, errors: 0, unanswered: 0, binds: 1, receipts: k, backlog: 0 } } })),
    })
    const parts = shares.slice(0, 2).map((s, i) => ({ ...s, network: side(i + 1), gateway: { source: 'kannel', url: 'x', failedPolls: 0, samples: [], end: null } }))
    const m = mergeResults(named(parts), { partial: true }).results
    const o = m.network!.operators.telia!
    expect(o.submits).toEqual({ first: 30, repeated: 3, untagged: 0 })
    expect(o.answers).toEqual({ ESME_ROK: 30, ESME_RTHROTTLED: 3 })
    expect(o.binds.events.map((e) => e.t)).toEqual([100, 200])
    expect(m.network!.timeseries).toEqual([0, 1000].map((t) => ({ t, operators: { telia: { first: 15, repeated: 0, throttled: 3, errors: 0, unanswered: 0, binds: 2, receipts: 3, backlog: 0 } } })))
    expect(m.gateway).toBeUndefined()
    // A share without the network's side: no merged side (it would cover part of the run).
    expect(mergeResults(named([parts[0]!, shares[1]!]), { partial: true }).results.network).toBeUndefined()
  })

  it('lists each fault window once', () => {
    const { results } = mergeResults(named(shares))
    expect(results.faults).toEqual(whole.faults)
  })

  it('re-evaluates thresholds on the merged figures (not per share)', () => {
    const { results } = mergeResults(named(shares))
    expect(results.thresholds).toEqual(whole.thresholds)
    // And they are not just copied from a share: shares see a quarter of the drops.
    const dropped = (r: ResultsFile) => r.thresholds.find((t) => t.metric === 'dropped')!.observed
    expect(dropped(results)).toBe(whole.totals.dropped)
    expect(dropped(shares[0]!)).toBe(shares[0]!.totals.dropped)
    expect(dropped(shares[0]!)).toBeLessThan(whole.totals.dropped)
  })

  it('refuses a set with a share missing, naming it: no silent partial merge', () => {
    expect(() => mergeResults(named([shares[0]!, shares[1]!, shares[3]!]))).toThrow('incomplete run: share(s) 3 of 4 missing')
    // A lone share of several is not a whole run either.
    expect(() => mergeResults(named([shares[2]!]))).toThrow('incomplete run: share(s) 1, 2, 4 of 4 missing')
    const thrown = (() => {
      try {
        mergeResults(named([shares[1]!]))
      } catch (err) {
        return err
      }
    })()
    expect(thrown).toBeInstanceOf(MtsimError)
    expect((thrown as MtsimError).exitCode).toBe(ExitCode.incompleteRun)
  })

  it('with --shares N, refuses files of another cut, naming them', () => {
    expect(() => mergeResults(named(shares), { shares: 3 })).toThrow('cannot merge these results: --shares 3 expects shares of a run cut into 3')
    expect(mergeResults(named(shares), { shares: 4 }).results.meta.segment).toBeNull()
  })

  it('merges a partial set only when asked, with a warning and the partial marker', () => {
    const { results, warnings } = mergeResults(named([shares[0]!, shares[1]!, shares[3]!]), { partial: true })
    expect(warnings).toEqual(['share(s) 3 of 4 missing: figures cover part of the run'])
    expect(results.meta.segment).toEqual({ index: 0, count: 4 })
    expect(results.totals.planned).toBe(3 * 2250)
  })

  it('refuses results of different runs, saying which files differ and how', () => {
    const other = syntheticShares(2, { seed: 8, rate: 150, durationS: 60 })
    const renamed = syntheticShares(2, { seed: 7, rate: 150, durationS: 60, name: 'other-scenario' })
    const cases: [ResultsFile[], string[]][] = [
      [[syntheticShares(2, { seed: 7, rate: 150, durationS: 60 })[0]!, other[1]!], ['share-1.json has seed 8, share-0.json has seed 7']],
      [[shares[0]!, renamed[1]!], ['share-1.json ran scenario "other-scenario", share-0.json ran "synthetic-mixed-faults"']],
      [
        [shares[0]!, syntheticShares(4, { seed: 7, rate: 100, durationS: 60 })[1]!],
        ['share-1.json ran scenario "synthetic-mixed-faults", share-0.json ran "synthetic-mixed-faults" with different settings'],
      ],
    ]
    for (const [list, details] of cases) {
      let err: unknown
      try {
        mergeResults(named(list))
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(MtsimError)
      expect((err as MtsimError).message).toBe('cannot merge these results: they come from different runs (only --segment shares of one run merge)')
      expect((err as MtsimError).details).toEqual(details)
    }
    expect(() => mergeResults(named([shares[1]!, shares[1]!]))).toThrow('share-0.json and share-1.json are the same share (2 of 4)')
    expect(() => mergeResults(named([whole, shares[1]!]))).toThrow('share-0.json is a whole run, not a --segment share')
    expect(() => mergeResults(named([shares[0]!, syntheticShares(3, { seed: 7, rate: 150, durationS: 60 })[1]!]))).toThrow(
      'the shares were cut differently (--segment counts 4, 3)',
    )
  })

  it('a single file passes through untouched', () => {
    expect(mergeResults(named([whole])).results).toBe(whole)
  })

  it('stableJson ignores key order', () => {
    expect(stableJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 2 } })).toBe(stableJson({ a: { c: 2, d: [1, { y: 2, z: 1 }] }, b: 1 }))
  })
})

describe('mergeResults without a thresholds mapping', () => {
  it('leaves thresholds out and says why rather than copying one share\'s verdicts', () => {
    const shares = syntheticShares(2, { durationS: 10, rate: 20 }).map((s) => ({ ...s, meta: { ...s.meta, scenario: null } }))
    expect(shares[0]!.thresholds.length).toBeGreaterThan(0)
    const { results, warnings } = mergeResults(named(shares))
    expect(results.thresholds).toEqual([])
    expect(warnings).toEqual(['the shares carry threshold results but no thresholds mapping in meta.scenario: thresholds were not re-evaluated and are left out'])
  })
})

describe('mergeResults: send delays (issue 14)', () => {
  const withDelays = (s: ResultsFile, i: number): ResultsFile => ({
    ...s,
    sendDelays: {
      window: { 'telco-a': { dropped: s.totals.dropped, late: s.totals.late, inFlight: 10 + i } },
      behind: { dropped: 0, late: 0, maxLateMs: 100 * i },
      interrupted: { dropped: 0 },
      loop: { delayP99Ms: i, delayMaxMs: 50 * i, cpuPercent: 20 + i },
    },
  })

  it('adds the counts and the in-flight figures of the shares (binds of their own), keeps the worst lateness, delay and CPU', () => {
    const shares = syntheticShares(3, { seed: 3, rate: 50, durationS: 10 }).map(withDelays)
    const m = mergeResults(named(shares)).results
    expect(m.sendDelays!.window['telco-a']).toEqual({ dropped: m.totals.dropped, late: m.totals.late, inFlight: 10 + 11 + 12 })
    expect(m.sendDelays!.behind.maxLateMs).toBe(200)
    expect(m.sendDelays!.loop).toEqual({ delayP99Ms: 2, delayMaxMs: 100, cpuPercent: 22 })
  })

  it('leaves them out when a share has none (a file from before they existed): the reasons would not add up', () => {
    const shares = syntheticShares(2, { seed: 3, rate: 50, durationS: 10 })
    const m = mergeResults(named([withDelays(shares[0]!, 0), shares[1]!])).results
    expect(m.sendDelays).toBeUndefined()
  })
})

describe('mergeResults per stream', () => {
  it('leaves the streams out, with a warning, when some share has none (version 1)', () => {
    const shares = syntheticShares(2, { seed: 3, rate: 20, durationS: 4 })
    const cell = { ...shares[0]!.operators[Object.keys(shares[0]!.operators)[0]!]! }
    const withStreams: ResultsFile = { ...shares[0]!, streams: { otp: { ...cell, operators: {} } } }
    const { results, warnings } = mergeResults(named([withStreams, shares[1]!]))
    expect(results.streams).toBeUndefined()
    expect(warnings).toEqual(['some shares carry no per-stream figures (results version 1): the merged run has none'])
  })
})
