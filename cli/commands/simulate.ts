// `mtsim simulate NETWORK.yaml`: runs a simulated operator network with its control API until
// Ctrl-C (or --duration), then prints what each operator saw. A second Ctrl-C exits at once.
import type { Command } from 'commander'
import { action } from '../handle-errors.js'
import { loadNetwork, type NetworkConfig } from '../../simulator/network.js'
import { startControlApi } from '../../simulator/control/control-api.js'
import type { ActiveFault, NetworkHandle, OperatorStats } from '../../simulator/types.js'
import { MtsimError, ExitCode } from '../../lib/errors.js'
import { formatDuration } from '../../lib/duration.js'
import { controlToken, durationOption, isLoopback, portOption, waitForStop, type TokenOptions } from '../options.js'
import { listenOn, operatorSubset, shareAccountsNetwork } from '../../deploy/remote-network.js'
import { startTimelineAtSharedStart, timelineWaits } from '../../deploy/network-timeline.js'

export interface SimulateOptions extends TokenOptions {
  controlPort?: string | number
  controlHost?: string
  duration?: string
  /** Worker threads the operators are spread over (default 1). */
  workers?: string | number
  /** Run only these operators (comma-separated ids). */
  operators?: string
  /** Every operator listens on this address. */
  listenHost?: string
  /** Add a copy of every account per share of a split run (deploy/remote-network.ts). */
  shares?: string | number
  /** Start the fault timelines at this shared start (ISO, +D, or barrier with --coordinator). */
  startAt?: string
  /** Start the fault timelines at this coordinator's shared start. */
  coordinator?: string
}

export interface SimulateDeps {
  /** Where the report goes (stdout by default). */
  write?: (text: string) => void
  /** Starts the network; the real simulator unless a test gives another. */
  start?: (config: NetworkConfig) => Promise<NetworkHandle>
  /** Stops the run when it settles (besides --duration and signals). */
  stop?: Promise<unknown>
  /** Listen for SIGINT/SIGTERM (off in tests that run in-process). */
  signals?: boolean
  /** Told the control URL once it listens (tests use it to call the API mid-run). */
  onReady?: (info: { controlUrl: string; network: NetworkHandle }) => void
  /** Where MTSIM_TOKEN is read from (process.env by default). */
  env?: NodeJS.ProcessEnv
}

export const DEFAULT_CONTROL_PORT = 8900


/** Runs the command; returns the exit code. Exported so tests run it in-process. */
export async function runSimulate(file: string, opts: SimulateOptions, deps: SimulateDeps = {}): Promise<number> {
  const write = deps.write ?? ((t: string) => void process.stdout.write(t))
  const port = portOption('--control-port', opts.controlPort, DEFAULT_CONTROL_PORT)
  const duration = durationOption('--duration', opts.duration)
  const host = opts.controlHost ?? '127.0.0.1'
  const token = controlToken(opts, host, deps.env)
  const config = forDistributedRun(loadNetwork(file), opts)
  const workers = workerCount(opts.workers)
  const startNetwork = (await import('../../simulator/start-network.js')).startNetwork
  const waits = timelineWaits(opts)
  const start = deps.start ?? ((c: NetworkConfig) => startNetwork(c, { workers, timeline: waits ? 'manual' : 'at-start' }))
  const network = await start(config)
  let control
  try {
    control = await startControlApi(network, { host, port, token })
  } catch (err) {
    await network.close()
    throw err
  }
  write(describeNetwork(network, control.url, token !== undefined))
  if (workers > 1) write(workersLine(workers, config.operators.length))
  if (token === undefined && !isLoopback(host)) {
    write(`warning: the control API listens on ${host} without a token (--insecure-no-token): anyone who reaches it can inject faults\n`)
  }
  if (opts.token !== undefined) write('note: --token is visible to other users in `ps`; MTSIM_TOKEN or --token-file keep it private\n')
  write(duration === undefined ? 'running until Ctrl-C\n' : `running for ${formatDuration(duration)} (or until Ctrl-C)\n`)
  deps.onReady?.({ controlUrl: control.url, network })

  const stop = waitForStop({ afterMs: duration, signals: deps.signals, stop: deps.stop, write, secondSignal: 'exiting now without a summary' })
  const timelineAbort = new AbortController()
  if (waits) {
    write(`timeline: fault timelines wait for the run's shared start\n`)
    void startTimelineAtSharedStart(() => network.startTimeline(), { startAt: opts.startAt, coordinator: opts.coordinator, signal: timelineAbort.signal, write })
  }
  const why = await stop.done
  timelineAbort.abort()
  write(`\nstopping (${why})\n`)
  try {
    await control.close()
    // With workers, live stats lag by a snapshot: take them after close, when they are exact.
    let stats = workers > 1 ? undefined : network.operators.map((op) => op.stats())
    const faults = network.faultHistory()
    await network.close()
    stats ??= network.operators.map((op) => op.stats())
    write(summaryTable(stats) + faultLine(faults))
  } finally {
    stop.dispose()
  }
  return ExitCode.ok
}

/** --operators, --listen-host, --shares: the network as one host of a split run serves it. */
function forDistributedRun(network: NetworkConfig, opts: SimulateOptions): NetworkConfig {
  let n = opts.operators === undefined ? network : operatorSubset(network, opts.operators)
  if (opts.listenHost !== undefined) n = listenOn(n, opts.listenHost)
  if (opts.shares !== undefined) {
    const shares = Number(opts.shares)
    if (!Number.isInteger(shares) || shares < 1) throw new MtsimError('MTSIM_ERR_OPTION', ['--shares', 'a whole number of 1 or more', JSON.stringify(String(opts.shares))])
    n = shareAccountsNetwork(n, shares)
  }
  return n
}

function workerCount(value: string | number | undefined): number {
  if (value === undefined) return 1
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new MtsimError('MTSIM_ERR_OPTION', ['--workers', 'a whole number of 1 or more', JSON.stringify(String(value))])
  return n
}

/** Operators do not split: each runs whole inside one worker, so there are at most as many workers as operators. */
export function workersLine(workers: number, operators: number): string {
  if (workers <= operators) return `workers: ${workers} threads, operators spread round-robin\n`
  return (
    `workers: --workers ${workers} but the network has ${operators} operator${operators === 1 ? '' : 's'}: using ${operators} ` +
    `(an operator runs whole inside one worker and cannot spread)\n`
  )
}

function faultLine(faults: ActiveFault[]): string {
  if (!faults.length) return 'fault windows: none\n'
  const api = faults.filter((f) => f.source === 'api').length
  return `fault windows: ${faults.length} (${faults.length - api} from timelines, ${api} from the control API)\n`
}

export function describeNetwork(network: NetworkHandle, controlUrl: string, tokenRequired: boolean): string {
  const rows = network.operators.map((op) => [
    op.config.id,
    op.config.name,
    `${op.config.host}:${op.port}${op.tls ? `, TLS ${op.config.host}:${op.tls.port}` : ''}`,
    `system_ids: ${op.config.accounts.map((a) => a.systemId).join(', ')}`,
    `prefixes: ${op.config.prefixes.join(', ')}`,
  ])
  const n = network.operators.length
  return (
    `network "${network.config.name}": ${n} operator${n === 1 ? '' : 's'}\n` +
    table(rows, '  ') +
    `control API: ${controlUrl}${tokenRequired ? ' (send Authorization: Bearer <token>)' : ''}\n` +
    `  ${controlUrl}/operators   ${controlUrl}/metrics   POST ${controlUrl}/operators/<id>/faults\n`
  )
}

function counts(record: Record<string, number>): string {
  const parts = Object.entries(record)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
  return parts.length ? parts.join(', ') : '-'
}

function latency(us: number, count: number): string {
  return count ? formatDuration(us / 1000) : '-'
}

export function summaryTable(stats: OperatorStats[]): string {
  const head = ['operator', 'submits', 'responses by status', 'unanswered', 'receipts sent', 'pending', 'binds tx/rx/trx', 'p50', 'p99']
  const rows = stats.map((s) => [
    s.id,
    String(s.submits),
    counts(s.statuses),
    String(s.unanswered),
    counts(s.receipts.sent),
    String(s.receipts.pending),
    `${s.binds.transmitter}/${s.binds.receiver}/${s.binds.transceiver}`,
    latency(s.latency.p50, s.latency.count),
    latency(s.latency.p99, s.latency.count),
  ])
  const mo = stats.filter((s) => s.mo)
  const moHead = ['operator', 'MO sent', 'acked', 'resent', 'held', 'replies', 'STOPs', 'spontaneous', 'opted out', 'violations']
  const moRows = mo.map((s) => {
    const m = s.mo!
    return [s.id, m.sent, m.acked, m.resent, m.held, m.replies, m.stops, m.spontaneous, m.optedOut, m.violations].map(String)
  })
  return '\n' + table([head, ...rows], '') + (mo.length ? '\nMO (subscribers who write back)\n' + table([moHead, ...moRows], '') : '')
}

/** Left-aligned columns, two spaces apart. */
function table(rows: string[][], indent: string): string {
  const widths: number[] = []
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)))
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n'
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('run a simulated operator network (SMSCs) with a control API until Ctrl-C, then print per-operator totals')
    .argument('<network>', 'a network file (YAML or JSON), e.g. scenarios/networks/small.yaml')
    .option('--control-port <port>', `control API port (0 picks a free one)`, String(DEFAULT_CONTROL_PORT))
    .option('--control-host <host>', 'control API address', '127.0.0.1')
    .option('--token <token>', 'require "Authorization: Bearer <token>" on every control route but /health (visible in ps: prefer MTSIM_TOKEN or --token-file)')
    .option('--token-file <file>', 'read the control API token from this file (its one line)')
    .option('--insecure-no-token', 'allow a --control-host other than loopback without a token')
    .option('--duration <duration>', 'stop after this long, like "30s" or "5m" (default: run until Ctrl-C)')
    .option('--workers <n>', 'spread the operators over n worker threads (default 1; at most one per operator)')
    .option('--operators <ids>', 'run only these operators (comma-separated ids), to spread a network over hosts')
    .option('--listen-host <addr>', 'every operator listens on this address (e.g. 0.0.0.0 in a container), whatever host the file names')
    .option('--shares <n>', 'serve a run split into n shares (mtsim run --segment i/n --remote-network): each share binds with its own copy of every account')
    .option('--start-at <when>', 'start the fault timelines at the split run\'s shared start: an ISO time, +30s, or barrier (with --coordinator)')
    .option('--coordinator <url>', 'start the fault timelines when this coordinator (mtsim coordinate) starts the run')
    .addHelpText(
      'after',
      `
Examples:
  mtsim simulate scenarios/networks/small.yaml
  MTSIM_TOKEN=s3cret mtsim simulate scenarios/networks/national.yaml --control-port 8900
  mtsim simulate scenarios/networks/national.yaml --control-host 0.0.0.0 --token-file /run/secrets/mtsim-token
  mtsim simulate scenarios/networks/small.yaml --duration 30s --control-port 0
  mtsim simulate scenarios/networks/national.yaml --workers 4
  mtsim simulate net.yaml --listen-host 0.0.0.0 --shares 4 --operators nordtel,kystnett     (one host of a split run)

The control API token comes from --token-file, --token or the MTSIM_TOKEN environment variable.
A --control-host other than loopback needs one (or --insecure-no-token).

While it runs:
  curl 127.0.0.1:8900/operators
  curl 127.0.0.1:8900/operators/alpha/stats
  curl -X POST 127.0.0.1:8900/operators/alpha/faults -H 'content-type: application/json' -d '{"event":"outage","duration":"20s"}'
  curl -X DELETE 127.0.0.1:8900/operators/alpha/faults
  curl 127.0.0.1:8900/metrics
`,
    )
    .action(action((file: string, opts: SimulateOptions) => runSimulate(file, opts)))
}
