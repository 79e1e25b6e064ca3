// Samples the delay distributions of the network file (simulator/network.ts Delay) with the
// generator handed in (simulator/draws.ts: one per message and decision), so the same seed and
// traffic give the same latencies.
import { MAX_DELAY_MS } from '../lib/limits.js'
import type { Rng } from '../lib/rng.js'
import type { Delay } from './network.js'

/** z of the 99th percentile of the standard normal: p99 = exp(mu + Z99 * sigma). */
const Z99 = 2.3263

export class DelaySampler {
  private readonly mu: number
  private readonly sigma: number

  constructor(readonly delay: Delay) {
    if (delay.kind === 'lognormal' && delay.p50 > 0) {
      this.mu = Math.log(delay.p50)
      this.sigma = Math.max(0, (Math.log(Math.max(delay.p99, delay.p50)) - this.mu) / Z99)
    } else {
      this.mu = 0
      this.sigma = 0
    }
  }

  /** A delay in ms, 0 to MAX_DELAY_MS (a long tail is capped). Draws nothing for a fixed delay without spikes. */
  sample(rng: Rng): number {
    const d = this.delay
    let ms: number
    switch (d.kind) {
      case 'fixed':
        ms = d.value
        break
      case 'uniform':
        ms = d.min + (d.max - d.min) * rng.next()
        break
      case 'normal':
        ms = Math.max(0, d.mean + d.stddev * rng.normal())
        break
      case 'lognormal':
        ms = d.p50 > 0 ? Math.exp(this.mu + this.sigma * rng.normal()) : 0
        break
      case 'exponential':
        ms = -d.mean * Math.log(1 - rng.next())
        break
    }
    if (d.spikes && rng.chance(d.spikes.probability)) ms += d.spikes.size
    return ms < MAX_DELAY_MS ? ms : MAX_DELAY_MS
  }
}
