// `mtsim coordinate --shares N`: the one process of a split run that knows N. It serves the
// barrier and collects results (server.ts), then judges the whole run once: the same merge and
// report `mtsim report --shares N` makes over the shares' files, thresholds evaluated on the
// merged figures, its exit code the run's. A share that fails, never checks in or never reports
// ends it with MTSIM_ERR_SHARES_MISSING (exit 108) naming the share: there is no partial verdict.
import { join } from 'node:path'
import { formatDuration } from '../../lib/duration.js'
import { MtsimError } from '../../lib/errors.js'
import { runReport } from '../../cli/commands/report.js'
import { Coordination, type Outcome } from './state.js'
import { startCoordinatorServer } from './server.js'

export interface CoordinateOptions {
  shares: number
  host: string
  port: number
  /** Shares' results go to <out>/share-<i>/, the merged report to <out>/merged/. */
  out: string
  leadMs: number
  checkinTimeoutMs: number
  resultsTimeoutMs: number
  /** A running share not heard from for this long has died (undefined: wait for the results deadline). */
  silenceMs?: number
  write?: (text: string) => void
  /** Told the URL once listening (tests). */
  onListening?: (url: string) => void
  /** After a failure, how long to keep answering shares still at the barrier, so they stop at once. */
  lingerMs?: number
}

export async function runCoordinate(o: CoordinateOptions): Promise<number> {
  const write = o.write ?? ((t: string) => void process.stdout.write(t))
  const coordination = new Coordination({ ...o, createdAt: Date.now() })
  const server = await startCoordinatorServer({ coordination, out: o.out, host: o.host, port: o.port })
  write(`coordinator: ${server.url}, waiting for ${o.shares} share${o.shares === 1 ? '' : 's'} to check in\n`)
  o.onListening?.(server.url)
  const ticker = setInterval(() => coordination.tick(Date.now()), 250)
  let lastStart: number | null = null
  const progress = setInterval(() => {
    if (coordination.startAt !== null && lastStart === null) {
      lastStart = coordination.startAt
      write(`coordinator: every share checked in; start at ${new Date(lastStart).toISOString()}\n`)
    }
  }, 100)
  let outcome: Outcome
  try {
    outcome = await new Promise<Outcome>((resolve) => coordination.onOutcome(resolve))
    if (outcome.kind === 'failed') await new Promise((resolve) => setTimeout(resolve, o.lingerMs ?? 5000))
  } finally {
    clearInterval(ticker)
    clearInterval(progress)
    await server.close()
  }
  if (outcome.kind === 'failed') {
    const status = coordination.status().perShare
    throw new MtsimError('MTSIM_ERR_SHARES_MISSING', [outcome.problems.join('; ')], status.map(describeShare))
  }
  write(startSpread(coordination.shares.map((s) => s.firstSendMs)))
  write(`coordinator: all ${o.shares} shares reported; merging and judging the whole run\n`)
  return runReport(outcome.files, { out: join(o.out, 'merged'), shares: String(o.shares), tolerance: '0.1' }, write)
}

function describeShare(s: { share: number; checkedIn: number | null; results: string | null; failed: string | null }): string {
  if (s.failed) return `share ${s.share}: failed: ${s.failed}`
  if (s.results) return `share ${s.share}: results in ${s.results}`
  if (s.checkedIn !== null) return `share ${s.share}: checked in at ${new Date(s.checkedIn).toISOString()}, no results`
  return `share ${s.share}: never checked in`
}

/** How late against its plan time each share's first send went out (the plan pins time 0 to the shared start). */
export function startSpread(late: (number | null)[]): string {
  const known = late.flatMap((ms, i) => (ms === null ? [] : [{ share: i + 1, ms }]))
  if (!known.length) return 'start: no share sent anything\n'
  const worst = known.reduce((a, b) => (b.ms > a.ms ? b : a))
  const best = known.reduce((a, b) => (b.ms < a.ms ? b : a))
  return (
    `start: first sends went out ${formatDuration(best.ms)} to ${formatDuration(worst.ms)} after their plan times ` +
    `(plan time 0 = the shared start; latest: share ${worst.share})\n`
  )
}
