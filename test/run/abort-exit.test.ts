// Exit codes when a run stops early: an abortOnFail threshold that fails is a threshold failure
// (99, as k6), while a stop from outside (Ctrl-C, SIGTERM) is 105 — both write balanced results.
import { describe, expect, it } from 'vitest'
import { runScenario } from '../../run/run-scenario.js'
import { operator, outDir, scenario, stream } from './helpers.js'

// Every submit is rejected, so accept_rate is 0 from the first second.
const rejecting = () =>
  scenario({
    network: { operators: [operator('nope', '4790', { failures: { statuses: [{ status: 'ESME_RSYSERR', rate: 1 }] } })] },
    gateway: { kind: 'direct' },
    streams: [stream(400, 4, ['nope'])],
    thresholds: { accept_rate: [{ threshold: 'rate>0.5', abortOnFail: true, delayAbortEval: '500ms' }] },
  })

describe('mtsim run stopping early', () => {
  it('an abortOnFail threshold stops the run and exits 99, with balanced interrupted results', async () => {
    const { results, exitCode } = await runScenario(rejecting(), { outDir: outDir('abort-threshold') })
    expect(results.meta.interrupted).toBe(true)
    expect(results.totals.planned).toBeLessThan(400)
    expect(results.thresholds.map((t) => t.ok)).toEqual([false])
    // Every send was answered, and every answer was the operator's rejection.
    expect(results.totals.sent).toBeGreaterThan(0)
    expect([results.totals.accepted, results.totals.rejected]).toEqual([0, results.totals.sent])
    expect(exitCode).toBe(99)
  })

  it('a stop from outside exits 105 even when thresholds fail', async () => {
    const controller = new AbortController()
    const s = rejecting()
    s.thresholds = s.thresholds.map((t) => ({ ...t, abortOnFail: false }))
    // Stopped from outside at the first send (an event: a slow start only stops it later).
    const onFirstSend = () => controller.abort()
    const { results, exitCode } = await runScenario(s, { outDir: outDir('abort-signal'), signal: controller.signal, onFirstSend })
    expect(results.totals.sent).toBeGreaterThan(0)
    expect(results.meta.interrupted).toBe(true)
    expect(results.thresholds.map((t) => t.ok)).toEqual([false])
    expect(results.totals.planned).toBeLessThan(400)
    expect([results.totals.accepted, results.totals.rejected]).toEqual([0, results.totals.sent])
    expect(exitCode).toBe(105)
  })
})
