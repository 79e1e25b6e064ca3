// ramping-arrival-rate (k6): from `startRate`, each stage ramps linearly to its `target` over its
// `duration` (a zero-length stage jumps). Rates are per `timeUnit`.
import type { ExecutorConfig } from '../../scenario/scenario.js'
import type { PieceSpec } from './profile.js'

export function rampingPieces(e: Extract<ExecutorConfig, { kind: 'ramping-arrival-rate' }>): PieceSpec[] {
  let from = e.startRate / e.timeUnitMs
  return e.stages.map((s) => {
    const to = s.target / e.timeUnitMs
    const piece = { durationMs: s.durationMs, from, to }
    from = to
    return piece
  })
}
