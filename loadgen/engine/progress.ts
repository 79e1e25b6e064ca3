// Live progress on stderr. On a terminal: one line rewritten in place every interval. Elsewhere
// (CI logs): a plain line every 5 s, so logs stay readable. Disabled: nothing at all.
import { formatDuration } from '../../lib/duration.js'
import type { Totals } from '../../results/results-format.js'

export interface ProgressSnapshot {
  elapsedMs: number
  /** Planned duration of the run (sending part). */
  durationMs: number
  /** Sends per second in the last interval: planned (due) and actually made. */
  plannedRate: number
  sentRate: number
  sent: number
  plannedTotal: number
  inFlight: number
  accepted: number
  /** Final receipts so far. */
  receipts: number
  awaiting: number
  /** rejected + failed + dropped so far. */
  errors: number
  /** True once the plan is done and the run waits for answers and receipts. */
  draining: boolean
}

/** The running counts a progress line shows, from the run's totals. */
export function countsOf(t: Totals): Pick<ProgressSnapshot, 'sent' | 'accepted' | 'receipts' | 'errors'> {
  return {
    sent: t.sent, accepted: t.accepted, errors: t.rejected + t.failed + t.dropped,
    receipts: t.delivered + t.undelivered + t.expired + t.rejected_by_operator + t.failed_in_gateway + t.other_final,
  }
}

export interface ProgressOutput {
  write(text: string): unknown
  isTTY?: boolean
}

const PLAIN_EVERY_MS = 5000

export class Progress {
  private lastPlainAt = -Infinity
  private lineOpen = false

  constructor(
    private readonly enabled: boolean,
    private readonly out: ProgressOutput = process.stderr,
  ) {}

  update(s: ProgressSnapshot): void {
    if (!this.enabled) return
    if (this.out.isTTY) {
      // \r + clear-to-end-of-line: rewrite in place.
      this.out.write(`\r\x1b[K${formatLine(s)}`)
      this.lineOpen = true
    } else if (s.elapsedMs - this.lastPlainAt >= PLAIN_EVERY_MS) {
      this.lastPlainAt = s.elapsedMs
      this.out.write(formatLine(s) + '\n')
    }
  }

  /** The final line (always printed when enabled, so the log shows how the run ended). */
  end(s: ProgressSnapshot, note = ''): void {
    if (!this.enabled) return
    const line = formatLine(s, true) + (note ? `  ${note}` : '')
    this.out.write(this.out.isTTY && this.lineOpen ? `\r\x1b[K${line}\n` : line + '\n')
    this.lineOpen = false
  }
}

/** One progress line; the final one (`ended`) has no rates or ETA, only where the run ended. */
export function formatLine(s: ProgressSnapshot, ended = false): string {
  const eta = ended ? '' : s.draining ? '  draining receipts' : `  ETA ${formatDuration(Math.max(0, s.durationMs - s.elapsedMs))}`
  const rates = ended ? '' : `${s.sentRate.toFixed(0)}/${s.plannedRate.toFixed(0)} msg/s sent/planned  `
  return (
    `${formatDuration(s.elapsedMs)}  ${rates}` +
    `sent ${s.sent}/${s.plannedTotal}  in flight ${s.inFlight}  accepted ${s.accepted}  ` +
    `receipts ${s.receipts} (awaiting ${s.awaiting})  errors ${s.errors}${eta}`
  )
}
