// Records a latency with a count into one of mtsim's HDR histograms (lib/hdr.ts: integer
// microseconds, 1 us to 1 hour, 3 digits). The model records each latency bin once with the number
// of messages in it, never once per message; hdr-histogram-js's own recordValueWithCount costs
// ~290 ns a call (Math.log2 and Math.pow), this ~65 ns, the same bucket (test/capacity/model-units.test.ts).
import { HIGHEST_US, type Histogram } from '../../lib/hdr.js'

/** The JsHistogram internals (hdr-histogram-js 3, useWebAssembly false), as lib/hdr.ts's recordUs uses them. */
interface Internals {
  unitMagnitude: number
  subBucketHalfCountMagnitude: number
  subBucketHalfCount: number
  countsArrayLength: number
  addToCountAtIndex(index: number, count: number): void
  updateMinAndMax(value: number): void
  addToTotalCount(count: number): void
}

/** Adds `count` values of `us` microseconds (clamped to 1 us .. 1 hour, never dropped). */
export function recordUsCount(h: Histogram, us: number, count: number): void {
  if (!(count > 0)) return
  const v = us < 1 ? 1 : us > HIGHEST_US ? HIGHEST_US : Math.round(us)
  if (v >= 0x80000000) return h.recordValueWithCount(v, count)
  const j = h as unknown as Internals
  const bucket = Math.max(31 - Math.clz32(v) - j.subBucketHalfCountMagnitude - j.unitMagnitude, 0)
  const index = (bucket + 1) * (1 << j.subBucketHalfCountMagnitude) + (v >>> (bucket + j.unitMagnitude)) - j.subBucketHalfCount
  if (index >= j.countsArrayLength) return h.recordValueWithCount(v, count)
  j.addToCountAtIndex(index, count)
  j.updateMinAndMax(v)
  j.addToTotalCount(count)
}

interface CountsInternals {
  _counts?: Float64Array
  countsArrayLength: number
  countsArrayIndex(value: number): number
  setTotalCount(n: number): void
  updatedMaxValue(v: number): void
  updateMinNonZeroValue(v: number): void
}

/**
 * dst += src, exactly as Histogram.add, but walking only the buckets between src's lowest and
 * highest value (the library walks all 23,552 every time: ~60 us, and the model adds a few per
 * operator per interval). Falls back to add() for histograms of another shape.
 */
export function addHistogram(dst: Histogram, src: Histogram): void {
  const n = src.totalCount
  if (n === 0) return
  const d = dst as unknown as CountsInternals
  const s = src as unknown as CountsInternals
  if (!d._counts || !s._counts || d.countsArrayLength !== s.countsArrayLength) return dst.add(src)
  const a = d._counts
  const b = s._counts
  const hi = Math.min(s.countsArrayIndex(src.maxValue), b.length - 1)
  for (let i = Math.max(0, s.countsArrayIndex(src.minNonZeroValue)); i <= hi; i++) {
    const c = b[i]!
    if (c !== 0) a[i] += c
  }
  d.setTotalCount(dst.totalCount + n)
  d.updatedMaxValue(Math.max(dst.maxValue, src.maxValue))
  d.updateMinNonZeroValue(Math.min(dst.minNonZeroValue, src.minNonZeroValue))
}
