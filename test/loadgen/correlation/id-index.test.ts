// The id index's packing and its two generations: open ids survive any number of rotations,
// closed ones are remembered for at least one generation, and its size stays bounded.
import { describe, expect, it } from 'vitest'
import { IdIndex, MAX_K, UNTRACKED_SEGMENT, kOf, cellOf, packId, segOf } from '../../../loadgen/correlation/id-index.js'

describe('id index', () => {
  it('packs k, segment and operator losslessly up to the largest k; later segments share one code', () => {
    for (const [k, seg, op] of [[0, 0, 0], [1, 31, 65535], [MAX_K, 5, 7], [123_456_789, 40, 300]] as const) {
      const v = packId(k, seg, op)
      expect(Number.isSafeInteger(v)).toBe(true)
      expect([kOf(v), segOf(v), cellOf(v)]).toEqual([k, Math.min(seg, UNTRACKED_SEGMENT), op])
    }
  })

  it('keeps open ids through rotations, forgets closed ones after two generations, stays bounded', () => {
    const open = new Set<number>([0])
    const idx = new IdIndex(100, (v) => open.has(kOf(v)))
    idx.set('keep', packId(0, 0, 0))
    let peak = 0
    for (let k = 1; k <= 10_000; k++) {
      idx.set(`id${k}`, packId(k, 0, 1))
      peak = Math.max(peak, idx.size)
    }
    expect(idx.get('keep')).toBe(packId(0, 0, 0))
    expect(idx.get('id10000')).toBe(packId(10_000, 0, 1))
    expect(idx.get('id9901')).toBeDefined() // within the last generation
    expect(idx.get('id1')).toBeUndefined()
    expect(peak).toBeLessThanOrEqual(201)
  })

  it('sizes the next generation to twice the ids still open, so rotations stay cheap', () => {
    const open = new Set<number>()
    const idx = new IdIndex(10, (v) => open.has(kOf(v)))
    for (let k = 0; k < 1000; k++) {
      open.add(k)
      idx.set(`id${k}`, packId(k, 0, 0))
    }
    for (let k = 0; k < 1000; k++) expect(idx.get(`id${k}`)).toBe(packId(k, 0, 0))
    expect(idx.size).toBeLessThanOrEqual(1000 * 2)
  })
})
