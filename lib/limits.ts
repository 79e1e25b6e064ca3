// The finite ranges mtsim accepts for durations and rates, in files, control-API bodies and
// command-line flags alike, and the one place that turns a long delay into something a Node
// timer can hold. Node's setTimeout holds at most 2^31-1 ms (~24.8 days): a longer delay fires
// after 1 ms instead (with a warning), which made a 30-day outage re-arm its timer every
// millisecond. Timers here are armed for at most that long and re-armed until the real due time.

/** The longest delay one setTimeout can hold. */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** The longest duration anywhere (stream lengths, fault windows, receipt delays, --duration): 365 days. */
export const MAX_DURATION_MS = 365 * 86_400_000

/**
 * The longest delay a distribution (submit latency, receipt delays, spikes) may give: 7 days, as
 * long as real SMSCs keep a message. Samples from long-tailed distributions are capped at it too,
 * so a receipt's due time stays within what the receipt wheel counts in (ms below 2^32).
 */
export const MAX_DELAY_MS = 7 * 86_400_000

/** The longest timeout or interval of a connection (response timeouts, enquire_link, reconnect delays): 1 day. */
export const MAX_TIMEOUT_MS = 86_400_000

/** The highest rate anywhere (msg/s: load streams, throttles, throttle_change faults). */
export const MAX_RATE = 10_000_000

/** The largest multiplier --rate-scale takes. */
export const MAX_RATE_SCALE = 1000

/** A delay a timer can hold: `ms` clamped to 0..MAX_TIMER_MS (callers re-arm when woken early). */
export function clampTimerMs(ms: number): number {
  return ms > MAX_TIMER_MS ? MAX_TIMER_MS : ms > 0 ? ms : 0
}

/** "365d" for whole days, else the plain number of ms: how range limits are written in messages. */
export function formatLimitMs(ms: number): string {
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

/**
 * Calls `fn` once `ms` have passed on the monotonic clock, however long that is (chained timers).
 * Returns a cancel function.
 */
export function afterMs(ms: number, fn: () => void, now: () => number = () => performance.now()): () => void {
  const due = now() + ms
  let timer: NodeJS.Timeout | undefined
  const step = (): void => {
    const left = due - now()
    if (left <= 0) return fn()
    // ceil: a timer can fire a fraction of a ms early against the clock; step() then re-arms.
    timer = setTimeout(step, clampTimerMs(Math.ceil(left)))
  }
  step()
  return () => clearTimeout(timer)
}
