// A request times out at its deadline, not at the next sweep (issue 11, defect 8: a periodic
// sweep every timeout/4 failed a 2 s request 2.0 to 2.5 s after its send). Fake timers and an
// injected clock: the test says when time passes, so load cannot change the outcome. A due
// request fails from a setImmediate after its timer (answers already read go first), which fake
// timers run one fake millisecond later: "on time" here is within 1 ms of the deadline.
import { EventEmitter } from 'node:events'
import type { Socket } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PendingRequests } from '../../smpp/pending.js'
import { SmppSession } from '../../smpp/session.js'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

const clock = () => Date.now()

/** A socket that accepts every write and never answers: only the session's own timers act. */
function silentSocket(): Socket {
  const s = new EventEmitter() as unknown as Socket & { writableLength: number }
  Object.assign(s, {
    writableLength: 0,
    setNoDelay: () => s,
    write: () => true,
    pause: () => s,
    resume: () => s,
    end: () => s,
    destroy: () => (s.emit('close'), s),
  })
  return s
}

describe('response timeout', () => {
  it('fails a 2 s request exactly 2 s after it was made, whenever in the second it was made', () => {
    const session = new SmppSession(silentSocket(), { responseTimeoutMs: 2000, clock })
    const t0 = Date.now()
    const failedAt: number[] = []
    // Requests at 1, 251, 501 and 751 ms: a sweep every 500 ms would fail them up to 499 ms late.
    for (const at of [1, 250, 250, 250]) {
      vi.advanceTimersByTime(at)
      session.request({ command: 'enquire_link', status: 0, sequence: 0 }, (resp, timedOut) => {
        expect(resp).toBeUndefined()
        expect(timedOut).toBe(true)
        failedAt.push(Date.now() - t0)
      })
    }
    vi.advanceTimersByTime(1249) // t = 2000: the first is due at 2001
    expect(failedAt).toEqual([])
    vi.advanceTimersByTime(2)
    expect(failedAt).toHaveLength(1)
    vi.advanceTimersByTime(1000)
    const due = [2001, 2251, 2501, 2751]
    expect(failedAt.map((t, i) => t - due[i]!)).toEqual(failedAt.map(() => expect.toSatisfy((late: number) => late >= 0 && late <= 1)))
    expect(session.pendingCount).toBe(0)
  })

  it('one timer for any number of requests; answered requests move it on to the next deadline', () => {
    const failed: number[] = []
    const p = new PendingRequests<string>(2000, clock)
    const t0 = Date.now()
    for (let seq = 1; seq <= 1000; seq++) {
      p.add(seq, (resp, timedOut) => {
        if (timedOut) failed.push(seq)
        else expect(resp).toBe('answered')
      })
      expect(vi.getTimerCount()).toBe(1)
      vi.advanceTimersByTime(1) // request seq is made at t0 + seq - 1
    }
    // Answer every request but each 100th: the timer must still fire at each survivor's own deadline.
    for (let seq = 1; seq <= 1000; seq++) if (seq % 100 !== 0) p.take(seq)!('answered', false)
    const when: number[] = []
    while (p.size > 0) {
      const before = failed.length
      vi.advanceTimersToNextTimer()
      if (failed.length > before) when.push(Date.now() - t0)
      expect(vi.getTimerCount()).toBeLessThanOrEqual(1)
    }
    expect(failed).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
    expect(when.map((t, i) => t - (failed[i]! - 1 + 2000))).toEqual(when.map(() => expect.toSatisfy((late: number) => late >= 0 && late <= 1)))
  })

  it('a response timeout beyond what one Node timer holds waits in steps, never firing early', () => {
    const days = 30
    const p = new PendingRequests<string>(days * 86_400_000, clock)
    let fired = false
    p.add(1, () => (fired = true))
    vi.advanceTimersByTime(25 * 86_400_000)
    expect(fired).toBe(false)
    vi.advanceTimersByTime(5 * 86_400_000 - 1)
    expect(fired).toBe(false)
    vi.advanceTimersByTime(2)
    expect(fired).toBe(true)
  })

  it('close fails what is pending at once and leaves no timer behind', () => {
    const p = new PendingRequests<string>(1000, clock)
    const outcomes: [string | undefined, boolean][] = []
    for (let seq = 1; seq <= 3; seq++) p.add(seq, (r, t) => outcomes.push([r, t]))
    p.failAll()
    expect(outcomes).toEqual([[undefined, false], [undefined, false], [undefined, false]])
    expect(vi.getTimerCount()).toBe(0)
  })
})
