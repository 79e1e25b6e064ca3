// The `mo:` section of an operator in the network file: subscribers who write back. Replies to MT
// (who, how soon, what), spontaneous MO traffic (rate, from which numbers, to which short codes)
// and opt-outs (STOP keywords, share, grace period). Normalized in mo-config.ts.
import { Type, type TSchema } from '@sinclair/typebox'
import { Duration, Obj, Probability, Rate } from '../../config/schema-kit.js'
import { MAX_DELAY_MS } from '../../lib/limits.js'

/** `delay` is the network file's delay distribution (network-schema.ts DelaySchema, passed in: no import circle). */
export function moSchema<D extends TSchema>(delay: D) {
  const MoText = Type.Union(
    [
      Type.String({ minLength: 1, maxLength: 140, description: 'an MO text of 1 to 140 characters' }),
      Obj({
        text: Type.String({ minLength: 1, maxLength: 140, description: 'an MO text of 1 to 140 characters' }),
        weight: Type.Optional(Type.Number({ minimum: 0, maximum: 1e9, description: 'a relative weight, 0 to 1000000000 (default 1)' })),
      }),
    ],
    { description: 'an MO text, or {text: "...", weight: n}' },
  )
  const Keyword = Type.String({ pattern: '^[A-Za-z0-9]{1,20}$', description: 'a keyword of 1 to 20 letters or digits, like "STOP"' })
  return Obj(
    {
      account: Type.Optional(
        Type.String({ minLength: 1, maxLength: 15, description: 'the system_id MO goes to (default: the account the MT came from; spontaneous MO: the first account that can receive)' }),
      ),
      replies: Type.Optional(
        Obj({
          share: Probability('the share of MT recipients who reply, 0 to 1'),
          delay: Type.Optional(delay),
          texts: Type.Optional(Type.Array(MoText, { minItems: 1 })),
        }),
      ),
      spontaneous: Type.Optional(
        Obj({
          rate: Rate('MO messages per second, more than 0'),
          from: Type.String({ pattern: '^[0-9]{1,15}-[0-9]{1,15}$', description: 'the subscribers who write, a number range like "4790000000-4790000999"' }),
          to: Type.Array(Type.String({ pattern: '^[0-9A-Za-z]{1,20}$', description: 'a short code or number like "4040"' }), { minItems: 1 }),
          texts: Type.Optional(Type.Array(MoText, { minItems: 1 })),
        }),
      ),
      opt_out: Type.Optional(
        Obj({
          share: Probability('the share of MT recipients who answer with an opt-out keyword, 0 to 1'),
          keywords: Type.Optional(Type.Array(Keyword, { minItems: 1 })),
          delay: Type.Optional(delay),
          grace: Type.Optional(Duration('how long after a STOP an MT to that number is still no violation, like "2s" (default 0)', MAX_DELAY_MS)),
        }),
      ),
    },
    { description: 'subscribers who write back: replies, spontaneous MO and opt-outs' },
  )
}
