// One share of a split run, as `mtsim run` sees it: when to start (`--start-at` an instant, or the
// coordinator's barrier), how close to its plan the first send went out, and what to tell the
// coordinator at the end: the results file, or why this share could not run, so the run is called
// off at once with this share named instead of waiting for a deadline.
import { formatDuration } from '../lib/duration.js'
import { MtsimError } from '../lib/errors.js'
import { CoordinatorClient } from './coordinator/client.js'
import type { Segment } from './segment.js'
import { parseStartAt, waitForInstant, type StartSpec } from './start-gate.js'

export interface ShareOptions {
  /** --start-at: an ISO time, +D, or "barrier". */
  startAt?: string
  /** --coordinator: the coordinator's URL (barrier and results). */
  coordinator?: string
  segment?: Segment
  log: (line: string) => void
  /** Told when the coordinator calls the run off while this share plays (stop sending, write what there is). */
  onCalledOff?: (why: string) => void
  /** Between heartbeats (default HEARTBEAT_MS). */
  heartbeatMs?: number
}

/** Heartbeats to the coordinator while the share plays; it allows for several missed ones (mtsim coordinate --silence). */
export const HEARTBEAT_MS = 5000

export class ShareSession {
  private start: StartSpec | undefined
  private client: CoordinatorClient | undefined
  private planZero: number | undefined
  private stopBeat: (() => void) | undefined
  private calledOff = false
  /** The first send's lateness against its plan time, ms (null until it went out). */
  firstSendLateMs: number | null = null

  private constructor(private readonly o: ShareOptions) {}

  /** undefined when the run is on its own (no --start-at, no --coordinator). */
  static from(o: ShareOptions): ShareSession | undefined {
    if (o.startAt === undefined && o.coordinator === undefined) return undefined
    const s = new ShareSession(o)
    const conflict = (what: string) => new MtsimError('MTSIM_ERR_OPTIONS_CONFLICT', [what])
    s.start = o.startAt === undefined ? { kind: 'barrier' } : parseStartAt(o.startAt)
    if (o.coordinator !== undefined) {
      if (!/^https?:\/\/[^/]/.test(o.coordinator)) throw new MtsimError('MTSIM_ERR_OPTION', ['--coordinator', 'a URL like http://mtsim-coordinator:8080', JSON.stringify(o.coordinator)])
      if (!o.segment) throw conflict('--coordinator: a coordinator gathers the shares of a split run; give this run its share with --segment i/n (or auto/n)')
      if (s.start.kind === 'instant') throw conflict('--start-at with --coordinator: the coordinator hands out the start at its barrier; give one or the other')
      s.client = new CoordinatorClient(o.coordinator, o.segment, { log: o.log })
    } else if (s.start.kind === 'barrier') {
      throw conflict('--start-at barrier: the barrier is kept by a coordinator; give its URL with --coordinator')
    }
    return s
  }

  /**
   * For RunOptions.startGate: resolves with plan time 0 on the perf clock once the shared start
   * comes. A start missed by more than maxLateMs (the scenario's scheduling.max_lag) is refused.
   */
  gate(maxLateMs: number, signal?: AbortSignal): () => Promise<number | undefined> {
    return async () => {
      const start = this.start!
      const epochMs = start.kind === 'instant' ? start.epochMs : await this.client!.awaitStart(signal)
      if (epochMs === undefined) return undefined
      this.stopBeat = this.client?.heartbeat(this.o.heartbeatMs ?? HEARTBEAT_MS, (why) => {
        this.o.log(`coordinator: ${why}; stopping this share`)
        this.calledOff = true
        this.o.onCalledOff?.(why)
      })
      this.planZero = await waitForInstant(epochMs, { signal, maxLateMs, log: this.o.log })
      return this.planZero
    }
  }

  /** True when a coordinator judges the whole run (this share's own thresholds are not the verdict). */
  get coordinated(): boolean {
    return this.client !== undefined
  }

  /** For RunOptions.onFirstSend. */
  readonly firstSend = (now: number, intended: number): void => {
    this.firstSendLateMs = now - intended
    const plan = this.planZero === undefined ? '' : ` (plan time ${formatDuration(intended - this.planZero)} after the shared start)`
    this.o.log(`start: first send went out ${formatDuration(this.firstSendLateMs)} after its plan time${plan}`)
  }

  /** The run wrote its results: hand them to the coordinator, if there is one. */
  async finished(resultsFile: string): Promise<void> {
    this.stopBeat?.()
    if (!this.client) return
    // The run has no verdict any more: the results stay here, nothing waits for them.
    if (this.calledOff) return this.o.log(`coordinator: the run was called off; results of this share kept in ${resultsFile} only`)
    await this.client.deliver(resultsFile, this.firstSendLateMs)
    this.o.log(`coordinator: results of share ${this.o.segment!.index} of ${this.o.segment!.count} delivered`)
  }

  /** The run failed: tell the coordinator (best effort), so the whole run is called off now. */
  async failed(err: unknown): Promise<void> {
    this.stopBeat?.()
    if (!this.client) return
    const message = err instanceof MtsimError ? `${err.code}: ${err.message}` : `internal error: ${(err as Error)?.message ?? String(err)}`
    await this.client.fail(message)
  }
}
