// What stays up for a whole `mtsim capacity` search: the simulated network and, for a managed
// Kannel, bearerbox and smsbox (started once: a gateway restarted per step would be measured cold
// and would forget its queues). Each step gets a fresh transport (direct binds, the smpp/http
// target, or Kannel's sendsms), and the session watches the counters that say which resource runs
// out: each operator's own figures (throttle answers, submits in flight against its window) and
// Kannel's queues per operator, sampled every SAMPLE_MS.
//
// The network's fault timeline is not played: a capacity search measures the steady state.
import { join } from 'node:path'
import { startKannel, type KannelHandle } from '../../gateways/kannel/index.js'
import type { Scenario } from '../../loadgen/scenario/scenario.js'
import type { Transport } from '../../loadgen/transports/transport.js'
import { createTransport, HttpTransport, kannelHttpGateway } from '../../loadgen/transports/index.js'
import { startNetwork } from '../../simulator/start-network.js'
import { statusName } from '../../smpp/constants.js'
import type { NetworkHandle, OperatorStats, SubmitObserver } from '../../simulator/types.js'

export const SAMPLE_MS = 250

/** Forwards the simulator's arrivals to the current step's engine. */
class Relay implements SubmitObserver {
  target: SubmitObserver | undefined
  onMessage(operatorId: string, destination: string, text: string, nowUs: number, taken: boolean): void {
    this.target?.onMessage(operatorId, destination, text, nowUs, taken)
  }  onRefused(operatorId: string, text: string, nowUs: number): void {
    this.target?.onRefused?.(operatorId, text, nowUs)
  }

}

/** Per operator, what a step used of its resources. */
export interface OperatorUse {
  /** Submits the operator answered with its throttle status, accepted (ESME_ROK), and all its submits, during the step. */
  throttled: number
  accepted: number
  submits: number
  /** Accepted by the operator while the plan was sending (its carried traffic; the rest is the drain after it). */
  acceptedInPlan: number
  /** The operator refused this many for a full window (when that status differs from the throttle's). */
  windowRefused: number
  /** Most submits in flight at the operator at a sample, and its window (max_outstanding x binds). */
  peakInFlight: number
  window: number
  /** Most messages queued for it in the gateway at a sample (Kannel), null when the gateway does not say. */
  peakGatewayQueue: number | null
  gatewayQueueAtEnd: number | null
}

export interface Watch {
  stop(): Promise<Record<string, OperatorUse>>
}

export class Session {
  private constructor(
    readonly scenario: Scenario,
    readonly network: NetworkHandle,
    readonly kannel: KannelHandle | undefined,
    readonly relay: Relay,
  ) {}

  static async start(scenario: Scenario, dir: string, log: (line: string) => void): Promise<Session> {
    const relay = new Relay()
    const network = await startNetwork(scenario.network, { observer: relay, timeline: 'manual' })
    let kannel: KannelHandle | undefined
    try {
      if (scenario.gateway.kind === 'kannel') {
        log('kannel: starting bearerbox and smsbox')
        kannel = await startKannel({ network, dir: join(dir, 'kannel'), options: {
          failover: scenario.gateway.failover,
          overrides: scenario.gateway.overrides,
          smsResendRetry: scenario.gateway.resend.retry,
          smsResendFreq: scenario.gateway.resend.frequencyS,
          throughput: scenario.gateway.throughput,
        } })
        log(`kannel: ready, sendsms ${kannel.sendsmsUrl}`)
      }
    } catch (err) {
      await network.close()
      throw err
    }
    return new Session(scenario, network, kannel, relay)
  }

  transport(): Transport {
    if (this.kannel) return new HttpTransport(kannelHttpGateway(this.kannel.sendsmsUrl, this.kannel.username, this.kannel.password))
    return createTransport(this.scenario, this.network)
  }

  private stats(): Map<string, OperatorStats> {
    return new Map(this.network.operators.map((o) => [o.config.id, o.stats()]))
  }

  /** Kannel's queued messages per operator (its smsc groups added up), or null without a managed Kannel. */
  private async gatewayQueues(): Promise<Map<string, number> | null> {
    if (!this.kannel) return null
    try {
      const st = await this.kannel.status()
      const byOp = new Map<string, number>()
      for (const smsc of this.kannel.config.smscs) byOp.set(smsc.operator, 0)
      for (const x of st.smscs) {
        const op = this.kannel.config.smscs.find((c) => c.smscId === x.smscId)?.operator
        if (op !== undefined) byOp.set(op, (byOp.get(op) ?? 0) + x.queued)
      }
      return byOp
    } catch {
      return null // a missed sample (Kannel busy): the next one counts
    }
  }

  /** Starts sampling the counters; stop() returns what the step used per operator. `planMs`: when the plan stops sending. */
  watch(planMs: number): Watch {
    const before = this.stats()
    let inPlan: Map<string, OperatorStats> | undefined
    const planTimer = setTimeout(() => (inPlan = this.stats()), planMs)
    const use = new Map<string, OperatorUse>()
    for (const op of this.network.operators) {
      use.set(op.config.id, {
        throttled: 0, accepted: 0, submits: 0, acceptedInPlan: 0, windowRefused: 0, peakInFlight: 0, window: op.config.window.maxOutstanding,
        peakGatewayQueue: this.kannel ? 0 : null, gatewayQueueAtEnd: null,
      })
    }
    let sampling: Promise<void> = Promise.resolve()
    const sample = async () => {
      for (const [id, st] of this.stats()) {
        const u = use.get(id)!
        const binds = st.binds.transmitter + st.binds.transceiver
        u.peakInFlight = Math.max(u.peakInFlight, st.inFlight)
        u.window = Math.max(u.window, this.network.operator(id)!.config.window.maxOutstanding * Math.max(1, binds))
      }
      const q = await this.gatewayQueues()
      if (q) for (const [id, n] of q) {
        const u = use.get(id)
        if (u) {
          u.peakGatewayQueue = Math.max(u.peakGatewayQueue ?? 0, n)
          u.gatewayQueueAtEnd = n
        }
      }
    }
    const timer = setInterval(() => (sampling = sampling.then(sample)), SAMPLE_MS)
    return {
      stop: async () => {
        clearInterval(timer)
        clearTimeout(planTimer)
        await sampling
        await sample()
        const now = this.stats()
        for (const [id, st] of now) {
          const b = before.get(id)!
          const u = use.get(id)!
          const cfg = this.network.operator(id)!.config
          const throttleName = cfg.throttle ? statusName(cfg.throttle.status) : 'ESME_RTHROTTLED'
          const windowName = statusName(cfg.window.excessStatus)
          const delta = (name: string) => (st.statuses[name] ?? 0) - (b.statuses[name] ?? 0)
          u.submits = st.submits - b.submits
          u.accepted = delta('ESME_ROK')
          u.acceptedInPlan = ((inPlan ?? now).get(id)?.statuses.ESME_ROK ?? 0) - (b.statuses.ESME_ROK ?? 0)
          u.throttled = cfg.throttle ? delta(throttleName) : 0
          // Same status for both: the samples of in-flight submits tell them apart (see diagnose.ts).
          u.windowRefused = windowName === throttleName && cfg.throttle ? 0 : delta(windowName)
        }
        return Object.fromEntries(use)
      },
    }
  }

  /** Waits (at most `limitMs`) until Kannel has nothing queued, so a step does not inherit the last one's backlog. */
  async settle(limitMs: number): Promise<number> {
    if (!this.kannel) return 0
    const until = Date.now() + limitMs
    for (;;) {
      const q = await this.gatewayQueues()
      const left = q ? [...q.values()].reduce((a, b) => a + b, 0) : 0
      if (left === 0 || Date.now() >= until) return left
      await new Promise((r) => setTimeout(r, 200))
    }
  }

  async close(): Promise<void> {
    if (this.kannel) await this.kannel.stop().catch(() => undefined)
    await this.network.close()
  }
}

