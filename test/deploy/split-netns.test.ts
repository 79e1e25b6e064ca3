// Issue 17: a run split over several machines, proven here with network namespaces as hosts: N
// "load generator hosts" joined by veth pairs to one "gateway host" running the simulated network
// (`mtsim simulate --shares N`), and, in the second case, Kannel in front of it. The N shares
// start with `--start-at` one instant (launched one after another, seconds apart, so a start that
// did not wait would show). The merged results must equal those of an unsplit run of the same
// seeded scenario exactly, every count and the histograms' totals; every share's first send must
// go out within a few ms of its plan time (time 0 = the shared start); the merged thresholds, not
// the shares' own, decide the exit code; a missing share fails the verdict, named.
//
// Needs root and iproute2; skipped with the reason otherwise, except under CI=true.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { CLI, REPO } from '../run/helpers.js'
import { finished, makeHosts, netnsUnavailable, printed, type Hosts } from './netns.js'
import type { ResultsFile, Totals, Histograms } from '../../loadgen/results-format.js'
import { decodeHistogram } from '../../lib/hdr.js'
import { ExitCode } from '../../lib/errors.js'

const SHARES = 3
const RATE = 300
const SECONDS = 3
const PLANNED = RATE * SECONDS
/** Ahead of the launches: room for three node processes to start and bind on a busy machine. */
const START_LEAD_MS = 10_000
/** "A few ms": the worst first-send lateness accepted on a busy 2-core machine. */
const FIRST_SEND_MS = 20

const unavailable = netnsUnavailable()
const mustRun = process.env.CI === 'true'
if (unavailable && !mustRun) console.log(`skipping the split-run namespace tests: ${unavailable}`)

export function workdir(name: string): string {
  const root = join(REPO, 'out', 'test-run')
  mkdirSync(root, { recursive: true })
  return mkdtempSync(join(root, `${name}-`))
}

export function network(host: string): Record<string, unknown> {
  const op = (id: string, prefix: string, port: number, over: Record<string, unknown>) => ({
    id,
    mcc: '242',
    mnc: String(port % 100).padStart(2, '0'),
    prefixes: [prefix],
    smpp: { host, port, accounts: [{ system_id: id, password: 'pw' }] },
    latency: { distribution: 'uniform', min: '1ms', max: '4ms' },
    ...over,
  })
  return {
    name: 'split-hosts',
    seed: 17,
    operators: [
      op('mixed', '4790', 2775, {
        failures: { statuses: [{ status: 'ESME_RSYSERR', rate: 0.04 }] },
        receipts: {
          delay: { distribution: 'uniform', min: '10ms', max: '100ms' },
          outcomes: [{ stat: 'DELIVRD', weight: 90 }, { stat: 'UNDELIV', weight: 7 }, { stat: 'EXPIRED', weight: 3 }],
        },
      }),
      op('plain', '4740', 2776, {
        receipts: { delay: { distribution: 'uniform', min: '10ms', max: '60ms' }, outcomes: [{ stat: 'DELIVRD', weight: 95 }, { stat: 'REJECTD', weight: 5 }] },
      }),
    ],
  }
}

export function streams(rate: number, seconds: number): unknown[] {
  return [
    {
      name: 'otp',
      executor: 'constant-arrival-rate',
      rate,
      duration: `${seconds}s`,
      traffic: { destinations: [{ operator: 'mixed' }, { operator: 'plain' }], msisdn_length: 10, templates: ['Your code is {{otp}}'] },
    },
  ]
}

/** Everything but `late`, which depends on the machine's timing, not on the plan or the network. */
export function counted(t: Totals): Omit<Totals, 'late'> {
  const { late: _late, ...rest } = t
  return rest
}

export function histogramTotals(h: Histograms): Record<string, number> {
  const n = (b64: string) => (b64 ? decodeHistogram(b64).totalCount : 0)
  return {
    submit: n(h.submit.corrected), submitUncorrected: n(h.submit.uncorrected),
    receipt: n(h.receipt.corrected), receiptUncorrected: n(h.receipt.uncorrected),
    transit: n(h.transit.corrected),
  }
}

/** formatDuration's text ("375us", "1.2ms", "1.05s") in ms. */
export function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text)
  if (!m) throw new Error(`not a duration: ${text}`)
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1)
}

export const load = (file: string): ResultsFile => JSON.parse(readFileSync(file, 'utf8')) as ResultsFile

/** What must be equal between the merged shares and the unsplit run: every count, and every histogram's count. */
export function books(r: ResultsFile) {
  return {
    totals: counted(r.totals),
    statuses: r.statuses,
    receipts: r.receipts,
    histograms: histogramTotals(r.histograms),
    operators: Object.fromEntries(Object.entries(r.operators).map(([id, o]) => [id, { totals: counted(o.totals), statuses: o.statuses, receipts: o.receipts, histograms: histogramTotals(o.histograms) }])),
  }
}

describe.skipIf(unavailable !== undefined && !mustRun)('a run split over load generator hosts (network namespaces)', () => {
  let hosts: Hosts
  let dir: string

  beforeAll(() => {
    hosts = makeHosts(SHARES)
    dir = workdir('split-netns')
  })

  afterAll(async () => {
    await hosts?.destroy()
  })

  it('shares started together with --start-at add up exactly to the unsplit run; the merged thresholds decide', async () => {
    writeFileSync(join(dir, 'network.yaml'), stringify(network(hosts.gateway.addr)))
    writeFileSync(
      join(dir, 'scenario.yaml'),
      stringify({
        name: 'split-hosts',
        seed: 23,
        network: 'network.yaml',
        gateway: { kind: 'direct', window: 500, response_timeout: '2s' },
        streams: streams(RATE, SECONDS),
        receipts: { wait: '2s' },
        scheduling: { max_lag: '5s' },
        // Each share sends a third: only the merged run meets these.
        thresholds: { sent: [`count==${PLANNED}`], missing: ['count==0'], unknown_receipts: ['count==0'] },
      }),
    )
    const node = process.execPath
    const sim = hosts.spawnIn(hosts.gateway, [node, CLI, 'simulate', 'network.yaml', '--shares', String(SHARES), '--control-port', '0'], { cwd: dir })
    const simDone = finished(sim)
    await printed(sim, /running until Ctrl-C/)

    // The unsplit run, from the first load host, with the original accounts.
    const whole = finished(hosts.spawnIn(hosts.loads[0]!, [node, CLI, 'run', 'scenario.yaml', '--remote-network', '--out', 'whole', '--no-progress', '--no-report'], { cwd: dir }))
    expect((await whole).code, (await whole).stderr).toBe(ExitCode.ok)

    // The shares: one per host, launched one after another (each once the previous waits at the line).
    const startAt = new Date(Date.now() + START_LEAD_MS).toISOString()
    const shares = []
    for (let i = 1; i <= SHARES; i++) {
      const argv = [node, CLI, 'run', 'scenario.yaml', '--segment', `${i}/${SHARES}`, '--start-at', startAt, '--remote-network', '--out', `share-${i}`, '--no-progress', '--no-report']
      const child = hosts.spawnIn(hosts.loads[i - 1]!, argv, { cwd: dir })
      shares.push(finished(child))
      await printed(child, /start: waiting/)
    }
    const ended = await Promise.all(shares)
    for (const s of ended) {
      // Each share alone fails `sent == 900`: a share's own verdict is not the run's.
      expect(s.code, s.stderr).toBe(ExitCode.thresholdsFailed)
      expect(s.stderr).toContain(`the shared start ${startAt}`)
    }
    const late = ended.map((s) => ms(/start: first send went out (\S+) after its plan time/.exec(s.stderr)![1]!))
    console.log(`split run over ${SHARES} namespaces: first sends ${late.map((x) => `${x.toFixed(3)} ms`).join(', ')} after their plan times (time 0 = ${startAt})`)
    for (const x of late) expect(x).toBeLessThan(FIRST_SEND_MS)

    // One verdict over the merged shares.
    const files = [1, 2, 3].map((i) => join(dir, `share-${i}`, 'results.json'))
    const merged = finished(hosts.spawnIn(hosts.gateway, [node, CLI, 'report', '--shares', String(SHARES), ...files, '--out', join(dir, 'merged')], { cwd: dir }))
    const m = await merged
    expect(m.code, m.stderr + m.stdout).toBe(ExitCode.ok)
    expect(m.stdout).toContain('thresholds: all 3 passed')

    const unsplit = load(join(dir, 'whole', 'results.json'))
    const sum = [1, 2, 3].map((i) => load(files[i - 1]!).totals.sent)
    expect(sum).toEqual([PLANNED / 3, PLANNED / 3, PLANNED / 3])
    expect(unsplit.totals.planned).toBe(PLANNED)
    expect(unsplit.totals.missing + unsplit.totals.unknown_receipts + unsplit.totals.dropped).toBe(0)
    // The merged results.json is the report's: read it back from the merge's folder.
    const mergedResults = load(join(dir, 'merged', 'results.json'))
    expect(books(mergedResults)).toEqual(books(unsplit))
    // Not a trivially empty match: outcomes of every kind are in there.
    expect(unsplit.totals.rejected).toBeGreaterThan(0)
    expect(unsplit.totals.undelivered).toBeGreaterThan(0)

    // A share missing: no verdict from the others, and the missing one is named.
    const partial = await finished(hosts.spawnIn(hosts.gateway, [node, CLI, 'report', files[0]!, files[2]!, '--out', join(dir, 'partial')], { cwd: dir }))
    expect(partial.code).toBe(ExitCode.incompleteRun)
    expect(partial.stderr).toContain('share(s) 2 of 3 missing')

    sim.kill('SIGINT')
    const s = await simDone
    expect(s.code).toBe(0)
  }, 120_000)
})
