// One operator's behaviour as the model needs it, from its network definition: latency bins
// (submit_sm -> submit_sm_resp), the bins of latency + receipt delay for receipts that come within
// the scenario's receipt wait, the chance a receipt is missing, the failure and outcome mix, the
// throttle, and the fault timeline (latency spikes and throttle changes swap these for a while).
// Every distribution is sampled with the network's DelaySampler and a generator derived from the
// scenario seed, so the same files and seed give the same model.
import { Rng } from '../../lib/rng.js'
import type { Scenario } from '../../loadgen/scenario/scenario.js'
import { statusName } from '../../smpp/constants.js'
import { DelaySampler } from '../../simulator/delay.js'
import type { Delay, OperatorConfig, ReceiptStatName } from '../../simulator/network.js'
import { binsFromSamples, fixedBins, SAMPLES, sampleBins, shareAbove, type Bins } from './bins.js'

/** Final outcomes, in the results' order (loadgen/measure/run-metrics.ts FINAL_KEYS plus missing). */
export const OUTCOMES = ['delivered', 'undelivered', 'expired', 'rejected_by_operator', 'other_final', 'missing'] as const
export type OutcomeKey = (typeof OUTCOMES)[number]

export function outcomeOf(stat: ReceiptStatName): OutcomeKey {
  switch (stat) {
    case 'DELIVRD':
      return 'delivered'
    case 'UNDELIV':
      return 'undelivered'
    case 'EXPIRED':
      return 'expired'
    case 'REJECTD':
      return 'rejected_by_operator'
    default:
      return 'other_final'
  }
}

/** Latency bins for messages of one segment count. */
export interface SegmentBins {
  /** submit_sm -> the last segment's submit_sm_resp (the loadgen answers a message when all its segments are). */
  latency: Bins
  /** submit_sm -> the message's final receipt, for receipts within the receipt wait. */
  receipt: Bins
}

/**
 * What the operator's latency is while a spike (or nothing) is active. A k-segment message's
 * segments go out together: its answer is the slowest of k latencies, its final receipt the
 * latest of k (latency + delay) with per-segment receipts, or the slowest latency + one delay with
 * per-message receipts. Bins per k are made when first needed.
 */
export class LatencyPhase {
  private readonly byK = new Map<number, SegmentBins>()

  constructor(
    private readonly latencyDelay: Delay | undefined,
    private readonly receiptDelay: Delay,
    private readonly waitMs: number,
    private readonly perSegment: boolean,
    private readonly seed: number | string,
    private readonly label: string,
  ) {}

  get latency(): Bins {
    return this.segments(1).latency
  }

  get receipt(): Bins {
    return this.segments(1).receipt
  }

  segments(k: number): SegmentBins {
    let b = this.byK.get(k)
    if (!b) this.byK.set(k, (b = this.make(k)))
    return b
  }

  private make(k: number): SegmentBins {
    const tag = `model/${this.label}/${k}`
    const lat = drawer(this.latencyDelay, Rng.derive(this.seed, `${tag}/latency`))
    const maxOf = (draw: () => number) => () => {
      let m = 0
      for (let i = 0; i < k; i++) m = Math.max(m, draw())
      return m
    }
    const latency = this.latencyDelay ? sampleBins(maxOf(lat)) : fixedBins(0)
    const l2 = drawer(this.latencyDelay, Rng.derive(this.seed, `${tag}/receipt-latency`))
    const d2 = drawer(this.receiptDelay, Rng.derive(this.seed, `${tag}/receipt-delay`))
    // Keep the draws whose receipts all come within the wait (the others are missing).
    const kept = new Float64Array(SAMPLES)
    let n = 0
    for (let tries = 0; n < SAMPLES && tries < 10 * SAMPLES; tries++) {
      let v = 0
      let inTime = true
      if (this.perSegment) {
        for (let i = 0; i < k; i++) {
          const d = d2()
          if (d > this.waitMs) inTime = false
          v = Math.max(v, l2() + d)
        }
      } else {
        let l = 0
        for (let i = 0; i < k; i++) l = Math.max(l, l2())
        const d = d2()
        inTime = d <= this.waitMs
        v = l + d
      }
      if (inTime) kept[n++] = v
    }
    const receipt = n ? binsFromSamples(kept.subarray(0, n)) : fixedBins(this.waitMs)
    return { latency, receipt }
  }
}

export interface FaultWindowModel {
  kind: 'outage' | 'black_hole' | 'latency_spike' | 'throttle_change' | 'receipt_backlog'
  start: number
  end: number
  phase?: LatencyPhase
  rate?: number
}

export interface OperatorModel {
  id: string
  index: number
  config: OperatorConfig
  normal: LatencyPhase
  /** A segment's receipt that never comes within the wait: lost, or later than receipts.wait. */
  missingShare: number
  /** One receipt per multipart message (receipts.multipart per_message) instead of one per segment. */
  perSegment: boolean
  /** Final outcomes (OUTCOMES order, missing excluded) by share of the receipts that come. */
  outcomeShares: Float64Array
  /** Receipt stat name for each outcome key (the first stat the operator uses for it). */
  outcomeStats: string[]
  /** Statuses the operator answers instead of ESME_ROK, with their shares of the submits that get that far. */
  failures: { name: string; share: number }[]
  disconnectShare: number
  noResponseShare: number
  throttle: { rate: number; perBind: boolean; burst: number; countSegments: boolean; status: string } | null
  excessStatus: string
  faults: FaultWindowModel[]
}

function drawer(delay: Delay | undefined, rng: Rng): () => number {
  if (!delay) return () => 0
  const s = new DelaySampler(delay)
  return () => s.sample(rng)
}

export function operatorModel(s: Scenario, op: OperatorConfig, index: number): OperatorModel {
  const seed = s.seed
  const waitMs = s.receipts.waitMs
  const r = op.receipts
  const late = shareAbove(drawer(r.delay, Rng.derive(seed, `model/${op.id}/late`)), waitMs)
  const missingShare = r.lossRate + (1 - r.lossRate) * late
  const weight = r.outcomes.reduce((a, o) => a + o.weight, 0)
  const outcomeShares = new Float64Array(OUTCOMES.length - 1)
  const outcomeStats: string[] = ['DELIVRD', 'UNDELIV', 'EXPIRED', 'REJECTD', 'UNKNOWN']
  const seen = new Set<string>()
  for (const o of r.outcomes) {
    const k = OUTCOMES.indexOf(outcomeOf(o.stat))
    outcomeShares[k] += weight > 0 ? o.weight / weight : 0
    if (!seen.has(OUTCOMES[k]!)) outcomeStats[k] = o.stat
    seen.add(OUTCOMES[k]!)
  }
  const t = op.throttle
  const perSegment = r.multipart === 'per_segment'
  const faults: FaultWindowModel[] = op.timeline.map((f, j) => {
    const w: FaultWindowModel = { kind: f.kind, start: f.at, end: f.at + f.duration }
    if (f.kind === 'latency_spike') w.phase = new LatencyPhase(f.latency, r.delay, waitMs, perSegment, seed, `${op.id}/fault${j}`)
    if (f.kind === 'throttle_change') w.rate = f.rate
    return w
  })
  return {
    id: op.id,
    index,
    config: op,
    normal: new LatencyPhase(op.latency, r.delay, waitMs, perSegment, seed, op.id),
    missingShare,
    perSegment,
    outcomeShares,
    outcomeStats,
    failures: op.failures.statuses.filter((f) => f.rate > 0).map((f) => ({ name: statusName(f.status), share: f.rate })),
    disconnectShare: op.failures.disconnectRate,
    noResponseShare: op.failures.noResponseRate,
    throttle: t ? { rate: t.rate, perBind: t.per === 'bind', burst: t.burst, countSegments: t.countSegments, status: statusName(t.status) } : null,
    excessStatus: statusName(op.window.excessStatus),
    faults,
  }
}
