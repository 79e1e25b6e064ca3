// Thresholds: k6 syntax parsed into defs, evaluated on encoded results (overall and per operator),
// with no-data cases failing rather than passing on nothing.
import { describe, expect, it } from 'vitest'
import { createHistogram, encodeHistogram, recordUs } from '../../lib/hdr.js'
import { MtsimError } from '../../lib/errors.js'
import type { Histograms, Totals } from '../../results/results-format.js'
import { evaluateThresholds, parseThresholds, type ThresholdData } from '../../results/thresholds.js'

function totals(over: Partial<Totals> = {}): Totals {
  const zero: Totals = {
    planned: 0, sent: 0, dropped: 0, late: 0, accepted: 0, rejected: 0, failed: 0, delivered: 0, undelivered: 0, expired: 0,
    rejected_by_operator: 0, failed_in_gateway: 0, other_final: 0, pending: 0, missing: 0, held_by_gateway: 0, arrived: 0,
    lost_in_gateway: 0, duplicate_receipts: 0, unknown_receipts: 0,
    intermediate_receipts: 0, misrouted: 0, duplicate_submits: 0, segments: 0,
  }
  return { ...zero, ...over }
}

/** Latencies in ms -> an encoded histogram (microseconds). */
function hist(ms: number[]): string {
  const h = createHistogram()
  for (const x of ms) recordUs(h, x * 1000)
  return encodeHistogram(h)
}

function histograms(submitMs: number[], receiptMs: number[] = [], uncorrectedMs: number[] = submitMs): Histograms {
  return {
    submit: { corrected: hist(submitMs), uncorrected: hist(uncorrectedMs) },
    receipt: { corrected: hist(receiptMs), uncorrected: hist(receiptMs) },
    transit: { corrected: '', uncorrected: '' },
  }
}

// 1..100 ms: p(99) = 99, med = 50, avg = 50.5, min 1, max 100 (to HDR's 3 significant digits).
const ramp = Array.from({ length: 100 }, (_, i) => i + 1)
const data: ThresholdData = {
  durationMs: 10_000,
  totals: totals({ planned: 1000, sent: 990, dropped: 10, accepted: 900, rejected: 90, delivered: 855, missing: 0 }),
  histograms: histograms(ramp, [2000, 4000], ramp.map((x) => x / 2)),
  operators: {
    'telco-a': { totals: totals({ sent: 500, accepted: 500, delivered: 500 }), histograms: histograms([10, 20, 30]) },
    'telco-b': { totals: totals({ sent: 490, accepted: 400 }), histograms: histograms([]) },
  },
}

function run(thresholds: Record<string, (string | { threshold: string; abortOnFail?: boolean; min_samples?: number })[]>) {
  return evaluateThresholds(parseThresholds(thresholds, 't.yaml', ['telco-a', 'telco-b', 'telco-c']), data)
}

describe('evaluate', () => {
  const table: [string, string, boolean, number | null][] = [
    // key, expression, ok, observed
    ['submit_latency', 'p(99)<250', true, 99],
    ['submit_latency', 'p(99)<99', false, 99],
    ['submit_latency', 'p(99)<=99.1', true, 99],
    ['submit_latency', 'med<50.1', true, 50],
    ['submit_latency', 'avg>50', true, 50.5],
    ['submit_latency', 'min>=1', true, 1],
    ['submit_latency', 'max>100.5', false, 100],
    ['submit_latency_uncorrected', 'max<=50.1', true, 50],
    ['receipt_latency', 'p(50)<2500', true, 2000],
    ['transit_latency', 'p(99)<1', false, null], // no samples: fails
    ['delivery_rate', 'rate>=0.95', true, 0.95],
    ['accept_rate', 'rate>0.95', false, 900 / 990],
    ['drop_rate', 'rate<0.02', true, 0.01],
    ['missing', 'count==0', true, 0],
    ['rejected', 'count<90', false, 90],
    ['sent', 'rate>=99', true, 99], // per second over 10 s
    ['submit_latency{operator:telco-a}', 'p(95)<100', false, 30], // 3 samples: insufficient for p(95) (needs 20)
    ['submit_latency{operator:telco-a}', 'max<100', true, 30],
    ['submit_latency{operator:telco-b}', 'p(95)<100', false, null], // no samples for telco-b
    ['delivery_rate{operator:telco-b}', 'rate>0.5', false, 0],
    ['missing_rate{operator:telco-c}', 'rate<0.1', false, null], // operator absent: no accepted
    ['missing{operator:telco-c}', 'count==0', false, 0], // nothing planned for telco-c: insufficient
  ]
  for (const [key, expr, ok, observed] of table) {
    it(`${key}: ${expr} -> ${ok ? 'pass' : 'fail'} (observed ${observed})`, () => {
      const [out] = run({ [key]: [expr] })
      expect(out.ok).toBe(ok)
      if (observed === null) expect(out.observed).toBeNull()
      // Histograms keep 3 significant digits: observed is within 0.1% of the recorded value.
      else expect(Math.abs((out.observed ?? NaN) - observed)).toBeLessThanOrEqual(observed * 1e-3 + 1e-9)
      expect(out.expression).toBe(expr)
      expect(out.scope).toBe(key.includes('{') ? key.slice(key.indexOf(':') + 1, -1) : 'overall')
    })
  }

  it('insufficient data: too few samples fail with samples and needed, unless min_samples lowers the bar', () => {
    const out = run({
      'submit_latency{operator:telco-a}': ['p(95)<100', { threshold: 'p(95)<100', min_samples: 3 }, { threshold: 'p(99)<100', min_samples: 0 }],
      submit_latency: ['p(99)<250', 'p(99.9)<250'],
      'delivery_rate{operator:telco-b}': ['rate<1'],
      'missing{operator:telco-c}': ['count==0'],
    })
    expect(out.map((o) => [o.ok, o.insufficient ?? null])).toEqual([
      [false, { samples: 3, needed: 20 }],
      [true, null],
      [true, null],
      [true, null], // 100 samples: p(99) is judged
      [false, { samples: 100, needed: 1000 }],
      [true, null], // 400 accepted
      [false, { samples: 0, needed: 1 }],
    ])
    const small: ThresholdData = { ...data, totals: totals({ planned: 5, sent: 5, accepted: 5, delivered: 5 }) }
    const [rate] = evaluateThresholds(parseThresholds({ delivery_rate: ['rate>0.9'] }, 't.yaml'), small)
    expect([rate.ok, rate.observed, rate.insufficient]).toEqual([false, 1, { samples: 5, needed: 10 }])
  })

  it('keeps order, abortOnFail and delayAbortEval; spaces in expressions are allowed', () => {
    const defs = parseThresholds({ accepted: [{ threshold: 'rate >= 90', abortOnFail: true, delayAbortEval: '10s' }, 'count > 1'] }, 't.yaml')
    expect(defs.map((d) => [d.expression, d.abortOnFail, d.delayAbortEvalMs])).toEqual([['rate>=90', true, 10_000], ['count>1', false, 0]])
    expect(evaluateThresholds(defs, data).map((o) => [o.ok, o.observed, o.abortOnFail])).toEqual([[true, 90, true], [true, 900, false]])
  })

  it('a run of zero length has no counter rate', () => {
    const [out] = evaluateThresholds(parseThresholds({ sent: ['rate>0'] }, 't.yaml'), { ...data, durationMs: 0 })
    expect(out).toMatchObject({ ok: false, observed: null })
  })
})

describe('parse errors', () => {
  it('lists every bad key and expression with its path', () => {
    let details: string[] = []
    try {
      parseThresholds({ nope: ['count==0'], submit_latency: ['p(101)<1', 'p99<1', 'rate>1'], 'missing{operator:zz}': ['count==0'], accept_rate: ['count>1'] }, 't.yaml', ['a'])
    } catch (err) {
      expect(err).toBeInstanceOf(MtsimError)
      details = (err as MtsimError).details
    }
    expect(details).toEqual([
      expect.stringMatching(/^t\.yaml thresholds\.nope: expected a metric name \(.*\), optionally with tags \{operator:id\}, \{stream:name\} or \{stream:name,operator:id\}, found "nope"$/),
      't.yaml thresholds.submit_latency[0]: expected a percentile p(N) with N from 0 to 100, found "p(101)<1"',
      't.yaml thresholds.submit_latency[1]: expected an expression like "p(99)<250", "avg<100", "count==0" or "rate>0.95", found "p99<1"',
      't.yaml thresholds.submit_latency[2]: expected an aggregation of the trend submit_latency: avg, min, max, med or p(N), found "rate>1"',
      't.yaml thresholds["missing{operator:zz}"]: expected an operator of the network (a), found "zz"',
      't.yaml thresholds.accept_rate[0]: expected an aggregation of the rate accept_rate: rate, found "count>1"',
    ])
  })
})

describe('stream tags', () => {
  const streamData: ThresholdData = {
    ...data,
    streams: {
      otp: {
        totals: totals({ planned: 40, sent: 40, accepted: 40, delivered: 39 }),
        histograms: histograms(ramp),
        operators: { 'telco-a': { totals: totals({ planned: 40, sent: 40, accepted: 40, delivered: 39 }), histograms: histograms(ramp) } },
      },
    },
  }
  const evaluate = (t: Record<string, string[]>) => evaluateThresholds(parseThresholds(t, 't.yaml', ['telco-a', 'telco-b'], ['otp', 'promo']), streamData)

  it('judge a stream, a stream to one operator, in either tag order', () => {
    const out = evaluate({
      'delivery_rate{stream:otp}': ['rate>0.97'],
      'submit_latency{operator:telco-a,stream:otp}': ['p(99)<100'],
      'sent{stream:otp,operator:telco-a}': ['count==40'],
    })
    expect(out.map((o) => [o.scope, o.ok, o.observed])).toEqual([
      ['stream:otp', true, 39 / 40],
      ['stream:otp,operator:telco-a', true, expect.closeTo(99, 1)],
      ['stream:otp,operator:telco-a', true, 40],
    ])
  })

  it('a stream, or a stream and operator, with nothing measured is no data: a FAIL, never a pass', () => {
    const out = evaluate({ 'missing{stream:promo}': ['count==0'], 'missing{stream:otp,operator:telco-b}': ['count==0'] })
    expect(out.map((o) => [o.scope, o.ok, o.insufficient])).toEqual([
      ['stream:promo', false, { samples: 0, needed: 1 }],
      ['stream:otp,operator:telco-b', false, { samples: 0, needed: 1 }],
    ])
    // Results with no per-stream figures at all (version 1, modelled) judge the same way.
    const v1 = evaluateThresholds(parseThresholds({ 'missing{stream:otp}': ['count==0'] }, 't.yaml'), data)
    expect([v1[0].ok, v1[0].insufficient]).toEqual([false, { samples: 0, needed: 1 }])
  })

  it('refuses a stream tag on the MO counters, which are per operator only', () => {
    let err: MtsimError | undefined
    try {
      parseThresholds({ 'optout_violations{stream:otp}': ['count==0'], 'suppressed{stream:otp}': ['count<5'] }, 't.yaml', ['telco-a'], ['otp'])
    } catch (e) {
      err = e as MtsimError
    }
    expect(err?.details).toEqual([
      't.yaml thresholds["optout_violations{stream:otp}"]: expected a metric measured per stream (optout_violations is counted per operator only: drop the stream tag), found "optout_violations{stream:otp}"',
    ])
  })

  it('name the scope the way the scenario writes it', async () => {
    const { scopeTag, scopeLabel } = await import('../../results/thresholds.js')
    expect([scopeTag({}), scopeTag({ operator: 'a' }), scopeTag({ stream: 'otp' }), scopeTag({ stream: 'otp', operator: 'a' })]).toEqual([
      'overall', 'a', 'stream:otp', 'stream:otp,operator:a',
    ])
    expect(['overall', 'a', 'stream:otp', 'stream:otp,operator:a'].map(scopeLabel)).toEqual(['', '{operator:a}', '{stream:otp}', '{stream:otp,operator:a}'])
  })
})
