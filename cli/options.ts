// Option parsing and run-until-stopped logic the long-running commands share (run, simulate,
// gateway): one wording for each usage error, one way to stop on Ctrl-C.
import { readFileSync } from 'node:fs'
import { parseDuration, formatDuration } from '../lib/duration.js'
import { ExitCode, MtsimError } from '../lib/errors.js'
import { MAX_DURATION_MS, afterMs, formatLimitMs } from '../lib/limits.js'

export function portOption(flag: string, value: string | number | undefined, fallback: number): number
export function portOption(flag: string, value: string | number | undefined): number | undefined
export function portOption(flag: string, value: string | number | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new MtsimError('MTSIM_ERR_OPTION', [flag, 'a TCP port from 0 to 65535 (0 picks a free one)', JSON.stringify(String(value))])
  }
  return n
}

/** A duration flag: more than 0 and at most MAX_DURATION_MS (365 days). */
export function durationOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  let ms: number
  try {
    ms = parseDuration(value)
  } catch {
    throw new MtsimError('MTSIM_ERR_OPTION', [flag, 'a duration like "30s" or "5m"', JSON.stringify(value)])
  }
  if (!(ms > 0 && ms <= MAX_DURATION_MS)) {
    throw new MtsimError('MTSIM_ERR_RANGE', [flag, `a duration above 0 and at most ${formatLimitMs(MAX_DURATION_MS)}`, JSON.stringify(value)])
  }
  return ms
}

export interface TokenOptions {
  /** --token: simple, but visible to every user of the machine in `ps`. */
  token?: string
  /** --token-file: the token is the file's content (one trailing newline ignored). */
  tokenFile?: string
  /** --insecure-no-token: listen beyond loopback without a token anyway. */
  insecureNoToken?: boolean
}

/** Addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || /^::ffff:127\./i.test(host)
}

/**
 * The control API's token, from --token-file, --token or the MTSIM_TOKEN environment variable (the
 * latter two keep it out of `ps`). Without one, a host other than loopback is refused unless
 * --insecure-no-token says the risk is accepted.
 */
export function controlToken(o: TokenOptions, host: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (o.token !== undefined && o.tokenFile !== undefined) {
    throw new MtsimError('MTSIM_ERR_TOKEN_SOURCE', ['give --token or --token-file, not both'])
  }
  let token: string | undefined
  if (o.tokenFile !== undefined) {
    let text: string
    try {
      text = readFileSync(o.tokenFile, 'utf8')
    } catch (err) {
      throw new MtsimError('MTSIM_ERR_TOKEN_SOURCE', [`cannot read --token-file ${o.tokenFile} (${(err as NodeJS.ErrnoException).code ?? String(err)})`])
    }
    token = text.replace(/\r?\n$/, '')
    if (!token) throw new MtsimError('MTSIM_ERR_TOKEN_SOURCE', [`--token-file ${o.tokenFile} is empty`])
    if (/[\r\n]/.test(token)) throw new MtsimError('MTSIM_ERR_TOKEN_SOURCE', [`--token-file ${o.tokenFile} holds more than one line`])
  } else if (o.token !== undefined) {
    if (!o.token) throw new MtsimError('MTSIM_ERR_TOKEN_SOURCE', ['--token is empty'])
    token = o.token
  } else if (env.MTSIM_TOKEN) {
    token = env.MTSIM_TOKEN
  }
  if (token === undefined && !isLoopback(host) && !o.insecureNoToken) throw new MtsimError('MTSIM_ERR_TOKEN_REQUIRED', [host])
  return token
}

export interface StopOptions {
  /** Stop after this long (--duration). */
  afterMs?: number
  /** Listen for SIGINT/SIGTERM (off in tests that run in-process). */
  signals?: boolean
  /** Stop when this settles (tests). */
  stop?: Promise<unknown>
  write: (text: string) => void
  /** What a second signal means, e.g. "exiting now without a summary". */
  secondSignal: string
}

/**
 * Resolves (with the reason) on the duration, the first SIGINT/SIGTERM or `stop`; a second signal
 * exits at once with 105. Call dispose() once shut down: the listeners stay until then, so a
 * second Ctrl-C during a slow shutdown still works.
 */
export function waitForStop(o: StopOptions): { done: Promise<string>; dispose(): void } {
  let cancelTimer = (): void => {}
  let signalled = 0
  let resolve!: (why: string) => void
  const done = new Promise<string>((r) => (resolve = r))
  const onSignal = (sig: NodeJS.Signals) => {
    if (++signalled > 1) {
      o.write(`\n${sig} again: ${o.secondSignal}\n`)
      process.exit(ExitCode.interrupted)
    }
    resolve(sig)
  }
  if (o.afterMs !== undefined) cancelTimer = afterMs(o.afterMs, () => resolve(`--duration ${formatDuration(o.afterMs!)} reached`))
  if (o.signals !== false) {
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  }
  void o.stop?.then(() => resolve('stopped'))
  return {
    done,
    dispose() {
      cancelTimer()
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}
