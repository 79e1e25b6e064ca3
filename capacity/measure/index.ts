// `mtsim capacity` end to end, in-process (the CLI is a thin shell over it): start the network and
// gateway once, search for the knee, judge and diagnose every step, and write capacity.json (after
// every step, so a killed search keeps the steps so far), report.html and the console text.
//
// capacity.json: { schema: "mtsim/capacity", version: 1, meta, held, broke, ended, knee, steps }
// (documented in docs/model.md, "Measured: mtsim capacity"); each step's own results.json is in
// steps/NN-<rate>/.
import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { writeFileAtomic } from '../../lib/atomic-write.js'
import { decodeHistogram } from '../../lib/hdr.js'
import type { Scenario } from '../../loadgen/scenario/scenario.js'
import { diagnose, type StepVerdict } from './diagnose.js'
import { CAPACITY_SCHEMA, type CapacityFile, type StepSummary } from './capacity-file.js'
import { renderCapacityHtml } from '../report/measure-html.js'
import { search, type SearchOptions, type SearchOutcome } from './search.js'
import { Session } from './session.js'
import { streamShares, type StepResult } from './step.js'
import { formatCapacity } from '../report/measure-text.js'
import { scopePrefix } from '../../results/thresholds.js'

export { CAPACITY_SCHEMA, type CapacityFile, type StepSummary } from './capacity-file.js'

export interface CapacityOptions extends Omit<SearchOptions, 'dir' | 'onStep'> {
  outDir: string
  report?: boolean
}

const ms = (b64: string, q: number) => {
  const h = decodeHistogram(b64)
  return h.totalCount ? h.getValueAtPercentile(q) / 1000 : null
}

export function summarise(r: StepResult, gatewayKind: string, stepMs: number): StepSummary {
  const t = r.results.totals
  const h = r.results.histograms
  const verdict = diagnose(r.results, r.use, gatewayKind, stepMs)
  // Carried: what the operators accepted while the plan sent (in direct mode the same as mtsim's accepted).
  const counted = Object.values(r.use).some((u) => u.submits > 0)
  return {
    rate: r.rate, ok: r.ok, interrupted: r.interrupted, ...(r.insufficient ? { insufficient: r.insufficient } : {}), dir: r.dir,
    planned: t.planned, sent: t.sent, accepted: t.accepted, dropped: t.dropped, rejected: t.rejected, failed: t.failed,
    carriedPerS: counted ? verdict.operators.reduce((a, o) => a + o.carriedPerS, 0) : t.accepted / (stepMs / 1000),
    submitP50: ms(h.submit.corrected, 50), submitP99: ms(h.submit.corrected, 99),
    receiptP50: ms(h.receipt.corrected, 50), receiptP99: ms(h.receipt.corrected, 99),
    verdict,
  }
}

export interface CapacityOutput {
  file: CapacityFile
  text: string
  files: { capacity: string; html?: string }
}

export async function capacityScenario(scenario: Scenario, o: CapacityOptions): Promise<CapacityOutput> {
  mkdirSync(o.outDir, { recursive: true })
  const startedAt = new Date()
  const t0 = performance.now()
  const path = join(o.outDir, 'capacity.json')
  const { outDir: _out, report: _report, signal, log, ...settings } = o
  const thresholds = (scenario.thresholds.length ? scenario.thresholds : []).map((d) => `${scopePrefix(d.scope)}${d.metric} ${d.expression}`)
  const file: CapacityFile = {
    schema: CAPACITY_SCHEMA,
    version: 1,
    meta: {
      name: scenario.name, scenarioFile: scenario.file, gateway: scenario.gateway.kind, startedAt: startedAt.toISOString(), endedAt: startedAt.toISOString(),
      durationMs: 0, interrupted: false, settings, thresholds: thresholds.length ? thresholds : ['dropped count==0', 'missing count==0', 'failed count==0 (defaults: the scenario has no thresholds)'],
    },
    held: null, broke: null, ended: 'running', knee: null, steps: [],
  }
  const save = () => {
    file.meta.endedAt = new Date().toISOString()
    file.meta.durationMs = Math.round(performance.now() - t0)
    writeFileAtomic(path, JSON.stringify(file, null, 2))
  }
  const session = await Session.start(scenario, o.outDir, log ?? (() => {}))
  let outcome: SearchOutcome
  try {
    outcome = await search(session, streamShares(scenario), {
      ...settings, signal, log, dir: o.outDir,
      onStep: (r) => {
        const s = summarise(r, scenario.gateway.kind, o.stepMs)
        file.steps.push(s)
        log?.(`  ${s.ok ? 'held' : s.interrupted ? 'interrupted' : s.insufficient ? `TOO LITTLE DATA (${s.insufficient})` : 'FAILED'}: ${s.carriedPerS.toFixed(1)} msg/s carried` + (s.verdict.resource ? `; ${s.verdict.operator ?? 'overall'}: ${s.verdict.resource} (${s.verdict.evidence})` : ''))
        save()
      },
    })
  } finally {
    await session.close()
  }
  file.held = outcome.held
  file.broke = outcome.broke
  file.ended = outcome.ended
  file.meta.interrupted = outcome.ended === 'interrupted'
  file.knee = file.steps.find((s) => !s.ok && !s.interrupted && s.rate === outcome.broke)?.verdict ?? null
  save()
  const files: CapacityOutput['files'] = { capacity: path }
  if (o.report ?? true) {
    files.html = join(o.outDir, 'report.html')
    writeFileAtomic(files.html, renderCapacityHtml(file))
  }
  return { file, text: formatCapacity(file), files }
}
