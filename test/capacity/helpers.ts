// Scenarios built in code for the model's tests (parsed through the same strict schema as files),
// and the model run on them into a folder under out/test-capacity/.
import { mkdirSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { parseScenario, type Scenario } from '../../loadgen/scenario/scenario.js'
import { runModel, type ModelOptions, type ModelRun } from '../../capacity/model/run-model.js'
import { decodeHistogram } from '../../lib/hdr.js'

export const REPO = new URL('../../', import.meta.url).pathname

/** An operator on a free port with one account allowing up to 8 binds; `over` replaces or adds keys. */
export function operator(id: string, prefix: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    mcc: '242',
    mnc: String(10 + prefix.length).padStart(2, '0'),
    prefixes: [prefix],
    smpp: { port: 0, accounts: [{ system_id: id.slice(0, 15), password: 'pw', max_binds: 8 }], window: { max_outstanding: 10_000 } },
    latency: { distribution: 'fixed', value: '10ms' },
    receipts: { delay: { distribution: 'fixed', value: '500ms' } },
    ...over,
  }
}

export function scenario(value: Record<string, unknown>): Scenario {
  return parseScenario({ name: 'model-test', seed: 5, ...value }, 'model-test.yaml', REPO)
}

export function outDir(name: string): string {
  const root = join(REPO, 'out', 'test-capacity')
  mkdirSync(root, { recursive: true })
  return mkdtempSync(join(root, `${name}-`))
}

export function model(s: Scenario, opts: Partial<ModelOptions> = {}): ModelRun {
  return runModel(s, { outDir: outDir(s.name), ...opts })
}

/** The q-th percentile (ms) of an encoded histogram, null when empty. */
export function pctMs(b64: string, q: number): number | null {
  const h = decodeHistogram(b64)
  return h.totalCount ? h.getValueAtPercentile(q) / 1000 : null
}
