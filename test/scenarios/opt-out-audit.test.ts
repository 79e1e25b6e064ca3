// scenarios/opt-out-audit.yaml, 10 s of it, through the real Kannel: MO (replies, STOPs,
// spontaneous) go handset -> simulated operator -> Kannel's bind -> smsbox's sms-service -> mtsim's
// MO webhook, every one counted on both sides. The naive application makes the network count
// violations (Kannel does not block opted-out numbers); the compliant one suppresses its sends and
// causes none.
import { describe, expect, it } from 'vitest'
import { expectAllOperatorsBalance, runShort, scenario, sim, skipWithoutKannel } from './helpers.js'
import type { RunScenarioResult } from '../../run/run-scenario.js'
import { decodeHistogram } from '../../lib/hdr.js'

const skip = skipWithoutKannel('test/scenarios/opt-out-audit.test.ts')

function expectMoBooks(res: RunScenarioResult): void {
  const mo = res.results.mo!
  let sent = 0
  for (const id of ['fjord', 'skog']) {
    const s = sim(res, id).mo!
    const o = mo.operators[id]!
    // The network's count and mtsim's agree MO by MO: nothing lost, nothing twice.
    expect(o.sent, id).toBe(s.sent)
    expect(o.received, id).toBe(s.sent)
    expect(s.acked, id).toBe(s.sent)
    expect(o.stops, id).toBe(s.stops)
    expect(o.replies, id).toBe(s.replies)
    expect(o.optout_violations, id).toBe(s.violations)
    sent += s.sent
  }
  expect(mo.totals.received).toBe(sent)
  expect(mo.totals.lost).toBe(0)
  expect(mo.totals.duplicated).toBe(0)
  expect(mo.totals.unknown).toBe(0)
  expect(mo.totals.replies).toBeGreaterThan(5)
  expect(mo.totals.spontaneous).toBeGreaterThan(5)
  expect(mo.totals.stops_received).toBe(mo.totals.stops)
  expect(mo.totals.correlated).toBe(mo.totals.stops + mo.totals.replies)
  expect(decodeHistogram(mo.latency).totalCount).toBe(sent)
  const t = res.results.totals
  expect(t.planned).toBe(t.sent + t.dropped + (t.suppressed ?? 0))
}

describe.skipIf(skip)('opt-out-audit through Kannel', () => {
  it('naive: every MO arrives through Kannel, and the network counts violations (exit 99)', async () => {
    const res = await runShort(scenario('opt-out-audit'), { durationCapMs: 10_000 })
    expectMoBooks(res)
    const mo = res.results.mo!
    expect(mo.application).toBe('naive')
    expect(mo.totals.stops).toBeGreaterThan(2)
    expect(mo.totals.optout_violations).toBeGreaterThan(0)
    expect(mo.totals.suppressed).toBe(0)
    expect(res.results.thresholds.find((x) => x.metric === 'optout_violations')!.ok).toBe(false)
    expect(res.exitCode).toBe(99)
  }, 120_000)

  it('compliant: STOPs honoured as they arrive, no violation', async () => {
    const s = scenario('opt-out-audit')
    s.mo = { ...s.mo, application: 'compliant' }
    const res = await runShort(s, { durationCapMs: 10_000 })
    expectMoBooks(res)
    // The books with suppressed sends taken out of planned (planned = sent + dropped + suppressed).
    const unsuppressed = (t: typeof res.results.totals) => ({ ...t, planned: t.planned - (t.suppressed ?? 0) })
    expectAllOperatorsBalance({
      ...res.results,
      totals: unsuppressed(res.results.totals),
      operators: Object.fromEntries(Object.entries(res.results.operators).map(([id, o]) => [id, { ...o, totals: unsuppressed(o.totals) }])),
    })
    const mo = res.results.mo!
    expect(mo.totals.stops).toBeGreaterThan(2)
    expect(mo.totals.optout_violations).toBe(0)
    expect(mo.totals.suppressed).toBeGreaterThan(0)
    const failed = res.results.thresholds.filter((x) => !x.ok).map((x) => x.metric)
    expect(failed).toEqual([])
    expect(res.exitCode).toBe(0)
  }, 120_000)
})
