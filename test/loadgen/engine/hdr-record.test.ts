// recordUs takes a shortcut to the bucket index (Math.clz32 and shifts instead of the library's
// Math.log2 and Math.pow): the histograms it builds must be the ones recordValue builds.
import { describe, expect, it } from 'vitest'
import { HIGHEST_US, createHistogram, encodeHistogram, recordUs } from '../../../lib/hdr.js'
import { Rng } from '../../../lib/rng.js'

describe('recordUs', () => {
  it('fills exactly the buckets recordValue fills, over every magnitude and the clamps', () => {
    const fast = createHistogram()
    const slow = createHistogram()
    const values: number[] = [0, 0.4, 0.5, 1, 2, 3, 1023, 1024, 2047, 2048, 2049, 4095, 4096, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, HIGHEST_US, HIGHEST_US + 1, 1e12]
    for (let k = 0; k < 32; k++) values.push(2 ** k - 1, 2 ** k, 2 ** k + 1)
    const rng = new Rng(7)
    for (let i = 0; i < 20_000; i++) values.push(Math.exp(rng.next() * Math.log(HIGHEST_US)))
    for (const v of values) {
      recordUs(fast, v)
      slow.recordValue(v < 1 ? 1 : v > HIGHEST_US ? HIGHEST_US : Math.round(v))
    }
    expect(fast.totalCount).toBe(values.length)
    expect(fast.maxValue).toBe(slow.maxValue)
    expect(fast.minNonZeroValue).toBe(slow.minNonZeroValue)
    expect(encodeHistogram(fast)).toBe(encodeHistogram(slow))
    for (const p of [1, 50, 90, 99, 99.9, 100]) expect(fast.getValueAtPercentile(p)).toBe(slow.getValueAtPercentile(p))
  })
})
