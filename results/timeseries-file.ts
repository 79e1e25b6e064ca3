// The run's time series: one TimePoint per interval, appended to outDir/timeseries.ndjson as the
// run goes (so a crash or a kill -9 still leaves the figures so far). Kept in memory for
// results.json too unless `keep` is false: a point is ~8 KB (its interval histograms), so an hour
// at one point a second is ~30 MB of heap; without keeping them, results.json copies them from the
// file (results-writer.ts) and memory does not grow with the run's duration either.
import { closeSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import type { TimePoint } from './results-format.js'

export class TimeseriesLog {
  readonly points: TimePoint[] = []
  private fd: number | undefined

  constructor(
    readonly path: string,
    readonly keep = true,
  ) {
    mkdirSync(dirname(path), { recursive: true })
    this.fd = openSync(path, 'w')
  }

  append(point: TimePoint): void {
    if (this.keep) this.points.push(point)
    if (this.fd !== undefined) writeSync(this.fd, JSON.stringify(point) + '\n')
  }

  close(): void {
    if (this.fd === undefined) return
    closeSync(this.fd)
    this.fd = undefined
  }
}

/** The lines (one JSON point each, newline excluded) of a timeseries.ndjson, read in 1 MB chunks. */
export function* ndjsonLines(path: string): Generator<string> {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(1 << 20)
    // A multi-byte character split by a chunk boundary is completed by the next chunk.
    const utf8 = new StringDecoder('utf8')
    let rest = ''
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null)
      if (n === 0) break
      const text = rest + utf8.write(buf.subarray(0, n))
      const lines = text.split('\n')
      rest = lines.pop()!
      for (const line of lines) if (line) yield line
    }
    rest += utf8.end()
    if (rest) yield rest
  } finally {
    closeSync(fd)
  }
}
