// The coordinator of a split run (deploy/coordinator/): one start for all once every share has
// checked in; results collected; and no partial verdict: a share that fails, never checks in or
// never reports ends the run with MTSIM_ERR_SHARES_MISSING (108) naming it. The state machine is
// stepped on the test's own clock; the wiring (HTTP server, share client, merged report) is
// exercised in-process on 127.0.0.1 with shares that each run the scenario against their own
// in-process network.
import { describe, it, expect } from 'vitest'
import { Coordination } from '../../deploy/coordinator/state.js'
import { runCoordinate } from '../../deploy/coordinator/coordinate.js'
import { CoordinatorClient } from '../../deploy/coordinator/client.js'
import { ShareSession } from '../../deploy/share-session.js'
import { runScenario } from '../../run/run-scenario.js'
import { writeResults } from '../../results/results-writer.js'
import { ExitCode, MtsimError } from '../../lib/errors.js'
import { join } from 'node:path'
import { operator, outDir, scenario, stream } from '../run/helpers.js'

const MIN = 60_000
const opts = { shares: 3, leadMs: 2000, checkinTimeoutMs: 10 * MIN, resultsTimeoutMs: 5 * MIN, createdAt: 0 }

describe('coordination (no I/O, stepped clock)', () => {
  it('gives no start until all have checked in, then one start for all, lead after the last', () => {
    const c = new Coordination(opts)
    expect(c.checkIn(2, 100)).toEqual({ start: null, waiting: [1, 3], abort: null })
    expect(c.checkIn(1, 200)).toEqual({ start: null, waiting: [3], abort: null })
    expect(c.checkIn(3, 900).start).toBe(2900)
    // Asking again (every share polls) changes nothing.
    expect(c.checkIn(2, 1500)).toEqual({ start: 2900, waiting: [], abort: null })
  })

  it('a share that never checks in fails the run at the deadline, named', () => {
    const c = new Coordination(opts)
    c.checkIn(1, 0)
    c.tick(10 * MIN - 1)
    expect(c.outcome).toBeNull()
    c.tick(10 * MIN)
    expect(c.outcome).toEqual({ kind: 'failed', problems: ['shares 2, 3 of 3 never checked in within 10 min (not started, or could not bind to the gateway)'] })
    // The share waiting at the barrier is told to stop.
    expect(c.checkIn(1, 10 * MIN + 5).abort).toMatch(/^the run was called off: shares 2, 3 of 3 never checked in/)
    expect(c.checkIn(1, 10 * MIN + 5).start).toBeNull()
  })

  it('a share that reports a failure ends the run at once, with its reason', () => {
    const c = new Coordination(opts)
    const seen: unknown[] = []
    c.onOutcome((o) => seen.push(o))
    c.checkIn(1, 0)
    c.failed(2, 'MTSIM_ERR_GATEWAY: bind refused')
    expect(seen).toEqual([{ kind: 'failed', problems: ['share 2 of 3 failed: MTSIM_ERR_GATEWAY: bind refused'] }])
    // Results arriving later do not turn it into a pass.
    c.delivered(1, 'a', 0)
    expect(c.outcome?.kind).toBe('failed')
  })

  it('after the start, a share that sends no results in time fails the run, named', () => {
    const c = new Coordination({ ...opts, shares: 2 })
    c.checkIn(1, 0)
    c.checkIn(2, 0)
    c.delivered(2, '/r/share-2/results.json', 0.4)
    c.tick(2000 + 5 * MIN - 1)
    expect(c.outcome).toBeNull()
    c.tick(2000 + 5 * MIN)
    expect(c.outcome).toEqual({ kind: 'failed', problems: ['share 1 of 2 sent no results within 5 min of the start (the share died or was stopped)'] })
  })

  it('a checked-in share not heard from for the silence limit has died: the run fails then, naming it', () => {
    const c = new Coordination({ ...opts, shares: 2, silenceMs: 60_000 })
    c.checkIn(1, 0)
    c.checkIn(2, 0)
    for (let t = 5000; t < 70_000; t += 5000) c.alive(1, t) // share 1 beats, share 2 is gone
    c.tick(59_999)
    expect(c.outcome).toBeNull()
    c.tick(60_000)
    expect(c.outcome).toEqual({ kind: 'failed', problems: ['share 2 of 2 went silent (last heard 1970-01-01T00:00:00.000Z, nothing for 1 min): the share\'s process or host died'] })
    // The one still playing hears it at its next beat.
    expect(c.alive(1, 65_000).abort).toMatch(/^the run was called off: share 2 of 2 went silent/)
  })

  it('a share that has delivered may go quiet', () => {
    const c = new Coordination({ ...opts, shares: 2, silenceMs: 60_000 })
    c.checkIn(1, 0)
    c.checkIn(2, 0)
    c.delivered(1, 'a', 0)
    c.alive(2, 50_000)
    c.tick(100_000)
    expect(c.outcome).toBeNull()
  })

  it('complete when every share has delivered, files in share order', () => {
    const c = new Coordination({ ...opts, shares: 2 })
    c.checkIn(1, 0)
    c.checkIn(2, 0)
    c.delivered(2, 'b', 1)
    c.delivered(1, 'a', 2)
    expect(c.outcome).toEqual({ kind: 'complete', files: ['a', 'b'] })
  })
})

const base = {
  network: { seed: 5, operators: [operator('solo', '4790', { receipts: { delay: { distribution: 'uniform', min: '5ms', max: '30ms' } } })] },
  gateway: { kind: 'direct', window: 200 },
  streams: [stream(200, 1, ['solo'])],
  receipts: { wait: '2s' },
  thresholds: { sent: ['count==200'] },
}
const sc = scenario(base)

/** Starts a coordinator in-process on a free port; resolves its URL and the settled verdict. */
function coordinator(shares: number, more: Partial<Parameters<typeof runCoordinate>[0]> = {}) {
  let url!: (u: string) => void
  const listening = new Promise<string>((r) => (url = r))
  const text: string[] = []
  const verdict = runCoordinate({
    shares, host: '127.0.0.1', port: 0, out: outDir('coordinated'), leadMs: 500, checkinTimeoutMs: 10 * MIN, resultsTimeoutMs: 5 * MIN,
    lingerMs: 800, write: (t) => void text.push(t), onListening: url, ...more,
  })
  return { listening, verdict: verdict.then((code) => ({ code, text: text.join('') })) }
}

/** One share, as `mtsim run --segment i/n --coordinator URL` plays it (with its own in-process network). */
async function share(url: string, index: number, count: number) {
  const lines: string[] = []
  const session = ShareSession.from({ coordinator: url, segment: { index, count }, log: (l) => lines.push(l) })!
  const out = outDir(`share-${index}`)
  const r = await runScenario(sc, { outDir: out, segment: { index, count }, startGate: session.gate(sc.scheduling.maxLagMs), onFirstSend: session.firstSend })
  await session.finished(`${out}/results.json`)
  return { results: r.results, lines, late: session.firstSendLateMs }
}

describe('coordinate: barrier, results and one verdict (in-process, 127.0.0.1)', () => {
  it('two shares start together, and the merged run, not a share, is judged', async () => {
    const c = coordinator(2)
    const url = await c.listening
    const [a, b] = await Promise.all([share(url, 1, 2), share(url, 2, 2)])
    // Each share alone sent 100 and failed `sent == 200`; the whole run passes it.
    expect([a.results.totals.sent, b.results.totals.sent]).toEqual([100, 100])
    expect(a.results.thresholds[0]!.ok).toBe(false)
    const v = await c.verdict
    expect(v.code).toBe(ExitCode.ok)
    expect(v.text).toContain('every share checked in; start at')
    expect(v.text).toMatch(/start: first sends went out \S+ to \S+ after their plan times/)
    expect(v.text).toContain('thresholds: all 1 passed')
    expect(a.lines.some((l) => l.startsWith('start: every share checked in'))).toBe(true)
    expect(a.late).not.toBeNull()
  }, 60_000)

  it('a share that never checks in: the run is called off, the waiting share told, the missing one named (108)', async () => {
    const c = coordinator(2, { checkinTimeoutMs: 1500 })
    const url = await c.listening
    const lone = share(url, 1, 2)
    await expect(lone).rejects.toThrow(/the run was called off: share 2 of 2 never checked in/)
    const err = await c.verdict.then(() => undefined, (e: unknown) => e)
    expect(err).toBeInstanceOf(MtsimError)
    expect((err as MtsimError).exitCode).toBe(ExitCode.incompleteRun)
    expect((err as MtsimError).format()).toContain('share 2 of 2 never checked in within 1.5 s')
    expect((err as MtsimError).format()).toContain('share 2: never checked in')
  }, 60_000)

  it('a share that dies while playing: the run fails at the silence limit, and the other share is told to stop', async () => {
    const c = coordinator(2, { silenceMs: 2000, leadMs: 300 })
    const url = await c.listening
    // Share 2 checks in and then says nothing more (its process died).
    const ghost = new CoordinatorClient(url, { index: 2, count: 2 })
    void ghost.awaitStart()
    const lines: string[] = []
    const ac = new AbortController()
    let calledOff!: (why: string) => void
    const told = new Promise<string>((resolve) => (calledOff = resolve))
    const session = ShareSession.from({
      coordinator: url, segment: { index: 1, count: 2 }, log: (l) => lines.push(l), onCalledOff: (why) => (calledOff(why), ac.abort()), heartbeatMs: 250,
    })!
    const long = scenario({ ...base, streams: [stream(50, 60, ['solo'])] })
    const run = runScenario(long, { outDir: outDir('silent'), segment: { index: 1, count: 2 }, startGate: session.gate(long.scheduling.maxLagMs, ac.signal), signal: ac.signal })
    const err = (await c.verdict.then(() => undefined, (e: unknown) => e)) as MtsimError
    expect(err.exitCode).toBe(ExitCode.incompleteRun)
    expect(err.message).toMatch(/share 2 of 2 went silent .* the share's process or host died/)
    // Share 1 learns it at its next heartbeat and stops, as on Ctrl-C: its run ends interrupted.
    const why = await told
    const r = await run
    await session.finished(join(r.outDir, 'results.json'))
    expect(why).toMatch(/^the run was called off: share 2 of 2 went silent/)
    expect(r.results.meta.interrupted).toBe(true)
    expect(lines.some((l) => l.includes('results of this share kept in'))).toBe(true)
  }, 60_000)

  it('refuses results that are not the share\'s own, and a share\'s failure ends the run naming it', async () => {
    const c = coordinator(2)
    const url = await c.listening
    // Share 1 sends a whole run's results as its own.
    const whole = await runScenario(sc, { outDir: outDir('whole') })
    const wrong = new CoordinatorClient(url, { index: 1, count: 2 })
    await expect(wrong.deliver(writeResults(whole.outDir, whole.results), null)).rejects.toThrow(/answered 400: share 1: it sent the results of a whole run, not of share 1 of 2/)
    const err = (await c.verdict.then(() => undefined, (e: unknown) => e)) as MtsimError
    expect(err.code).toBe('MTSIM_ERR_SHARES_MISSING')
    expect(err.message).toContain('share 1 of 2 failed: it sent the results of a whole run')

    const d = coordinator(3)
    await new CoordinatorClient(await d.listening, { index: 3, count: 3 }).fail('MTSIM_ERR_CONFIG_INVALID: s.yaml is not valid')
    const err2 = (await d.verdict.then(() => undefined, (e: unknown) => e)) as MtsimError
    expect(err2.message).toBe('incomplete run: share 3 of 3 failed: MTSIM_ERR_CONFIG_INVALID: s.yaml is not valid')
    expect(err2.details).toEqual(['share 1: never checked in', 'share 2: never checked in', 'share 3: failed: MTSIM_ERR_CONFIG_INVALID: s.yaml is not valid'])
  }, 60_000)
})
