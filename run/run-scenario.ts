// One `mtsim run`, start to finish: the simulated network (timeline started with the load), the
// gateway (direct binds, an external SMPP/HTTP gateway, or a managed Kannel), the control API if
// asked, the engine, results.json, the report; then everything torn down in reverse order, also
// when the run is interrupted. The CLI is a thin shell over this, so tests drive it in-process.
import { readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'
import { join } from 'node:path'
import { startNetwork } from '../simulator/start-network.js'
import type { MoEvent, NetworkHandle, OperatorStats, SubmitObserver } from '../simulator/types.js'
import { startControlApi } from '../simulator/control/control-api.js'
import { startKannel, type KannelHandle } from '../gateways/kannel/index.js'
import { kannelRetrySettings, kannelSample } from '../gateways/kannel/status-probe.js'
import { NetworkWatch } from './network-watch.js'
import { scrapeSample } from '../gateways/status-scrape.js'
import { GatewayWatch } from './gateway-watch.js'
import { runLoad, type RunMeta } from '../loadgen/engine/engine.js'
import { buildPlan } from '../loadgen/plan/plan.js'
import type { Scenario } from '../loadgen/scenario/scenario.js'
import type { FaultWindow, ResultsFile } from '../results/results-format.js'
import type { Transport } from '../loadgen/transports/transport.js'
import { createTransport, HttpTransport, kannelHttpGateway } from '../loadgen/transports/index.js'
import { MO_PATH } from '../loadgen/transports/webhook.js'
import { freeLoopbackPorts } from '../gateways/kannel/ports.js'
import { ExitCode, MtsimError } from '../lib/errors.js'
import { runLoadInWorkers } from '../loadgen/workers/run-workers.js'
import { workerNetwork } from '../loadgen/workers/split.js'
import { claimOutDir } from '../lib/out-dir.js'
import { describeRemote, remoteTransport } from '../deploy/remote-network.js'

export interface RunScenarioOptions {
  /** Output folder (default out/runs/<name>-<timestamp>); must not exist or be empty (two runs never share one). */
  outDir?: string
  durationCapMs?: number
  rateScale?: number
  segment?: { index: number; count: number }
  progress?: boolean
  signal?: AbortSignal
  /** Also serve the simulator's control API during the run (fault injection by hand). */
  controlPort?: number
  /** Lines for the user (stderr in the CLI). */
  log?: (line: string) => void
  /** Load generator worker threads (default 1: the engine runs in this thread); see loadgen/workers/run-workers.ts. */
  workers?: number
  /**
   * The scenario's network already runs elsewhere (`mtsim simulate`, on the hosts and fixed ports
   * its file names): start none here (deploy/remote-network.ts). No transit times then.
   */
  remoteNetwork?: boolean
  /** A start shared with other shares: see RunOptions.startGate (loadgen/engine/engine.ts). */
  startGate?: () => Promise<number | undefined>
  /** See RunOptions.onFirstSend. */
  onFirstSend?: (perfNow: number, intendedPerf: number) => void
}

export interface RunScenarioResult {
  results: ResultsFile
  outDir: string
  exitCode: number
  /**
   * The simulated operators' own counters at the end of the load (after the engine closed its
   * binds, before the network closes), for reconciling the load generator's books against them.
   */
  simulator: OperatorStats[]
}

export function defaultOutDir(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return join('out', 'runs', `${name.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${stamp}`)
}

/**
 * As k6: 105 when the run was stopped from outside (Ctrl-C, SIGTERM); otherwise 99 when a
 * threshold failed, also when an abortOnFail threshold is what stopped the run; else 0.
 */
export function exitCodeFor(results: ResultsFile, stoppedFromOutside = false): number {
  if (results.meta.interrupted && stoppedFromOutside) return ExitCode.interrupted
  if (results.thresholds.some((t) => !t.ok)) return ExitCode.thresholdsFailed
  return results.meta.interrupted ? ExitCode.interrupted : ExitCode.ok
}

/** Forwards the simulator's arrivals to the engine once it has started (the network starts first). */
class ArrivalRelay implements SubmitObserver {
  target: SubmitObserver | undefined
  onMessage(operatorId: string, destination: string, text: string, nowUs: number, taken: boolean): void {
    this.target?.onMessage(operatorId, destination, text, nowUs, taken)
  }  onRefused(operatorId: string, text: string, nowUs: number): void {
    this.target?.onRefused?.(operatorId, text, nowUs)
  }

  onMo(operatorId: string, mo: MoEvent, atUs: number): void {
    this.target?.onMo?.(operatorId, mo, atUs)
  }
  onViolation(operatorId: string, destination: string, mtText: string, delayMs: number, nowUs: number): void {
    this.target?.onViolation?.(operatorId, destination, mtText, delayMs, nowUs)
  }
}

export async function runScenario(scenario: Scenario, opts: RunScenarioOptions = {}): Promise<RunScenarioResult> {
  const log = opts.log ?? (() => {})
  // A named --out must be new or empty; the default one gets a fresh suffix when taken (lib/out-dir.ts).
  const outDir = claimOutDir(opts.outDir ?? defaultOutDir(scenario.name), opts.outDir !== undefined)
  const plan = buildPlan(scenario, { segment: opts.segment, rateScale: opts.rateScale, durationCapMs: opts.durationCapMs })

  const relay = new ArrivalRelay()
  const teardown: (() => Promise<unknown>)[] = []
  let network: NetworkHandle | undefined
  let kannel: KannelHandle | undefined
  if (opts.startGate && (opts.workers ?? 1) > 1) {
    // Worker threads start on their own "go" (run-workers.ts), which knows no shared start yet.
    throw new MtsimError('MTSIM_ERR_OPTIONS_CONFLICT', ['--workers with --start-at or --coordinator: a shared start is not passed to worker threads yet; split the run into more shares instead'])
  }
  if (scenario.network.operators.some((o) => o.mo)) {
    // MO is measured by joining the in-process network's view with the load generator's (loadgen/mo/):
    // one network, one load generator thread. (Shares would each run their own subscribers.)
    const why = opts.remoteNetwork ? 'a remote network' : (opts.workers ?? 1) > 1 ? '--workers above 1' : (opts.segment?.count ?? 1) > 1 ? '--segment' : undefined
    if (why) {
      throw new MtsimError('MTSIM_ERR_OPTIONS_CONFLICT', [
        `${why} with a network whose operators send MO (mo:): MO is measured against the network running in this process with one load generator thread; run it as one share, without ${why}`,
      ])
    }
  }
  if (opts.remoteNetwork) return runWithRemoteNetwork(scenario, opts, plan, outDir, log)
  try {
    network = await startNetwork(workerNetwork(scenario.network, scenario.gateway, opts.workers ?? 1), { observer: relay, timeline: 'manual' })
    const net = network
    teardown.push(() => net.close())
    for (const op of network.operators) log(`operator ${op.config.id}: smpp://${op.config.host}:${op.port}${op.tls ? `, TLS ${op.config.host}:${op.tls.port}` : ''}`)
    if (opts.controlPort !== undefined) {
      const api = await startControlApi(network, { port: opts.controlPort })
      teardown.push(() => api.close())
      log(`control API: ${api.url}`)
    }

    const workers = opts.workers ?? 1
    let transport: Transport | undefined
    if (scenario.gateway.kind === 'kannel') {
      log('kannel: starting bearerbox and smsbox')
      // MO: Kannel's sms-service calls the webhook, so its port is chosen before kannel.conf is written.
      const moPort = network.config.operators.some((o) => o.mo) ? (await freeLoopbackPorts(1))[0] : undefined
      kannel = await startKannel({
        network,
        dir: join(outDir, 'kannel'),
        options: {
          failover: scenario.gateway.failover,
          overrides: scenario.gateway.overrides,
          smsResendRetry: scenario.gateway.resend.retry,
          smsResendFreq: scenario.gateway.resend.frequencyS,
          throughput: scenario.gateway.throughput,
          log,
          moUrl: moPort ? `http://127.0.0.1:${moPort}${MO_PATH}` : undefined,
        },
      })
      const k = kannel
      teardown.push(() => k.stop())
      log(`kannel: ready, sendsms ${kannel.sendsmsUrl}`)
      if (workers === 1) transport = new HttpTransport(kannelHttpGateway(kannel.sendsmsUrl, kannel.username, kannel.password, 50, moPort))
    } else if (workers === 1) {
      transport = createTransport(scenario, network)
    }
    const meta: RunMeta = {
      scenarioFile: scenario.file,
      // results.json numbers shares from 0 (reports print index + 1); --segment counts from 1.
      segment: opts.segment ? { index: opts.segment.index - 1, count: opts.segment.count } : null,
      scenario: scenarioCopy(scenario),
      network: jsonSafe(scenario.network),
      versions: kannel ? { kannel: '1.4.5 (Debian package)' } : {},
    }
    const networkWatch = new NetworkWatch(net)
    const k = kannel
    const gatewayWatch = k
      ? new GatewayWatch({
          source: 'kannel',
          url: k.statusUrl,
          sample: async (t) => kannelSample(await k.status(), t),
          settings: kannelRetrySettings(k.config.text),
          linkOperators: Object.fromEntries(k.config.smscs.map((x) => [x.smscId, x.operator])),
        })
      : statusGateway(scenario)
    // The network's and the gateway's own figures, taken when the load has ended (Kannel still up).
    const sides = async () => ({ network: networkWatch.finish(), gateway: await gatewayWatch?.finish() })
    if (!transport) {
      // Each worker thread makes its own transport; this thread keeps the network and merges the shares.
      const { rateScale, durationCapMs, segment, signal, progress } = opts
      const results = await runLoadInWorkers({
        scenario, workers, plan, segment, rateScale, durationCapMs, outDir, network, relay, kannel, signal, progress, meta,
        onStart: (t) => {
          net.startTimeline()
          networkWatch.start(t)
          gatewayWatch?.start(t)
        },
        faults: (start) => faultWindows(net, start),
        sides,
      })
      return { results, outDir, exitCode: exitCodeFor(results, opts.signal?.aborted), simulator: network.operators.map((op) => op.stats()) }
    }

    let runStart = 0
    const results = await runLoad({
      scenario,
      plan,
      transport,
      outDir,
      signal: opts.signal,
      progress: opts.progress,
      startGate: opts.startGate,
      onFirstSend: opts.onFirstSend,
      observerHook: (o) => (relay.target = o),
      onStart: (t) => {
        runStart = t
        net.startTimeline()
        networkWatch.start(t)
        gatewayWatch?.start(t)
      },
      sides,
      faults: () => faultWindows(net, runStart),
      failover: scenario.gateway.kind === 'kannel' ? scenario.gateway.failover : undefined,
      stopMo: () => net.stopMo?.(),
      meta,
    })
    const simulator = network.operators.map((op) => op.stats())
    return { results, outDir, exitCode: exitCodeFor(results, opts.signal?.aborted), simulator }
  } finally {
    // Reverse order: Kannel before the network it is bound to.
    for (const stop of teardown.reverse()) await stop().catch((err) => log(`teardown: ${(err as Error).message}`))
  }
}

/** For an http or smpp target with `status:` in the scenario, its scraped status (gateways/status-scrape.ts). */
function statusGateway(scenario: Scenario): GatewayWatch | undefined {
  const g = scenario.gateway
  const s = g.kind === 'http' || g.kind === 'smpp' ? g.status : undefined
  return s ? new GatewayWatch({ source: s.format, url: s.url, sample: (t) => scrapeSample(s, t) }) : undefined
}

/** A run whose network runs elsewhere: no network, Kannel or control API here, just the load. */
async function runWithRemoteNetwork(scenario: Scenario, opts: RunScenarioOptions, plan: ReturnType<typeof buildPlan>, outDir: string, log: (line: string) => void): Promise<RunScenarioResult> {
  const transport = remoteTransport(scenario, { segment: opts.segment, workers: opts.workers, controlPort: opts.controlPort, log })
  for (const line of describeRemote(scenario)) log(line)
  const results = await runLoad({
    scenario, plan, transport, outDir, signal: opts.signal, progress: opts.progress, startGate: opts.startGate, onFirstSend: opts.onFirstSend,
    meta: {
      scenarioFile: scenario.file,
      segment: opts.segment ? { index: opts.segment.index - 1, count: opts.segment.count } : null,
      scenario: scenarioCopy(scenario),
      network: jsonSafe(scenario.network),
      versions: {},
    },
  })
  return { results, outDir, exitCode: exitCodeFor(results, opts.signal?.aborted), simulator: [] }
}

/** The network's fault windows in run time (ms from the load's start). */
function faultWindows(network: NetworkHandle, runStart: number): FaultWindow[] {
  const shift = network.startedAt - runStart
  return network.faultHistory().map((f) => ({
    operator: f.operator,
    kind: f.fault.kind,
    start: Math.max(0, Math.round(f.start + shift)),
    end: Math.max(0, Math.round(f.end + shift)),
    source: f.source,
  }))
}

/**
 * The scenario as the user wrote it (reports re-evaluate its `thresholds` mapping when merging
 * shares); for a scenario built in code, its loaded form with the thresholds mapping rebuilt.
 */
function scenarioCopy(scenario: Scenario): unknown {
  if (scenario.file) {
    try {
      return parseDocument(readFileSync(scenario.file, 'utf8')).toJS()
    } catch {
      // fall through: the file changed or vanished since it was loaded
    }
  }
  const thresholds: Record<string, unknown[]> = {}
  for (const d of scenario.thresholds) {
    const more = {
      ...(d.abortOnFail ? { abortOnFail: true, delayAbortEval: d.delayAbortEvalMs } : {}),
      ...(d.minSamples !== null ? { min_samples: d.minSamples } : {}),
    }
    ;(thresholds[d.key] ??= []).push(Object.keys(more).length ? { threshold: d.expression, ...more } : d.expression)
  }
  return { ...(jsonSafe(scenario) as object), thresholds }
}

/** JSON-safe copy: Sets become lists, functions (compiled templates) are left out. */
function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (v instanceof Set ? [...v] : typeof v === 'function' ? undefined : v)))
}
