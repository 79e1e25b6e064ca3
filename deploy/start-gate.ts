// Starting the shares of a split run together. Each share plays its own execution segment of one
// plan from its own plan clock; the shares add up to the unsplit load (one open model) only if
// every clock's time 0 is the same wall-clock instant. `--start-at` gives that instant outright
// (an ISO time, or +30s from now when one script starts every share at once); the coordinator's
// barrier (coordinator/) hands one out once every share has checked in with its binds up.
//
// Plan time 0 is pinned to the instant on this process's monotonic clock, not taken when the
// process wakes: a late wake-up then shows as latency from the intended send time, as it should.
// The wall clock is read where Date.now() ticks over, so the mapping holds to a few microseconds.
import { parseDuration, formatDuration } from '../lib/duration.js'
import { MtsimError } from '../lib/errors.js'

export type StartSpec =
  /** One wall-clock instant (epoch ms) for every share. */
  | { kind: 'instant'; epochMs: number }
  /** Wait at the coordinator's barrier for an instant. */
  | { kind: 'barrier' }

/** `--start-at`: an ISO 8601 time with a zone (2026-05-01T12:00:00Z), +D from now (+30s), or "barrier". */
export function parseStartAt(value: string, nowEpoch = Date.now()): StartSpec {
  const text = value.trim()
  if (text === 'barrier') return { kind: 'barrier' }
  if (text.startsWith('+')) {
    try {
      return { kind: 'instant', epochMs: nowEpoch + parseDuration(text.slice(1)) }
    } catch {
      // fall through to the one message below
    }
  } else if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.test(text)) {
    const epochMs = Date.parse(text)
    if (Number.isFinite(epochMs)) return { kind: 'instant', epochMs }
  }
  throw new MtsimError('MTSIM_ERR_OPTION', ['--start-at', 'an ISO time with a zone like "2026-05-01T12:00:00Z", a delay from now like "+30s", or "barrier"', JSON.stringify(value)])
}

/**
 * Wall-clock epoch ms with sub-millisecond resolution (Date.now() steps whole ms). Off from
 * Date.now() only by clock steps since this process started, which a start minutes away ignores.
 */
export const preciseNow = (): number => performance.timeOrigin + performance.now()

/** The clocks a gate reads; tests give a fake one. */
export interface GateClock {
  /** Wall clock, epoch ms (Date.now()). */
  epoch(): number
  /** Monotonic ms (performance.now()): the engine's clock. */
  perf(): number
  /** Resolves after about ms (a timer). */
  sleep(ms: number): Promise<void>
  /** Resolves on the next event-loop turn (setImmediate): the last stretch is polled, not slept. */
  turn(): Promise<void>
}

export const systemGateClock: GateClock = {
  epoch: () => Date.now(),
  perf: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  turn: () => new Promise((resolve) => setImmediate(resolve)),
}

/**
 * epoch - perf: add it to a perf time for the wall-clock time. Read at the moment Date.now()
 * steps to its next millisecond, so the millisecond's rounding does not count.
 */
export function wallOffset(clock: GateClock): number {
  const first = clock.epoch()
  for (let i = 0; i < 1_000_000; i++) {
    const perf = clock.perf()
    const epoch = clock.epoch()
    if (epoch !== first) return epoch - perf
  }
  return clock.epoch() - clock.perf()
}

/** Timers are coarse: sleep until this close, then poll every event-loop turn. */
const POLL_LAST_MS = 1

export interface WaitOptions {
  clock?: GateClock
  signal?: AbortSignal
  /** Started later than this after the instant: refuse (MTSIM_ERR_START_MISSED) rather than play out of line. */
  maxLateMs: number
  log?: (line: string) => void
}

/**
 * Waits for the wall-clock instant and resolves with it on the perf clock (the engine's plan time
 * 0), or with undefined when the signal aborts the wait (the engine then ends at once, interrupted).
 */
export async function waitForInstant(epochMs: number, o: WaitOptions): Promise<number | undefined> {
  const clock = o.clock ?? systemGateClock
  const target = epochMs - wallOffset(clock)
  const late = clock.perf() - target
  if (late > o.maxLateMs) throw new MtsimError('MTSIM_ERR_START_MISSED', [new Date(epochMs).toISOString(), formatDuration(late)])
  const at = new Date(epochMs).toISOString()
  if (late <= 0) o.log?.(`start: waiting ${formatDuration(-late)} for the shared start ${at}`)
  else o.log?.(`start: ${formatDuration(late)} after the shared start ${at}: sends already due go out now and count as late`)
  for (;;) {
    if (o.signal?.aborted) return undefined
    const left = target - clock.perf()
    if (left <= 0) return target
    // Sleep in slices of at most a second so an abort is seen without a listener per wait.
    if (left > POLL_LAST_MS) await clock.sleep(Math.min(1000, left - POLL_LAST_MS))
    else await clock.turn()
  }
}
