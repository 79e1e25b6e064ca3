// What every worker-thread part of mtsim needs (simulator cluster, load generator workers):
// finding the compiled worker script, and carrying errors across the thread boundary so a user
// error raised in a worker still reaches the user as the same MtsimError (message, details, exit
// code), and a bug still reads as a bug.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MtsimError, type ErrorCode } from '../../lib/errors.js'
import type { SerializedError } from './cluster-messages.js'

/**
 * The worker script `rel` (a path from the project root, without extension, e.g.
 * 'simulator/cluster/sim-worker') next to the calling module `from` (its import.meta.url).
 * Worker threads run compiled JavaScript: from dist/ that is the sibling .js file; when the
 * caller is a .ts source (vitest runs the sources), it is the dist/ twin, which `npm test` builds
 * first. `depth` is how many folders below the project root the caller sits.
 */
export function workerScript(from: string, rel: string, depth: number): URL {
  const root = new URL('../'.repeat(depth), from)
  const url = from.endsWith('.ts') ? new URL(`dist/${rel}.js`, root) : new URL(`${rel}.js`, root)
  if (!existsSync(url)) {
    throw new MtsimError('MTSIM_ERR_NOT_BUILT', [fileURLToPath(url)])
  }
  return url
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof MtsimError) return { name: err.name, message: err.message, code: err.code, details: err.details }
  const e = err instanceof Error ? err : new Error(String(err))
  return { name: e.name, message: e.message, stack: e.stack }
}

/** The error a worker reported, rebuilt in this thread; `where` says which worker (for bugs). */
export function rebuildError(s: SerializedError, where: string): Error {
  if (s.code) {
    const e = new MtsimError(s.code as ErrorCode, [], s.details ?? [])
    // The template already ran in the worker: keep its exact words.
    e.message = s.message
    return e
  }
  const e = new Error(`${where}: ${s.message}`)
  e.stack = `${where}: ${s.stack ?? s.message}`
  return e
}
