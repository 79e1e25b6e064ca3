// `npm run bench -- --only model`: how fast `mtsim model` plays a planner's day, and that its memory
// does not grow with the volume. The shipped scenarios/national-peak-day.yaml (300 million messages,
// three operators, queues building at the peak) is modelled in a fresh process at a tenth of its
// volume and at full volume; each prints wall time (loading, modelling, building results), the
// model loop alone, peak RSS and messages modelled per second. Issue 15 asks for the 300M day in
// under 60 s on these 2-core machines with flat memory.
import { fileURLToPath } from 'node:url'
import { Side } from '../child.js'
import { int, mb } from '../format.js'
import type { ModelSideIn, ModelSideReply } from '../side-messages.js'

export interface ModelBenchResult {
  elapsedMs: number
  peakRss: number
  messages: number
}

const SCENARIO = fileURLToPath(new URL('../../../scenarios/national-peak-day.yaml', import.meta.url))

async function once(rateScale: number): Promise<ModelSideReply> {
  const side = new Side<ModelSideReply, ModelSideIn>('./model/model-side.js')
  try {
    const reply = side.next('model-reply')
    side.send({ type: 'model', file: SCENARIO, rateScale })
    return await reply
  } finally {
    await side.stop()
  }
}

export async function modelBench(log: (line: string) => void): Promise<string[]> {
  const problems: string[] = []
  const figures: ModelBenchResult[] = []
  for (const scale of [0.1, 1]) {
    const r = await once(scale)
    figures.push(r)
    log(
      `model: ${int(r.messages)} messages (national-peak-day x ${scale}), ${int(r.intervals)} intervals, peak queue ${int(r.peakQueued)}: ` +
        `${(r.elapsedMs / 1000).toFixed(1)} s wall (model loop ${(r.modelMs / 1000).toFixed(1)} s), peak RSS ${mb(r.peakRss)}, ` +
        `${int(r.messages / (r.elapsedMs / 1000))} messages modelled per second`,
    )
  }
  const [small, full] = figures as [ModelBenchResult, ModelBenchResult]
  log(`model: RSS at 10x the volume: ${mb(small.peakRss)} -> ${mb(full.peakRss)} (${((full.peakRss / small.peakRss - 1) * 100).toFixed(0)}%)`)
  if (full.messages !== 300_000_000) problems.push(`the full day modelled ${full.messages} messages, not 300,000,000`)
  if (full.elapsedMs > 60_000) problems.push(`the 300M day took ${(full.elapsedMs / 1000).toFixed(1)} s (issue 15 asks for under 60 s)`)
  return problems
}
