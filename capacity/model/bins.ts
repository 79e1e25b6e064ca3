// A latency distribution as the model carries it: a few hundred (value, share) bins of equal
// quantile range, finer toward the tail, made once from a large seeded sample of the network's own
// delay distribution (simulator/delay.ts DelaySampler, so the model and the simulator draw from the
// same definitions, spikes included). Recording n messages that waited w is then one HDR record
// per bin (w + value, its share of n), whatever n is.
//
// Bin edges (cumulative probability): 2.5% steps to the median, 1% to p90, 0.25% to p99, 0.05% to
// p99.9, 0.01% to p99.99, then the last 0.01% as one bin. Each bin's value is the mean of the
// samples in it, so the bins keep the sample's mean exactly. Adjacent bins with the same value are
// merged (a fixed delay is one bin).
import type { Rng } from '../../lib/rng.js'

export interface Bins {
  /** Milliseconds, ascending. */
  readonly value: Float64Array
  /** Shares, adding up to 1. */
  readonly share: Float64Array
  /** The mean of the distribution (ms). */
  readonly mean: number
}

/** Samples drawn per distribution: 5 in each 0.01% tail bin. */
export const SAMPLES = 50_000

function edges(): number[] {
  const out = [0]
  const seg = (to: number, step: number) => {
    const from = out[out.length - 1]!
    const n = Math.round((to - from) / step)
    for (let i = 1; i <= n; i++) out.push(from + ((to - from) * i) / n)
  }
  seg(0.5, 0.025)
  seg(0.9, 0.01)
  seg(0.99, 0.0025)
  seg(0.999, 0.0005)
  seg(0.9999, 0.0001)
  seg(1, 0.0001)
  return out
}
const EDGES = edges()

/** Bins from samples (sorted here, in place). */
export function binsFromSamples(samples: Float64Array): Bins {
  samples.sort()
  const n = samples.length
  if (n === 0) return fixedBins(0)
  const value: number[] = []
  const share: number[] = []
  let total = 0
  for (let e = 1; e < EDGES.length; e++) {
    const lo = Math.floor(EDGES[e - 1]! * n)
    const hi = e === EDGES.length - 1 ? n : Math.floor(EDGES[e]! * n)
    if (hi <= lo) continue
    let sum = 0
    for (let i = lo; i < hi; i++) sum += samples[i]!
    const v = sum / (hi - lo)
    total += sum
    const p = (hi - lo) / n
    if (value.length && value[value.length - 1] === v) share[share.length - 1] = share[share.length - 1]! + p
    else {
      value.push(v)
      share.push(p)
    }
  }
  return { value: Float64Array.from(value), share: Float64Array.from(share), mean: total / n }
}

/** Bins of `draw()` over SAMPLES draws (or `samples`). */
export function sampleBins(draw: () => number, samples = SAMPLES): Bins {
  const s = new Float64Array(samples)
  for (let i = 0; i < samples; i++) s[i] = draw()
  return binsFromSamples(s)
}

export function fixedBins(ms: number): Bins {
  return { value: Float64Array.of(ms), share: Float64Array.of(1), mean: ms }
}

/** The share of draws above `limitMs` (for "receipt later than the wait: missing"), from the same number of draws. */
export function shareAbove(draw: () => number, limitMs: number, samples = SAMPLES): number {
  let above = 0
  for (let i = 0; i < samples; i++) if (draw() > limitMs) above++
  return above / samples
}

/** Draws from `rng` for a sampler. */
export type Draw = (rng: Rng) => number
