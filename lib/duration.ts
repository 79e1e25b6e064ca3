// Durations as people write them in scenario files (k6 style): "250ms", "2s", "1m30s", "1h".
// Numbers are milliseconds. Everything inside mtsim is milliseconds (latencies are integer
// microseconds, see lib/hdr.ts).
import { MtsimError } from './errors.js'

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const PART = /(\d+(?:\.\d+)?)(us|ms|s|m|h|d)/y

/** The regex the schema uses, so editors and the loader agree on what a duration looks like. */
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(us|ms|s|m|h|d))+$'

/** Milliseconds; throws on anything that is not a finite duration (ranges are lib/limits.ts's). */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new MtsimError('MTSIM_ERR_DURATION', [String(value)])
    return value
  }
  let total = 0
  PART.lastIndex = 0
  let matched = 0
  while (PART.lastIndex < value.length) {
    const m = PART.exec(value)
    if (!m) throw new MtsimError('MTSIM_ERR_DURATION', [JSON.stringify(value)])
    total += Number(m[1]) * UNIT_MS[m[2]]
    matched++
  }
  if (!matched || !Number.isFinite(total)) throw new MtsimError('MTSIM_ERR_DURATION', [JSON.stringify(value)])
  return total
}

export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}us`
  if (ms < 1000) return `${+ms.toFixed(1)}ms`
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)}s`
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = Math.round((ms % 60_000) / 1000)
  return h ? `${h}h${m}m${s}s` : `${m}m${s}s`
}
