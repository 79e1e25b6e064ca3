// The one way a test waits: for a condition to hold (an event happened, a count was reached),
// checked every few ms and given up after a generous bound, so a loaded machine only makes the
// test slower, never wrong. Never a sleep plus a margin.

/** Resolves as soon as `check()` is true; rejects after `timeoutMs` naming `what` it waited for. */
export async function waitFor(check: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/**
 * A log function for runScenario({ controlPort: 0, log }): once the run prints its control API,
 * polls `operator`'s stats there and aborts the run as soon as `ready(stats)` holds (bounded: 60 s,
 * then it aborts anyway). An event seen in the simulator's own counters, never a time.
 */
export function abortOnStats<S>(operator: string, ready: (stats: S) => boolean, controller: AbortController): (line: string) => void {
  return (line) => {
    const m = /^control API: (\S+)/.exec(line)
    if (!m) return
    const url = `${m[1]!}/operators/${operator}/stats`
    void (async () => {
      const end = Date.now() + 60_000
      while (Date.now() < end && !controller.signal.aborted) {
        if (ready((await (await fetch(url)).json()) as S)) break
        await new Promise((r) => setTimeout(r, 20))
      }
      controller.abort()
    })()
  }
}
