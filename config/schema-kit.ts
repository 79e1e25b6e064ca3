// Building blocks for mtsim's one strict schema style (network files, scenario files, control-API
// bodies): TypeBox gives the TypeScript type and the JSON Schema from one definition; every object
// rejects unknown keys; every leaf says in words what it expects, so errors can say it too.
import { Type, type TSchema, type TObject, type TProperties, type Static, type ObjectOptions } from '@sinclair/typebox'
import { DURATION_PATTERN } from '../lib/duration.js'
import { MAX_DURATION_MS, MAX_RATE, formatLimitMs } from '../lib/limits.js'

/** An object that rejects unknown keys. */
export function Obj<P extends TProperties>(props: P, opts: ObjectOptions = {}): TObject<P> {
  return Type.Object(props, { additionalProperties: false, ...opts })
}

/**
 * "250ms", "2s", "1m30s" or a number of milliseconds, at most `maxMs` (lib/limits.ts). A string's
 * value is checked by the `maxMs` keyword config/validator.ts adds to Ajv; editors ignore it.
 */
export const Duration = (description = 'a duration like "250ms", "2s" or "1m30s" (a number means milliseconds)', maxMs = MAX_DURATION_MS) =>
  Type.Union([Type.String({ pattern: DURATION_PATTERN, maxMs }), Type.Number({ minimum: 0, maximum: maxMs })], {
    description: `${description}, at most ${formatLimitMs(maxMs)}`,
  })

/** Messages per second: more than 0 (or 0 or more with `zero`), at most MAX_RATE. */
export const Rate = (description: string, zero = false) =>
  Type.Number({ ...(zero ? { minimum: 0 } : { exclusiveMinimum: 0 }), maximum: MAX_RATE, description: `${description}, at most ${MAX_RATE}` })

/** A relative weight: finite, so a sum of weights stays a number. */
export const Weight = (description = 'a relative weight, 0 to 1000000000') => Type.Number({ minimum: 0, maximum: 1e9, description })

export const Probability = (description = 'a probability from 0 to 1') =>
  Type.Number({ minimum: 0, maximum: 1, description })

export const Port = (description = 'a TCP port from 0 to 65535 (0 picks a free port)') =>
  Type.Integer({ minimum: 0, maximum: 65535, description })

/** An SMPP command_status: its ESME_ name or its number. */
export const StatusCode = (description = 'an SMPP command_status: a name like "ESME_RTHROTTLED" or a number like 0x58 (88)') =>
  Type.Union([Type.String({ pattern: '^ESME_[A-Z0-9_]+$' }), Type.Integer({ minimum: 0, maximum: 0xffffffff })], {
    description,
  })

/**
 * A union told apart by one key (`distribution: lognormal`, `event: outage`). Emitted as
 * oneOf + discriminator so the validator reports only the errors of the branch the user chose.
 */
export function Tagged<T extends TObject[]>(tag: string, variants: [...T], description: string) {
  const union = Type.Union(variants)
  return Type.Unsafe<Static<typeof union>>({
    type: 'object',
    description,
    discriminator: { propertyName: tag },
    required: [tag],
    oneOf: variants,
  })
}

export type { TSchema, Static }
export { Type }
