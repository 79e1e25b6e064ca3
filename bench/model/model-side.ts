// One `mtsim model` in its own process, for the bench: its wall time and peak RSS belong to the
// model alone. Asked with { type: 'model', file, rateScale }, it answers 'model-reply' with the
// figures, once. The time series is written to disk, not kept (as for any long model).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runModel } from '../../capacity/model/run-model.js'
import { modelResults } from '../../capacity/model/results.js'
import { loadScenario } from '../../loadgen/scenario/scenario.js'
import type { ModelSideIn, ModelSideReply } from '../side-messages.js'

process.on('message', (m: ModelSideIn) => {
  if (m.type !== 'model') return
  const dir = mkdtempSync(join(tmpdir(), 'mtsim-bench-model-'))
  try {
    const started = performance.now()
    const scenario = loadScenario(m.file)
    const run = runModel(scenario, { outDir: dir, rateScale: m.rateScale, keepTimeseries: false })
    const results = modelResults(run, new Date())
    const elapsedMs = performance.now() - started
    process.send!({
      type: 'model-reply',
      messages: results.totals.planned,
      elapsedMs,
      modelMs: run.elapsedMs,
      peakRss: process.resourceUsage().maxRSS * 1024,
      intervals: run.t.length,
      peakQueued: run.links.reduce((a, l) => Math.max(a, l.peakQueued), 0),
    } satisfies ModelSideReply)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
