// Issue 3: exact reconciliation. A seeded run of thousands of messages straight to the simulator
// (direct mode, nothing in between): every total the load generator wrote equals what the
// simulated operators counted themselves, per operator and per status.
import { describe, it, expect, beforeAll } from 'vitest'
import { runScenario, type RunScenarioResult } from '../../run/run-scenario.js'
import type { OperatorStats } from '../../simulator/types.js'
import { operator, outDir, pct, scenario, simRejections, stream, sum } from './helpers.js'

const MESSAGES = 3000

// `mixed` has every failure kind whose count the operator can report exactly: error statuses,
// unanswered submits, a mix of final states and lost receipts. `dupes` sends some receipts twice.
const network = {
  seed: 99,
  operators: [
    operator('mixed', '4790', {
      failures: { statuses: [{ status: 'ESME_RSYSERR', rate: 0.03 }, { status: 'ESME_RMSGQFUL', rate: 0.02 }], no_response_rate: 0.01 },
      receipts: {
        delay: { distribution: 'uniform', min: '10ms', max: '120ms' },
        outcomes: [
          { stat: 'DELIVRD', weight: 90 }, { stat: 'UNDELIV', weight: 6 }, { stat: 'EXPIRED', weight: 3 }, { stat: 'REJECTD', weight: 1 },
        ],
        loss_rate: 0.02,
      },
    }),
    operator('dupes', '4740', {
      receipts: {
        delay: { distribution: 'uniform', min: '10ms', max: '80ms' },
        outcomes: [{ stat: 'DELIVRD', weight: 95 }, { stat: 'UNDELIV', weight: 5 }],
        duplicate_rate: 0.05,
        loss_rate: 0.01,
      },
    }),
  ],
}

describe('exact reconciliation with the simulator (direct mode)', () => {
  let run: RunScenarioResult
  let sim: Record<string, OperatorStats>

  beforeAll(async () => {
    const sc = scenario({
      network,
      // The simulator answers from this same process: a stall of the machine delays an answer and the
      // timeout's check alike, so the timeout sits well beyond any stall; unanswered submits wait it out.
      gateway: { kind: 'direct', window: 200, response_timeout: '2s' },
      streams: [stream(MESSAGES, 2, ['mixed', 'dupes'])],
      receipts: { wait: '1s' },
      scheduling: { max_lag: '5s' },
    })
    run = await runScenario(sc, { outDir: outDir('reconcile') })
    sim = Object.fromEntries(run.simulator.map((s) => [s.id, s]))
  }, 30_000)

  it('plans and sends every message, and the books balance', () => {
    const t = run.results.totals
    expect(run.exitCode).toBe(0)
    expect(t.planned).toBe(MESSAGES)
    expect(t.sent).toBe(MESSAGES)
    expect(t.dropped).toBe(0)
    expect(run.simulator.map((s) => s.id)).toEqual(['mixed', 'dupes'])
  })

  it('sent, accepted and rejected-by-status equal the operators\' own counts', () => {
    for (const id of ['mixed', 'dupes']) {
      const ours = run.results.operators[id]!
      const theirs = sim[id]!
      expect(ours.totals.sent, id).toBe(theirs.messages)
      expect(ours.totals.sent, id).toBe(theirs.submits) // single-segment texts: one submit_sm each
      expect(ours.totals.accepted, id).toBe(theirs.statuses.ESME_ROK)
      const rejected = { ...ours.statuses }
      delete rejected.ESME_ROK
      delete rejected.TIMEOUT
      expect(rejected, id).toEqual(simRejections(theirs))
      expect(ours.totals.rejected, id).toBe(sum(simRejections(theirs)))
      expect(theirs.inFlight, id).toBe(0)
    }
    // The mix really exercised the rejections (the seed is fixed: these are not luck).
    expect(sim.mixed!.statuses.ESME_RSYSERR).toBeGreaterThan(0)
    expect(sim.mixed!.statuses.ESME_RMSGQFUL).toBeGreaterThan(0)
  })

  it('unanswered submits are exactly the TIMEOUT failures', () => {
    expect(sim.mixed!.unanswered).toBeGreaterThan(0)
    for (const id of ['mixed', 'dupes']) {
      const ours = run.results.operators[id]!
      expect(ours.statuses.TIMEOUT ?? 0, id).toBe(sim[id]!.unanswered)
      expect(ours.totals.failed, id).toBe(sim[id]!.unanswered)
    }
  })

  it('final receipts equal receipts sent minus duplicates, by state where nothing was duplicated', () => {
    for (const id of ['mixed', 'dupes']) {
      const t = run.results.operators[id]!.totals
      const r = sim[id]!.receipts
      const finals = t.delivered + t.undelivered + t.expired + t.rejected_by_operator + t.other_final
      expect(finals, id).toBe(sum(r.sent) - r.duplicated)
      expect(r.pending, id).toBe(0)
    }
    // No duplicates at `mixed`: every state's count matches one for one.
    expect(sim.mixed!.receipts.duplicated).toBe(0)
    expect(run.results.operators.mixed!.receipts).toEqual(sim.mixed!.receipts.sent)
    const m = run.results.operators.mixed!.totals
    const sent = sim.mixed!.receipts.sent
    expect([m.delivered, m.undelivered, m.expired, m.rejected_by_operator]).toEqual([sent.DELIVRD, sent.UNDELIV, sent.EXPIRED, sent.REJECTD])
  })

  it('lost receipts are exactly the missing ones, duplicates are counted, none unknown', () => {
    for (const id of ['mixed', 'dupes']) {
      const t = run.results.operators[id]!.totals
      expect(t.missing, id).toBe(sim[id]!.receipts.lost)
      expect(t.duplicate_receipts, id).toBe(sim[id]!.receipts.duplicated)
      expect(t.pending, id).toBe(0)
    }
    expect(sim.mixed!.receipts.lost).toBeGreaterThan(0)
    expect(sim.dupes!.receipts.duplicated).toBeGreaterThan(0)
    expect(run.results.totals.unknown_receipts).toBe(0)
  })

  it('every message was seen arriving once, at the right operator', () => {
    const t = run.results.totals
    expect(t.misrouted).toBe(0)
    expect(t.duplicate_submits).toBe(0)
    // The operator reports each message it accepted to the observer: one transit time each.
    for (const id of ['mixed', 'dupes']) {
      expect(pct(run.results.operators[id]!.histograms.transit.corrected).count, id).toBe(sim[id]!.statuses.ESME_ROK)
    }
  })
})
