// Parent side of a bench child process: fork a compiled bench/*-side.js script, wait for typed
// IPC messages from it, and end it by its own PID (never by name). Each bench side is a separate
// process so CPU and RSS figures belong to one side only, as they would in production.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface SideMessage {
  type: string
  [key: string]: unknown
}

export class Side {
  private readonly child: ChildProcess
  private readonly waiters: { type: string; resolve: (m: SideMessage) => void }[] = []
  private readonly listeners = new Map<string, (m: SideMessage) => void>()
  private exited = false
  private exitWhy = ''

  constructor(script: string, args: string[] = [], execArgv: string[] = []) {
    const path = fileURLToPath(new URL(script, import.meta.url))
    this.child = fork(path, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv })
    this.child.on('message', (m: SideMessage) => this.received(m))
    this.child.on('exit', (code, signal) => {
      this.exited = true
      this.exitWhy = `${script} exited (${signal ?? code})`
      for (const w of this.waiters.splice(0)) w.resolve({ type: 'exit', why: this.exitWhy })
    })
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  send(m: SideMessage | string): void {
    if (!this.exited) this.child.send(m)
  }

  /** Resolves with the next message of this type; rejects if the child exits first. */
  async next(type: string): Promise<SideMessage> {
    const m = await new Promise<SideMessage>((resolve) => {
      if (this.exited) resolve({ type: 'exit', why: this.exitWhy })
      else this.waiters.push({ type, resolve })
    })
    if (m.type === 'exit') throw new Error(`bench side failed: ${m.why as string}`)
    return m
  }

  /** Ask and wait for the answer (`type` + '-reply'). */
  async ask(type: string, extra: Record<string, unknown> = {}): Promise<SideMessage> {
    const reply = this.next(`${type}-reply`)
    this.send({ type, ...extra })
    return reply
  }

  /** Every message of this type (e.g. progress) goes to `fn` instead of a waiter. */
  on(type: string, fn: (m: SideMessage) => void): void {
    this.listeners.set(type, fn)
  }

  /** Ends the child we started, by its PID; resolves when it is gone. */
  async stop(): Promise<void> {
    if (this.exited) return
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await gone
    clearTimeout(timer)
  }

  private received(raw: SideMessage): void {
    // baseline-peer.ts (kept as it was written) sends untyped objects: they arrive as 'message'.
    const m = typeof raw.type === 'string' ? raw : { ...raw, type: 'message' }
    const fn = this.listeners.get(m.type)
    if (fn) return fn(m)
    const i = this.waiters.findIndex((w) => w.type === m.type)
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m)
  }
}
