// The `thresholds` mapping as a scenario file writes it (k6 syntax). It lives with the thresholds,
// not the scenario: merged results re-read it from the scenario copy they carry (rethreshold.ts).
import { Type, type Static } from '@sinclair/typebox'
import { Obj, Duration } from '../config/schema-kit.js'

const ThresholdItem = Type.Union(
  [
    Type.String({ minLength: 1 }),
    Obj({
      threshold: Type.String({ minLength: 1, description: 'an expression like "p(99)<250"' }),
      abortOnFail: Type.Optional(Type.Boolean({ description: 'true to stop the run as soon as it fails' })),
      delayAbortEval: Type.Optional(Duration('how long into the run before abortOnFail is checked, like "10s"')),
    }),
  ],
  { description: 'an expression like "p(99)<250", or {threshold, abortOnFail, delayAbortEval}' },
)

export const ThresholdsSchema = Type.Record(Type.String(), Type.Array(ThresholdItem, { minItems: 1 }), {
  description: 'metric (optionally {operator:id}) -> list of expressions',
})

export type ThresholdsFile = Static<typeof ThresholdsSchema>
