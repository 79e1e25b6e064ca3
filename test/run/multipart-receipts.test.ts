// Multipart messages whose SMSC sends one receipt for the whole message (receipts.multipart:
// per_message) are delivered, not missing; with per-segment receipts each segment's final counts.
import { describe, expect, it } from 'vitest'
import { runScenario } from '../../run/run-scenario.js'
import { operator, outDir, scenario, stream } from './helpers.js'

function twoSegmentRun(mode: 'per_message' | 'per_segment', scenarioReceipts: Record<string, unknown> = {}) {
  const base = operator('longmsg', '4790')
  return scenario({
    network: { operators: [{ ...base, receipts: { ...(base.receipts as object), multipart: mode } }] },
    gateway: { kind: 'direct' },
    streams: [
      stream(50, 1, ['longmsg'], {
        // 200 GSM-7 characters: two segments each.
        traffic: { destinations: [{ operator: 'longmsg' }], msisdn_length: 10, templates: ['Your code is {{otp}}'], length: { min: 200, max: 200 } },
      }),
    ],
    receipts: { wait: '3s', ...scenarioReceipts },
  })
}

describe('receipts for multipart messages', () => {
  it('per_message: one receipt per message closes it (direct mode follows the operator setting)', async () => {
    const { results, simulator } = await runScenario(twoSegmentRun('per_message'), { outDir: outDir('mp-per-message') })
    expect(results.totals.segments).toBe(100)
    expect(simulator[0].submits).toBe(100)
    expect(results.totals.accepted).toBe(50)
    expect(results.totals.delivered).toBe(50)
    expect(results.totals.missing).toBe(0)
    expect(results.totals.duplicate_receipts).toBe(0)
  })

  it('per_segment: the message is final once both segments have their final receipt', async () => {
    const { results, simulator } = await runScenario(twoSegmentRun('per_segment'), { outDir: outDir('mp-per-segment') })
    expect(results.totals.accepted).toBe(50)
    expect(Object.values(simulator[0].receipts.sent).reduce((a, b) => a + b, 0)).toBe(100)
    expect(results.totals.delivered).toBe(50)
    expect(results.totals.missing).toBe(0)
    expect(results.totals.duplicate_receipts).toBe(0)
  })

  it('a scenario that says per_segment against a per_message operator waits in vain: missing, counted', async () => {
    const { results } = await runScenario(twoSegmentRun('per_message', { multipart: 'per_segment', wait: '500ms' }), { outDir: outDir('mp-mismatch') })
    expect(results.totals.accepted).toBe(50)
    expect(results.totals.missing).toBe(50)
  })
})
