// Loads a network file and turns it into the runtime model: durations in milliseconds, statuses as
// numbers, defaults filled in. Everything the simulator reads comes from here.
import { dirname } from 'node:path'
import { loadConfigFile, validateConfig, type Report } from '../config/load-config.js'
import { parseDuration } from '../lib/duration.js'
import { Status, parseStatus } from '../smpp/constants.js'
import { checkTlsFiles, resolveTlsFile } from './tls/tls-files.js'
import { NetworkSchema, type NetworkFile, type OperatorFile, type DelayFile, type TimelineEventFile, type FaultBody } from './network-schema.js'

export type BindType = 'transmitter' | 'receiver' | 'transceiver'
export type ReceiptStatName = 'DELIVRD' | 'UNDELIV' | 'EXPIRED' | 'REJECTD' | 'DELETED' | 'UNKNOWN'

/** A delay distribution in milliseconds. */
export type Delay = (
  | { kind: 'fixed'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; stddev: number }
  | { kind: 'lognormal'; p50: number; p99: number }
  | { kind: 'exponential'; mean: number }
) & { spikes?: { probability: number; size: number } }

export type FaultKind = 'outage' | 'black_hole' | 'latency_spike' | 'throttle_change' | 'receipt_backlog'

/** A fault: from the timeline (at > = 0) or injected through the control API. Times in ms. */
export type Fault =
  | { kind: 'outage' | 'black_hole' | 'receipt_backlog'; at: number; duration: number }
  | { kind: 'latency_spike'; at: number; duration: number; latency: Delay }
  | { kind: 'throttle_change'; at: number; duration: number; rate: number }

export interface Account {
  systemId: string
  password: string
  bindTypes: ReadonlySet<BindType>
  maxBinds: number
}

export interface OperatorConfig {
  id: string
  name: string
  mcc: string
  mnc: string
  /** Digits only (a leading + is dropped). */
  prefixes: string[]
  host: string
  /** 0 = any free port (the running operator reports the one it got). */
  port: number
  accounts: Account[]
  window: { maxOutstanding: number; excessStatus: number }
  unknownDestination: 'reject' | 'accept'
  /** What the operator tolerates from a connection (0 turns a timeout off). */
  limits: { bindTimeoutMs: number; inactivityTimeoutMs: number; maxConnections: number; maxPduLength: number; maxBufferedBytes: number }
  /**
   * SMPP over TLS on a second port beside `port`. certFile/keyFile are absolute paths; without them
   * the operator makes a self-signed certificate when it starts.
   */
  tls?: { port: number; certFile?: string; keyFile?: string }
  /** Password guessing: each failed authentication is answered after delayMs; closeAfter failures close the connection. */
  failedBinds: { delayMs: number; closeAfter: number }
  /** submit_sm_resp latency; undefined answers at once. */
  latency?: Delay
  throttle?: { rate: number; per: 'bind' | 'operator'; burst: number; status: number; countSegments: boolean }
  failures: {
    statuses: { status: number; rate: number }[]
    noResponseRate: number
    disconnectRate: number
    bindRefusalRate: number
    bindRefusalStatus: number
  }
  senders?: { approved: ReadonlySet<string>; rejectStatus: number }
  receipts: {
    delay: Delay
    outcomes: { stat: ReceiptStatName; weight: number; err: string }[]
    intermediate?: { states: ('ENROUTE' | 'ACCEPTD')[]; delay: Delay }
    lossRate: number
    duplicateRate: number
    textLabel: 'text' | 'Text'
    idFormat: 'decimal' | 'hex'
    tlvs: boolean
    /** Keep the first 20 characters of each message for the receipt's text: field. */
    textExcerpt: boolean
    multipart: 'per_segment' | 'per_message'
    /** Most unacknowledged receipt deliver_sm per bind (the SMSC's own window). */
    window: number
  }
  timeline: Fault[]
  /** Subscribers who write back (simulator/mo/); undefined: no MO. */
  mo?: MoConfig
}

/** A weighted MO text. */
export interface MoText {
  text: string
  weight: number
}

/** An operator's `mo:` section in ms and plain lists (simulator/mo/mo-schema.ts is the file's shape). */
export interface MoConfig {
  /** system_id MO goes to; undefined: the account the MT came from. */
  account?: string
  replies?: { share: number; delay: Delay; texts: MoText[] }
  spontaneous?: { rate: number; from: [number, number]; digits: number; to: string[]; texts: MoText[] }
  optOut?: { share: number; keywords: string[]; delay: Delay; graceMs: number }
}

/** Opt-out keywords by common practice (CTIA and UK PSMS codes use these). */
export const DEFAULT_OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']

export interface NetworkConfig {
  name: string
  seed: number | string
  operators: OperatorConfig[]
}

/** The err code each final state carries when the file names none. */
const DEFAULT_ERR: Record<ReceiptStatName, string> = {
  DELIVRD: '000',
  UNDELIV: '001',
  EXPIRED: '002',
  REJECTD: '003',
  DELETED: '004',
  UNKNOWN: '005',
}

export function loadNetwork(file: string): NetworkConfig {
  const base = dirname(file)
  return normalizeNetwork(loadConfigFile(file, NetworkSchema, { check: (n, report) => checkNetwork(n, report, base) }), base)
}

/**
 * For a network given inline (e.g. inside a scenario file): the path says where it came from;
 * files it names (smpp.tls.cert_file) are relative to baseDir (the scenario file's folder).
 */
export function parseNetwork(value: unknown, file: string, baseDir = process.cwd()): NetworkConfig {
  return normalizeNetwork(validateConfig(value, NetworkSchema, { file }, { check: (n, report) => checkNetwork(n, report, baseDir) }), baseDir)
}

/** Cross-field rules; baseDir given: also reads the TLS certificate and key files the operators name. */
export function checkNetwork(net: NetworkFile, report: Report, baseDir?: string): void {
  const ids = new Map<string, number>()
  const ports = new Map<number, number>()
  const prefixes = new Map<string, string>()
  net.operators.forEach((op, i) => {
    const at = (...p: (string | number)[]) => ['operators', i, ...p]
    if (ids.has(op.id)) report(at('id'), `an id not used by another operator (operators[${ids.get(op.id)}] has it)`, op.id)
    ids.set(op.id, i)
    if (op.smpp.port !== 0) {
      if (ports.has(op.smpp.port)) report(at('smpp', 'port'), `a port not used by operators[${ports.get(op.smpp.port)}]`, op.smpp.port)
      ports.set(op.smpp.port, i)
    }
    const tls = op.smpp.tls
    if (tls && tls.port !== 0) {
      if (ports.has(tls.port)) report(at('smpp', 'tls', 'port'), `a port not used by operators[${ports.get(tls.port)}]`, tls.port)
      ports.set(tls.port, i)
    }
    if (tls && (tls.cert_file === undefined) !== (tls.key_file === undefined)) {
      const missing = tls.cert_file === undefined ? 'cert_file' : 'key_file'
      report(at('smpp', 'tls', missing), 'both cert_file and key_file, or neither (a self-signed certificate is made at start)', undefined)
    } else if (tls?.cert_file !== undefined && tls.key_file !== undefined && baseDir !== undefined) {
      checkTlsFiles(tls.cert_file, tls.key_file, baseDir, at('smpp', 'tls'), report)
    }
    op.prefixes.forEach((p, j) => {
      const digits = p.replace(/^\+/, '')
      const owner = prefixes.get(digits)
      if (owner !== undefined && owner !== op.id) report(at('prefixes', j), `a prefix no other operator serves (${owner} serves it)`, p)
      prefixes.set(digits, op.id)
    })
    const systemIds = new Set<string>()
    op.smpp.accounts.forEach((a, j) => {
      if (systemIds.has(a.system_id)) report(at('smpp', 'accounts', j, 'system_id'), 'a system_id not used twice on one operator', a.system_id)
      systemIds.add(a.system_id)
    })
    checkStatus(op.smpp.window?.excess_status, at('smpp', 'window', 'excess_status'), report)
    checkStatus(op.throttle?.status, at('throttle', 'status'), report)
    checkStatus(op.failures?.bind_refusal_status, at('failures', 'bind_refusal_status'), report)
    checkStatus(op.senders?.reject_status, at('senders', 'reject_status'), report)
    let total = 0
    op.failures?.statuses?.forEach((s, j) => {
      checkStatus(s.status, at('failures', 'statuses', j, 'status'), report)
      total += s.rate
    })
    if (total > 1) report(at('failures', 'statuses'), 'rates that add up to at most 1', `rates adding up to ${total}`)
    checkDelay(op.latency, at('latency'), report)
    checkDelay(op.receipts?.delay, at('receipts', 'delay'), report)
    checkDelay(op.receipts?.intermediate?.delay, at('receipts', 'intermediate', 'delay'), report)
    if (op.receipts?.outcomes && !op.receipts.outcomes.some((o) => o.weight > 0)) {
      report(at('receipts', 'outcomes'), 'at least one outcome with a weight above 0', 'all weights 0')
    }
    checkMo(op, at, report)
    op.timeline?.forEach((ev, j) => {
      if (ev.event === 'latency_spike') checkDelay(ev.latency, at('timeline', j, 'latency'), report)
    })
  })
}

function checkMo(op: OperatorFile, at: (...p: (string | number)[]) => (string | number)[], report: Report): void {
  const mo = op.mo
  if (!mo) return
  if (mo.account !== undefined && !op.smpp.accounts.some((a) => a.system_id === mo.account)) {
    report(at('mo', 'account'), `a system_id of this operator's smpp.accounts (${op.smpp.accounts.map((a) => a.system_id).join(', ')})`, mo.account)
  }
  checkDelay(mo.replies?.delay, at('mo', 'replies', 'delay'), report)
  checkDelay(mo.opt_out?.delay, at('mo', 'opt_out', 'delay'), report)
  const sp = mo.spontaneous
  if (sp) {
    const [lo, hi] = sp.from.split('-')
    if (lo!.length !== hi!.length || Number(lo) > Number(hi)) report(at('mo', 'spontaneous', 'from'), 'a range "first-last" with first <= last, both of the same length', sp.from)
  }
  if ((mo.replies?.share ?? 0) + (mo.opt_out?.share ?? 0) > 1) {
    report(at('mo'), 'replies.share + opt_out.share of at most 1 (one answer per MT)', `${mo.replies?.share ?? 0} + ${mo.opt_out?.share ?? 0}`)
  }
}

function checkStatus(value: string | number | undefined, path: (string | number)[], report: Report): void {
  if (value !== undefined && parseStatus(value) === undefined) report(path, 'a known SMPP command_status name (see README: status names)', value)
}

/** min <= max style checks the schema cannot express; also used for control-API fault bodies. */
export function checkDelay(d: DelayFile | undefined, path: (string | number)[], report: Report): void {
  if (!d) return
  if (d.distribution === 'uniform' && parseDuration(d.min) > parseDuration(d.max)) report([...path, 'max'], `a value at least min (${d.min})`, d.max)
  if (d.distribution === 'lognormal' && parseDuration(d.p50) > parseDuration(d.p99)) report([...path, 'p99'], `a value at least p50 (${d.p50})`, d.p99)
}

export function normalizeDelay(d: DelayFile): Delay {
  const spikes = d.spikes ? { probability: d.spikes.probability, size: parseDuration(d.spikes.size) } : undefined
  const ms = parseDuration
  switch (d.distribution) {
    case 'fixed':
      return { kind: 'fixed', value: ms(d.value), spikes }
    case 'uniform':
      return { kind: 'uniform', min: ms(d.min), max: ms(d.max), spikes }
    case 'normal':
      return { kind: 'normal', mean: ms(d.mean), stddev: ms(d.stddev), spikes }
    case 'lognormal':
      return { kind: 'lognormal', p50: ms(d.p50), p99: ms(d.p99), spikes }
    case 'exponential':
      return { kind: 'exponential', mean: ms(d.mean), spikes }
  }
}

/** A timeline event, or a control-API fault body (which has no `at`: it starts now, at `now`). */
export function normalizeFault(ev: TimelineEventFile | FaultBody, now = 0): Fault {
  const at = 'at' in ev ? parseDuration(ev.at) : now
  const duration = parseDuration(ev.duration)
  switch (ev.event) {
    case 'latency_spike':
      return { kind: 'latency_spike', at, duration, latency: normalizeDelay(ev.latency) }
    case 'throttle_change':
      return { kind: 'throttle_change', at, duration, rate: ev.rate }
    default:
      return { kind: ev.event, at, duration }
  }
}

function status(value: string | number | undefined, fallback: number): number {
  return value === undefined ? fallback : (parseStatus(value) ?? fallback)
}

/**
 * The SMSC's own window for receipts: at most this many unacknowledged deliver_sm per bind. A
 * client that never answers them gets no more (they wait in the compact store instead).
 */
export const DEFAULT_RECEIPT_WINDOW = 1000

/** smpp.limits and smpp.failed_binds when the file says nothing (README: Limits and protections). */
export const DEFAULT_LIMITS: OperatorConfig['limits'] = {
  bindTimeoutMs: 30_000,
  inactivityTimeoutMs: 120_000,
  maxConnections: 1000,
  maxPduLength: 65_536,
  maxBufferedBytes: 16 * 1024 * 1024,
}
export const DEFAULT_FAILED_BINDS: OperatorConfig['failedBinds'] = { delayMs: 1000, closeAfter: 3 }

function normalizeOperator(op: OperatorFile, baseDir: string): OperatorConfig {
  const r = op.receipts
  const tls = op.smpp.tls
  return {
    id: op.id,
    name: op.name ?? op.id,
    mcc: op.mcc,
    mnc: op.mnc,
    prefixes: op.prefixes.map((p) => p.replace(/^\+/, '')),
    host: op.smpp.host ?? '127.0.0.1',
    port: op.smpp.port,
    accounts: op.smpp.accounts.map((a) => ({
      systemId: a.system_id,
      password: a.password,
      bindTypes: new Set(a.bind_types ?? ['transmitter', 'receiver', 'transceiver']),
      maxBinds: a.max_binds ?? 8,
    })),
    window: {
      maxOutstanding: op.smpp.window?.max_outstanding ?? 1000,
      excessStatus: status(op.smpp.window?.excess_status, Status.ESME_RTHROTTLED),
    },
    unknownDestination: op.smpp.unknown_destination ?? 'reject',
    limits: {
      bindTimeoutMs: parseDuration(op.smpp.limits?.bind_timeout ?? DEFAULT_LIMITS.bindTimeoutMs),
      inactivityTimeoutMs: parseDuration(op.smpp.limits?.inactivity_timeout ?? DEFAULT_LIMITS.inactivityTimeoutMs),
      maxConnections: op.smpp.limits?.max_connections ?? DEFAULT_LIMITS.maxConnections,
      maxPduLength: op.smpp.limits?.max_pdu_length ?? DEFAULT_LIMITS.maxPduLength,
      maxBufferedBytes: op.smpp.limits?.max_buffered_bytes ?? DEFAULT_LIMITS.maxBufferedBytes,
    },
    tls: tls
      ? {
          port: tls.port,
          ...(tls.cert_file !== undefined && tls.key_file !== undefined
            ? { certFile: resolveTlsFile(baseDir, tls.cert_file), keyFile: resolveTlsFile(baseDir, tls.key_file) }
            : {}),
        }
      : undefined,
    failedBinds: {
      delayMs: parseDuration(op.smpp.failed_binds?.delay ?? DEFAULT_FAILED_BINDS.delayMs),
      closeAfter: op.smpp.failed_binds?.close_after ?? DEFAULT_FAILED_BINDS.closeAfter,
    },
    latency: op.latency ? normalizeDelay(op.latency) : undefined,
    throttle: op.throttle
      ? {
          rate: op.throttle.rate,
          per: op.throttle.per ?? 'bind',
          burst: op.throttle.burst ?? Math.max(1, Math.ceil(op.throttle.rate / 10)),
          status: status(op.throttle.status, Status.ESME_RTHROTTLED),
          countSegments: op.throttle.count_segments ?? false,
        }
      : undefined,
    failures: {
      statuses: (op.failures?.statuses ?? []).map((s) => ({ status: status(s.status, Status.ESME_RSYSERR), rate: s.rate })),
      noResponseRate: op.failures?.no_response_rate ?? 0,
      disconnectRate: op.failures?.disconnect_rate ?? 0,
      bindRefusalRate: op.failures?.bind_refusal_rate ?? 0,
      bindRefusalStatus: status(op.failures?.bind_refusal_status, Status.ESME_RBINDFAIL),
    },
    senders: op.senders
      ? { approved: new Set(op.senders.approved), rejectStatus: status(op.senders.reject_status, Status.ESME_RINVSRCADR) }
      : undefined,
    receipts: {
      delay: r ? normalizeDelay(r.delay) : { kind: 'uniform', min: 100, max: 1000 },
      outcomes: (r?.outcomes ?? [{ stat: 'DELIVRD' as const, weight: 1 }]).map((o) => ({
        stat: o.stat as ReceiptStatName,
        weight: o.weight,
        err: o.err ?? DEFAULT_ERR[o.stat as ReceiptStatName],
      })),
      intermediate: r?.intermediate
        ? { states: r.intermediate.states, delay: r.intermediate.delay ? normalizeDelay(r.intermediate.delay) : { kind: 'fixed', value: 0 } }
        : undefined,
      lossRate: r?.loss_rate ?? 0,
      duplicateRate: r?.duplicate_rate ?? 0,
      textLabel: r?.format?.text_label ?? 'text',
      idFormat: r?.format?.id_format ?? 'decimal',
      tlvs: r?.format?.tlvs ?? true,
      textExcerpt: r?.format?.text_excerpt ?? false,
      multipart: r?.multipart ?? 'per_segment',
      window: r?.window ?? DEFAULT_RECEIPT_WINDOW,
    },
    timeline: (op.timeline ?? []).map(normalizeFault).sort((a, b) => a.at - b.at),
    mo: op.mo ? normalizeMo(op.mo) : undefined,
  }
}

function moTexts(list: (string | { text: string; weight?: number })[] | undefined, fallback: string[]): MoText[] {
  return (list ?? fallback).map((t) => (typeof t === 'string' ? { text: t, weight: 1 } : { text: t.text, weight: t.weight ?? 1 }))
}

function normalizeMo(mo: NonNullable<OperatorFile['mo']>): MoConfig {
  const replyDelay: DelayFile = { distribution: 'lognormal', p50: '2s', p99: '10s' }
  const sp = mo.spontaneous
  const [lo, hi] = sp ? sp.from.split('-') : ['0', '0']
  return {
    account: mo.account,
    replies: mo.replies && { share: mo.replies.share, delay: normalizeDelay(mo.replies.delay ?? replyDelay), texts: moTexts(mo.replies.texts, ['YES', 'OK', '1']) },
    spontaneous: sp && { rate: sp.rate, from: [Number(lo), Number(hi)], digits: lo!.length, to: sp.to, texts: moTexts(sp.texts, ['INFO', 'HELP']) },
    optOut: mo.opt_out && {
      share: mo.opt_out.share,
      keywords: (mo.opt_out.keywords ?? DEFAULT_OPT_OUT_KEYWORDS).map((k) => k.toUpperCase()),
      delay: normalizeDelay(mo.opt_out.delay ?? replyDelay),
      graceMs: parseDuration(mo.opt_out.grace ?? 0),
    },
  }
}

export function normalizeNetwork(net: NetworkFile, baseDir = process.cwd()): NetworkConfig {
  return { name: net.name ?? 'network', seed: net.seed ?? 1, operators: net.operators.map((op) => normalizeOperator(op, baseDir)) }
}
