// Starts a real Kannel (bearerbox + smsbox) in front of a running simulated network and stops it
// again, gracefully first. Readiness means: admin port answers, every smsc group is online, smsbox
// is connected and its sendsms port answers. Any failure names what was still missing and shows
// the end of Kannel's own logs.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { MtsimError } from '../../lib/errors.js'
import { writeFileAtomic } from '../../lib/atomic-write.js'
import type { NetworkConfig } from '../../simulator/network.js'
import { kannelConfig, type KannelConfig, type KannelOptions } from './config.js'
import { requireKannel } from './find.js'
import { spawnBox, waitExit, type Box } from './children.js'
import { logTails } from './logs.js'
import { BoxRegistry, reapOrphans } from './orphans.js'
import { notReady, parseKannelStatus, type KannelStatus } from './status.js'

/** What Kannel needs of a running network; a NetworkHandle fits. */
export interface KannelNetwork {
  readonly config: NetworkConfig
  readonly operators: readonly { readonly config: { readonly id: string }; readonly port: number; readonly tls?: { port: number; cert: string } }[]
}

export interface StartKannelOptions extends Omit<KannelOptions, 'dir' | 'operatorPorts' | 'operatorTls'> {
  /** How long to wait for Kannel to be ready (default 20 s). */
  readyTimeoutMs?: number
  /** Told about boxes left behind by an mtsim that died, killed before this start (orphans.ts). */
  log?: (line: string) => void
}

export interface KannelHandle {
  /** `http://127.0.0.1:<port>/cgi-bin/sendsms` */
  readonly sendsmsUrl: string
  readonly username: string
  readonly password: string
  /** `http://127.0.0.1:<port>` */
  readonly adminUrl: string
  /** The admin status page, with its password. */
  readonly statusUrl: string
  readonly config: KannelConfig
  readonly pids: { bearerbox: number; smsbox: number }
  readonly dir: string
  status(): Promise<KannelStatus>
  /** Graceful shutdown, then SIGTERM/SIGKILL to our two PIDs after a bounded wait. Idempotent. */
  stop(): Promise<void>
}

const POLL_MS = 100
const GRACEFUL_MS = 10_000
const TERM_MS = 3_000

async function get(url: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
  return { status: res.status, body: await res.text() }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function startKannel(args: { network: KannelNetwork; dir: string; options?: StartKannelOptions }): Promise<KannelHandle> {
  const bins = requireKannel()
  const dir = resolve(args.dir)
  mkdirSync(dir, { recursive: true })
  const { readyTimeoutMs = 20_000, log, ...options } = args.options ?? {}
  for (const box of reapOrphans()) log?.(`kannel: killed ${box}, left running by an mtsim that died`)
  const operatorPorts = Object.fromEntries(args.network.operators.map((o) => [o.config.id, o.port]))
  const operatorTls = Object.fromEntries(args.network.operators.flatMap((o) => (o.tls ? [[o.config.id, o.tls]] : [])))
  const config = await kannelConfig(args.network.config, { ...options, dir, operatorPorts, operatorTls })
  if (config.trustedCa) writeFileAtomic(config.trustedCa.file, config.trustedCa.pem)
  const confFile = join(dir, 'kannel.conf')
  writeFileAtomic(confFile, config.text)

  const adminUrl = `http://127.0.0.1:${config.ports.admin}`
  const statusUrl = `${adminUrl}/status.txt?password=${encodeURIComponent(config.statusPassword)}`
  const sendsmsUrl = `http://127.0.0.1:${config.ports.sendsms}/cgi-bin/sendsms`
  const logFiles = ['bearerbox.log', 'bearerbox.out', 'smsbox.log', 'smsbox.out'].map((f) => join(dir, f))
  const boxes: Box[] = []
  const registry = new BoxRegistry(dir)

  const stop = async (): Promise<void> => {
    if (!boxes.some((b) => b.alive())) return registry.forget()
    await get(`${adminUrl}/shutdown?password=${encodeURIComponent(config.adminPassword)}`).catch(() => undefined)
    for (const [sig, ms] of [[undefined, GRACEFUL_MS], ['SIGTERM', TERM_MS], ['SIGKILL', TERM_MS]] as const) {
      if (sig) for (const b of boxes) b.signal(sig)
      const done = await Promise.all(boxes.map((b) => waitExit(b, ms)))
      if (done.every(Boolean)) return registry.forget()
    }
  }
  let stopping: Promise<void> | undefined
  const stopOnce = () => (stopping ??= stop())

  const fail = async (why: string): Promise<never> => {
    await stopOnce()
    const tail = logTails(logFiles)
    throw new MtsimError('MTSIM_ERR_KANNEL_START', [why, dir], tail.length ? tail : ['Kannel wrote no log lines'])
  }

  const spawnOrFail = async (name: Box['name'], bin: string, verbosity: string): Promise<Box> => {
    try {
      const box = await spawnBox(name, bin, ['-v', verbosity, confFile], dir)
      boxes.push(box)
      registry.record(name, box.pid)
      return box
    } catch (err) {
      return fail(`${bin} could not be run: ${(err as Error).message}`)
    }
  }

  const deadline = Date.now() + readyTimeoutMs
  /** Polls until `ready` returns no reasons; fails on timeout or when a box exits. */
  const waitFor = async (ready: () => Promise<string[]>): Promise<void> => {
    let waiting = ['the admin port did not answer']
    while (Date.now() < deadline) {
      const dead = boxes.find((b) => !b.alive())
      if (dead) return fail(`${dead.name} ${await dead.exited}`)
      waiting = await ready().catch((err: Error) => [`no answer from ${adminUrl} (${err.cause ?? err.message})`])
      if (!waiting.length) return
      await sleep(POLL_MS)
    }
    return fail(`not ready after ${readyTimeoutMs} ms: ${waiting.join('; ')}`)
  }

  const smscIds = config.smscs.map((s) => s.smscId)
  const statusNow = async () => {
    const res = await get(statusUrl)
    if (res.status !== 200) throw new MtsimError('MTSIM_ERR_KANNEL_STATUS', [statusUrl, `HTTP ${res.status}: ${res.body.slice(0, 100)}`])
    return parseKannelStatus(res.body)
  }

  const bearerbox = await spawnOrFail('bearerbox', bins.bearerbox, '1')
  await waitFor(async () => (await statusNow(), []))
  const smsbox = await spawnOrFail('smsbox', bins.smsbox, '2')
  await waitFor(async () => {
    const waiting = notReady(await statusNow(), smscIds, true)
    if (waiting.length) return waiting
    // smsbox connects to bearerbox before it opens sendsms; an unauthenticated request answers 403 once it is up.
    const probe = await get(sendsmsUrl).catch(() => undefined)
    return probe ? [] : ['the sendsms port did not answer']
  })

  return {
    sendsmsUrl,
    username: config.username,
    password: config.password,
    adminUrl,
    statusUrl,
    config,
    pids: { bearerbox: bearerbox.pid, smsbox: smsbox.pid },
    dir,
    status: statusNow,
    stop: stopOnce,
  }
}
