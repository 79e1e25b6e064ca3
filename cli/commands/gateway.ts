// `mtsim gateway kannel NETWORK.yaml`: a simulated network with a real Kannel in front of it, for
// pointing a load generator (or curl) at Kannel's sendsms. Runs until Ctrl-C, then shuts Kannel down
// gracefully (while the SMSCs are still up, so it unbinds cleanly) and stops the network.
// A second Ctrl-C exits at once; the process 'exit' hook still kills our Kannel PIDs.
import type { Command } from 'commander'
import { join, relative } from 'node:path'
import { action } from '../handle-errors.js'
import { loadNetwork, type NetworkConfig } from '../../simulator/network.js'
import { startControlApi } from '../../simulator/control/control-api.js'
import type { NetworkHandle } from '../../simulator/types.js'
import { MtsimError, ExitCode } from '../../lib/errors.js'
import { startKannel, type KannelHandle, type StartKannelOptions } from '../../gateways/kannel/index.js'
import { freeLoopbackPorts } from '../../gateways/kannel/ports.js'
import { startTimelineAtSharedStart, timelineWaits } from '../../deploy/network-timeline.js'
import { describeNetwork, DEFAULT_CONTROL_PORT } from './simulate.js'
import { portOption, waitForStop } from '../options.js'

export interface GatewayOptions {
  dir?: string
  controlPort?: string | number
  failover?: string
  /** Serve sendsms on this address instead of 127.0.0.1 (load generators on other hosts). */
  sendsmsHost?: string
  /** A fixed sendsms port instead of a free one. */
  sendsmsPort?: string | number
  /** Start the network's fault timelines at a split run's shared start (deploy/network-timeline.ts). */
  startAt?: string
  coordinator?: string
}

export interface GatewayDeps {
  write?: (text: string) => void
  start?: (config: NetworkConfig) => Promise<NetworkHandle>
  /** Stops the run when it settles (besides signals). */
  stop?: Promise<unknown>
  /** Listen for SIGINT/SIGTERM (off in tests that run in-process). */
  signals?: boolean
  onReady?: (info: { kannel: KannelHandle; network: NetworkHandle; controlUrl: string }) => void
}

/** `a=b,c=d` -> { a: 'b', c: 'd' }; whether the ids exist is checked against the network later. */
export function parseFailover(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined
  const map: Record<string, string> = {}
  for (const pair of value.split(',').filter((p) => p.trim())) {
    const m = /^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$/.exec(pair)
    if (!m) throw new MtsimError('MTSIM_ERR_OPTION', ['--failover', 'operator=backup pairs like "nordtel=fjordmobil,kystnett=nordtel"', JSON.stringify(pair)])
    map[m[1]] = m[2]
  }
  return map
}


/** Where the `try:` example's dlr-url points; nothing of mtsim's listens there (the user starts a listener). */
const DLR_EXAMPLE_HOST = '127.0.0.1'
const DLR_EXAMPLE_PORT = 9000

export function describeKannel(k: KannelHandle, firstNumber: string | undefined): string {
  const q = (s: string) => encodeURIComponent(s)
  const example =
    `curl '${k.sendsmsUrl}?username=${q(k.username)}&password=${q(k.password)}&from=mtsim&to=${firstNumber ?? '4790000001'}` +
    `&text=hello&dlr-mask=31&dlr-url=${q(`http://${DLR_EXAMPLE_HOST}:${DLR_EXAMPLE_PORT}/dlr?id=my-id&status=%d`)}'`
  const binds = k.config.smscs.map((s) => `${s.smscId} (${s.systemId}, ${s.mode})`).join(', ')
  const skipped = k.config.skipped.map((s) => `${s.operator}/${s.systemId}`)
  return (
    `Kannel: bearerbox pid ${k.pids.bearerbox}, smsbox pid ${k.pids.smsbox}, config and logs in ${relative(process.cwd(), k.dir) || '.'}\n` +
    `  binds: ${binds}\n` +
    (skipped.length ? `  not bound (receiver-only accounts cannot carry submits): ${skipped.join(', ')}\n` : '') +
    `  sendsms: ${k.sendsmsUrl} (username ${k.username}, password ${k.password})\n` +
    `  status:  ${k.statusUrl}\n` +
    `  try:     ${example}\n` +
    // Nothing of mtsim's listens on the dlr-url: say what must, so a receipt is not lost in Kannel's retries.
    `           (Kannel calls the dlr-url for every receipt: start something on ${DLR_EXAMPLE_HOST}:${DLR_EXAMPLE_PORT} first, e.g.\n` +
    `            python3 -m http.server ${DLR_EXAMPLE_PORT} --bind ${DLR_EXAMPLE_HOST}   (logs each receipt's GET); or leave out dlr-mask and dlr-url)\n`
  )
}

/**
 * --sendsms-host / --sendsms-port: where smsbox takes sendsms requests, for load generators on
 * other hosts (a split run's shares). Kannel's other listeners stay on free loopback ports.
 */
async function sendsmsListener(opts: GatewayOptions): Promise<Pick<StartKannelOptions, 'overrides' | 'ports'>> {
  const out: Pick<StartKannelOptions, 'overrides' | 'ports'> = {}
  if (opts.sendsmsHost !== undefined) {
    if (!opts.sendsmsHost.trim()) throw new MtsimError('MTSIM_ERR_OPTION', ['--sendsms-host', 'an address like 0.0.0.0', '""'])
    out.overrides = { smsbox: { 'sendsms-interface': opts.sendsmsHost.trim() } }
  }
  const port = portOption('--sendsms-port', opts.sendsmsPort)
  if (port !== undefined && port !== 0) {
    const [admin, smsbox] = await freeLoopbackPorts(2)
    out.ports = { admin: admin!, smsbox: smsbox!, sendsms: port }
  }
  return out
}

/** Runs the command; returns the exit code. Exported so tests run it in-process. */
export async function runGatewayKannel(file: string, opts: GatewayOptions, deps: GatewayDeps = {}): Promise<number> {
  const write = deps.write ?? ((t: string) => void process.stdout.write(t))
  const port = portOption('--control-port', opts.controlPort, DEFAULT_CONTROL_PORT)
  const failover = parseFailover(opts.failover)
  const config = loadNetwork(file)
  const dir = opts.dir ?? join('out', `kannel-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  const waits = timelineWaits(opts)
  const startNetwork = (await import('../../simulator/start-network.js')).startNetwork
  const start = deps.start ?? ((c: NetworkConfig) => startNetwork(c, { timeline: waits ? 'manual' : 'at-start' }))
  const network = await start(config)
  const timelineAbort = new AbortController()
  let control: Awaited<ReturnType<typeof startControlApi>> | undefined
  let kannel: KannelHandle | undefined
  const stop = waitForStop({ signals: deps.signals, stop: deps.stop, write, secondSignal: 'exiting now (Kannel is killed, not shut down)' })
  try {
    control = await startControlApi(network, { host: '127.0.0.1', port })
    write(describeNetwork(network, control.url, false))
    write('starting Kannel...\n')
    kannel = await startKannel({ network, dir, options: { failover, log: (line) => write(line + '\n'), ...(await sendsmsListener(opts)) } })
    write(describeKannel(kannel, config.operators[0]?.prefixes[0]?.padEnd(10, '0')))
    write('running until Ctrl-C\n')
    deps.onReady?.({ kannel, network, controlUrl: control.url })
    if (waits) {
      write(`timeline: fault timelines wait for the run's shared start\n`)
      void startTimelineAtSharedStart(() => network.startTimeline(), { startAt: opts.startAt, coordinator: opts.coordinator, signal: timelineAbort.signal, write })
    }
    const why = await stop.done
    timelineAbort.abort()
    write(`\nstopping (${why}): shutting Kannel down, then the network\n`)
  } finally {
    // Kannel first, while its SMSCs still answer its unbinds.
    await kannel?.stop()
    await control?.close()
    await network.close()
    stop.dispose()
  }
  write('stopped\n')
  return ExitCode.ok
}

export function registerGateway(program: Command): void {
  const gateway = program
    .command('gateway')
    .description('run a real SMS gateway in front of a simulated network')
    .addHelpText(
      'after',
      `
Examples:
  mtsim gateway kannel scenarios/networks/small.yaml              Kannel bound to both operators of small.yaml
  mtsim gateway kannel --help                                     options: --dir, --control-port, --failover
`,
    )
  gateway
    .command('kannel')
    .description('start a simulated network and a Kannel (bearerbox + smsbox) bound to it; runs until Ctrl-C')
    .argument('<network>', 'a network file (YAML or JSON), e.g. scenarios/networks/small.yaml')
    .option('--dir <dir>', 'folder for kannel.conf and Kannel logs (default out/kannel-<time>)')
    .option('--control-port <port>', 'simulator control API port (0 picks a free one)', String(DEFAULT_CONTROL_PORT))
    .option('--failover <pairs>', 'operator=backup pairs: numbers go to the backup while their operator is down, e.g. "nordtel=fjordmobil"')
    .option('--sendsms-host <addr>', 'serve sendsms on this address (default 127.0.0.1; 0.0.0.0 for load generators on other hosts)')
    .option('--sendsms-port <port>', 'a fixed sendsms port (default: a free one)')
    .option('--start-at <when>', 'start the fault timelines at a split run\'s shared start: an ISO time, +30s, or barrier (with --coordinator)')
    .option('--coordinator <url>', 'start the fault timelines when this coordinator (mtsim coordinate) starts the run')
    .addHelpText(
      'after',
      `
Needs Kannel: apt-get install kannel

Examples:
  mtsim gateway kannel scenarios/networks/small.yaml
  mtsim gateway kannel scenarios/networks/national.yaml --failover nordtel=fjordmobil,kystnett=nordtel --control-port 0
`,
    )
    .action(action((file: string, opts: GatewayOptions) => runGatewayKannel(file, opts)))
}
