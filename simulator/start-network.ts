// Starts every operator of a network on its port (0 = any free port) with one shared scheduler,
// and returns the NetworkHandle the CLI, control API and load generator use.
import type { NetworkConfig } from './network.js'
import { Operator } from './operator.js'
import { Scheduler, systemClock, type Clock } from './scheduler.js'
import type { ActiveFault, NetworkHandle, SubmitObserver } from './types.js'
import { startClusterNetwork } from './cluster/cluster-network.js'
import { bug } from '../lib/errors.js'

export interface StartOptions {
  /** Told about each accepted whole message (in-process runs). */
  observer?: SubmitObserver
  /** Monotonic ms; performance.now() by default. Fault times are relative to its value at start. */
  clock?: Clock
  /**
   * The scheduler to run on (tests: `new Scheduler(fakeClock, false)`, stepped with runDue(), so
   * timeouts, faults and latencies happen when the test says). Its clock replaces `clock`.
   */
  scheduler?: Scheduler
  /** 'manual': timelines wait for NetworkHandle.startTimeline() (mtsim run starts them with the load). */
  timeline?: 'at-start' | 'manual'
  /** Above 1: operators spread over this many worker threads (at most one per operator); see cluster/cluster-network.ts. */
  workers?: number
}

export async function startNetwork(config: NetworkConfig, opts: StartOptions = {}): Promise<NetworkHandle> {
  if ((opts.workers ?? 1) > 1) {
    if (opts.clock || opts.scheduler) bug('startNetwork: workers run on their own clocks; a custom clock or scheduler needs workers: 1')
    return startClusterNetwork(config, { workers: opts.workers!, observer: opts.observer, timeline: opts.timeline })
  }
  const scheduler = opts.scheduler ?? new Scheduler(opts.clock ?? systemClock)
  const clock = scheduler.clock
  const startedAt = clock()
  const history: ActiveFault[] = []
  const moIds = { next: 0 }
  const operators = config.operators.map(
    (op) => new Operator(op, { seed: config.seed, scheduler, startedAt, observer: opts.observer, history, manualTimeline: opts.timeline === 'manual', moIds }),
  )
  try {
    for (const op of operators) await op.listen()
  } catch (err) {
    scheduler.stop()
    await Promise.all(operators.map((op) => op.close()))
    throw err
  }
  const byId = new Map(operators.map((op) => [op.config.id, op]))
  let closing: Promise<void> | undefined
  return {
    config,
    operators,
    startedAt,
    operator: (id) => byId.get(id),
    faultHistory: () => [...history],
    startTimeline: () => {
      const now = clock()
      for (const op of operators) op.startTimeline(now)
    },
    stopMo: () => {
      for (const op of operators) op.stopMo()
    },
    close: () =>
      (closing ??= (async () => {
        scheduler.stop()
        await Promise.all(operators.map((op) => op.close()))
      })()),
  }
}

