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
