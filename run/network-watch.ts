// The simulated network's own side of a run (results.network): its operators' counters sampled
// once per interval while the load runs, and their totals at the end. The network counts in its
// own words (copies by tag, answers by command_status, binds, receipts); the books join them to the
// load generator's afterwards (results/results-writer.ts, reports/attribution.ts), so a difference
// shows as a finding rather than being smoothed over.
import type { NetworkOperator, NetworkPoint, NetworkPointOperator, NetworkSide } from '../results/results-format.js'
import type { OperatorStats } from '../simulator/types.js'

/** What the watch reads of a network: each operator's id and counters. */
export interface WatchedNetwork {
  readonly operators: readonly { readonly config: { readonly id: string }; stats(): OperatorStats }[]
}

/** The running sums a point is the difference of. */
interface Sums {
  first: number
  repeated: number
  throttled: number
  errors: number
  unanswered: number
  receipts: number
}

const THROTTLED = 'ESME_RTHROTTLED'

/**
 * Answers by status, one per message: submit_sm_resp statuses, plus each submit_multi destination
 * as its own answer (accepted: ESME_ROK; refused: its unsuccess_sme status). A submit_multi refused
 * whole (throttled, over the window, ESME_RSUBMITFAIL) counts once under its status.
 */
export function answersOf(s: OperatorStats): Record<string, number> {
  const m = s.multi
  if (!m) return { ...s.statuses }
  const out: Record<string, number> = { ...s.statuses }
  const add = (name: string, n: number) => n > 0 && (out[name] = (out[name] ?? 0) + n)
  add('ESME_ROK', m.accepted)
  for (const [name, n] of Object.entries(m.unsuccess)) add(name, n)
  for (const [name, n] of Object.entries(m.statuses)) if (name !== 'ESME_ROK') add(name, n)
  return out
}

function sums(s: OperatorStats): Sums {
  let errors = 0
  const answers = answersOf(s)
  for (const [name, n] of Object.entries(answers)) if (name !== 'ESME_ROK' && name !== THROTTLED) errors += n
  let receipts = 0
  for (const n of Object.values(s.receipts.sent)) receipts += n
  return {
    first: s.copies?.first ?? s.messages,
    repeated: s.copies?.repeated ?? 0,
    throttled: answers[THROTTLED] ?? 0,
    errors,
    unanswered: s.unanswered,
    receipts,
  }
}

export class NetworkWatch {
  private readonly points: NetworkPoint[] = []
  private last = new Map<string, Sums>()
  private startPerf = 0
  private timer: NodeJS.Timeout | undefined
  private nextT = 0

  constructor(
    private readonly network: WatchedNetwork,
    private readonly intervalMs = 1000,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Starts sampling at plan time 0 (performance.now() clock): one point per interval. */
  start(startPerf: number, timers = true): void {
    this.startPerf = startPerf
    this.nextT = 0
    for (const op of this.network.operators) this.last.set(op.config.id, sums(op.stats()))
    if (timers) {
      // One timer for the whole network: a sample costs a stats() snapshot per operator, not per message.
      this.timer = setInterval(() => this.sample(), this.intervalMs)
      this.timer.unref()
    }
  }

  /** Closes the interval that started at nextT (called by the timer, or by a test on its own clock). */
  sample(): void {
    const operators: Record<string, NetworkPointOperator> = {}
    for (const op of this.network.operators) {
      const s = op.stats()
      const now = sums(s)
      const was = this.last.get(op.config.id) ?? now
      operators[op.config.id] = {
        first: now.first - was.first,
        repeated: now.repeated - was.repeated,
        throttled: now.throttled - was.throttled,
        errors: now.errors - was.errors,
        unanswered: now.unanswered - was.unanswered,
        binds: s.binds.transmitter + s.binds.receiver + s.binds.transceiver,
        receipts: now.receipts - was.receipts,
        backlog: s.receipts.pending,
      }
      this.last.set(op.config.id, now)
    }
    this.points.push({ t: this.nextT, operators })
    this.nextT += this.intervalMs
  }

  /** Stops sampling; the last (partial) interval and each operator's totals. */
  finish(): NetworkSide {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    // The last interval is partial unless a sample just closed it.
    if (this.clock() - this.startPerf > this.nextT + 1 || this.points.length === 0) this.sample()
    const operators: Record<string, NetworkOperator> = {}
    for (const op of this.network.operators) {
      const s = op.stats()
      const log = s.bindLog
      operators[op.config.id] = {
        submits: s.copies ? { ...s.copies } : { first: s.messages, repeated: 0, untagged: 0 },
        answers: answersOf(s),
        unanswered: s.unanswered,
        binds: {
          opened: log?.opened ?? 0,
          refused: s.bindRefusals,
          dropped: log?.dropped ?? 0,
          events: (log?.events ?? []).map((e) => ({ t: Math.round(e.atMs - this.startPerf), kind: e.kind })),
        },
        receipts: {
          sent: { ...s.receipts.sent },
          acked: s.receipts.acked,
          resent: s.receipts.resent,
          lost: s.receipts.lost,
          duplicated: s.receipts.duplicated,
          backlog: s.receipts.pending,
        },
      }
    }
    return { operators, timeseries: this.points.slice() }
  }
}
