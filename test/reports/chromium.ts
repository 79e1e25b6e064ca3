// Headless Chromium over the DevTools protocol (undici's WebSocket; Node 20 has none built in),
// just enough to open a file, collect every console error, page exception and network request,
// evaluate an expression and take a full-page screenshot. Kills only the process it started.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { WebSocket } from 'undici'

export function findChromium(): string | null {
  for (const bin of [process.env.CHROMIUM_BIN, 'chromium', 'chromium-browser', 'google-chrome']) {
    if (!bin) continue
    try {
      execFileSync(bin, ['--version'], { stdio: 'ignore', timeout: 10_000 })
      return bin
    } catch {
      // try the next name
    }
  }
  return null
}

export interface PageVisit {
  /** Console errors, uncaught exceptions and error log entries, as text. */
  errors: string[]
  /** URLs requested other than the page itself. */
  requests: string[]
  value: unknown
  screenshot: Buffer
}

export async function visit(
  bin: string,
  file: string,
  expression: string,
  viewport = { width: 1400, height: 900 },
  media: 'screen' | 'print' = 'screen',
): Promise<PageVisit> {
  const profile = mkdtempSync(join(tmpdir(), 'mtsim-chromium-'))
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-extensions', '--hide-scrollbars',
    `--user-data-dir=${profile}`, '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', 'about:blank',
  ]
  // Its own process group, so the browser's helper processes (zygote, network service) can be
  // ended with it by the group id, which is our child's PID.
  const proc = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true })
  try {
    const wsUrl = await devtoolsUrl(proc)
    const cdp = await Cdp.connect(wsUrl)
    try {
      const page = `${pathToFileURL(file)}`
      const { targetId } = (await cdp.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string }
      const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string }
      const errors: string[] = []
      const requests: string[] = []
      cdp.on(sessionId, (method, params) => {
        const p = params as Record<string, any>
        if (method === 'Runtime.exceptionThrown') errors.push(`exception: ${p.exceptionDetails?.exception?.description ?? p.exceptionDetails?.text}`)
        if (method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) errors.push(`console.${p.type}: ${JSON.stringify(p.args?.map((a: any) => a.value ?? a.description))}`)
        if (method === 'Log.entryAdded' && p.entry?.level === 'error') errors.push(`log: ${p.entry.text} ${p.entry.url ?? ''}`)
        if (method === 'Network.requestWillBeSent' && p.request?.url !== page) requests.push(p.request?.url)
      })
      for (const m of ['Runtime.enable', 'Log.enable', 'Network.enable', 'Page.enable']) await cdp.send(m, {}, sessionId)
      await cdp.send('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 1, mobile: false }, sessionId)
      await cdp.send('Emulation.setEmulatedMedia', { media }, sessionId)
      const loaded = cdp.once(sessionId, 'Page.loadEventFired')
      await cdp.send('Page.navigate', { url: page }, sessionId)
      await loaded
      const result = (await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId)) as { result: { value: unknown } }
      const metrics = (await cdp.send('Page.getLayoutMetrics', {}, sessionId)) as { cssContentSize: { width: number; height: number } }
      const { data } = (await cdp.send(
        'Page.captureScreenshot',
        { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width: viewport.width, height: Math.ceil(metrics.cssContentSize.height), scale: 1 } },
        sessionId,
      )) as { data: string }
      await cdp.send('Browser.close', {}).catch(() => undefined)
      return { errors, requests, value: result.result.value, screenshot: Buffer.from(data, 'base64') }
    } finally {
      cdp.close()
    }
  } finally {
    await stop(proc)
    // Chromium's helper processes may still be writing the profile for a moment after the
    // browser exits; retry, and never fail a test over a leftover temporary folder.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
    } catch {
      // left in the temp dir
    }
  }
}

function devtoolsUrl(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const timer = setTimeout(() => reject(new Error(`chromium printed no DevTools URL in 20 s:\n${text}`)), 20_000)
    proc.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(text)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`chromium exited (${code}) before listening:\n${text}`))
    })
  })
}

async function stop(proc: ChildProcess): Promise<void> {
  const group = -proc.pid!
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(group, sig)
    } catch {
      // the group is already gone
    }
  }
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise((r) => proc.once('exit', r))
    const timer = setTimeout(() => signal('SIGKILL'), 5000)
    signal('SIGTERM')
    await exited
    clearTimeout(timer)
  }
  // Helpers that outlived the browser would keep writing its profile.
  signal('SIGKILL')
  await new Promise((r) => setTimeout(r, 100))
}

type Listener = (method: string, params: unknown) => void

class Cdp {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  private readonly listeners = new Map<string, Listener[]>()

  private constructor(private readonly ws: WebSocket) {
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: unknown; sessionId?: string }
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id)
        this.pending.delete(msg.id)
        if (msg.error) p?.reject(new Error(msg.error.message))
        else p?.resolve(msg.result)
      } else if (msg.method) {
        for (const l of this.listeners.get(msg.sessionId ?? '') ?? []) l(msg.method, msg.params)
      }
    })
  }

  static connect(url: string): Promise<Cdp> {
    const ws = new WebSocket(url)
    return new Promise((resolve, reject) => {
      ws.addEventListener('open', () => resolve(new Cdp(ws)))
      ws.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)))
    })
  }

  send(method: string, params: object, sessionId?: string): Promise<unknown> {
    const id = this.nextId++
    this.ws.send(JSON.stringify({ id, method, params, sessionId }))
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      setTimeout(() => {
        if (this.pending.delete(id)) reject(new Error(`${method}: no answer in 20 s`))
      }, 20_000)
    })
  }

  on(sessionId: string, l: Listener): void {
    this.listeners.set(sessionId, [...(this.listeners.get(sessionId) ?? []), l])
  }

  once(sessionId: string, method: string): Promise<unknown> {
    return new Promise((resolve) => this.on(sessionId, (m, p) => m === method && resolve(p)))
  }

  close(): void {
    this.ws.close()
  }
}
