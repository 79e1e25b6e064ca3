// Every command runs through here: a user-facing MtsimError prints its message (never a stack
// trace) and exits with its code; anything else is a bug and says so.
import { MtsimError } from '../lib/errors.js'

export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void> | number | void) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await fn(...args)
      process.exitCode = code ?? 0
    } catch (err) {
      if (err instanceof MtsimError) {
        process.stderr.write(err.format() + '\n')
        process.exitCode = err.exitCode
      } else {
        process.stderr.write(`mtsim: internal error (a bug, please report it):\n${(err as Error)?.stack ?? String(err)}\n`)
        process.exitCode = 1
      }
    }
  }
}
