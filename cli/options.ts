// Option parsing and run-until-stopped logic the long-running commands share (run, simulate,
// gateway): one wording for each usage error, one way to stop on Ctrl-C.
import { parseDuration, formatDuration } from '../lib/duration.js'
import { ExitCode, MtsimError } from '../lib/errors.js'

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

export function durationOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  try {
    return parseDuration(value)
  } catch {
    throw new MtsimError('MTSIM_ERR_OPTION', [flag, 'a duration like "30s" or "5m"', JSON.stringify(value)])
  }
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
  let timer: NodeJS.Timeout | undefined
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
  if (o.afterMs !== undefined) timer = setTimeout(() => resolve(`--duration ${formatDuration(o.afterMs!)} reached`), o.afterMs)
  if (o.signals !== false) {
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  }
  void o.stop?.then(() => resolve('stopped'))
  return {
    done,
    dispose() {
      clearTimeout(timer)
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}
