// A share's side of the coordinator (server.ts): check in and wait at the barrier, send the
// results, or say why the share cannot run. The coordinator may not be up yet when a share starts
// (pods start in any order), so connection failures are retried for a bounded time; an answer
// that says no is final.
//
// The start comes on the coordinator's clock. Each poll measures the round trip, so the share
// moves the instant onto its own clock (as NTP does: offset = their time - our midpoint, from the
// sample with the shortest round trip); shares on nodes whose clocks disagree still start
// together, to about half a round trip. An offset within that error is taken as none.
import { readFileSync } from 'node:fs'
import { formatDuration } from '../../lib/duration.js'
import { MtsimError } from '../../lib/errors.js'
import type { Segment } from '../segment.js'
import type { CheckInAnswer } from './state.js'
import { preciseNow } from '../start-gate.js'

export interface ClientOptions {
  log?: (line: string) => void
  /** Between polls at the barrier, and the first retry delay after a connection failure. */
  pollMs?: number
  /** Most time to wait at the barrier (the coordinator's own check-in deadline is shorter). */
  waitLimitMs?: number
  /** Most time to keep retrying a delivery the coordinator cannot take yet. */
  deliverLimitMs?: number
}

/** Extra clock samples once the start is known. */
const CLOCK_SAMPLES = 5

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export class CoordinatorClient {
  private readonly base: string

  constructor(
    url: string,
    readonly share: Segment,
    private readonly o: ClientOptions = {},
  ) {
    this.base = url.replace(/\/+$/, '')
  }

  /**
   * Checks in and waits until every share has; resolves with the start as epoch ms on this
   * process's clock, or undefined if the signal aborted the wait.
   */
  async awaitStart(signal?: AbortSignal): Promise<number | undefined> {
    const limit = Date.now() + (this.o.waitLimitMs ?? 30 * 60_000)
    let said = ''
    // The clock sample with the shortest round trip says the most (NTP's rule): the fewer ms the
    // request spent in flight, the less room for asymmetry between its two halves.
    let best: { rtt: number; offset: number } | undefined
    const sample = async (): Promise<(CheckInAnswer & { now: number }) | undefined> => {
      const t0 = preciseNow()
      const answer = await this.call<CheckInAnswer & { now: number }>('POST', 'ready', '{}', limit, signal)
      const t1 = preciseNow()
      if (answer && (!best || t1 - t0 < best.rtt)) best = { rtt: t1 - t0, offset: answer.now - (t0 + t1) / 2 }
      return answer
    }
    while (!signal?.aborted) {
      const answer = await sample()
      if (!answer) return undefined
      if (answer.abort) throw new MtsimError('MTSIM_ERR_COORDINATOR', [this.base, answer.abort])
      if (answer.start !== null) {
        // A few more quick samples: the barrier's lead leaves time for them.
        for (let i = 0; i < CLOCK_SAMPLES && !signal?.aborted; i++) await sample()
        const { rtt, offset } = best!
        const ahead = `${offset < 0 ? '-' : '+'}${formatDuration(Math.abs(offset))}`
        // Within half a round trip the clocks agree as far as can be told (synced nodes): trust them.
        const apply = Math.abs(offset) > rtt / 2
        this.o.log?.(
          `start: every share checked in; the coordinator's clock is ${ahead} from this one (best round trip ${formatDuration(rtt)}; ` +
            `${apply ? 'the start is moved onto this clock' : 'within measuring error, the clocks are taken as agreeing'})`,
        )
        return apply ? answer.start - offset : answer.start
      }
      const line = `start: checked in as share ${this.share.index} of ${this.share.count}; waiting for share${answer.waiting.length === 1 ? '' : 's'} ${answer.waiting.join(', ')}`
      if (line !== said) this.o.log?.((said = line))
      if (Date.now() > limit) throw new MtsimError('MTSIM_ERR_COORDINATOR', [this.base, `the other shares did not all check in within ${formatDuration(this.o.waitLimitMs ?? 30 * 60_000)}`])
      await sleep(this.o.pollMs ?? 250)
    }
    return undefined
  }

  /**
   * For a process that is not a share but keeps time with the run (the network's fault timeline):
   * polls /status until the start is known; epoch ms on this clock, or undefined on abort.
   */
  static async watchStart(url: string, o: ClientOptions & { signal?: AbortSignal } = {}): Promise<number | undefined> {
    const base = url.replace(/\/+$/, '')
    const limit = Date.now() + (o.waitLimitMs ?? 60 * 60_000)
    while (!o.signal?.aborted) {
      const t0 = preciseNow()
      let status: { startMs: number | null; now: number; outcome: { kind: string; problems?: string[] } | null } | undefined
      try {
        const res = await fetch(`${base}/status`, { signal: AbortSignal.timeout(10_000) })
        if (res.ok) status = (await res.json()) as typeof status
      } catch {
        // not up yet: try again below
      }
      const t1 = preciseNow()
      if (status?.outcome?.kind === 'failed') throw new MtsimError('MTSIM_ERR_COORDINATOR', [base, `the run was called off: ${status.outcome.problems?.join('; ')}`])
      if (status && status.startMs !== null) {
        const offset = status.now - (t0 + t1) / 2
        return Math.abs(offset) > (t1 - t0) / 2 ? status.startMs - offset : status.startMs
      }
      if (Date.now() > limit) throw new MtsimError('MTSIM_ERR_COORDINATOR', [base, 'no start within the wait limit'])
      await sleep(o.pollMs ?? 250)
    }
    return undefined
  }

  /**
   * Says "alive" every `everyMs` until stopped, so the coordinator knows a silent share died;
   * `onAbort` is told once if the coordinator answers that the run was called off.
   */
  heartbeat(everyMs: number, onAbort: (why: string) => void): () => void {
    let stopped = false
    let told = false
    const beat = async () => {
      try {
        const res = await fetch(`${this.base}/shares/${this.share.index}/alive`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(everyMs) })
        const answer = (await res.json()) as { abort?: string | null }
        if (answer.abort && !told && !stopped) (told = true), onAbort(answer.abort)
      } catch {
        // a missed beat: the next one may get through; the coordinator allows for several
      }
    }
    const timer = setInterval(() => void beat(), everyMs)
    // Never what keeps a finished share's process alive.
    timer.unref()
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }

  /** Sends the results file; firstSendMs: how long after the shared start the first send went out. */
  async deliver(resultsFile: string, firstSendMs: number | null): Promise<void> {
    const body = readFileSync(resultsFile, 'utf8')
    const query = firstSendMs === null ? '' : `?first_send_ms=${firstSendMs.toFixed(3)}`
    await this.call('PUT', `results${query}`, body, Date.now() + (this.o.deliverLimitMs ?? 2 * 60_000))
  }

  /** Best effort: tell the coordinator this share cannot run, so it calls the run off now rather than at a deadline. */
  async fail(message: string): Promise<void> {
    try {
      await this.call('POST', 'failed', JSON.stringify({ message }), Date.now() + 10_000)
    } catch (err) {
      this.o.log?.(`coordinator: could not report the failure (${(err as Error).message})`)
    }
  }

  /** One request, retried while the coordinator cannot be reached; a refusal is an error at once. */
  private async call<T>(method: string, path: string, body: string, limit: number, signal?: AbortSignal): Promise<T | undefined> {
    const url = `${this.base}/shares/${this.share.index}/${path}`
    let delay = this.o.pollMs ?? 250
    for (;;) {
      if (signal?.aborted) return undefined
      let res: Response
      try {
        res = await fetch(url, { method, body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(30_000) })
      } catch (err) {
        const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message
        if (Date.now() > limit) throw new MtsimError('MTSIM_ERR_COORDINATOR', [this.base, `cannot be reached (${why})`])
        await sleep(delay)
        delay = Math.min(delay * 2, 2000)
        continue
      }
      const text = await res.text()
      if (!res.ok) {
        let error = text
        try {
          error = (JSON.parse(text) as { error?: string }).error ?? text
        } catch {
          // not JSON: keep the text
        }
        throw new MtsimError('MTSIM_ERR_COORDINATOR', [this.base, `${method} ${url} answered ${res.status}: ${error}`])
      }
      return (text ? JSON.parse(text) : undefined) as T
    }
  }
}
