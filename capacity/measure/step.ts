// One step of a capacity search: the scenario's traffic mix at one offered rate. First an
// unmeasured warm-up at the same rate (fresh binds and a cold gateway run their first seconds
// slower), then the measured part, a real run through the session's network and gateway whose
// results.json is kept in the step's folder and judged by the scenario's thresholds. Each stream
// keeps its traffic and arrivals and gets its share of the rate (its share of the scenario's plan).
import { join } from 'node:path'
import { runLoad, type RunMeta } from '../../loadgen/engine/engine.js'
import { buildPlan } from '../../loadgen/plan/plan.js'
import type { ResultsFile } from '../../results/results-format.js'
import type { Scenario, StreamConfig } from '../../loadgen/scenario/scenario.js'
import { insufficientText } from '../../results/threshold-samples.js'
import { parseThresholds, type ThresholdDef } from '../../results/thresholds.js'
import type { OperatorUse, Session } from './session.js'

/** Judged when the scenario has no thresholds of its own: the rate was carried, nothing was lost. */
export const DEFAULT_THRESHOLDS = { dropped: ['count==0'], missing: ['count==0'], failed: ['count==0'] }

export interface StepResult {
  rate: number
  /** Passed every threshold. */
  ok: boolean
  /** Stopped from outside before it finished: not judged. */
  interrupted: boolean
  /** Failed only because a threshold had too few samples to judge ("receipt_latency p(99)<2000:
   *  insufficient data: 72 of 100 samples"): not a knee, the step was too short. Null otherwise. */
  insufficient: string | null
  results: ResultsFile
  use: Record<string, OperatorUse>
  dir: string
  /** Wall time of the step, warm-up and settling included (ms). */
  wallMs: number
}

/** Each stream's share of the scenario's plan (messages), to split an offered rate by. */
export function streamShares(s: Scenario): number[] {
  const plan = buildPlan(s)
  const total = plan.streams.reduce((a, x) => a + x.total, 0)
  return plan.streams.map((x) => (total > 0 ? x.total / total : 1 / plan.streams.length))
}

/** The scenario's mix at `rate` messages per second for `durationMs`. */
export function atRate(s: Scenario, shares: number[], rate: number, durationMs: number, thresholds: ThresholdDef[]): Scenario {
  const streams: StreamConfig[] = s.streams.flatMap((st, i) =>
    shares[i]! > 0
      ? [{ ...st, startMs: 0, messages: null, executor: { kind: 'constant-arrival-rate', rate: rate * shares[i]!, timeUnitMs: 1000, durationMs } }]
      : [],
  )
  return { ...s, streams, thresholds }
}

export function stepThresholds(s: Scenario): ThresholdDef[] {
  return s.thresholds.length ? s.thresholds : parseThresholds(DEFAULT_THRESHOLDS, 'mtsim capacity defaults', s.network.operators.map((o) => o.id))
}

export interface StepOptions {
  rate: number
  warmupMs: number
  stepMs: number
  dir: string
  signal?: AbortSignal
  /** Longest wait for the gateway's queue to empty before the step (ms). */
  settleMs: number
}

async function play(session: Session, s: Scenario, outDir: string, signal: AbortSignal | undefined, meta: RunMeta): Promise<ResultsFile> {
  const transport = session.transport()
  return runLoad({
    scenario: s,
    plan: buildPlan(s),
    transport,
    outDir,
    signal,
    progress: false,
    observerHook: (o) => (session.relay.target = o),
    meta,
    // A step's receipts are all it waits for: no minute of slack per step.
    drainSlackMs: 5000,
  })
}

export async function runStep(session: Session, shares: number[], o: StepOptions): Promise<StepResult> {
  const started = performance.now()
  const s = session.scenario
  const thresholds = stepThresholds(s)
  const meta: RunMeta = { scenarioFile: s.file, segment: null, scenario: { capacityStep: o.rate }, network: null, versions: session.kannel ? { kannel: '1.4.5 (Debian package)' } : {} }
  await session.settle(o.settleMs)
  if (o.warmupMs > 0 && !o.signal?.aborted) await play(session, atRate(s, shares, o.rate, o.warmupMs, []), join(o.dir, 'warmup'), o.signal, meta)
  await session.settle(o.settleMs)
  const watch = session.watch(o.stepMs)
  let results: ResultsFile
  try {
    results = await play(session, atRate(s, shares, o.rate, o.stepMs, thresholds), o.dir, o.signal, meta)
  } catch (err) {
    await watch.stop()
    throw err
  }
  const use = await watch.stop()
  const interrupted = results.meta.interrupted
  const failed = results.thresholds.filter((t) => !t.ok)
  const insufficient = !interrupted && failed.length > 0 && failed.every((t) => t.insufficient)
    ? failed.map((t) => `${t.metric} ${t.expression}: ${insufficientText(t.insufficient!)}`).join('; ')
    : null
  return { rate: o.rate, ok: !interrupted && failed.length === 0, interrupted, insufficient, results, use, dir: o.dir, wallMs: performance.now() - started }
}
