// A reason for every dropped or late send, from what the engine saw while the send waited (issue
// 14): did the send wait for room on its operator's binds (the window full: the gateway answers
// too slowly for the window), or was room there whenever the loop looked and the loop itself came
// late (the machine behind its plan)? The engine tells this file when an operator's sends find no
// room; a send that fell due before the last such moment waited for the window, any other late
// send waited for the loop. Beside the counts: the event loop's delay and the process's CPU while
// sending, the figures that say how far behind the machine was.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import type { SendDelays } from '../../results/results-format.js'

/** Resolution of the event-loop delay sampler (ms): finer costs a timer per few ms for nothing. */
const LOOP_SAMPLE_MS = 10

export type DelayReason = 'window' | 'behind'

export class SendDelayTracker {
  /** Plan time (ms) at which each operator's next send last found no room; -Infinity: never. */
  private readonly blockedAt: number[]
  private readonly inFlight: number[]
  private readonly window: { dropped: number; late: number; inFlight: number }[]
  private readonly behind = { dropped: 0, late: 0, maxLateMs: 0 }
  private interruptedDrops = 0
  private loop: IntervalHistogram | undefined
  private cpuStart: NodeJS.CpuUsage | undefined
  private wallStart = 0
  private loopFigures: SendDelays['loop'] | undefined

  constructor(private readonly operatorIds: readonly string[]) {
    const n = operatorIds.length
    this.blockedAt = new Array<number>(n).fill(-Infinity)
    this.inFlight = new Array<number>(n).fill(0)
    this.window = Array.from({ length: n }, () => ({ dropped: 0, late: 0, inFlight: 0 }))
  }

  /** The plan's clock starts: sample the event loop and CPU from now until sendingOver(). */
  start(): void {
    this.loop = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS })
    this.loop.enable()
    this.cpuStart = process.cpuUsage()
    this.wallStart = performance.now()
  }

  /** The plan is done (or interrupted): the machine's figures cover the sending period only. */
  sendingOver(): void {
    if (this.loopFigures || !this.loop || !this.cpuStart) return
    this.loop.disable()
    const cpu = process.cpuUsage(this.cpuStart)
    const wallMs = performance.now() - this.wallStart
    // The histogram is in ns and includes the sampling resolution itself: report the delay beyond it.
    const beyond = (ns: number) => round1(Math.max(0, ns / 1e6 - LOOP_SAMPLE_MS))
    this.loopFigures = {
      delayP99Ms: this.loop.count ? beyond(this.loop.percentile(99)) : 0,
      delayMaxMs: this.loop.count ? beyond(this.loop.max) : 0,
      cpuPercent: wallMs > 0 ? round1(((cpu.user + cpu.system) / 1000 / wallMs) * 100) : 0,
    }
  }

  /** An operator's next send found no room (its binds full, or every bind of the gateway) at plan time t. */
  blocked(op: number, t: number): void {
    this.blockedAt[op] = t
    if (this.inFlight[op]! > this.window[op]!.inFlight) this.window[op]!.inFlight = this.inFlight[op]!
  }

  sent(op: number): void {
    this.inFlight[op]!++
  }

  answered(op: number): void {
    this.inFlight[op]!--
  }

  /** Why a send due at plan time dueT, sent or dropped at t, was that late. */
  reason(op: number, dueT: number): DelayReason {
    return this.blockedAt[op]! >= dueT ? 'window' : 'behind'
  }

  late(op: number, dueT: number, t: number): void {
    this.count(op, dueT, t, 'late')
  }

  dropped(op: number, dueT: number, t: number): void {
    this.count(op, dueT, t, 'dropped')
  }

  /** Taken from the plan already past max_lag: the loop itself came late (a send waiting for room is taken on time). */
  droppedBehind(op: number, dueT: number, t: number): void {
    this.count(op, dueT, t, 'dropped', 'behind')
  }

  /** Dropped on the way into an operator's queue because the queue was full: its sends were waiting. */
  droppedQueueFull(op: number, dueT: number, t: number): void {
    this.count(op, dueT, t, 'dropped', this.blockedAt[op]! > -Infinity ? 'window' : 'behind')
  }

  interrupted(count = 1): void {
    this.interruptedDrops += count
  }

  private count(op: number, dueT: number, t: number, what: 'dropped' | 'late', reason = this.reason(op, dueT)): void {
    if (reason === 'window') this.window[op]![what]++
    else {
      this.behind[what]++
      if (t - dueT > this.behind.maxLateMs) this.behind.maxLateMs = round1(t - dueT)
    }
  }

  figures(): SendDelays {
    this.sendingOver()
    const window: SendDelays['window'] = {}
    this.operatorIds.forEach((id, i) => {
      const w = this.window[i]!
      if (w.dropped || w.late) window[id] = { ...w }
    })
    return {
      window,
      behind: { ...this.behind },
      interrupted: { dropped: this.interruptedDrops },
      loop: this.loopFigures ?? { delayP99Ms: 0, delayMaxMs: 0, cpuPercent: 0 },
    }
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10
