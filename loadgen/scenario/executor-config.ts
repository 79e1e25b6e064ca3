// How a stream's arrivals are planned, as the scenario loader normalises a stream's executor
// fields (k6 names; durations in ms), and the peak rate each one plans.

export type ExecutorConfig =
  | { kind: 'constant-arrival-rate'; rate: number; timeUnitMs: number; durationMs: number }
  | { kind: 'ramping-arrival-rate'; startRate: number; timeUnitMs: number; stages: { target: number; durationMs: number }[] }
  /** hourlyWeights: 24 numbers; speedup: 1 = real time. */
  | { kind: 'daily-profile'; dailyVolume: number; hourlyWeights: number[]; speedup: number }

/** A stream's highest planned rate in messages per second (--rate-scale multiplies it). */
export function peakRate(e: ExecutorConfig): number {
  switch (e.kind) {
    case 'constant-arrival-rate':
      return (e.rate * 1000) / e.timeUnitMs
    case 'ramping-arrival-rate':
      return (Math.max(e.startRate, ...e.stages.map((g) => g.target)) * 1000) / e.timeUnitMs
    case 'daily-profile': {
      const sum = e.hourlyWeights.reduce((a, w) => a + w, 0)
      return sum > 0 ? (e.dailyVolume * Math.max(...e.hourlyWeights) * e.speedup) / sum / 3600 : 0
    }
  }
}
