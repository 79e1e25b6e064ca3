// `mtsim capacity` in direct mode, where the knee is known: one operator answering in 200 ms with
// a window of 10 on one bind carries 10 / 0.2 s = 50 msg/s. Above it mtsim's sends wait for window
// room and the scenario's threshold on submit latency breaks; the verdict names the window. And a
// search stopped from outside (Ctrl-C) keeps its steps.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { capacityScenario, type CapacityFile } from '../../capacity/measure/index.js'
import { operator, outDir, scenario } from './helpers.js'

function windowScenario(submitLatency: unknown = { threshold: 'p(99)<600', min_samples: 20 }) {
  return scenario({
    name: 'capacity-window',
    network: {
      operators: [operator('op', '4790', {
        latency: { distribution: 'fixed', value: '200ms' },
        smpp: { port: 0, accounts: [{ system_id: 'op', password: 'pw' }], window: { max_outstanding: 10 } },
        receipts: { delay: { distribution: 'fixed', value: '100ms' } },
      })],
    },
    gateway: { kind: 'direct', binds: 1, window: 10 },
    streams: [{ name: 'load', executor: 'constant-arrival-rate', rate: 20, duration: '10s', traffic: { destinations: [{ operator: 'op' }], msisdn_length: 10, templates: ['Your code is {{otp}}'] } }],
    scheduling: { late_after: '50ms', max_lag: '10s' },
    // Steps of 2-3 s at 10-20/s carry 20-60 submits: enough to see a 200-ms window wait.
    thresholds: { submit_latency: [submitLatency], dropped: ['count==0'] },
  })
}

describe('mtsim capacity, direct mode', () => {
  it('brackets B x W / L = 50 msg/s and names the window', async () => {
    const out = await capacityScenario(windowScenario(), {
      outDir: outDir('capacity-window'), startRate: 20, maxRate: 200, factor: 2, precision: 0.2, stepMs: 3000, warmupMs: 0, maxDurationMs: 120_000, settleMs: 0,
    })
    const c = out.file
    expect(c.held).not.toBeNull()
    expect(c.broke).not.toBeNull()
    // The window carries 50/s: a rate clearly below holds, one clearly above breaks.
    expect(c.held!).toBeLessThan(52)
    expect(c.broke!).toBeGreaterThan(45)
    expect(c.held!).toBeGreaterThanOrEqual(30)
    expect(c.knee?.resource).toBe('operator window')
    // Carried at the failing step: the window's 50/s (the rest waited), within scheduling noise.
    const failing = c.steps.find((s) => s.rate === c.broke)!
    expect(failing.carriedPerS).toBeGreaterThan(40)
    expect(failing.carriedPerS).toBeLessThan(55)
  }, 200_000)

  it('keeps the steps so far when stopped from outside', async () => {
    const controller = new AbortController()
    const dir = outDir('capacity-stop')
    const out = await capacityScenario(windowScenario(), {
      outDir: dir, startRate: 10, maxRate: 200, factor: 1.5, precision: 0.05, stepMs: 2000, warmupMs: 0, maxDurationMs: 120_000, settleMs: 0,
      signal: controller.signal,
      // Stop while the second step runs.
      log: (line) => {
        if (line.startsWith('step 2:')) setTimeout(() => controller.abort(), 500)
      },
    })
    const c: CapacityFile = JSON.parse(readFileSync(out.files.capacity, 'utf8'))
    expect(c.meta.interrupted).toBe(true)
    expect(c.ended).toBe('interrupted')
    expect(c.steps.length).toBe(2)
    expect(c.steps[0]!.ok).toBe(true)
    expect(c.steps[1]!.interrupted).toBe(true)
    expect(c.held).toBe(10)
  }, 60_000)

  it('stops, rather than call a knee, when a step measures too little to judge', async () => {
    // p(99) wants 100 submits by default; one 1-s step at 20/s has about 20.
    const out = await capacityScenario(windowScenario('p(99)<600'), {
      outDir: outDir('capacity-short'), startRate: 20, maxRate: 200, factor: 2, precision: 0.2, stepMs: 1000, warmupMs: 0, maxDurationMs: 60_000, settleMs: 0,
    })
    const c = out.file
    expect(c.ended).toBe('insufficient-data')
    expect(c.steps.length).toBe(1)
    expect(c.steps[0]!.ok).toBe(false)
    expect(c.steps[0]!.insufficient).toMatch(/^submit_latency p\(99\)<600: insufficient data: \d+ of 100 samples$/)
    expect(c.held).toBeNull()
    expect(c.broke).toBeNull()
    expect(c.knee).toBeNull()
    expect(out.text).toContain('lengthen --step')
  }, 60_000)
})
