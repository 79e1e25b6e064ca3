// Messages a link handed to its operator in one interval, grouped by how long they had waited at
// the gateway: the model records latency per group (wait + the operator's latency bins), never per
// message. Waits under 20 ms are grouped to 0.25 ms, longer ones in 0.5% steps; each group keeps the
// mean wait of its members, so grouping moves no latency by more than 0.25% (the HDR histograms
// themselves resolve 0.1%).

const FINE_MS = 20
const FINE_STEP = 0.25
const LOG_STEP = Math.log(1.005)

const LOG_BASE = FINE_MS / FINE_STEP + 1

function keyOf(w: number): number {
  return w < FINE_MS ? Math.round(w / FINE_STEP) : LOG_BASE + Math.round(Math.log(w / FINE_MS) / LOG_STEP)
}

/** The waits [lo, hi) that share key k. */
function bounds(k: number): [number, number] {
  if (k < LOG_BASE) return [Math.max(0, (k - 0.5) * FINE_STEP), Math.min(FINE_MS, (k + 0.5) * FINE_STEP)]
  const j = k - LOG_BASE
  return [Math.max(FINE_MS, FINE_MS * Math.exp((j - 0.5) * LOG_STEP)), FINE_MS * Math.exp((j + 0.5) * LOG_STEP)]
}

/** Counts per group, by what became of the submits. */
export class WaitBatches {
  private readonly index = new Map<number, number>()
  /** The last group used and its wait range: consecutive adds mostly land in it (no log, no lookup). */
  private lastSlot = -1
  private lastLo = 0
  private lastHi = -1
  /** Sum of count x wait, for the group's mean wait. */
  readonly wsum: number[] = []
  readonly count: number[] = []
  /** Past the throttle (the operator decides the rest: failures, acceptance). */
  readonly ok: number[] = []
  /** Refused by the operator's throttle. */
  readonly throttled: number[] = []
  /** Refused at once because the operator's window was full. */
  readonly excess: number[] = []
  /** Swallowed by a black hole (never answered). */
  readonly lost: number[] = []

  get size(): number {
    return this.count.length
  }

  private slot(w: number): number {
    if (w >= this.lastLo && w < this.lastHi) return this.lastSlot
    const k = keyOf(w)
    const [lo, hi] = bounds(k)
    this.lastLo = lo
    this.lastHi = hi
    let i = this.index.get(k)
    if (i === undefined) {
      i = this.count.length
      this.index.set(k, i)
      this.wsum.push(0)
      this.count.push(0)
      this.ok.push(0)
      this.throttled.push(0)
      this.excess.push(0)
      this.lost.push(0)
    }
    this.lastSlot = i
    return i
  }

  add(w: number, ok: number, throttled: number, excess = 0, lost = 0): void {
    const n = ok + throttled + excess + lost
    if (n <= 0) return
    const i = this.slot(w)
    this.wsum[i] += n * w
    this.count[i] += n
    this.ok[i] += ok
    this.throttled[i] += throttled
    this.excess[i] += excess
    this.lost[i] += lost
  }

  /** The group's mean wait (ms). */
  wait(i: number): number {
    return this.count[i]! > 0 ? this.wsum[i]! / this.count[i]! : 0
  }

  /** Moves up to n past-the-throttle messages of the zero-wait group elsewhere; returns how many moved. */
  takeFreeFlow(n: number): number {
    const i = this.index.get(0)
    if (i === undefined) return 0
    const m = Math.min(n, this.ok[i]!)
    this.ok[i] -= m
    this.count[i] -= m
    return m
  }

  clear(): void {
    this.index.clear()
    this.lastSlot = -1
    this.lastHi = -1
    this.wsum.length = this.count.length = this.ok.length = this.throttled.length = this.excess.length = this.lost.length = 0
  }
}
