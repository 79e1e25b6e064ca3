// A network serving a split run from elsewhere (`mtsim simulate --start-at ... | --coordinator`)
// starts its operators' fault timelines at the run's shared start, so "an outage at 10s" is 10 s
// into the load, as in a run with the network in-process, not 10 s after the network's pod began.
import { formatDuration } from '../lib/duration.js'
import { MtsimError } from '../lib/errors.js'
import { CoordinatorClient } from './coordinator/client.js'
import { parseStartAt, waitForInstant } from './start-gate.js'

export interface TimelineStartOptions {
  /** --start-at: an ISO time, +D, or "barrier" (the coordinator's). */
  startAt?: string
  /** --coordinator: whose start to follow. */
  coordinator?: string
  signal?: AbortSignal
  write: (text: string) => void
}

/** Whether the timelines wait for a shared start (the network is then started with timeline: 'manual'). */
export function timelineWaits(o: Pick<TimelineStartOptions, 'startAt' | 'coordinator'>): boolean {
  const spec = o.startAt === undefined ? undefined : parseStartAt(o.startAt)
  if (spec?.kind === 'barrier' && o.coordinator === undefined) throw new MtsimError('MTSIM_ERR_OPTIONS_CONFLICT', ['--start-at barrier: the barrier is kept by a coordinator; give its URL with --coordinator'])
  if (spec?.kind === 'instant' && o.coordinator !== undefined) throw new MtsimError('MTSIM_ERR_OPTIONS_CONFLICT', ['--start-at with --coordinator: the coordinator hands out the start; give one or the other'])
  return spec !== undefined || o.coordinator !== undefined
}

/** Waits for the shared start, then calls start(); a failure is reported, not thrown (the network keeps serving). */
export async function startTimelineAtSharedStart(start: () => void, o: TimelineStartOptions): Promise<void> {
  try {
    const spec = o.startAt === undefined ? { kind: 'barrier' as const } : parseStartAt(o.startAt)
    const epochMs = spec.kind === 'instant' ? spec.epochMs : await CoordinatorClient.watchStart(o.coordinator!, { signal: o.signal })
    if (epochMs === undefined) return
    // Late is still better than never for a fault timeline: no refusal here, just the fact.
    const at = await waitForInstant(epochMs, { signal: o.signal, maxLateMs: Infinity })
    if (at === undefined) return
    start()
    const late = performance.now() - at
    o.write(`timeline: fault timelines started at the shared start ${new Date(epochMs).toISOString()}${late > 1 ? ` (${formatDuration(late)} late)` : ''}\n`)
  } catch (err) {
    o.write(`timeline: not started: ${err instanceof MtsimError ? err.format() : (err as Error).message}\n`)
  }
}
