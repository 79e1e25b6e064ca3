// The scenario's optional `model:` section: how `mtsim model` sees the gateway's link to each
// operator when the gateway section alone does not say (a managed Kannel's binds and window come
// from the network; your own gateway's do not). Everything here has a default taken from the
// gateway kind (capacity/model/links.ts), so a scenario without the section models as it runs.
//
//   model:
//     interval: 1m                 # one time-series point per minute (default 1s up to 1 h, 1m above)
//     links:
//       nordtel: { binds: 4, window: 100, pacing: 2000, on_throttle: retry, retry_after: 1s }
//
// API: ModelSectionSchema (part of the scenario schema), checkModelSection(section, operators,
// report), normalizeModelSection(section) -> ModelSection.
import { Type, type Static } from '@sinclair/typebox'
import type { Report } from '../../config/load-config.js'
import { Duration, Obj } from '../../config/schema-kit.js'
import { parseDuration } from '../../lib/duration.js'

const LinkSchema = Obj({
  binds: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024, description: 'binds the gateway keeps to this operator, 1 to 1024' })),
  window: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'the most unanswered submits per bind, 1 to 100000' })),
  pacing: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "the gateway's own cap in messages per second per bind (Kannel: throughput), more than 0" })),
  on_throttle: Type.Optional(Type.Union([Type.Literal('retry'), Type.Literal('reject')], {
    description: 'retry (the gateway keeps a throttled message and sends it again) or reject (the sender gets the error)',
  })),
  retry_after: Type.Optional(Duration('how long a throttled message waits before it is sent again, like "1s"')),
  queue_limit: Type.Optional(Type.Integer({ minimum: 0, description: 'the most messages waiting at the gateway for this operator, 0 or more (beyond: refused)' })),
  max_wait: Type.Optional(Duration('the longest a message waits at the gateway before it is dropped, like "2s"')),
  response_timeout: Type.Optional(Duration('how long an unanswered submit holds its window slot before it fails, like "10s"')),
})

export const ModelSectionSchema = Obj(
  {
    interval: Type.Optional(Duration('the time-series interval of the model, like "1m" (default 1s for runs up to an hour, else 1m)')),
    step: Type.Optional(Duration('the model time step, like "1ms" (default 1ms)')),
    links: Type.Optional(Type.Record(Type.String(), LinkSchema, { description: 'operator id -> link settings' })),
  },
  { description: 'how `mtsim model` sees the gateway: time-series interval, step and per-operator link settings' },
)

export type ModelSectionFile = Static<typeof ModelSectionSchema>

export interface LinkOverrides {
  binds?: number
  window?: number
  pacing?: number
  onThrottle?: 'retry' | 'reject'
  retryAfterMs?: number
  queueLimit?: number
  maxWaitMs?: number
  responseTimeoutMs?: number
}

export interface ModelSection {
  intervalMs?: number
  stepMs?: number
  links: Record<string, LinkOverrides>
}

/** Cross-field rules: link keys name operators of the network; interval and step make sense together. */
export function checkModelSection(m: ModelSectionFile | undefined, operators: readonly string[] | undefined, report: Report): void {
  if (!m) return
  if (operators) {
    for (const id of Object.keys(m.links ?? {})) if (!operators.includes(id)) report(['model', 'links', id], `an operator of the network (${operators.join(', ')})`, id)
  }
  const step = m.step === undefined ? 1 : parseDuration(m.step)
  if (!(step > 0)) report(['model', 'step'], 'a step longer than 0', m.step)
  if (m.interval !== undefined) {
    const iv = parseDuration(m.interval)
    if (!(iv > 0)) report(['model', 'interval'], 'an interval longer than 0', m.interval)
    else if (step > 0 && (iv < step || Math.abs(iv / step - Math.round(iv / step)) > 1e-9)) {
      report(['model', 'interval'], `a whole number of steps (step ${m.step ?? '1ms'})`, m.interval)
    }
  }
}

export function normalizeModelSection(m: ModelSectionFile | undefined): ModelSection {
  const links: Record<string, LinkOverrides> = {}
  for (const [id, l] of Object.entries(m?.links ?? {})) {
    links[id] = {
      binds: l.binds,
      window: l.window,
      pacing: l.pacing,
      onThrottle: l.on_throttle,
      retryAfterMs: l.retry_after === undefined ? undefined : parseDuration(l.retry_after),
      queueLimit: l.queue_limit,
      maxWaitMs: l.max_wait === undefined ? undefined : parseDuration(l.max_wait),
      responseTimeoutMs: l.response_timeout === undefined ? undefined : parseDuration(l.response_timeout),
    }
  }
  return {
    intervalMs: m?.interval === undefined ? undefined : parseDuration(m.interval),
    stepMs: m?.step === undefined ? undefined : parseDuration(m.step),
    links,
  }
}
