// Kannel never outlives the mtsim that started it. Two layers:
// 1. The kernel: each box is exec'd through util-linux `setpriv --pdeathsig KILL`, so when mtsim
//    dies in any way (SIGKILL included) the kernel kills the box at once. No polling, no watchdog
//    process to kill first. (See children.ts.)
// 2. A PID file, for what the kernel cannot cover (no setpriv, or mtsim dying between spawn and
//    setpriv's prctl): `kannel.pids.json` in the Kannel folder of the run, announced in a per-user
//    registry in the temp folder, so the NEXT start finds it wherever that run's folder was. A box
//    is reaped only when its mtsim is gone and the process is still the same box: same PID, same
//    start time (from /proc), same program name, so a reused PID is never killed.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFileAtomic } from '../../lib/atomic-write.js'

export const PID_FILE = 'kannel.pids.json'

export interface ProcessId {
  pid: number
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22): tells a reused PID apart. */
  start: number
}

interface PidFile {
  owner: ProcessId
  boxes: (ProcessId & { name: string })[]
}

/** The per-user folder of registry entries: one file per running mtsim, naming its PID file. */
export function registryDir(): string {
  return join(tmpdir(), `mtsim-${process.getuid?.() ?? 'user'}`, 'kannel')
}

/** PID, start time, state and program name of a live process; undefined when gone (or a zombie). */
export function processInfo(pid: number): (ProcessId & { name: string }) | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // "pid (comm) state ppid ..." where comm may hold spaces and parentheses: split after the last ')'.
  const close = stat.lastIndexOf(')')
  const name = stat.slice(stat.indexOf('(') + 1, close)
  const fields = stat.slice(close + 2).split(' ')
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined // exited, waiting to be reaped
  return { pid, start: Number(fields[19]), name }
}

function same(a: ProcessId, b: ProcessId | undefined): boolean {
  return b !== undefined && a.pid === b.pid && a.start === b.start
}

/**
 * The boxes of one Kannel start: record() writes their PID file (and the registry entry) after
 * each spawn; forget() removes both once the boxes are stopped.
 */
export class BoxRegistry {
  private readonly boxes: PidFile['boxes'] = []
  private readonly entry: string
  private readonly owner: ProcessId | undefined

  constructor(private readonly dir: string) {
    this.owner = processInfo(process.pid)
    this.entry = join(registryDir(), `${process.pid}-${Date.now()}.json`)
  }

  record(name: string, pid: number): void {
    const info = processInfo(pid)
    if (!this.owner || !info) return // no /proc here: the kernel layer is all there is
    // The program name to expect is the box's own: right after spawn the process may still be
    // setpriv, which execs the box (same PID, same start time, new name).
    this.boxes.push({ name, pid, start: info.start })
    const file: PidFile = { owner: this.owner, boxes: this.boxes }
    writeFileAtomic(join(this.dir, PID_FILE), JSON.stringify(file, null, 2) + '\n')
    mkdirSync(registryDir(), { recursive: true })
    writeFileAtomic(this.entry, JSON.stringify({ pidFile: join(this.dir, PID_FILE) }) + '\n')
  }

  forget(): void {
    rmSync(this.entry, { force: true })
    rmSync(join(this.dir, PID_FILE), { force: true })
  }
}

/**
 * Kills the boxes of every mtsim that died without stopping its Kannel; returns one line per box
 * killed. Entries of live mtsims are left alone; entries whose PID file is gone are dropped.
 */
export function reapOrphans(registry = registryDir()): string[] {
  const killed: string[] = []
  let entries: string[]
  try {
    entries = readdirSync(registry).filter((f) => f.endsWith('.json'))
  } catch {
    return killed
  }
  for (const entry of entries) {
    const path = join(registry, entry)
    let file: PidFile | undefined
    try {
      const { pidFile } = JSON.parse(readFileSync(path, 'utf8')) as { pidFile: string }
      file = existsSync(pidFile) ? (JSON.parse(readFileSync(pidFile, 'utf8')) as PidFile) : undefined
    } catch {
      file = undefined // half-written or unreadable: its mtsim is mid-write (alive) or the entry is junk
      continue
    }
    if (file && same(file.owner, processInfo(file.owner.pid))) continue // its mtsim still runs
    for (const box of file?.boxes ?? []) {
      const now = processInfo(box.pid)
      if (!same(box, now) || now!.name !== box.name) continue
      try {
        process.kill(box.pid, 'SIGKILL')
        killed.push(`${box.name} pid ${box.pid}`)
      } catch {
        // gone in the meantime
      }
    }
    rmSync(path, { force: true })
  }
  return killed
}
