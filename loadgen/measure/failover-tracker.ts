// Failover analysis: what happened to an operator's traffic while it was down and the gateway had a
// backup for it (Kannel `preferred-prefix` on the operator, `allowed-prefix` on the backup).
//
// Fed during the run by one call per first arrival (the in-process network saw one of our messages
// arrive at some operator), it keeps only fixed-size-per-time bins per watched operator, never a
// record per message, so memory follows the run's length, not its message count. The outage windows
// are only known for sure at the end (the control API may inject them), so the bins are read then:
//   - rerouted arrivals at the backup, by arrival time (count and earliest time per bin);
//   - the latest arrival of the messages sent in each bin, by send time (for the drain).
// Queued answers, duplicate submits and lost messages come from the per-operator books at the end.
import type { FailoverFigures, FaultWindow, OperatorFailover, OperatorResults } from '../../results/results-format.js'

/** Bin width: the send-time resolution of "sent during the outage" for the drain. */
const BIN_MS = 100

/** A growable Float64Array filled with `empty`, indexed by bin. */
class Bins {
  data: Float64Array
  constructor(private readonly empty: number) {
    this.data = new Float64Array(64).fill(empty)
  }
  at(bin: number): number {
    return bin < this.data.length ? this.data[bin]! : this.empty
  }
  reserve(bin: number): void {
    if (bin < this.data.length) return
    let n = this.data.length
    while (n <= bin) n = Math.ceil(n * 1.5)
    const next = new Float64Array(n).fill(this.empty)
    next.set(this.data)
    this.data = next
  }
}

/** Per watched (primary) operator. */
class Watch {
  readonly reroutedCount = new Bins(0)
  readonly reroutedFirst = new Bins(Infinity)
  /** By send bin: the latest first-arrival time (ms since run start) of a message sent then. */
  readonly lastArrivalOfSent = new Bins(-Infinity)
  rerouted = 0
  constructor(readonly backup: string) {}
}

export class FailoverTracker {
  /** By operator index (the engine's Metrics order); undefined = not watched. */
  private readonly watches: (Watch | undefined)[] = []
  private startMs = 0

  /**
   * `operatorIds` in the engine's operator order; `failover` maps a primary operator id to its backup
   * (the scenario's `gateway.failover`).
   */
  constructor(
    private readonly operatorIds: readonly string[],
    private readonly failover: Readonly<Record<string, string>>,
  ) {
    for (const [primary, backup] of Object.entries(failover)) {
      const i = operatorIds.indexOf(primary)
      if (i >= 0) this.watches[i] = new Watch(backup)
    }
  }

  get watching(): boolean {
    return this.watches.some((w) => w !== undefined)
  }

  /** Plan time 0 on the performance.now() clock. */
  start(startMs: number): void {
    this.startMs = startMs
  }

  /**
   * A message planned for operator index `op`, sent at `sentAtMs`, arrived for the first time at
   * `atOperator` at `nowMs` (both performance.now() ms). Called once per message: keep it cheap.
   */
  arrival(op: number, atOperator: string, nowMs: number, sentAtMs: number): void {
    const w = this.watches[op]
    if (!w) return
    const t = nowMs - this.startMs
    const sentBin = Math.max(0, Math.floor((sentAtMs - this.startMs) / BIN_MS))
    w.lastArrivalOfSent.reserve(sentBin)
    if (t > w.lastArrivalOfSent.data[sentBin]!) w.lastArrivalOfSent.data[sentBin] = t
    if (atOperator !== w.backup) return
    w.rerouted++
    const bin = Math.max(0, Math.floor(t / BIN_MS))
    w.reroutedCount.reserve(bin)
    w.reroutedFirst.reserve(bin)
    w.reroutedCount.data[bin]!++
    if (t < w.reroutedFirst.data[bin]!) w.reroutedFirst.data[bin] = t
  }

  /**
   * The figures, once the run is over: one entry per watched operator that had an outage.
   * Undefined when no watched operator went down (nothing to report).
   */
  figures(faults: readonly FaultWindow[], operators: Readonly<Record<string, OperatorResults>>): FailoverFigures | undefined {
    const out: Record<string, OperatorFailover> = {}
    this.watches.forEach((w, i) => {
      if (!w) return
      const id = this.operatorIds[i]!
      const outages = faults.filter((f) => f.operator === id && f.kind === 'outage').sort((a, b) => a.start - b.start)
      if (!outages.length) return
      const books = operators[id]?.totals
      out[id] = {
        backup: w.backup,
        outages: outages.map((f) => outageFigures(w, f)),
        rerouted: w.rerouted,
        queued: operators[id]?.statuses.KANNEL_QUEUED ?? 0,
        duplicates: books?.duplicate_submits ?? 0,
        accepted: books?.accepted ?? 0,
        lost: books ? books.missing + books.pending + books.held_by_gateway : 0,
      }
    })
    return Object.keys(out).length ? { operators: out } : undefined
  }
}

function outageFigures(w: Watch, f: FaultWindow): OperatorFailover['outages'][number] {
  // First arrival at the backup at or after the outage began.
  let first: number | null = null
  let during = 0
  const startBin = Math.floor(f.start / BIN_MS)
  const endBin = Math.floor(f.end / BIN_MS)
  for (let b = startBin; b < w.reroutedFirst.data.length; b++) {
    const t = w.reroutedFirst.at(b)
    if (first === null && t !== Infinity && t >= f.start) first = t
    if (b < endBin) during += w.reroutedCount.at(b)
  }
  // Drain: the latest arrival of anything sent while the operator was down, after the outage ended.
  let lastArrival = -Infinity
  for (let b = startBin; b <= endBin && b < w.lastArrivalOfSent.data.length; b++) lastArrival = Math.max(lastArrival, w.lastArrivalOfSent.at(b))
  return {
    start: f.start,
    end: f.end,
    firstAtBackup: first === null ? null : Math.round(first),
    switchoverMs: first === null ? null : Math.round(first - f.start),
    reroutedDuring: during,
    drainMs: lastArrival === -Infinity ? null : Math.max(0, Math.round(lastArrival - f.end)),
  }
}
