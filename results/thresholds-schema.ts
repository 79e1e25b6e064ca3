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
      min_samples: Type.Optional(Type.Integer({
        minimum: 0,
        maximum: 1e9,
        description: 'judge the threshold on at least this many samples, else it fails as insufficient data (default: 100 for p(99), 10 for rates; 0 judges whatever there is)',
      })),
    }),
  ],
  { description: 'an expression like "p(99)<250", or {threshold, abortOnFail, delayAbortEval, min_samples}' },
)

export const ThresholdsSchema = Type.Record(Type.String(), Type.Array(ThresholdItem, { minItems: 1 }), {
  description: 'metric (optionally tagged {operator:id}, {stream:name} or {stream:name,operator:id}) -> list of expressions',
})

export type ThresholdsFile = Static<typeof ThresholdsSchema>
