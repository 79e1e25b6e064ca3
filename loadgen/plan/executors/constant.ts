// constant-arrival-rate (k6): `rate` messages per `timeUnit` for `duration`.
import type { ExecutorConfig } from '../../scenario/scenario.js'
import type { PieceSpec } from './profile.js'

export function constantPieces(e: Extract<ExecutorConfig, { kind: 'constant-arrival-rate' }>): PieceSpec[] {
  const r = e.rate / e.timeUnitMs
  return [{ durationMs: e.durationMs, from: r, to: r }]
}
