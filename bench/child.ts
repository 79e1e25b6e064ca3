// Parent side of a bench child process: fork a compiled bench/*-side.js script, wait for typed
// IPC messages from it, and end it by its own PID (never by name). Each bench side is a separate
// process so CPU and RSS figures belong to one side only, as they would in production.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

interface Typed {
  type: string
}

type Of<M extends Typed, T extends M['type']> = Extract<M, { type: T }>

/** A child process that sends `Out` messages and takes `In` ones (bench/side-messages.ts). */
export class Side<Out extends Typed, In extends Typed = never> {
  private readonly child: ChildProcess
  private readonly waiters: { type: string; resolve: (m: Out | Exit) => void }[] = []
  private readonly listeners = new Map<string, (m: Out) => void>()
  private exited = false
  private exitWhy = ''

  constructor(script: string, args: string[] = [], execArgv: string[] = []) {
    const path = fileURLToPath(new URL(script, import.meta.url))
    this.child = fork(path, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv })
    this.child.on('message', (m: Out) => this.received(m))
    this.child.on('exit', (code, signal) => {
      this.exited = true
      this.exitWhy = `${script} exited (${signal ?? code})`
      for (const w of this.waiters.splice(0)) w.resolve({ type: EXIT, why: this.exitWhy })
    })
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  send(m: In): void {
    if (!this.exited) this.child.send(m)
  }

  /** Resolves with the next message of this type; rejects if the child exits first. */
  async next<T extends Out['type']>(type: T): Promise<Of<Out, T>> {
    const m = await new Promise<Out | Exit>((resolve) => {
      if (this.exited) resolve({ type: EXIT, why: this.exitWhy })
      else this.waiters.push({ type, resolve })
    })
    if (isExit(m)) throw new Error(`bench side failed: ${m.why}`)
    return m as Of<Out, T>
  }

  /** Ask and wait for the answer (`type` + '-reply'). */
  async ask<T extends In['type'] & string>(type: T): Promise<Of<Out, `${T}-reply`>> {
    const reply = this.next(`${type}-reply` as Out['type'])
    this.send({ type } as unknown as In)
    return reply as Promise<Of<Out, `${T}-reply`>>
  }

  /** Every message of this type (e.g. progress) goes to `fn` instead of a waiter. */
  on<T extends Out['type']>(type: T, fn: (m: Of<Out, T>) => void): void {
    this.listeners.set(type, fn as (m: Out) => void)
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

  private received(m: Out): void {
    const fn = this.listeners.get(m.type)
    if (fn) return fn(m)
    const i = this.waiters.findIndex((w) => w.type === m.type)
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m)
  }
}

/** What a waiter gets when the child exits first (a type no side sends). */
const EXIT = '\0exit'
interface Exit {
  type: typeof EXIT
  why: string
}
function isExit(m: Typed): m is Exit {
  return m.type === EXIT
}
