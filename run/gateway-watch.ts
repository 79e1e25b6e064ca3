// The gateway's own side of a run (results.gateway): its status polled once per interval while the
// load runs, and once more when the load has ended (answers and receipts all in or given up), so
// the report can say what the gateway still held: "Kannel still held 2,532 messages for telia when
// the run ended: counted held_by_gateway, not missing". A poll that fails is counted, not fatal.
import type { GatewaySample, GatewaySide } from '../results/results-format.js'

export interface GatewayProbe {
  /** kannel, prometheus or json. */
  readonly source: string
  /** Where it is polled (passwords left out). */
  readonly url: string
  /** One poll; t is ms since run start. */
  sample(t: number): Promise<GatewaySample>
  /** See GatewaySide. */
  readonly settings?: Record<string, string>
  readonly linkOperators?: Record<string, string>
}

export class GatewayWatch {
  private readonly samples: GatewaySample[] = []
  private failedPolls = 0
  private startPerf = 0
  private timer: NodeJS.Timeout | undefined
  /** A poll still out: the next tick skips rather than piling up requests on a slow gateway. */
  private busy: Promise<void> | undefined

  constructor(
    private readonly probe: GatewayProbe,
    private readonly intervalMs = 1000,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  start(startPerf: number): void {
    this.startPerf = startPerf
    this.timer = setInterval(() => {
      if (!this.busy) this.busy = this.poll().then(() => undefined).finally(() => (this.busy = undefined))
    }, this.intervalMs)
    this.timer.unref()
  }

  private async poll(): Promise<GatewaySample | undefined> {
    try {
      const s = await this.probe.sample(Math.round(this.clock() - this.startPerf))
      this.samples.push(s)
      return s
    } catch {
      this.failedPolls++
      return undefined
    }
  }

  /** Stops polling and takes the end state (before the gateway is stopped). */
  async finish(): Promise<GatewaySide> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.busy
    const end = (await this.poll()) ?? null
    const url = this.probe.url.replace(/password=[^&]*/g, 'password=...')
    const { settings, linkOperators } = this.probe
    return {
      source: this.probe.source, url, failedPolls: this.failedPolls, samples: this.samples.slice(), end,
      ...(settings ? { settings } : {}), ...(linkOperators ? { linkOperators } : {}),
    }
  }
}
