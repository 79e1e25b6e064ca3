// The model against a real run of the same small scenario (issue 15): throughput, drops and p50/p99
// of submit and receipt latency agree within the stated tolerance (capacity/model/compare.ts: 10%,
// or the HDR precision plus 25 ms of scheduler jitter, whichever is larger). The case is chosen so
// that agreement does not depend on the machine's speed: 2,000 single-part messages at 200/s,
// far below every limit, with answers taking 1.5-2.5 s and receipts seconds more, so the simulated
// operator's own delays dominate what the run measures. A busy machine adds to the run what the
// model does not have: tens of milliseconds at p99 with two CPU hogs, up to ~140 ms at a load
// average of 14 on 2 cores (measured) — inside 10% of answers this slow (150 ms and more).
import { describe, expect, it } from 'vitest'
import { compareModel, formatComparison } from '../../capacity/model/compare.js'
import { modelScenario } from '../../capacity/model/index.js'
import { runScenario } from '../../run/run-scenario.js'
import { operator, outDir, scenario } from './helpers.js'

describe('model against a real run (direct mode)', () => {
  it('agrees on throughput, drops and p50/p99 of submit and receipt latency', async () => {
    const s = scenario({
      name: 'model-vs-run',
      network: {
        operators: [
          operator('slow', '4790', {
            latency: { distribution: 'normal', mean: '2000ms', stddev: '200ms' },
            receipts: { delay: { distribution: 'uniform', min: '2s', max: '4s' }, outcomes: [{ stat: 'DELIVRD', weight: 97 }, { stat: 'UNDELIV', weight: 3 }] },
          }),
          operator('fast', '4791', {
            latency: { distribution: 'uniform', min: '1500ms', max: '2000ms' },
            receipts: { delay: { distribution: 'normal', mean: '3s', stddev: '500ms' } },
          }),
        ],
      },
      gateway: { kind: 'direct', binds: 1, window: 1000 },
      streams: [{
        name: 'load', executor: 'constant-arrival-rate', rate: 200, duration: '10s',
        traffic: { destinations: [{ operator: 'slow', weight: 3 }, { operator: 'fast', weight: 1 }], msisdn_length: 10, templates: ['Your code is {{otp}}'] },
      }],
      receipts: { wait: '25s' },
    })
    const run = await runScenario(s, { outDir: outDir('real') })
    const m = modelScenario(s, { outDir: outDir('modelled'), report: false })
    const rows = compareModel(m.results, run.results)
    const bad = rows.filter((r) => !r.ok)
    expect(bad, formatComparison(rows)).toEqual([])
    // Every figure the issue names is in the comparison, overall and per operator.
    for (const scope of ['overall', 'slow', 'fast']) {
      for (const metric of ['accepted', 'dropped', 'submit p50 (ms)', 'submit p99 (ms)', 'receipt p50 (ms)', 'receipt p99 (ms)']) {
        expect(rows.some((r) => r.scope === scope && r.metric === metric), `${scope} ${metric}`).toBe(true)
      }
    }
    expect(run.results.totals.dropped).toBe(0)
  }, 90_000)
})
