// One output folder per run. Two runs with the same --out used to both exit 0, the second silently
// replacing the first's results; now a run claims its folder with a marker file created
// exclusively (O_EXCL), so of two runs started together exactly one gets it, and a folder that
// already holds anything is refused with a message that says why. The default folder (a name with
// a timestamp) never refuses: when taken, the next free "-2", "-3"... is used instead.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { MtsimError } from './errors.js'

/** Written into every run folder when the run starts; it stays, saying which run wrote the folder. */
export const RUN_MARKER = '.mtsim-run.json'

/**
 * Creates and claims `dir` for this run. `explicit` (the user named it with --out): refuse a
 * folder that is in use or not empty. Otherwise pick the first free `dir`, `dir-2`, `dir-3`...
 * Returns the absolute folder claimed.
 */
export function claimOutDir(dir: string, explicit: boolean, what = 'mtsim run'): string {
  const base = resolve(dir)
  mkdirSync(dirname(base), { recursive: true })
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`
    const refusal = tryClaim(candidate, what)
    if (refusal === undefined) return candidate
    if (explicit) throw new MtsimError('MTSIM_ERR_OUT_DIR_USED', [dir, refusal])
  }
}

/** undefined when claimed; otherwise why not. */
function tryClaim(dir: string, what: string): string | undefined {
  mkdirSync(dir, { recursive: true })
  const entries = readdirSync(dir)
  if (entries.includes(RUN_MARKER)) return `already belongs to another run (${describeMarker(dir)})`
  if (entries.length) return `is not empty (it holds ${listed(entries)})`
  let fd: number
  try {
    fd = openSync(resolve(dir, RUN_MARKER), 'wx')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return `already belongs to another run (${describeMarker(dir)})`
    throw err
  }
  writeSync(fd, JSON.stringify({ what, pid: process.pid, startedAt: new Date().toISOString() }) + '\n')
  closeSync(fd)
  return undefined
}

function describeMarker(dir: string): string {
  try {
    const m = JSON.parse(readFileSync(resolve(dir, RUN_MARKER), 'utf8')) as { what?: string; pid?: number; startedAt?: string }
    return `${m.what ?? 'a run'}, pid ${m.pid ?? '?'}, started ${m.startedAt ?? '?'}`
  } catch {
    return 'its marker is being written'
  }
}

function listed(entries: string[]): string {
  const shown = entries.slice(0, 3).join(', ')
  return entries.length > 3 ? `${shown} and ${entries.length - 3} more` : shown
}
