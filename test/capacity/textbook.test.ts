// The textbook cases of capacity planning hold exactly in the model (issue 15):
//   - an operator throttled at R, offered a constant λ > R for T, builds a backlog of (λ - R)T
//     (less its burst, which goes at once) and drains it in (λ - R)T / (R - λ_after);
//   - with the reject policy (direct mode) the same excess is refused instead: (λ - R)T - burst;
//   - an unthrottled link with window W per bind, B binds and a fixed latency L carries B W / L.
// Messages are whole, so "exactly" means to the message: a drain ends when the last queued
// message goes, which is within one arrival (at λ_after) or one token (at R) of the fluid instant.
import { describe, expect, it } from 'vitest'
import { model, operator, scenario } from './helpers.js'

const traffic = { destinations: [{ operator: 'op' }], msisdn_length: 10, templates: ['Your code is {{otp}}'] }

describe('throttle: backlog and drain', () => {
  const lambda = 100
  const R = 50
  const after = 20
  const T = 60
  const burst = 1
  const s = scenario({
    network: { operators: [operator('op', '4790', { throttle: { rate: R, per: 'operator', burst } })] },
    // A gateway that keeps throttled messages (Kannel's retry), with a window far from binding.
    gateway: { kind: 'kannel' },
    model: { links: { op: { window: 10_000 } } },
    streams: [{
      name: 'load', executor: 'ramping-arrival-rate', startRate: lambda,
      stages: [{ target: lambda, duration: `${T}s` }, { target: after, duration: '0s' }, { target: after, duration: '200s' }],
      traffic,
    }],
  })
  const run = model(s)
  const link = run.links[0]!

  it('builds (λ - R)T - burst by T and no more', () => {
    // The interval ending at T ends with exactly that backlog...
    expect(run.series[0]!.queued[T - 1]).toBe((lambda - R) * T - burst)
    // ...which is the peak, give or take the one message that arrived between two tokens.
    expect(Math.abs(link.peakQueued - ((lambda - R) * T - burst))).toBeLessThanOrEqual(1)
    expect(link.peakQueuedAt).toBeGreaterThan(T * 1000 - 1000 / R)
    expect(link.peakQueuedAt).toBeLessThanOrEqual(T * 1000)
    expect(Math.max(...run.series[0]!.queued)).toBe((lambda - R) * T - burst)
  })

  it('drains it in backlog / (R - λ_after), to the message', () => {
    const backlog = (lambda - R) * T - burst
    const expected = (backlog / (R - after)) * 1000
    const drain = link.drainedAt - link.peakQueuedAt
    expect(Math.abs(drain - expected)).toBeLessThanOrEqual(1000 / after + 1000 / R)
    // And the planner's answer says the same.
    expect(Math.abs(run.series[0]!.queued.findIndex((q, j) => j > T && q === 0) * 1000 - (T * 1000 + expected))).toBeLessThanOrEqual(1000)
  })

  it('carries R while the backlog lasts and everything in the end', () => {
    const carried = run.series[0]!.carried
    for (let j = 5; j < 150; j++) expect(carried[j]).toBe(R)
    const t = run.recorders[0]!.totals
    expect(t.planned).toBe(lambda * T + after * 200)
    expect(t.accepted).toBe(t.planned)
    expect(t.delivered).toBe(t.planned)
  })
})

describe('throttle with the reject policy (direct mode)', () => {
  it('refuses (λ - R)T - burst and carries RT + burst, to the message', () => {
    const s = scenario({
      network: { operators: [operator('op', '4790', { throttle: { rate: 50, per: 'operator', burst: 5 } })] },
      gateway: { kind: 'direct', window: 1000 },
      streams: [{ name: 'load', executor: 'constant-arrival-rate', rate: 100, duration: '30s', traffic }],
    })
    const run = model(s)
    const t = run.recorders[0]!.totals
    expect(t.planned).toBe(3000)
    // The last send is 10 ms before T: the bucket's last half token is never asked for.
    expect(Math.abs(t.accepted - (50 * 30 + 5))).toBeLessThanOrEqual(1)
    expect(t.rejected).toBe(3000 - t.accepted)
    expect(run.recorders[0]!.statuses.ESME_RTHROTTLED).toBe(t.rejected)
    expect(t.dropped).toBe(0)
  })
})

describe('window: B W / L', () => {
  for (const [B, W, L] of [[2, 10, 50], [3, 7, 20], [1, 100, 250]] as const) {
    it(`${B} binds x window ${W}, latency ${L} ms carries ${(B * W * 1000) / L}/s`, () => {
      const s = scenario({
        network: { operators: [operator('op', '4790', { latency: { distribution: 'fixed', value: `${L}ms` }, smpp: { port: 0, accounts: [{ system_id: 'op', password: 'pw', max_binds: 8 }], window: { max_outstanding: W } } })] },
        gateway: { kind: 'direct', binds: B, window: W },
        scheduling: { late_after: '10s', max_lag: '1h' },
        streams: [{ name: 'load', executor: 'constant-arrival-rate', rate: 3000, duration: '10s', traffic }],
      })
      const run = model(s)
      const rate = (B * W * 1000) / L
      expect(run.links[0]!.windowRate).toBeCloseTo(rate, 9)
      const carried = run.series[0]!.carried
      for (let j = 1; j < 10; j++) expect(carried[j]).toBe(rate)
      // Nothing refused, nothing dropped: the rest waited (and is carried after the plan).
      const t = run.recorders[0]!.totals
      expect(t.accepted).toBe(30_000)
      expect(run.links[0]!.peakQueued).toBeGreaterThan(30_000 - rate * 10 - B * W - 1)
    })
  }
})
