// Loads a scenario file and turns it into the runtime model the engine reads: durations in ms,
// defaults filled, the network loaded (a path relative to the scenario file, or inline), templates
// compiled, thresholds parsed. Nothing downstream reads the file form.
//
// API: loadScenario(file) -> Scenario, parseScenario(value, file, baseDir) -> Scenario.
import type { ExecutorConfig } from './executor-config.js'
import { dirname, resolve } from 'node:path'
import { loadConfigFile, validateConfig, type LoadOptions, type Report } from '../../config/load-config.js'
import { bug, MtsimError } from '../../lib/errors.js'
import { parseDuration } from '../../lib/duration.js'
import { DEFAULT_OPT_OUT_KEYWORDS, loadNetwork, parseNetwork, type NetworkConfig } from '../../simulator/network.js'
import { normalizeGateway, type GatewayConfig } from './gateway-config.js'
import { checkScenario } from './scenario-check.js'
import { ScenarioSchema, type ScenarioFile, type StreamFile, type TrafficFile } from './scenario-schema.js'
import { compileTemplate, type Template } from './template.js'
import { parseThresholds, type ThresholdDef } from '../../results/thresholds.js'
import { normalizeModelSection, type ModelSection } from './model-section.js'

export type { GatewayConfig }

export type { ExecutorConfig }

export type DestinationConfig =
  | { kind: 'operator'; operator: string; prefixes: string[]; weight: number }
  /** Digits only; first <= last, both below 2^53. */
  | { kind: 'range'; first: number; last: number; weight: number }

export interface TrafficConfig {
  destinations: DestinationConfig[]
  msisdnLength: number
  senders: { sender: string; weight: number }[]
  templates: { template: Template; weight: number }[]
  encoding: 'gsm7' | 'ucs2' | 'auto'
  /** Texts are padded or trimmed to a length drawn from [min, max] characters (tag included). */
  length: { min: number; max: number } | null
  multipart: 'udh' | 'sar' | 'payload'
  registeredDelivery: number
}

export interface StreamConfig {
  name: string
  executor: ExecutorConfig
  arrivals: 'uniform' | 'poisson'
  /** Cap on the stream's message count (null: whatever the executor gives). */
  messages: number | null
  /** Offset of the stream's first planned send from the run start. */
  startMs: number
  traffic: TrafficConfig
}

export interface Scenario {
  name: string
  /** Absolute path of the scenario file; null when built from a value. */
  file: string | null
  seed: number | string
  network: NetworkConfig
  /** Absolute path of the network file; null for an inline network. */
  networkFile: string | null
  gateway: GatewayConfig
  streams: StreamConfig[]
  /**
   * multipart: how the SMSCs report receipts for multipart messages; unset = per_segment, or in
   * direct mode each simulated operator's own receipts.multipart.
   */
  receipts: { waitMs: number; multipart?: 'per_segment' | 'per_message' }
  scheduling: { lateAfterMs: number; maxLagMs: number }
  /**
   * The application's side of MO (loadgen/mo/): compliant suppresses sends to numbers whose STOP
   * arrived; keywords are what counts as a STOP (default: the network's opt-out keywords);
   * waitMs: how long after the load MO already sent may still arrive.
   */
  mo: { application: 'compliant' | 'naive'; keywords: string[]; waitMs: number }
  thresholds: ThresholdDef[]
  /** The `model:` section (model-section.ts): how `mtsim model` sees the gateway's links. */
  model: ModelSection
}

const DEFAULT_SENDER = 'MTSIM'
const DEFAULT_TEMPLATE = 'Your code is {{otp}}'

export function loadScenario(file: string): Scenario {
  const ctx = new NetworkContext(dirname(resolve(file)))
  const value = loadConfigFile(file, ScenarioSchema, ctx.options())
  return normalizeScenario(value, ctx, resolve(file))
}

/** For a scenario built in code or posted to an API: `file` names it in errors, `baseDir` resolves a network path. */
export function parseScenario(value: unknown, file: string, baseDir: string): Scenario {
  const ctx = new NetworkContext(baseDir)
  const checked = validateConfig(value, ScenarioSchema, { file }, ctx.options())
  return normalizeScenario(checked, ctx, null)
}

/** Loads the network during the check step, so its problems are listed with the scenario's. */
class NetworkContext {
  network: NetworkConfig | undefined
  networkFile: string | null = null
  constructor(readonly baseDir: string) {}

  options(): LoadOptions<ScenarioFile> {
    return { check: (s, report) => checkScenario(s, this.load(s, report), report, this.baseDir) }
  }

  private load(s: ScenarioFile, report: Report): NetworkConfig | undefined {
    try {
      if (typeof s.network === 'string') {
        this.networkFile = resolve(this.baseDir, s.network)
        this.network = loadNetwork(this.networkFile)
      } else this.network = parseNetwork(s.network, 'network (inline)', this.baseDir)
    } catch (err) {
      if (!(err instanceof MtsimError)) throw err
      // The network's own problems, in full, inside the scenario's list (one fix-everything pass).
      for (const line of err.details.length ? err.details : [err.message]) report(['network'], `a valid network (${line})`, s.network)
    }
    return this.network
  }
}

/** The opt-out keywords the network's subscribers use (their union), or the common defaults. */
function networkKeywords(network: NetworkConfig): string[] {
  const words = new Set(network.operators.flatMap((o) => o.mo?.optOut?.keywords ?? []))
  return words.size ? [...words] : DEFAULT_OPT_OUT_KEYWORDS
}

function normalizeScenario(s: ScenarioFile, ctx: NetworkContext, file: string | null): Scenario {
  const network = ctx.network
  if (!network) return bug('scenario network not loaded by the check step') // the check step reports it
  const operators = network.operators.map((o) => o.id)
  return {
    name: s.name ?? 'scenario',
    file,
    seed: s.seed ?? 1,
    network,
    networkFile: ctx.networkFile,
    gateway: normalizeGateway(s.gateway, operators, ctx.baseDir),
    streams: s.streams.map((st) => normalizeStream(st, network)),
    receipts: { waitMs: parseDuration(s.receipts?.wait ?? '60s'), multipart: s.receipts?.multipart },
    scheduling: {
      lateAfterMs: parseDuration(s.scheduling?.late_after ?? '10ms'),
      maxLagMs: parseDuration(s.scheduling?.max_lag ?? '2s'),
    },
    mo: {
      application: s.mo?.application ?? 'compliant',
      keywords: (s.mo?.keywords ?? networkKeywords(network)).map((k) => k.toUpperCase()),
      waitMs: parseDuration(s.mo?.wait ?? '10s'),
    },
    thresholds: s.thresholds ? parseThresholds(s.thresholds, file ?? 'scenario', operators, s.streams.map((st) => st.name)) : [],
    model: normalizeModelSection(s.model),
  }
}

function normalizeStream(st: StreamFile, network: NetworkConfig): StreamConfig {
  let executor: ExecutorConfig
  switch (st.executor) {
    case 'constant-arrival-rate':
      executor = { kind: st.executor, rate: st.rate, timeUnitMs: parseDuration(st.timeUnit ?? '1s'), durationMs: parseDuration(st.duration) }
      break
    case 'ramping-arrival-rate':
      executor = {
        kind: st.executor,
        startRate: st.startRate ?? 0,
        timeUnitMs: parseDuration(st.timeUnit ?? '1s'),
        stages: st.stages.map((g) => ({ target: g.target, durationMs: parseDuration(g.duration) })),
      }
      break
    case 'daily-profile':
      executor = { kind: st.executor, dailyVolume: st.daily_volume, hourlyWeights: [...st.hourly_weights], speedup: st.speedup ?? 1 }
      break
  }
  return {
    name: st.name,
    executor,
    arrivals: st.arrivals ?? 'uniform',
    messages: st.messages ?? null,
    startMs: parseDuration(st.start ?? 0),
    traffic: normalizeTraffic(st.traffic, network),
  }
}

function normalizeTraffic(t: TrafficFile, network: NetworkConfig): TrafficConfig {
  return {
    destinations: t.destinations.map((d): DestinationConfig => {
      if ('operator' in d) {
        const op = network.operators.find((o) => o.id === d.operator)
        return { kind: 'operator', operator: d.operator, prefixes: op ? op.prefixes : [], weight: d.weight ?? 1 }
      }
      const [first, last] = d.range.split('-').map((x) => Number(x.replace(/^\+/, '')))
      return { kind: 'range', first, last, weight: d.weight ?? 1 }
    }),
    msisdnLength: t.msisdn_length ?? 11,
    senders: (t.senders ?? [DEFAULT_SENDER]).map((x) => (typeof x === 'string' ? { sender: x, weight: 1 } : { sender: x.sender, weight: x.weight ?? 1 })),
    templates: (t.templates ?? [DEFAULT_TEMPLATE]).map((x) => {
      const src = typeof x === 'string' ? x : x.text
      const r = compileTemplate(src, 'message')
      if (r.errors) bug(`unchecked template ${JSON.stringify(src)}`) // the check step reports these
      return { template: r.template, weight: typeof x === 'string' ? 1 : (x.weight ?? 1) }
    }),
    encoding: t.encoding ?? 'auto',
    length: t.length ? { min: t.length.min, max: t.length.max } : null,
    multipart: t.multipart ?? 'udh',
    registeredDelivery: t.registered_delivery ?? 1,
  }
}
