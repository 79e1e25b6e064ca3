// The shared start (deploy/start-gate.ts) on a clock the test steps: plan time 0 is pinned to the
// instant itself, whatever the timers do; a start missed by more than max_lag is refused; an
// abort ends the wait. And the share numbering of Indexed Jobs (deploy/segment.ts).
import { describe, it, expect } from 'vitest'
import { parseStartAt, waitForInstant, wallOffset, type GateClock } from '../../deploy/start-gate.js'
import { parseSegment } from '../../deploy/segment.js'
import { MtsimError } from '../../lib/errors.js'

/** Perf starts at 1000 ms; the wall clock is perf + offset, seen in whole ms as Date.now() shows it. Timers fire `timerLateMs` late. */
function fakeClock(offset: number, timerLateMs = 0) {
  const state = { perf: 1000, sleeps: [] as number[], turns: 0 }
  const clock: GateClock = {
    epoch: () => Math.floor(state.perf + offset),
    // Reading the clock takes a little time, as it does.
    perf: () => (state.perf += 0.0005),
    sleep: async (ms) => {
      state.sleeps.push(ms)
      state.perf += ms + timerLateMs
    },
    turn: async () => {
      state.turns++
      state.perf += 0.05
    },
  }
  return { clock, state }
}

const OFFSET = 1_780_000_000_000.25

describe('the start gate', () => {
  it('reads the wall clock where its millisecond ticks over, so the mapping holds to microseconds', () => {
    const { clock } = fakeClock(OFFSET)
    expect(Math.abs(wallOffset(clock) - OFFSET)).toBeLessThan(0.01)
  })

  it('resolves with the instant itself on the perf clock, sleeping in slices, then polling the last ms', async () => {
    const { clock, state } = fakeClock(OFFSET, 0.7)
    const at = Math.floor(1000 + OFFSET) + 5000
    const lines: string[] = []
    const zero = await waitForInstant(at, { clock, maxLateMs: 1000, log: (l) => lines.push(l) })
    expect(zero).toBeCloseTo(at - OFFSET, 2)
    // Awake at or just after the instant: not before, and not a timer's lateness after.
    expect(state.perf).toBeGreaterThanOrEqual(zero!)
    expect(state.perf - zero!).toBeLessThan(0.1)
    expect(Math.max(...state.sleeps)).toBeLessThanOrEqual(1000)
    expect(state.turns).toBeGreaterThan(0)
    expect(lines[0]).toMatch(/^start: waiting 5s for the shared start 20\d\d-/)
  })

  it('a start already past by less than max_lag plays from the instant (sends due count as late); by more, it is refused', async () => {
    const { clock } = fakeClock(OFFSET)
    const now = Math.floor(1000 + OFFSET)
    const lines: string[] = []
    const zero = await waitForInstant(now - 200, { clock, maxLateMs: 1000, log: (l) => lines.push(l) })
    expect(zero).toBeCloseTo(now - 200 - OFFSET, 0)
    expect(lines[0]).toMatch(/after the shared start .*count as late/)
    const missed = waitForInstant(now - 5000, { clock, maxLateMs: 1000 })
    await expect(missed).rejects.toThrow(MtsimError)
    await expect(waitForInstant(now - 5000, { clock, maxLateMs: 1000 })).rejects.toThrow(/the shared start .* passed 5s ago/)
  })

  it('an abort ends the wait with no start', async () => {
    const { clock } = fakeClock(OFFSET)
    const ac = new AbortController()
    const slept = clock.sleep
    clock.sleep = async (ms) => {
      await slept(ms)
      ac.abort()
    }
    expect(await waitForInstant(Math.floor(1000 + OFFSET) + 60_000, { clock, maxLateMs: 1000, signal: ac.signal })).toBeUndefined()
  })

  it('--start-at takes an ISO time with a zone, +D from now, or barrier', () => {
    expect(parseStartAt('2026-05-01T12:00:00Z')).toEqual({ kind: 'instant', epochMs: Date.UTC(2026, 4, 1, 12) })
    expect(parseStartAt('2026-05-01T14:00:00.5+02:00')).toEqual({ kind: 'instant', epochMs: Date.UTC(2026, 4, 1, 12, 0, 0, 500) })
    expect(parseStartAt('+30s', 1000)).toEqual({ kind: 'instant', epochMs: 31_000 })
    expect(parseStartAt(' barrier ')).toEqual({ kind: 'barrier' })
    for (const bad of ['2026-05-01', '2026-05-01T12:00:00', 'tomorrow', '+soon', '30s']) {
      expect(() => parseStartAt(bad), bad).toThrow('--start-at: expected an ISO time with a zone')
    }
  })
})

describe('--segment', () => {
  it('i/n as written; auto/n from JOB_COMPLETION_INDEX (0-based) as Kubernetes sets it in an Indexed Job', () => {
    expect(parseSegment('2/4', {})).toEqual({ index: 2, count: 4 })
    expect(parseSegment('auto/4', { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 1, count: 4 })
    expect(parseSegment('auto/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 4, count: 4 })
  })

  it('says what is wrong', () => {
    expect(() => parseSegment('auto/4', {})).toThrow('--segment: expected auto/4 with JOB_COMPLETION_INDEX set (Kubernetes sets it in the pods of a Job with completionMode: Indexed), or i/4, found auto/4 and no JOB_COMPLETION_INDEX')
    expect(() => parseSegment('auto/4', { JOB_COMPLETION_INDEX: '4' })).toThrow('JOB_COMPLETION_INDEX a whole number from 0 to 3 (does the Job\'s completions match n?), found JOB_COMPLETION_INDEX="4"')
    expect(() => parseSegment('5/4', {})).toThrow('expected i/n with 1 <= i <= n')
    expect(() => parseSegment('0/4', {})).toThrow('expected i/n with 1 <= i <= n')
    expect(() => parseSegment('two/4', {})).toThrow('or auto/n in a Kubernetes Indexed Job')
  })
})
