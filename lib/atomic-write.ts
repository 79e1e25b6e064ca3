import { mkdirSync, renameSync, openSync, closeSync, fsyncSync, writeSync } from 'node:fs'
import { dirname, basename, join } from 'node:path'

/**
 * Writes a file so that readers see either the old or the whole new content, never a torn one:
 * write to a temporary file in the same folder, fsync, rename over the target. Synchronous on
 * purpose: it is also called from signal handlers, where the process may exit right after.
 * `data` may come in chunks (an iterable of strings), so a large file never has to exist as one
 * string in memory.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  const fd = openSync(tmp, 'w')
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) writeAll(fd, data)
    else for (const chunk of data) writeAll(fd, chunk)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, path)
}

function writeAll(fd: number, data: string | Uint8Array): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off)
}
