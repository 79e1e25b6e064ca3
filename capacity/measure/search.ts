// The search for the highest rate that holds every threshold (like bench/pair/full-cycle.ts's ceiling
// probe): rising steps (x factor from the start rate) until one fails, then bisection between the
// last that held and the first that failed until they are within `precision` of each other. If the
// start rate already fails, the steps fall (/ factor) until one holds. Bounded: no step starts when
// the next one would end past maxDurationMs, and a stop signal (Ctrl-C) ends the search with the
// steps so far.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Session } from './session.js'
import { runStep, type StepResult } from './step.js'

export interface SearchOptions {
  startRate: number
  maxRate: number
  factor: number
  precision: number
  warmupMs: number
  stepMs: number
  maxDurationMs: number
  settleMs: number
  dir: string
  signal?: AbortSignal
  /** Told about each step as it ends. */
  onStep?: (s: StepResult) => void
  log?: (line: string) => void
}

export interface SearchOutcome {
  steps: StepResult[]
  /** The highest rate that held every threshold (null: none did). */
  held: number | null
  /** The lowest rate that failed (null: none did up to maxRate). */
  broke: number | null
  /** Why the search ended. */
  ended: 'converged' | 'max-rate' | 'max-duration' | 'interrupted' | 'lowest-rate' | 'insufficient-data'
}

/** The slowest a rate falls to when even the start fails: start / factor^FALL_STEPS. */
const FALL_STEPS = 6

export async function search(session: Session, shares: number[], o: SearchOptions): Promise<SearchOutcome> {
  const started = performance.now()
  const steps: StepResult[] = []
  let held: number | null = null
  let broke: number | null = null
  let longest = 0
  const round = (r: number) => (r >= 100 ? Math.round(r) : Math.round(r * 10) / 10)
  const timeLeft = () => o.maxDurationMs - (performance.now() - started)

  /** Runs a step if it fits the time left; undefined when the search must stop. */
  const step = async (rate: number): Promise<StepResult | undefined> => {
    if (o.signal?.aborted) return undefined
    // A step costs its warm-up and measured part plus settling and receipts: the longest so far tells.
    const expected = Math.max(longest, o.warmupMs + o.stepMs)
    if (steps.length && expected > timeLeft()) return undefined
    const dir = join(o.dir, 'steps', `${String(steps.length + 1).padStart(2, '0')}-${rate}`)
    mkdirSync(dir, { recursive: true })
    o.log?.(`step ${steps.length + 1}: ${rate} msg/s offered ...`)
    const r = await runStep(session, shares, { rate, warmupMs: o.warmupMs, stepMs: o.stepMs, dir, signal: o.signal, settleMs: o.settleMs })
    longest = Math.max(longest, r.wallMs)
    steps.push(r)
    o.onStep?.(r)
    if (r.insufficient) tooLittle = true
    return r.interrupted || r.insufficient ? undefined : r
  }

  // A step that failed only for want of samples says nothing about the rate: calling it the knee
  // would be a guess, so the search stops there and says the steps are too short.
  let tooLittle = false
  const stopReason = (): SearchOutcome['ended'] => (o.signal?.aborted ? 'interrupted' : tooLittle ? 'insufficient-data' : 'max-duration')

  // Rising (or, if the start fails, falling) until the knee is bracketed.
  let rate = round(o.startRate)
  const first = await step(rate)
  if (!first) return { steps, held, broke, ended: stopReason() }
  if (first.ok) {
    held = rate
    for (;;) {
      const next = round(Math.min(o.maxRate, rate * o.factor))
      if (next <= rate) return { steps, held, broke, ended: 'max-rate' }
      const r = await step(next)
      if (!r) return { steps, held, broke, ended: stopReason() }
      rate = next
      if (r.ok) held = rate
      else {
        broke = rate
        break
      }
    }
  } else {
    broke = rate
    for (let i = 0; i < FALL_STEPS; i++) {
      const next = round(rate / o.factor)
      if (next <= 0 || next === rate) break
      const r = await step(next)
      if (!r) return { steps, held, broke, ended: stopReason() }
      rate = next
      if (r.ok) {
        held = rate
        break
      }
      broke = rate
    }
    if (held === null) return { steps, held, broke, ended: 'lowest-rate' }
  }
  // Bisection.
  while (held !== null && broke !== null && broke - held > o.precision * held) {
    const mid = round((held + broke) / 2)
    if (mid <= held || mid >= broke) break
    const r = await step(mid)
    if (!r) return { steps, held, broke, ended: stopReason() }
    if (r.ok) held = mid
    else broke = mid
  }
  return { steps, held, broke, ended: 'converged' }
}
