// One operator's faults: timeline events (relative to network start) and faults injected through
// the control API. Starts and ends run through the network's scheduler; the operator asks this
// controller what is in force (state, latency override, throttle rate, receipt backlog) and gets
// hooks when an outage begins, a throttle changes or a backlog ends.
import { DelaySampler } from './delay.js'
import type { Fault } from './network.js'
import type { Scheduler } from './scheduler.js'
import type { ActiveFault, OperatorState } from './types.js'

export interface FaultHooks {
  /** An outage began: drop every bind now. */
  outageStarted(): void
  /** The effective throttle rate changed (undefined: back to the configured one). */
  throttleChanged(rate: number | undefined): void
  /** receipt_backlog began (true) or ended (false: release the held receipts together). */
  backlogChanged(on: boolean): void
}

export class FaultController {
  private readonly active: ActiveFault[] = []
  private readonly samplers = new Map<ActiveFault, DelaySampler>()
  /** Records that may still need an end event, by token. */
  private readonly byToken = new Map<number, ActiveFault>()
  private nextToken = 0
  private timelineStarted = false
  private readonly startKind: number
  private readonly endKind: number

  constructor(
    private readonly timeline: readonly Fault[],
    private readonly scheduler: Scheduler,
    private readonly startedAt: number,
    private readonly hooks: FaultHooks,
    /** The network-wide history this operator's faults are appended to. */
    private readonly history: ActiveFault[],
    private readonly operatorId: string,
  ) {
    this.startKind = scheduler.register((i) => this.begin(this.timeline[i]!, 'timeline'))
    this.endKind = scheduler.register((token) => {
      const f = this.byToken.get(token)
      if (f) this.end(f)
    })
  }

  /** Schedules the timeline, its `at` times counted from `origin` (absolute clock ms; default network start). */
  start(origin = this.startedAt): void {
    if (this.timelineStarted) return
    this.timelineStarted = true
    this.timeline.forEach((f, i) => this.scheduler.schedule(this.startKind, origin + f.at, i))
  }

  inject(fault: Fault): ActiveFault {
    return this.begin(fault, 'api')
  }

  /** Ends every active fault now; returns how many. */
  clear(): number {
    const n = this.active.length
    for (const f of [...this.active]) this.end(f)
    return n
  }

  list(): ActiveFault[] {
    return [...this.active]
  }

  state(): OperatorState {
    let state: OperatorState = 'up'
    for (const f of this.active) {
      if (f.fault.kind === 'outage') return 'outage'
      if (f.fault.kind === 'black_hole') state = 'black_hole'
    }
    return state
  }

  /** The latency of the latest active latency_spike, if any. */
  latency(): DelaySampler | undefined {
    for (let i = this.active.length - 1; i >= 0; i--) {
      const s = this.samplers.get(this.active[i]!)
      if (s) return s
    }
    return undefined
  }

  throttleRate(): number | undefined {
    for (let i = this.active.length - 1; i >= 0; i--) {
      const f = this.active[i]!.fault
      if (f.kind === 'throttle_change') return f.rate
    }
    return undefined
  }

  backlog(): boolean {
    return this.active.some((f) => f.fault.kind === 'receipt_backlog')
  }

  private now(): number {
    return this.scheduler.clock() - this.startedAt
  }

  private begin(fault: Fault, source: ActiveFault['source']): ActiveFault {
    const start = this.now()
    const record: ActiveFault = { operator: this.operatorId, fault, start, end: start + fault.duration, source }
    this.active.push(record)
    this.history.push(record)
    if (fault.kind === 'latency_spike') this.samplers.set(record, new DelaySampler(fault.latency))
    const token = this.nextToken++
    this.byToken.set(token, record)
    this.scheduler.schedule(this.endKind, this.startedAt + record.end, token)
    this.apply(fault.kind, true)
    return record
  }

  private end(record: ActiveFault): void {
    const i = this.active.indexOf(record)
    if (i < 0) return
    this.active.splice(i, 1)
    this.samplers.delete(record)
    for (const [t, r] of this.byToken) if (r === record) this.byToken.delete(t)
    record.end = Math.min(record.end, this.now())
    this.apply(record.fault.kind, false)
  }

  private apply(kind: Fault['kind'], began: boolean): void {
    switch (kind) {
      case 'outage':
        if (began) this.hooks.outageStarted()
        break
      case 'throttle_change':
        this.hooks.throttleChanged(this.throttleRate())
        break
      case 'receipt_backlog':
        this.hooks.backlogChanged(this.backlog())
        break
      default:
        break
    }
  }
}
