// daily-profile (for capacity planners): `daily_volume` messages over one day shaped by 24 hourly
// weights, played `speedup` times faster (720 plays a day in 2 minutes). The rate is constant
// within each hour, so the day's count is exactly daily_volume.
import type { ExecutorConfig } from '../../scenario/scenario.js'
import type { PieceSpec } from './profile.js'

const HOUR_MS = 3_600_000

export function dailyPieces(e: Extract<ExecutorConfig, { kind: 'daily-profile' }>): PieceSpec[] {
  const hourMs = HOUR_MS / e.speedup
  const sum = e.hourlyWeights.reduce((a, w) => a + w, 0)
  return e.hourlyWeights.map((w) => {
    const r = sum > 0 ? (e.dailyVolume * w) / sum / hourMs : 0
    return { durationMs: hourMs, from: r, to: r }
  })
}
