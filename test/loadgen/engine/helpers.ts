// Test wiring for the engine: a constant-rate plan over a few streams (the real plan.ts is tested
// on its own), tagged messages for the two operators of scenarios/networks/small.yaml, and a scenario.
import { mkdirSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { loadNetwork } from '../../../simulator/network.js'
import type { EnginePlan, EngineScenario, MessageSource } from '../../../loadgen/engine/engine.js'
import type { StreamSchedule } from '../../../loadgen/plan/plan-merge.js'
import { formatTag } from '../../../lib/tag.js'
import type { OutboundMessage } from '../../../loadgen/transports/transport.js'

export const network = loadNetwork(new URL('../../../scenarios/networks/small.yaml', import.meta.url).pathname)

/** n streams, each `rate` msg/s for `count` messages; plan-wide seqs interleave (stream i: i, i+n, ...). */
export function constantPlan(streams: { rate: number; count: number; startMs?: number; name?: string }[]): EnginePlan {
  const n = streams.length
  const schedules: StreamSchedule[] = streams.map((s, i) => {
    let k = 0
    const sched = {
      name: s.name,
      lastSeq: -1,
      next(): number | undefined {
        if (k >= s.count) return undefined
        sched.lastSeq = i + k * n
        return (s.startMs ?? 0) + (k++ * 1000) / s.rate
      },
    }
    return sched
  })
  const planned = streams.reduce((a, s) => a + s.count, 0)
  const durationMs = Math.max(...streams.map((s) => (s.startMs ?? 0) + (s.count * 1000) / s.rate))
  return { streams: schedules, planned, durationMs, expectedRate: () => streams.reduce((a, s) => a + s.rate, 0) }
}

/** Even seqs go to alpha (4790...), odd to beta (4740...); every `multipartEvery`-th message is 3 segments long. */
export function messages(multipartEvery = 0): (stream: number) => MessageSource {
  return (stream) => ({
    message(seq: number): OutboundMessage {
      const alpha = seq % 2 === 0
      const tag = formatTag(seq)
      return {
        seq, tag, stream: `s${stream}`, operator: alpha ? 'alpha' : 'beta', source: 'MTSIM',
        destination: (alpha ? '4790' : '4740') + String(seq).padStart(6, '0'),
        text: multipartEvery && seq % multipartEvery === 0 ? `${tag}${LONG}` : `${tag}hello`,
        encoding: 'gsm7', multipart: 'udh', registeredDelivery: 1,
      }
    },
  })
}

export function scenario(over: { waitMs?: number; lateAfterMs?: number; maxLagMs?: number; thresholds?: EngineScenario['thresholds'] } = {}): EngineScenario {
  return {
    name: 'engine-test', seed: 7, network,
    receipts: { waitMs: over.waitMs ?? 300 },
    scheduling: { lateAfterMs: over.lateAfterMs ?? 50, maxLagMs: over.maxLagMs ?? 10_000 },
    thresholds: over.thresholds ?? [],
  }
}

export function outDir(): string {
  const root = new URL('../../../out/test-engine/', import.meta.url).pathname
  mkdirSync(root, { recursive: true })
  return mkdtempSync(join(root, 'run-'))
}

/** 400 GSM-7 characters: with the tag, 3 segments of 153. */
const LONG = 'x'.repeat(400)

export { segmentCount as segmentsOf } from '../../../loadgen/plan/messages.js'
