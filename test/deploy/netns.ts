// Hosts for tests of split runs: network namespaces made with iproute2, one "gateway host" and N
// "load generator hosts", each load host joined to the gateway host by its own veth pair, all in
// one /24 bridged on the gateway side. Names and the subnet are drawn per test run so tests of
// other helpers on this machine never meet them; everything made here is removed by name, and
// every process started here is ended by its PID. Traffic never leaves the namespaces.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Why these tests cannot run here, or undefined when they can (root and iproute2's `ip`). */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root'
  const ip = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => existsSync(p))
  if (!ip) return 'iproute2 (`ip`) is not installed'
  try {
    execFileSync(ip, ['netns', 'list'], { stdio: 'pipe' })
  } catch (err) {
    return `\`ip netns\` does not work here: ${(err as Error).message}`
  }
  return undefined
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' }).toString()

export interface Host {
  ns: string
  addr: string
}

export interface Hosts {
  gateway: Host
  loads: Host[]
  /**
   * Names this host resolves (as a cluster's DNS would resolve Service names): written to
   * /etc/netns/<ns>/hosts, which `ip netns exec` mounts over /etc/hosts for commands in it.
   */
  setHostsFile(host: Host, names: Record<string, string>): void
  /** Runs `argv` inside a host's namespace; the child is ended by PID in destroy(). */
  spawnIn(host: Host, argv: string[], opts?: { cwd?: string; env?: NodeJS.ProcessEnv }): ChildProcess
  destroy(): Promise<void>
}

export function makeHosts(loadCount: number): Hosts {
  const id = randomBytes(3).toString('hex')
  // 10.X.Y.0/24 with X, Y drawn: two test runs at once do not share a subnet (and it is ours alone anyway, in our namespaces).
  const [x, y] = [...randomBytes(2)].map((b) => b % 250)
  const net = `10.${x! + 1}.${y! + 1}`
  const gwNs = `mtsim-${id}-gw`
  const bridge = `br${id}`
  const made: string[] = []
  const children: ChildProcess[] = []
  const gateway: Host = { ns: gwNs, addr: `${net}.1` }
  const loads: Host[] = Array.from({ length: loadCount }, (_, i) => ({ ns: `mtsim-${id}-l${i + 1}`, addr: `${net}.${i + 11}` }))
  try {
    ip('netns', 'add', gwNs)
    made.push(gwNs)
    ip('-n', gwNs, 'link', 'set', 'lo', 'up')
    ip('-n', gwNs, 'link', 'add', bridge, 'type', 'bridge')
    ip('-n', gwNs, 'addr', 'add', `${gateway.addr}/24`, 'dev', bridge)
    ip('-n', gwNs, 'link', 'set', bridge, 'up')
    loads.forEach((h, i) => {
      ip('netns', 'add', h.ns)
      made.push(h.ns)
      ip('-n', h.ns, 'link', 'set', 'lo', 'up')
      // Both ends are born inside their namespaces: nothing of ours ever appears in the root namespace.
      const inLoad = `eth${i + 1}`
      const inGw = `v${id}${i + 1}`
      ip('link', 'add', inLoad, 'netns', h.ns, 'type', 'veth', 'peer', 'name', inGw, 'netns', gwNs)
      ip('-n', h.ns, 'addr', 'add', `${h.addr}/24`, 'dev', inLoad)
      ip('-n', h.ns, 'link', 'set', inLoad, 'up')
      ip('-n', gwNs, 'link', 'set', inGw, 'master', bridge)
      ip('-n', gwNs, 'link', 'set', inGw, 'up')
    })
  } catch (err) {
    for (const ns of made) removeNs(ns)
    throw err
  }

  const etcDirs: string[] = []
  return {
    gateway,
    loads,
    setHostsFile(host, names) {
      const dir = join('/etc/netns', host.ns)
      // /etc/netns itself too, if it is not there: removed again when empty.
      if (!existsSync('/etc/netns')) etcDirs.push('/etc/netns')
      mkdirSync(dir, { recursive: true })
      etcDirs.push(dir)
      const lines = ['127.0.0.1 localhost', ...Object.entries(names).map(([name, addr]) => `${addr} ${name}`)]
      writeFileSync(join(dir, 'hosts'), lines.join('\n') + '\n')
    },
    spawnIn(host, argv, opts = {}) {
      // `ip netns exec` execs the command in place: the PID we hold is the command's own.
      const child = spawn('ip', ['netns', 'exec', host.ns, ...argv], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] })
      children.push(child)
      return child
    },
    async destroy() {
      await Promise.all(children.map((c) => endChild(c)))
      for (const ns of made.reverse()) removeNs(ns)
      for (const dir of etcDirs.filter((d) => d !== '/etc/netns')) rmSync(dir, { recursive: true, force: true })
      if (etcDirs.includes('/etc/netns') && readdirSync('/etc/netns').length === 0) rmSync('/etc/netns', { recursive: true })
    },
  }
}

function removeNs(ns: string): void {
  try {
    ip('netns', 'del', ns)
  } catch {
    // already gone
  }
}

/** SIGTERM, then SIGKILL if it has not gone in 10 s; resolves once it has exited. */
async function endChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()))
  c.kill('SIGTERM')
  const timer = setTimeout(() => c.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

/** Collects a child's output and resolves with its exit code. */
export function finished(c: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  c.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve) => c.once('close', (code) => resolve({ code, stdout, stderr })))
}

/** Resolves once the child has printed a line matching `re` (on stdout or stderr), with the match. */
export function printed(c: ChildProcess, re: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => done(new Error(`no line matching ${re} within ${timeoutMs} ms; got:\n${seen}`)), timeoutMs)
    const onData = (d: Buffer) => {
      seen += d.toString()
      const m = re.exec(seen)
      if (m) done(undefined, m)
    }
    const onExit = (code: number | null) => done(new Error(`exited (${code}) before printing ${re}; got:\n${seen}`))
    function done(err?: Error, m?: RegExpMatchArray) {
      clearTimeout(timer)
      c.stdout?.off('data', onData)
      c.stderr?.off('data', onData)
      c.off('exit', onExit)
      if (err) reject(err)
      else resolve(m!)
    }
    c.stdout?.on('data', onData)
    c.stderr?.on('data', onData)
    c.once('exit', onExit)
  })
}
