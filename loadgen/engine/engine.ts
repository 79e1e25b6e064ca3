// The run loop (wrk2 / k6 constant-arrival-rate honesty): every send is due at its absolute plan
// time from one monotonic start; one loop takes due sends in plan order, sends while the transport
// has room, and measures latency from the intended time (corrected) beside the actual time
// (uncorrected). Sends that cannot go out within maxLagMs are dropped and counted, never skipped.
// No timer per message: one loop tick (setImmediate / a short setTimeout) does all the work.
import type { SubmitObserver } from '../../simulator/types.js'
import { Correlator } from '../correlation/correlator.js'
import { Metrics } from '../measure/run-metrics.js'
import { scenarioTraffic, segmentCount, type MessageSource } from '../plan/messages.js'
import type { Plan } from '../plan/plan.js'
import { PlanMerger, type StreamSchedule } from '../plan/plan-merge.js'
import { countsOf, Progress, type ProgressSnapshot } from './progress.js'
import type { FaultWindow, ResultsFile } from '../../results/results-format.js'
import { booksError, checkBooks, mtsimVersion, writeResults } from '../../results/results-writer.js'
import { buildResults } from '../measure/build-results.js'
import { receiptPerMessage } from '../correlation/correlator.js'
import { Backlog } from './backlog.js'
import { FailoverTracker } from '../measure/failover-tracker.js'
import { SendDelayTracker } from '../measure/send-delays.js'
import type { Scenario } from '../scenario/scenario.js'
import { parseTag } from '../../lib/tag.js'
import { evaluateThresholds } from '../../results/thresholds.js'
import { TimeseriesLog } from '../../results/timeseries-file.js'
import type { OutboundMessage, SubmitOutcome, Transport } from '../transports/transport.js'
import { join } from 'node:path'
import { MoTracker } from '../mo/mo-tracker.js'

/** What the engine reads of a plan (loadgen/plan/plan.ts Plan). */
export interface EnginePlan {
  streams: readonly StreamSchedule[]
  /** Exact number of sends the plan calls for. */
  planned: number
  durationMs: number
  expectedRate?(tMs: number): number
}

export type { MessageSource }

/** What the engine reads of a scenario (a loaded Scenario has it all; tests may give just this). */
export type EngineScenario = Pick<Scenario, 'name' | 'seed' | 'network' | 'receipts' | 'scheduling' | 'thresholds'> &
  Partial<Pick<Scenario, 'file' | 'gateway' | 'streams' | 'mo'>>

export interface RunMeta {
  scenarioFile?: string | null
  segment?: { index: number; count: number } | null
  /** The scenario and network as loaded, embedded so a report explains itself. */
  scenario?: unknown
  network?: unknown
  versions?: Record<string, string>
}

export interface RunOptions {
  scenario: EngineScenario
  plan: EnginePlan
  transport: Transport
  outDir: string
  /** Messages per stream (index in plan.streams); default: the scenario's traffic mix (needs a full Scenario and Plan). */
  traffic?: (streamIndex: number) => MessageSource
  signal?: AbortSignal
  observerHook?: (o: SubmitObserver) => void
  faults?: () => FaultWindow[]
  progress?: boolean
  meta?: RunMeta
  /** Time series interval (default 1 s). */
  intervalMs?: number
  /** After an abort: how long answers already due may still come in before the rest is pending. */
  graceMs?: number
  /** After the plan: most time to wait for answers beyond receipts.waitMs before giving up (default 60 s). */
  drainSlackMs?: number
  /** Called once when the plan's clock starts (performance.now()): the moment plan time 0 is. */
  onStart?: (startPerf: number) => void
  /**
   * Called once the transport is up (binds, webhook): waits for a start shared with other shares
   * (deploy/start-gate.ts) and resolves with plan time 0 on performance.now()'s clock, which may
   * lie a little in the past; undefined: start now.
   */
  startGate?: () => Promise<number | undefined>
  /** Called once when the first send goes out, with performance.now() and its intended time (how well shares started together). */
  onFirstSend?: (perfNow: number, intendedPerf: number) => void
  /** Primary operator id -> backup (the gateway's failover routing): adds results.failover. */
  failover?: Readonly<Record<string, string>>
  /** Called with each interval's progress figures (load generator workers report them to the main thread). */
  onProgress?: (s: ProgressSnapshot) => void
  /**
   * Keep the time series in memory for the returned results (default true). False: results.json
   * still gets every point (copied from timeseries.ndjson) but the returned results' timeseries is
   * empty, so memory does not grow with the run's duration (bench soak).
   */
  keepTimeseries?: boolean
  /**
   * The network's subscribers stop writing MO (NetworkHandle.stopMo): called once when the load and
   * its receipts are done; the run then waits (scenario mo.wait) for the MO already sent.
   */
  stopMo?: () => void
  /** Called once at the end with the engine's bookkeeping sizes (bench, memory tests). */
  diagnostics?: (d: EngineDiagnostics) => void
  /**
   * Called once after the load ended (answers and receipts all in or given up) with plan time 0 on
   * performance.now()'s clock: the network's and the gateway's own sides of the run
   * (run/network-watch.ts, run/gateway-watch.ts), written into results.json beside the books.
   */
  sides?: (startPerf: number) => Promise<Pick<ResultsFile, 'network' | 'gateway'>>
}

/** High-water marks of the engine's bounded state: they follow in-flight + awaiting, not the message count. */
export interface EngineDiagnostics {
  storeCapacity: number
  backlogCapacity: number
  /** Peak gateway ids + seqs mapped at once. */
  mappedIds: number
  earlyHeld: number
}


/** The plan's stream names, in its order (the merger's stream index); a plan built in code may have none. */
function streamNames(plan: EnginePlan, scenario: EngineScenario): string[] {
  if (plan.streams.length === 0) return ['default']
  return plan.streams.map((s, i) => s.name ?? scenario.streams?.[i]?.name ?? `stream${i + 1}`)
}

/** Sends per loop tick before yielding to I/O (answers and receipts must get in). */
const SENDS_PER_TICK = 2000
/**
 * Plan entries taken per loop tick. A plan far beyond what the machine can even count (10^7/s)
 * is taken a slice at a time, so signals, answers and the clock still get their turn: Ctrl-C is
 * honoured within a tick, not after the plan has been walked.
 */
const TAKES_PER_TICK = 20_000
/**
 * Most sends waiting for one operator. Past it a due send is dropped at once (counted, as past
 * max_lag): the backlog's memory stays bounded however far the plan outruns the gateway.
 */
const BACKLOG_PER_OPERATOR = 250_000
/** Housekeeping (receipt deadlines, early receipts, retiring slots) at most this often. */
const SWEEP_EVERY_MS = 10

export async function runLoad(opts: RunOptions): Promise<ResultsFile> {
  const { scenario, plan, transport } = opts
  const intervalMs = opts.intervalMs ?? 1000
  const { lateAfterMs, maxLagMs } = scenario.scheduling
  const waitMs = scenario.receipts.waitMs
  const metrics = new Metrics(scenario.network.operators.map((o) => o.id), streamNames(plan, scenario))
  const failover = new FailoverTracker(metrics.operatorIds, opts.failover ?? {})
  const delays = new SendDelayTracker(metrics.operatorIds)
  const onArrival = failover.watching ? failover.arrival.bind(failover) : undefined
  const correlator = new Correlator(metrics, {
    waitMs, parseTag, onArrival, receiptPerMessage: receiptPerMessage(scenario, metrics.operatorIds),
    // Seqs are looked up only for seq-keyed receipts and in-process arrivals.
    bySeq: opts.observerHook !== undefined || transport.receiptsCarryIds !== true,
    // Only with the network in this process can a message that never reached it be told apart.
    networkSeen: opts.observerHook !== undefined && scenario.gateway?.kind !== 'direct',
  })
  const merger = new PlanMerger(plan.streams)
  const traffic = opts.traffic ?? scenarioTraffic(scenario as Scenario, (plan as Plan).streams)
  const sources = plan.streams.map((_, i) => traffic(i))
  const backlog = new Backlog()
  const series = new TimeseriesLog(join(opts.outDir, 'timeseries.ndjson'), opts.keepTimeseries ?? true)
  const progress = new Progress(opts.progress ?? false)
  const abortDefs = scenario.thresholds.filter((d) => d.abortOnFail)
  const canSend = transport.canSend?.bind(transport)
  const memberSeq = transport.memberSeq?.bind(transport)
  const startedAt = new Date()
  // MO: only when the network's subscribers write back (an operator has an `mo:` section).
  const moCfg = scenario.mo ?? { application: 'compliant' as const, keywords: [], waitMs: 10_000 }
  const mo = scenario.network.operators.some((o) => o.mo) ? new MoTracker(metrics.operatorIds, moCfg) : undefined
  let moStopped = false
  let moDeadline = Infinity

  await transport.start({
    onReceipt: (r) => correlator.receipt(r, performance.now()),
    onMo: mo && ((m) => mo.arrived(m, performance.now() * 1000)),
  })
  opts.observerHook?.({
    onMessage: memberSeq
      ? (operatorId, destination, text, nowUs, taken) => correlator.arrival(operatorId, text, nowUs, taken, (seq) => memberSeq(seq, destination))
      : (operatorId, _destination, text, nowUs, taken) => correlator.arrival(operatorId, text, nowUs, taken),
    onRefused: (operatorId, text, nowUs) => correlator.refused(operatorId, text, nowUs),
    onMo: mo && ((operatorId, m, atUs) => mo.moSent(operatorId, m, atUs)),
    onViolation: mo && ((operatorId, _destination, mtText, delayMs) => mo.violation(operatorId, mtText, delayMs)),
  })

  // A shared start fixes plan time 0 at the agreed instant, not when this process woke up:
  // a late wake-up shows as latency from the intended send time, as it should.
  let gated: number | undefined
  try {
    gated = opts.startGate ? await opts.startGate() : undefined
  } catch (err) {
    await transport.close()
    throw err
  }
  const start = gated ?? performance.now()
  failover.start(start)
  delays.start()
  opts.onStart?.(start)
  let interrupted = false
  let stopAt = Infinity // performance.now() after which the run stops waiting (abort grace or drain limit)
  let planDone = plan.streams.length === 0
  let intervalStart = 0
  let lastSweep = -Infinity
  let lastSend = start
  let firstSend = opts.onFirstSend
  /** Sends dropped as they fell due (the machine was that far behind its plan, or a backlog was full). */
  let dropsAtTake = 0

  const onAbort = () => interrupt()

  function interrupt(): void {
    if (interrupted) return
    interrupted = true
    planDone = true
    // Due but never sent: counted as dropped so planned = sent + dropped still holds.
    backlog.drain((cell) => (metrics.dropped(cell), delays.interrupted()))
    stopAt = performance.now() + (opts.graceMs ?? 2000)
    kick()
  }

  /** Takes due plan entries into the backlog, at most TAKES_PER_TICK; true when more are due already. */
  function takeDue(t: number, now: number): boolean {
    let budget = TAKES_PER_TICK
    while (!planDone && merger.peekTime() <= t) {
      if (budget-- <= 0) return true
      // Intervals are half-open, [t, t + 1 s): a send due on a boundary belongs to the interval it
      // opens, even when one tick takes it with sends due just before the boundary.
      while (merger.peekTime() >= intervalStart + intervalMs) rollInterval(now)
      // Rolling an interval checks abortOnFail thresholds: an interrupt ends the plan here.
      if (planDone) break
      merger.take()
      // Only the operator now (it picks the queue); the message is built when it goes out.
      const source = sources[merger.stream]
      const operator = source.operatorOf ? source.operatorOf(merger.seq) : source.message(merger.seq).operator
      const op = metrics.operatorIndex(operator)
      // The message's measurement cell, fixed here once: every later count is an array index.
      const cell = metrics.cellIndex(merger.stream, op)
      metrics.planned(cell)
      // Already past max_lag, or its operator's backlog full: it cannot go out in time; no entry for it.
      if (t - merger.t > maxLagMs) {
        metrics.dropped(cell)
        delays.droppedBehind(op, merger.t, t)
        dropsAtTake++
        continue
      }
      if (backlog.waiting(op) >= BACKLOG_PER_OPERATOR) {
        metrics.dropped(cell)
        delays.droppedQueueFull(op, merger.t, t)
        dropsAtTake++
        continue
      }
      backlog.push(op, merger.t, merger.seq, cell)
    }
    if (!planDone && merger.peekTime() === Infinity) planDone = true
    return false
  }

  /** Sends what is due and has room; returns how many went out. */
  function sendDue(now: number): number {
    const t = now - start
    let budget = SENDS_PER_TICK
    for (let op = 0; op < backlog.operators; op++) {
      while (backlog.waiting(op) > 0 && budget > 0) {
        const dueT = backlog.headTime(op)
        const cell = backlog.headCell(op)
        if (t - dueT > maxLagMs) {
          backlog.shift(op)
          metrics.dropped(cell)
          delays.dropped(op, dueT, t)
          continue
        }
        if (transport.capacity() <= 0) {
          // Every bind (or connection) of the gateway is full: every operator's waiting sends wait for it.
          for (let o = op; o < backlog.operators; o++) if (backlog.waiting(o) > 0) delays.blocked(o, t)
          return SENDS_PER_TICK - budget
        }
        const msg = sources[metrics.streamOf(cell)].message(backlog.headSeq(op))
        // A compliant application sends nothing to a number whose STOP it received.
        if (mo && mo.suppress(msg.destination)) {
          backlog.shift(op)
          mo.suppressed(op)
          metrics.suppressed(cell)
          continue
        }
        // This operator's binds are full: its sends wait; the other operators' go on.
        if (canSend && !canSend(msg)) {
          delays.blocked(op, t)
          break
        }
        backlog.shift(op)
        budget--
        mo?.sending(msg.seq, msg.destination, msg.stream)
        const intended = start + dueT
        const k = correlator.sent(msg.seq, cell, intended, now)
        const late = now - intended > lateAfterMs
        metrics.sent(cell, late, segmentCount(msg))
        if (late) delays.late(op, dueT, t)
        delays.sent(op)
        lastSend = now
        if (firstSend) firstSend(now, intended), (firstSend = undefined)
        // registered_delivery 0 (low two bits: no SMSC delivery receipt) asks for no receipt.
        const expectReceipt = (msg.registeredDelivery & 3) !== 0
        transport.send(msg, (o: SubmitOutcome) => answered(k, o, expectReceipt, op))
      }
    }
    return SENDS_PER_TICK - budget
  }

  function answered(k: number, o: SubmitOutcome, expectReceipt: boolean, op: number): void {
    const now = performance.now()
    delays.answered(op)
    correlator.answer(k, o, now, expectReceipt)
    // An answer frees window room: go on at once if sends are waiting or due.
    if (backlog.length || interrupted || (!planDone && merger.peekTime() <= now - start)) kick()
  }

  function rollInterval(now: number): void {
    const point = metrics.rollInterval(intervalStart, correlator.inFlight, correlator.awaiting)
    series.append(point)
    intervalStart += intervalMs
    const tot = metrics.overall.totals
    const elapsed = now - start
    const snapshot = {
      elapsedMs: elapsed, durationMs: plan.durationMs, draining: planDone,
      plannedRate: plan.expectedRate ? plan.expectedRate(elapsed) : (point.planned * 1000) / intervalMs,
      sentRate: (point.sent * 1000) / intervalMs, plannedTotal: plan.planned,
      inFlight: correlator.inFlight, awaiting: correlator.awaiting, ...countsOf(tot),
    }
    progress.update(snapshot)
    opts.onProgress?.(snapshot)
    if (abortDefs.length && !interrupted) checkAbortThresholds(elapsed)
  }

  function checkAbortThresholds(elapsed: number): void {
    const live = abortDefs.filter((d) => elapsed >= d.delayAbortEvalMs)
    if (!live.length) return
    // Too few samples so far is no reason to stop: only a threshold judged and broken aborts.
    // Per-stream figures are summed and encoded only when a live threshold reads them.
    const data = metrics.thresholdData(elapsed, live.some((d) => d.stream !== null))
    if (evaluateThresholds(live, data).some((o) => !o.ok && !o.insufficient)) interrupt()
  }

  // --- the loop: one pending wake-up at a time ---
  let immediate: NodeJS.Immediate | undefined
  let timer: NodeJS.Timeout | undefined
  let finish: () => void = () => {}
  let fail: (err: unknown) => void = () => {}
  const finished = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)))

  /** Set when the loop has finished or failed: answers that arrive while the transport closes must not restart it. */
  let over = false

  function kick(): void {
    if (immediate || over) return
    if (timer) clearTimeout(timer)
    timer = undefined
    immediate = setImmediate(tick)
  }

  // A throw inside the loop (a bug, or a traffic/transport error) ends the run instead of hanging it.
  function tick(): void {
    if (over) return
    try {
      step()
    } catch (err) {
      stopLoop()
      fail(err)
    }
  }

  function stopLoop(): void {
    over = true
    if (timer) clearTimeout(timer)
    if (immediate) clearImmediate(immediate)
    timer = undefined
    immediate = undefined
  }

  function step(): void {
    immediate = undefined
    timer = undefined
    const now = performance.now()
    const t = now - start
    const behind = takeDue(t, now)
    const sentNow = interrupted ? 0 : sendDue(now)
    if (now - lastSweep >= SWEEP_EVERY_MS) {
      correlator.sweep(now)
      lastSweep = now
    }
    while (t >= intervalStart + intervalMs) rollInterval(now)
    const drained = planDone && backlog.length === 0
    if (drained) delays.sendingOver()
    if (drained && stopAt === Infinity) stopAt = lastSend + waitMs + (opts.drainSlackMs ?? 60_000)
    if (drained && ((correlator.inFlight === 0 && correlator.awaiting === 0) || now >= stopAt)) {
      if (!mo || interrupted) return stopLoop(), finish()
      // The load is done: subscribers stop writing, and MO already sent get mo.wait to arrive.
      if (!moStopped) {
        moStopped = true
        opts.stopMo?.()
        moDeadline = now + moCfg.waitMs
      }
      if (mo.outstanding <= 0 || now >= moDeadline) return stopLoop(), finish()
    }
    // Work due now: yield to I/O, then go on. Otherwise sleep until the next send, interval or sweep.
    // Sends went out and more wait with room for them: go on after I/O. (Sends that wait only for a
    // full operator wake us through their answers, or the 1 ms timer below: no busy loop.)
    if (sentNow > 0 && backlog.length && transport.capacity() > 0) return void (immediate = setImmediate(tick))
    // More of the plan is due than one tick takes: go on after I/O (a signal gets in between).
    if (behind) return void (immediate = setImmediate(tick))
    const nextSend = planDone ? Infinity : merger.peekTime() - t
    // A send due within 0.5 ms: poll every event-loop turn so it goes out on time. Not while the
    // window is full: nothing could go out, and the next answer wakes the loop (answered() above).
    // Polling then only took CPU from the gateway (or the simulator) on the same cores.
    if (nextSend <= 0.5 && transport.capacity() > 0) return void (immediate = setImmediate(tick))
    const wait = Math.min(nextSend, intervalStart + intervalMs - t, backlog.length ? 1 : drained ? 20 : 5)
    timer = setTimeout(tick, Math.max(1, Math.floor(wait)))
  }

  // After the loop's state exists: a signal aborted before the start interrupts through kick().
  if (opts.signal?.aborted) interrupt()
  else opts.signal?.addEventListener('abort', onAbort, { once: true })
  kick()
  try {
    await finished
  } catch (err) {
    series.close()
    await transport.close()
    throw err
  } finally {
    opts.signal?.removeEventListener('abort', onAbort)
  }

  // Answers still outstanding become 'failed' through close(); then nothing more can arrive.
  await transport.close()
  const end = performance.now()
  correlator.sweep(end)
  correlator.finish(interrupted)
  rollInterval(end) // the last, partial interval
  series.close()
  opts.diagnostics?.({
    storeCapacity: correlator.store.capacity, backlogCapacity: backlog.capacity, mappedIds: correlator.peakMapped, earlyHeld: correlator.earlyHeld,
  })

  const durationMs = end - start
  const moResults = mo?.results()
  if (mo && moResults) {
    metrics.setMo(mo.finish().map((c) => ({
      suppressed: c.suppressed, mo_sent: c.sent, mo_received: c.received, mo_lost: c.lost, mo_duplicated: c.duplicated,
      stops_received: c.stops_received, optout_violations: c.optout_violations,
    })))
  }
  const results = buildResults({
    meta: {
      name: scenario.name,
      scenarioFile: opts.meta?.scenarioFile ?? scenario.file ?? null,
      scenario: opts.meta?.scenario ?? null,
      network: opts.meta?.network ?? null,
      seed: scenario.seed,
      versions: { mtsim: mtsimVersion(), node: process.versions.node, ...opts.meta?.versions },
      gateway: transport.name,
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      durationMs,
      interrupted,
      segment: opts.meta?.segment ?? null,
      intervalMs,
    },
    metrics,
    timeseries: series.points,
    faults: opts.faults?.() ?? [],
    thresholds: evaluateThresholds(scenario.thresholds, metrics.thresholdData(durationMs)),
  })
  results.sendDelays = delays.figures()
  if (moResults) results.mo = moResults
  const failoverFigures = failover.figures(results.faults, results.operators)
  if (failoverFigures) results.failover = failoverFigures
  const sides = await opts.sides?.(start)
  if (sides?.network) results.network = sides.network
  if (sides?.gateway) results.gateway = sides.gateway
  if (!interrupted && results.totals.planned !== plan.planned) {
    throw booksError([`planned ${results.totals.planned} != the plan's ${plan.planned}`], writeResults(opts.outDir, results, series.path))
  }
  const problems = checkBooks(results)
  if (correlator.contractViolations) problems.push(`${correlator.contractViolations} answers for sends not in flight (transport ${transport.name} broke its one-callback contract)`)
  const path = writeResults(opts.outDir, results, series.path)
  if (problems.length) throw booksError(problems, path)
  progress.end(
    {
      elapsedMs: durationMs, durationMs: plan.durationMs, draining: false, plannedRate: 0, sentRate: 0,
      plannedTotal: plan.planned, inFlight: 0, awaiting: 0, ...countsOf(results.totals),
    },
    interrupted ? 'interrupted' : 'done',
  )
  return results
}
