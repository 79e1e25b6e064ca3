// The operator's memory of opt-outs: each subscriber who sent a STOP keyword, with the time they
// sent it. Every MT accepted for such a number more than `graceMs` after the STOP is a violation,
// counted with its delay since the STOP (the sender kept writing to someone who said stop).
export class OptOutRegistry {
  /** Subscriber number -> clock ms of their STOP. */
  private readonly stops = new Map<string, number>()
  violations = 0
  /** The longest delay since a STOP among the violations, ms. */
  maxViolationDelayMs = 0

  constructor(private readonly graceMs: number) {}

  get size(): number {
    return this.stops.size
  }

  has(number: string): boolean {
    return this.stops.has(number)
  }

  /** The subscriber sent a STOP at `at` (the first one counts: a second STOP changes nothing). */
  add(number: string, at: number): void {
    if (!this.stops.has(number)) this.stops.set(number, at)
  }

  /** An MT for `number` was accepted at `now`: the delay since its STOP when that is a violation, else -1. */
  check(number: string, now: number): number {
    const at = this.stops.get(number)
    if (at === undefined) return -1
    const delay = now - at
    if (delay <= this.graceMs) return -1
    this.violations++
    if (delay > this.maxViolationDelayMs) this.maxViolationDelayMs = delay
    return delay
  }
}
