// `mtsim model`: a whole scenario without sockets, interval by interval. Each operator's link
// (capacity/model/link.ts) moves through the interval, then its recorder (recorder.ts) writes the
// interval into the books, the histograms and the time series, exactly as a run's would be. The run
// ends when the plan is over, every queue is empty and every expected receipt has come (or been
// declared missing), or at the drain limit.
//
// Memory does not grow with the message count: a link's state is its queue (a few hundred merged
// entries however long the backlog), the recorders hold histograms and counters, and the time
// series goes to timeseries.ndjson as it is made.
//
// API: runModel(scenario, opts) -> ModelRun (results in the results.json format, plus the per-operator
// series and link figures that capacity/model/analysis.ts turns into the planner's answers).
import { join } from 'node:path'
import { createHistogram, encodeHistogram } from '../../lib/hdr.js'
import type { Scenario } from '../../loadgen/scenario/scenario.js'
import type { TimePoint } from '../../results/results-format.js'
import { TimeseriesLog } from '../../results/timeseries-file.js'
import { MtsimError } from '../../lib/errors.js'
import { StreamArrivals } from './arrivals.js'
import { Link, type LinkStream } from './link.js'
import { linkSettings, type LinkSettings } from './links.js'
import { operatorModel, type OperatorModel } from './operator-model.js'
import { ThrottleLoss } from './poisson-throttle.js'
import { OperatorRecorder, type OperatorPoint } from './recorder.js'
import { addHistogram } from './hdr-count.js'
import { MAX_SEGMENTS, trafficMix } from './traffic-mix.js'

export interface ModelOptions {
  outDir: string
  rateScale?: number
  durationCapMs?: number
  intervalMs?: number
  stepMs?: number
  /** After the plan ends, how long queues may take to drain before the model stops (default 24 h). */
  maxDrainMs?: number
  /** Link settings replacing the scenario's (sizing checks its advice this way). */
  links?: Record<string, Partial<LinkSettings>>
  signal?: AbortSignal
  /** Called after each interval with the modelled time so far (ms) and the plan's length. */
  onProgress?: (modelledMs: number, planMs: number) => void
  /** Keep the time series in memory too (default true; the bench turns it off). */
  keepTimeseries?: boolean
}

/** One operator's series over the run, one value per interval (columns of OperatorPoint). */
export type OperatorSeries = { [K in keyof OperatorPoint]: (OperatorPoint[K])[] }

export interface LinkFigures {
  id: string
  settings: LinkSettings
  segments: number
  /** Messages per second each limit allows (Infinity: no such limit). */
  windowRate: number
  throttleRate: number
  pacingRate: number
  /** The throttle is per bind (more binds, more throughput). */
  throttlePerBind: boolean
  /** Mean time a submit holds a window slot, ms. */
  holdMs: number
  latencyP50: number
  latencyP99: number
  peakQueued: number
  peakQueuedAt: number
  /** When the queue first emptied after its peak (ms), -1 if it never did. */
  drainedAt: number
}

export interface ModelRun {
  scenario: Scenario
  intervalMs: number
  stepMs: number
  planMs: number
  durationMs: number
  /** Stopped early (Ctrl-C) or at the drain limit with messages still waiting. */
  interrupted: boolean
  unfinished: number
  recorders: OperatorRecorder[]
  operators: OperatorModel[]
  links: LinkFigures[]
  series: OperatorSeries[]
  /** Interval start times (ms). */
  t: number[]
  timeseries: TimePoint[]
  timeseriesPath: string
  /** Offered messages no operator serves (failed NO_ROUTE / refused as not routable). */
  unrouted: number
  elapsedMs: number
}

const HOUR_MS = 3_600_000
const DEFAULT_MAX_DRAIN_MS = 24 * HOUR_MS

function emptySeries(): OperatorSeries {
  return {
    offered: [], sent: [], carried: [], accepted: [], rejected: [], failed: [], dropped: [], late: [], throttled: [], queued: [],
    inFlight: [], receipts: [], awaiting: [], maxWaitMs: [], submitP50: [], submitP99: [], receiptP50: [], receiptP99: [],
  }
}

export function runModel(scenario: Scenario, opts: ModelOptions): ModelRun {
  const started = performance.now()
  const stepMs = opts.stepMs ?? scenario.model?.stepMs ?? 1
  if (!(stepMs > 0)) throw new MtsimError('MTSIM_ERR_MODEL', [`the step must be longer than 0 (found ${stepMs} ms)`])
  // The plan's streams, in plan order (seqs are plan-wide).
  let firstSeq = 0
  const streams = scenario.streams.map((stream) => {
    const arrivals = StreamArrivals.of(stream, { rateScale: opts.rateScale, durationCapMs: opts.durationCapMs })
    const s = { stream, arrivals, total: arrivals.total, firstSeq }
    firstSeq += arrivals.total
    return s
  })
  const planMs = streams.reduce((m, s) => Math.max(m, s.total > 0 ? s.arrivals.endMs : 0), 0)
  const intervalMs = opts.intervalMs ?? scenario.model?.intervalMs ?? (planMs <= HOUR_MS ? 1000 : 60_000)
  if (!(intervalMs >= stepMs) || Math.abs(intervalMs / stepMs - Math.round(intervalMs / stepMs)) > 1e-9) {
    throw new MtsimError('MTSIM_ERR_MODEL', [`the interval (--interval or model.interval) must be a whole number of steps of ${stepMs} ms (found ${intervalMs} ms)`])
  }
  const mix = trafficMix(scenario, streams)
  const ops = scenario.network.operators
  const n = ops.length
  const operators = ops.map((op, i) => operatorModel(scenario, op, i))
  const links: Link[] = []
  const recorders: OperatorRecorder[] = []
  ops.forEach((op, i) => {
    const settings = { ...linkSettings(scenario, op), ...(opts.links?.[op.id] ?? {}) }
    const ls: LinkStream[] = []
    let segWeight = 0
    let segSum = 0
    const segShares = new Float64Array(MAX_SEGMENTS)
    streams.forEach((s, k) => {
      const m = mix[k]!
      const share = m.shares[i]!
      if (!(share > 0) || s.total === 0) return
      let lo = 0
      for (let j = 0; j < i; j++) lo += m.shares[j]!
      ls.push({ arrivals: s.arrivals.clone(), lo, hi: lo + share })
      segWeight += share * s.total
      segSum += share * s.total * m.segments[i]!
      m.segmentShares[i]!.forEach((x, k) => (segShares[k] += x * share * s.total))
    })
    const segments = segWeight > 0 ? segSum / segWeight : 1
    const model = operators[i]!
    const t = model.throttle
    const anyPoisson = ls.some((x) => x.arrivals.poisson)
    const loss = t && anyPoisson ? new ThrottleLoss(t.rate / 1000, t.burst, t.countSegments ? segments : 1, `${scenario.seed}/${op.id}`) : null
    const link = new Link(model, settings, ls, segments, stepMs, scenario.scheduling.lateAfterMs, loss)
    links.push(link)
    let senderRefused = 0
    streams.forEach((s, k) => {
      if (segWeight > 0) senderRefused += (mix[k]!.shares[i]! * s.total * mix[k]!.senderRefused[i]!) / segWeight
    })
    const phases = [model.normal, ...model.faults.flatMap((f) => (f.phase ? [f.phase] : []))]
    const longest = segShares.reduce((m, x, k) => (x > 0 ? k + 1 : m), 1)
    const top = (b: { value: Float64Array }) => b.value[b.value.length - 1]!
    const maxReceiptMs =
      Math.max(...phases.map((p) => Math.max(top(p.segments(longest).receipt), top(p.segments(longest).latency)))) +
      Math.max(settings.responseTimeoutMs, settings.retryAfterMs)
    recorders.push(new OperatorRecorder(link, model, senderRefused, segShares, scenario.gateway.kind, intervalMs, scenario.receipts.waitMs, maxReceiptMs))
  })
  // Messages for numbers no operator serves.
  const unroutedStreams = streams.flatMap((s, k) => {
    const share = mix[k]!.shares[n]!
    if (!(share > 0)) return []
    let lo = 0
    for (let j = 0; j < n; j++) lo += mix[k]!.shares[j]!
    return [{ arrivals: s.arrivals.clone(), lo, hi: lo + share }]
  })
  let unrouted = 0
  const unroutedBefore = (t: number) => unroutedStreams.reduce((a, s) => {
    const all = s.arrivals.before(t)
    return a + Math.round(all * s.hi) - Math.round(all * s.lo)
  }, 0)

  const series = ops.map(() => emptySeries())
  const times: number[] = []
  const log = new TimeseriesLog(join(opts.outDir, 'timeseries.ndjson'), opts.keepTimeseries ?? true)
  const ivSubmit = createHistogram()
  const ivReceipt = createHistogram()
  const maxDrain = opts.maxDrainMs ?? DEFAULT_MAX_DRAIN_MS
  let interrupted = false
  let iv = 0
  let durationMs = 0
  for (;;) {
    const t0 = iv * intervalMs
    const t1 = t0 + intervalMs
    for (const link of links) link.advance(t0, t1)
    const planOver = t1 >= planMs
    const queuesEmpty = links.every((l) => l.queued === 0)
    const stop = opts.signal?.aborted === true || (planOver && t1 - planMs >= maxDrain)
    const points = recorders.map((r) => r.flush(iv))
    const done = planOver && queuesEmpty && recorders.every((r) => !r.receiptsDue)
    if (done || stop) recorders.forEach((r, i) => r.finish(points[i]!))
    const nowUnrouted = unroutedBefore(t1) - unrouted
    unrouted += nowUnrouted
    const point: TimePoint = {
      t: t0, planned: nowUnrouted, sent: nowUnrouted, accepted: 0, rejected: 0, failed: 0, dropped: 0, late: 0, receipts: 0,
      inFlight: 0, awaitingReceipt: 0, errors: {}, submit: '', receipt: '', operators: {},
    }
    if (nowUnrouted > 0) {
      const direct = scenario.gateway.kind === 'direct'
      if (direct) point.failed += nowUnrouted
      else point.rejected += nowUnrouted
      point.errors[direct ? 'NO_ROUTE' : 'KANNEL_NOT_ROUTABLE'] = nowUnrouted
    }
    recorders.forEach((r, i) => {
      const p = points[i]!
      const s = series[i]!
      for (const k of Object.keys(s) as (keyof OperatorPoint)[]) (s[k] as (number | null)[]).push(p[k])
      point.planned += p.offered
      point.sent += p.sent
      point.accepted += p.accepted
      point.rejected += p.rejected
      point.failed += p.failed
      point.dropped += scenario.gateway.kind === 'direct' ? p.dropped : 0
      point.late += p.late
      point.receipts += p.receipts
      point.inFlight += p.inFlight
      point.awaitingReceipt += p.awaiting
      for (const [name, c] of Object.entries(r.ivErrors)) point.errors[name] = (point.errors[name] ?? 0) + c
      point.operators![ops[i]!.id] = { sent: p.sent, accepted: p.accepted, rejected: p.rejected, failed: p.failed, receipts: p.receipts }
      addHistogram(ivSubmit, r.ivSubmit)
      addHistogram(ivReceipt, r.ivReceipt)
      r.endInterval()
    })
    point.submit = encodeHistogram(ivSubmit)
    point.receipt = encodeHistogram(ivReceipt)
    ivSubmit.reset()
    ivReceipt.reset()
    log.append(point)
    times.push(t0)
    durationMs = t1
    opts.onProgress?.(t1, planMs)
    iv++
    if (done) break
    if (stop) {
      interrupted = opts.signal?.aborted === true
      break
    }
  }
  log.close()
  const unfinished = links.reduce((a, l) => a + l.queued, 0)
  return {
    scenario, intervalMs, stepMs, planMs, durationMs, interrupted, unfinished, recorders, operators,
    links: links.map((l) => ({
      id: l.op.id, settings: l.settings, segments: l.segments, windowRate: l.windowRate, throttleRate: l.throttleRate,
      pacingRate: l.pacingRate, throttlePerBind: l.op.throttle?.perBind ?? false, holdMs: l.hold(l.op.normal), latencyP50: quantile(l.op.normal.latency, 0.5),
      latencyP99: quantile(l.op.normal.latency, 0.99), peakQueued: l.peakQueued, peakQueuedAt: l.peakQueuedAt, drainedAt: l.drainedAt,
    })),
    series, t: times, timeseries: log.points, timeseriesPath: log.path, unrouted, elapsedMs: performance.now() - started,
  }
}

/** The q-quantile of a bins distribution (the value of the bin holding it). */
export function quantile(b: { value: Float64Array; share: Float64Array }, q: number): number {
  let c = 0
  for (let i = 0; i < b.value.length; i++) {
    c += b.share[i]!
    if (c >= q - 1e-12) return b.value[i]!
  }
  return b.value[b.value.length - 1] ?? 0
}
