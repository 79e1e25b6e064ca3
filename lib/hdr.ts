// HDR histograms, one way for all of mtsim: integer microseconds, 3 significant digits, 64-bit
// buckets (never 'packed': its encoding cost grows with the data), 1 us to 1 hour. They travel as
// compressed base64 and add exactly, so shares of a run and per-second intervals merge.
import * as hdr from 'hdr-histogram-js'

export type Histogram = hdr.Histogram

/** Latencies above this are clamped (and still counted) rather than lost. */
export const HIGHEST_US = 3_600_000_000

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 64,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
    useWebAssembly: false,
  })
}

/** The JsHistogram internals recordValue itself uses (hdr-histogram-js 3, useWebAssembly false). */
interface JsHistogramInternals {
  unitMagnitude: number
  subBucketHalfCountMagnitude: number
  subBucketHalfCount: number
  countsArrayLength: number
  incrementCountAtIndex(index: number): void
  updateMinAndMax(value: number): void
  incrementTotalCount(): void
}

/**
 * Records one latency in microseconds (clamped to the trackable range, never dropped).
 * Hot path (six values per message): below 2^31 the bucket is found with Math.clz32 and shifts,
 * the same index recordValue gets from Math.log2 and Math.pow (asserted in test/loadgen/engine/hdr-record.test.ts), which cost
 * ~5% of the load generator's CPU in the full-cycle bench profile.
 */
export function recordUs(h: Histogram, us: number): void {
  const v = us < 1 ? 1 : us > HIGHEST_US ? HIGHEST_US : Math.round(us)
  if (v >= 0x80000000) return h.recordValue(v)
  const j = h as unknown as JsHistogramInternals
  const bucket = Math.max(31 - Math.clz32(v) - j.subBucketHalfCountMagnitude - j.unitMagnitude, 0)
  const index = (bucket + 1) * (1 << j.subBucketHalfCountMagnitude) + (v >>> (bucket + j.unitMagnitude)) - j.subBucketHalfCount
  if (index >= j.countsArrayLength) return h.recordValue(v) // let the library report it
  j.incrementCountAtIndex(index)
  j.updateMinAndMax(v)
  j.incrementTotalCount()
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h)
}

export function decodeHistogram(b64: string): Histogram {
  const out = createHistogram()
  if (b64) out.add(hdr.decodeFromCompressedBase64(b64, 64, false))
  return out
}

/** Sum of encoded histograms (empty strings are empty histograms). */
export function addEncoded(encoded: readonly string[]): Histogram {
  const out = createHistogram()
  for (const b64 of encoded) if (b64) out.add(hdr.decodeFromCompressedBase64(b64, 64, false))
  return out
}

export interface Percentiles {
  count: number
  min: number
  mean: number
  p50: number
  p90: number
  p99: number
  p999: number
  max: number
}

/** Summary in microseconds. */
export function percentiles(h: Histogram): Percentiles {
  const n = h.totalCount
  return {
    count: n,
    min: n ? h.minNonZeroValue : 0,
    mean: n ? h.mean : 0,
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    max: h.maxValue,
  }
}
