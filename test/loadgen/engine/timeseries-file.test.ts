// The time series file read back line by line (lines crossing the 1 MB read chunks intact), and
// the atomic writer taking chunks: what results.json is streamed with on long runs.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFileAtomic } from '../../../lib/atomic-write.js'
import { ndjsonLines } from '../../../results/timeseries-file.js'
import { outDir } from './helpers.js'

describe('time series file', () => {
  it('reads every line back whole, across read-chunk boundaries and with a missing last newline', () => {
    const file = join(outDir(), 'series.ndjson')
    // ~3.3 MB of lines of varied length (multi-byte characters too), so lines straddle 1 MB chunks.
    const want = Array.from({ length: 4000 }, (_, i) => JSON.stringify({ t: i, pad: 'x'.repeat(300 + (i % 700)), s: 'æøå€' }))
    // The first line puts a 3-byte '€' across the first boundary (bytes 1048575..1048577).
    want.unshift('x'.repeat(1048575) + '€')
    writeFileSync(file, want.join('\n'))
    expect([...ndjsonLines(file)]).toEqual(want)
  })

  it('writes a file atomically from chunks', () => {
    const file = join(outDir(), 'chunked.json')
    writeFileAtomic(file, (function* () {
      for (let i = 0; i < 1000; i++) yield `${i},`
    })())
    expect(readFileSync(file, 'utf8')).toBe(Array.from({ length: 1000 }, (_, i) => `${i},`).join(''))
  })
})
