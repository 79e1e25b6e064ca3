// The words for why sends were dropped or late (reports/send-reasons.ts) on hand-made figures:
// the heading names only what happened, a window that carries the plan's mean rate is told it
// filled at bursts, and a run with nothing dropped or late says nothing.
import { describe, expect, it } from 'vitest'
import { sendReasonLines } from '../../reports/send-reasons.js'
import type { ResultsFile } from '../../results/results-format.js'
import { syntheticRun } from './fixtures.js'

function run(dropped: number, late: number, window: NonNullable<ResultsFile['sendDelays']>['window']): ResultsFile {
  const r = syntheticRun({ seed: 5, rate: 50, durationS: 10 })
  r.totals = { ...r.totals, dropped, late }
  const inWindow = Object.values(window).reduce((n, w) => n + w.dropped, 0)
  const lateInWindow = Object.values(window).reduce((n, w) => n + w.late, 0)
  r.sendDelays = {
    window,
    behind: { dropped: dropped - inWindow, late: late - lateInWindow, maxLateMs: 40 },
    interrupted: { dropped: 0 },
    loop: { delayP99Ms: 3, delayMaxMs: 40, cpuPercent: 95 },
  }
  return r
}

describe('sendReasonLines', () => {
  it('nothing dropped or late: nothing to say', () => {
    expect(sendReasonLines(run(0, 0, {}))).toEqual([])
  })

  it('late only: the heading says late, and a CPU-bound machine is told to use more cores', () => {
    const lines = sendReasonLines(run(0, 5, {}))
    expect(lines[0]).toBe('why 5 send(s) were late:')
    expect(lines[1]).toMatch(/^machine behind its plan: 5 late with room on the binds .* mtsim used 95% of a core while sending: the load generator is short of CPU \(--workers N uses more cores\)$/)
  })

  it('a window that carries more than the mean rate filled at bursts', () => {
    // telco-a's answers in the synthetic run take milliseconds: 1,000 in flight carry far more than its share of 50/s.
    const lines = sendReasonLines(run(3, 0, { 'telco-a': { dropped: 3, late: 0, inFlight: 1000 } }))
    expect(lines[0]).toBe('why 3 send(s) were dropped:')
    expect(lines[1]).toMatch(/^window full at telco-a: 3 dropped while waiting for room on its binds \(up to 1,000 submit\(s\) in flight\); the gateway answered its submits in .* above the plan's [\d.]+\/s on average: the window filled at bursts of arrivals/)
  })
})
