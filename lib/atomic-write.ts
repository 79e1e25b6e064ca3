import { mkdirSync, renameSync, writeFileSync, openSync, closeSync, fsyncSync } from 'node:fs'
import { dirname, basename, join } from 'node:path'

/**
 * Writes a file so that readers see either the old or the whole new content, never a torn one:
 * write to a temporary file in the same folder, fsync, rename over the target. Synchronous on
 * purpose: it is also called from signal handlers, where the process may exit right after.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  writeFileSync(tmp, data)
  const fd = openSync(tmp, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, path)
}
