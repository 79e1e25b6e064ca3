// The last lines of Kannel's own logs, for error messages: Kannel explains most failures (bad
// setting, port taken, bind refused) there and nowhere else.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { basename } from 'node:path'

const TAIL_BYTES = 8192
const BACKTRACE = /PANIC: (\/|\[0x)\S*[(\[]/

export function tailLines(file: string, lines: number): string[] {
  if (!existsSync(file)) return []
  const size = statSync(file).size
  const start = Math.max(0, size - TAIL_BYTES)
  const buf = Buffer.alloc(size - start)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, buf, 0, buf.length, start)
  } finally {
    closeSync(fd)
  }
  // A PANIC is followed by backtrace frames (`PANIC: /usr/sbin/bearerbox(main+0x12) [0x...]`) that
  // would push the one line that explains it out of the tail.
  const all = buf
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() && !BACKTRACE.test(l))
  if (start > 0) all.shift() // probably cut in the middle
  return all.slice(-lines)
}

/** `file: line` for the last few lines of each file that has any. */
export function logTails(files: readonly string[], lines = 8): string[] {
  return files.flatMap((f) => tailLines(f, lines).map((l) => `${basename(f)}: ${l}`))
}
