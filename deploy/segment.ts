// Which share of a split run this process plays. `--segment i/n` says it outright; `--segment
// auto/n` takes it from the environment of a Kubernetes Indexed Job, whose pods each get
// JOB_COMPLETION_INDEX (0 .. n-1): one pod template serves every share, the cluster numbers them.
import { MtsimError } from '../lib/errors.js'

export interface Segment {
  /** 1-based, as in `--segment 2/4`. */
  index: number
  count: number
}

/** The variable Kubernetes sets in each pod of an Indexed Job (completionMode: Indexed). */
export const INDEX_VARIABLE = 'JOB_COMPLETION_INDEX'

export function parseSegment(value: string, env: NodeJS.ProcessEnv = process.env): Segment {
  const usage = (expected: string, found: string) => new MtsimError('MTSIM_ERR_OPTION', ['--segment', expected, found])
  const m = /^(\d+|auto)\/(\d+)$/.exec(value.trim())
  if (!m) throw usage('i/n with 1 <= i <= n (like 2/4), or auto/n in a Kubernetes Indexed Job', JSON.stringify(value))
  const count = Number(m[2])
  if (count < 1) throw usage('n of 1 or more', JSON.stringify(value))
  if (m[1] !== 'auto') {
    const index = Number(m[1])
    if (index < 1 || index > count) throw usage('i/n with 1 <= i <= n (like 2/4)', JSON.stringify(value))
    return { index, count }
  }
  const raw = env[INDEX_VARIABLE]
  if (raw === undefined || raw === '') {
    throw usage(`auto/${count} with ${INDEX_VARIABLE} set (Kubernetes sets it in the pods of a Job with completionMode: Indexed), or i/${count}`, `auto/${count} and no ${INDEX_VARIABLE}`)
  }
  if (!/^\d+$/.test(raw) || Number(raw) >= count) {
    throw usage(`auto/${count} with ${INDEX_VARIABLE} a whole number from 0 to ${count - 1} (does the Job's completions match n?)`, `${INDEX_VARIABLE}=${JSON.stringify(raw)}`)
  }
  return { index: Number(raw) + 1, count }
}
