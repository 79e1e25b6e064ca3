// Every duration and rate has a finite range, in files, control-API bodies and flags, and long
// delays are waited out correctly (issue 11, defect 2). A 30-day outage used to overflow Node's
// timer (2^31-1 ms): the scheduler then fired every millisecond, for good, even after DELETE;
// "99999999999999999999d", 1e400 (Infinity) and a throttle rate of 1e400 were accepted; and
// `simulate --duration 25d` stopped after a moment. Fake timers: time passes when the test says.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildControlApi } from '../../simulator/control/control-api.js'
import { loadNetwork, parseNetwork } from '../../simulator/network.js'
import { Scheduler } from '../../simulator/scheduler.js'
import { startNetwork } from '../../simulator/start-network.js'
import { durationOption, waitForStop } from '../../cli/options.js'
import { runCommand } from '../../cli/commands/run.js'
import { loadScenario } from '../../loadgen/scenario/scenario.js'
import { MtsimError } from '../../lib/errors.js'
import { fakeNetwork } from '../simulator/control/fake-network.js'

const DAY = 86_400_000
let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtsim-ranges-'))
})
afterEach(() => {
  vi.useRealTimers()
})

const network = (timeline: string, throttle = '') => `
operators:
  - id: op
    mcc: "242"
    mnc: "01"
    prefixes: ["47"]
    smpp: { port: 0, accounts: [{ system_id: esme, password: secret }] }
${throttle}
    timeline:
${timeline}
`

function problems(yaml: string): string[] {
  const file = join(dir, 'net.yaml')
  writeFileSync(file, yaml)
  try {
    loadNetwork(file)
    return []
  } catch (err) {
    expect(err).toBeInstanceOf(MtsimError)
    return (err as MtsimError).details.map((d) => d.replace(file, 'F'))
  }
}

describe('ranges in network files', () => {
  it('rejects durations beyond 365 days and numbers that are not finite, naming path, range and value', () => {
    const found = problems(
      network(
        [
          '      - { at: 1s, event: outage, duration: "99999999999999999999d" }',
          '      - { at: 1s, event: black_hole, duration: 1e400 }',
          '      - { at: 366d, event: receipt_backlog, duration: 1s }',
        ].join('\n'),
        '    throttle: { rate: 1e400 }',
      ),
    )
    expect(found).toEqual([
      expect.stringMatching(/operators\[0\]\.throttle\.rate: expected messages per second, more than 0, at most 10000000, found Infinity$/),
      expect.stringMatching(/operators\[0\]\.timeline\[0\]\.duration: expected how long the event lasts, like "20s", at most 365d, found "99999999999999999999d"$/),
      expect.stringMatching(/operators\[0\]\.timeline\[1\]\.duration: expected how long the event lasts, like "20s", at most 365d, found Infinity$/),
      expect.stringMatching(/operators\[0\]\.timeline\[2\]\.at: expected .*at most 365d, found "366d"$/),
    ])
  })

  it('accepts a 30-day outage and a delay of up to 7 days in a distribution, but not more', () => {
    expect(problems(network('      - { at: 1s, event: outage, duration: 30d }'))).toEqual([])
    const yaml = network('      - { at: 1s, event: latency_spike, duration: 1m, latency: { distribution: fixed, value: 8d } }')
    expect(problems(yaml)).toEqual([expect.stringMatching(/timeline\[0\]\.latency\.value: expected .*at most 7d, found "8d"$/)])
  })
})

describe('ranges in control-API bodies', () => {
  const post = async (payload: string) => {
    const app = buildControlApi(fakeNetwork())
    try {
      const res = await app.inject({ method: 'POST', url: '/operators/alpha/faults', headers: { 'content-type': 'application/json' }, payload })
      return { code: res.statusCode, issues: (res.json().issues ?? []).map((i: { message: string }) => i.message) as string[] }
    } finally {
      await app.close()
    }
  }

  it('400s a duration of "99999999999999999999d" or 1e400 and a rate of 1e400; 201s a 30-day outage', async () => {
    expect(await post('{"event":"outage","duration":"99999999999999999999d"}')).toEqual({
      code: 400,
      issues: ['duration: expected how long the event lasts, like "20s", at most 365d, found "99999999999999999999d"'],
    })
    expect(await post('{"event":"outage","duration":1e400}')).toEqual({
      code: 400,
      issues: ['duration: expected how long the event lasts, like "20s", at most 365d, found Infinity'],
    })
    expect(await post('{"event":"throttle_change","duration":"1m","rate":1e400}')).toEqual({
      code: 400,
      issues: ['rate: expected the new messages per second, more than 0, at most 10000000, found Infinity'],
    })
    expect((await post('{"event":"outage","duration":"30d"}')).code).toBe(201)
  })
})

describe('long delays in the scheduler', () => {
  it('a 30-day outage does not spin the timer, ends on time, and DELETE ends it at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    let clockReads = 0
    const scheduler = new Scheduler(() => (clockReads++, Date.now()))
    const net = await startNetwork(parseNetwork({ operators: [{ id: 'op', mcc: '242', mnc: '01', prefixes: ['47'], smpp: { port: 0, accounts: [{ system_id: 'e', password: 'p' }] } }] }, 'n'), { scheduler })
    try {
      const op = net.operators[0]!
      op.injectFault({ kind: 'outage', at: 0, duration: 30 * DAY })
      expect(op.state()).toBe('outage')
      clockReads = 0
      vi.advanceTimersByTime(10_000)
      // One armed timer, not one firing every millisecond: a handful of clock reads in 10 s.
      expect(clockReads).toBeLessThan(10)
      vi.advanceTimersByTime(30 * DAY - 10_001)
      expect(op.state()).toBe('outage')
      vi.advanceTimersByTime(1)
      expect(op.state()).toBe('up')

      op.injectFault({ kind: 'outage', at: 0, duration: 30 * DAY })
      expect(op.clearFaults()).toBe(1)
      expect(op.state()).toBe('up')
      clockReads = 0
      vi.advanceTimersByTime(10_000)
      expect(clockReads).toBeLessThan(10)
      vi.advanceTimersByTime(31 * DAY)
      expect(op.state()).toBe('up')
      expect(net.faultHistory().map((f) => f.end - f.start)).toEqual([30 * DAY, 0])
    } finally {
      await net.close()
    }
  })
})

describe('ranges of flags', () => {
  it('--duration: above 0 and at most 365d, with a clear error beyond', () => {
    expect(durationOption('--duration', '25d')).toBe(25 * DAY)
    for (const bad of ['400d', '99999999999999999999d', '0s']) {
      const err = (() => {
        try {
          durationOption('--duration', bad)
        } catch (e) {
          return e as MtsimError
        }
      })()
      expect(err?.code).toBe('MTSIM_ERR_RANGE')
      expect(err?.message).toBe(`--duration: expected a duration above 0 and at most 365d, found "${bad}"`)
    }
  })

  it('simulate --duration 25d waits 25 days, not a moment', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const stop = waitForStop({ afterMs: 25 * DAY, signals: false, write: () => {}, secondSignal: '' })
    let why: string | undefined
    void stop.done.then((w) => (why = w))
    await vi.advanceTimersByTimeAsync(2000)
    expect(why).toBeUndefined()
    await vi.advanceTimersByTimeAsync(25 * DAY - 2001)
    expect(why).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(why).toBe('--duration 600h0m0s reached')
    stop.dispose()
  })

  it('--rate-scale: above 0, at most 1000, and never past 10,000,000 msg/s for any stream', async () => {
    const file = join(dir, 'scenario.yaml')
    writeFileSync(join(dir, 'net2.yaml'), network('      - { at: 1s, event: outage, duration: 1s }'))
    const scenario = (rate: string, timeUnit = '1s') =>
      `network: net2.yaml\ngateway: { kind: direct }\nstreams:\n` +
      `  - { name: s, executor: constant-arrival-rate, rate: ${rate}, timeUnit: ${timeUnit}, duration: 1s, traffic: { destinations: [{ operator: op }] } }\n`
    writeFileSync(file, scenario('20000'))
    const code = async (rateScale: string) => {
      try {
        await runCommand(file, { rateScale, progress: false, report: false, out: join(dir, 'never') })
        return 'ran'
      } catch (err) {
        return `${(err as MtsimError).code}: ${(err as MtsimError).message}`
      }
    }
    expect(await code('1e6')).toBe('MTSIM_ERR_RANGE: --rate-scale: expected a number above 0 and at most 1000, found "1e6"')
    expect(await code('1000')).toBe(
      'MTSIM_ERR_RANGE: --rate-scale: expected a scale that keeps every stream at most 10000000 messages per second, found 1000, which takes stream "s" to 20000000 per second',
    )
    // In the file itself: a rate of 1e400, or 1e7 per millisecond.
    const details = (text: string) => {
      writeFileSync(file, text)
      try {
        loadScenario(file)
        return []
      } catch (err) {
        return (err as MtsimError).details.map((d) => d.replace(file, 'F'))
      }
    }
    expect(details(scenario('1e400'))).toEqual([expect.stringMatching(/streams\[0\]\.rate: expected messages per timeUnit, 0 or more, at most 10000000, found Infinity$/)])
    expect(details(scenario('10000000', '1ms'))).toEqual([
      expect.stringMatching(/streams\[0\]\.executor: expected a stream whose rate never exceeds 10000000 messages per second, found "a peak of 10000000000 per second"$/),
    ])
  })
})
