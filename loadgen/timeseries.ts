// The run's time series: one TimePoint per interval, appended to outDir/timeseries.ndjson as the
// run goes (so a crash or a kill -9 still leaves the figures so far) and kept for results.json.
// Memory grows with the run's duration (one small record per second), never with its message count.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import type { TimePoint } from './results-format.js'

export class TimeseriesLog {
  readonly points: TimePoint[] = []
  private fd: number | undefined

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true })
    this.fd = openSync(path, 'w')
  }

  append(point: TimePoint): void {
    this.points.push(point)
    if (this.fd !== undefined) writeSync(this.fd, JSON.stringify(point) + '\n')
  }

  close(): void {
    if (this.fd === undefined) return
    closeSync(this.fd)
    this.fd = undefined
  }
}
