// How many samples a threshold was judged on, and how many it needs to mean anything. A p(99)
// over 12 latencies is the largest of them, a delivery rate over 3 messages is luck: a threshold
// that "held" on that is a silent green. Such a threshold is reported as insufficient data and
// fails, unless the scenario lowers the bar for it (`min_samples`, 0 turns the check off).
//
// Needed by default:
//   p(N) with N < 100   ceil(100 / (100 - N)) samples: the percentile is then a measured value,
//                       not the maximum (p(99) needs 100, p(95) 20, p(99.9) 1000, p(50) 2)
//   avg, med, min, max, p(100)   1 sample
//   rates (delivery_rate ...)    10 in the denominator (one message is then 10%, not 100%)
//   counters (count, rate)       1 planned message in the scope: a run that planned nothing
//                                cannot show that `missing count==0` holds
//
// API: neededSamples(def), samplesOf(def, scoped figures, histogramCount, rateDenominator).
import type { ScopedData, ThresholdDef } from './thresholds.js'

export const MIN_RATE_SAMPLES = 10

export function neededSamples(def: Pick<ThresholdDef, 'type' | 'aggregation' | 'minSamples'>): number {
  if (def.minSamples !== null) return def.minSamples
  switch (def.type) {
    case 'counter':
      return 1
    case 'rate':
      return MIN_RATE_SAMPLES
    case 'trend': {
      const a = def.aggregation
      if (a.kind !== 'p' || a.p >= 100) return 1
      // 1e-9 keeps p(99) at 100 (100 / (100 - 99) computed in floating point can be 100.00000000000001).
      return Math.max(1, Math.ceil(100 / (100 - a.p) - 1e-9))
    }
  }
}

/**
 * The samples behind the threshold's figure: latency values in the histogram, the rate's
 * denominator, the scope's planned messages for counters.
 */
export function samplesOf(def: Pick<ThresholdDef, 'type'>, scoped: ScopedData | undefined, histogramCount: () => number, rateDenominator: () => number): number {
  switch (def.type) {
    case 'counter':
      return scoped ? scoped.totals.planned : 0
    case 'rate':
      return rateDenominator()
    case 'trend':
      return histogramCount()
  }
}

/** "insufficient data: 1 of 100 samples" (console, summary, JUnit, report). */
export function insufficientText(i: { samples: number; needed: number }): string {
  return `insufficient data: ${i.samples} of ${i.needed} samples`
}
