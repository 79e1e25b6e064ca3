// Generates kannel.conf for a simulated network: one `group = smsc` per operator account, routed by
// the operator's prefixes, with optional failover between operators. Every listener is on 127.0.0.1
// and on a port that was free when the file was made.
import { join } from 'node:path'
import type { Account, NetworkConfig, OperatorConfig } from '../../simulator/network.js'
import { MtsimError } from '../../lib/errors.js'
import { applyOverrides, group, renderGroups, type KannelGroup, type KannelOverrides } from './config-text.js'
import { freeLoopbackPorts } from './ports.js'

export interface KannelPorts {
  admin: number
  /** bearerbox <-> smsbox. */
  smsbox: number
  /** smsbox's HTTP sendsms interface. */
  sendsms: number
}

export interface KannelOptions {
  /** Run folder: Kannel's log files are written here. */
  dir: string
  /** The ports the running operators listen on, by operator id (OperatorHandle.port); needed where the file says 0. */
  operatorPorts?: Readonly<Record<string, number>>
  /**
   * Operators listening with TLS (smpp.tls): their TLS port and certificate (PEM), by operator id.
   * Kannel binds to them with use-ssl and trusts exactly these certificates (ssl-trusted-ca-file).
   */
  operatorTls?: Readonly<Record<string, { port: number; cert: string }>>
  /** `{ telenor: 'telia' }`: telenor's numbers go to telenor while it is bound, else to telia. */
  failover?: Readonly<Record<string, string>>
  /** Applied last: group name, `smsc`, operator id or smsc-id -> { setting: value }. */
  overrides?: KannelOverrides
  /** Fixed ports instead of free ones found now (tests). */
  ports?: KannelPorts
  username?: string
  password?: string
  adminPassword?: string
  statusPassword?: string
  /** Seconds between retries of temporarily failed submits (e.g. ESME_RTHROTTLED). */
  smsResendFreq?: number
  /**
   * How often a temporarily failed submit is retried before it is given up (-1 = forever, the
   * default: with a finite count a throttling operator turns into Kannel's own discard receipts).
   */
  smsResendRetry?: number
  /**
   * smsc `throughput` per operator id: messages per second on each of its links, or 'operator' for
   * the operator's throttle (per bind: its rate; per operator: its rate over Kannel's links to it).
   */
  throughput?: Readonly<Record<string, number | 'operator'>>
  reconnectDelay?: number
  enquireLinkInterval?: number
  /** Seconds to wait for a submit_sm_resp, and what to do after (0 reconnect, 1 re-queue, 2 keep waiting). */
  waitAck?: number
  waitAckExpire?: 0 | 1 | 2
  /**
   * MO goes here: an sms-service (keyword default, catch-all) calls this URL with the MO's sender,
   * receiver, text and smsc id (%p, %P, %a, %i) and sends no reply (loadgen/transports/webhook.ts MO_PATH).
   */
  moUrl?: string
}

export interface KannelSmsc {
  smscId: string
  operator: string
  systemId: string
  mode: 'transceiver' | 'transmitter+receiver' | 'transmitter'
}

export interface KannelConfig {
  text: string
  ports: KannelPorts
  /** Every smsc group written, in file order. */
  smscs: KannelSmsc[]
  /** Accounts with no smsc group: a receiver-only bind cannot carry submits. */
  skipped: { operator: string; systemId: string }[]
  username: string
  password: string
  adminPassword: string
  statusPassword: string
  /** The file the core group names as ssl-trusted-ca-file and what to write in it (operators with TLS only). */
  trustedCa?: { file: string; pem: string }
}

/** Both forms Kannel may see on sendsms: digits and +digits. */
export function prefixForms(prefixes: readonly string[]): string[] {
  return prefixes.flatMap((p) => [p, `+${p}`])
}

function bindMode(a: Account): KannelSmsc['mode'] | undefined {
  if (a.bindTypes.has('transceiver')) return 'transceiver'
  if (a.bindTypes.has('transmitter') && a.bindTypes.has('receiver')) return 'transmitter+receiver'
  // Transmitter only: submits work but receipts have nowhere to arrive.
  if (a.bindTypes.has('transmitter')) return 'transmitter'
  return undefined
}

function smscIdFor(op: OperatorConfig, a: Account, j: number, used: Set<string>): string {
  if (op.accounts.length === 1) return op.id
  let id = `${op.id}-${a.systemId.replace(/[^A-Za-z0-9_-]/g, '_')}`
  if (used.has(id)) id = `${op.id}-${j + 1}`
  return id
}

export function checkFailover(network: NetworkConfig, failover: Readonly<Record<string, string>>): void {
  const ids = network.operators.map((o) => o.id)
  const problems: string[] = []
  for (const [from, to] of Object.entries(failover)) {
    if (!ids.includes(from)) problems.push(`failover.${from}: expected an operator id (${ids.join(', ')}), found "${from}"`)
    if (!ids.includes(to)) problems.push(`failover.${from}: expected a backup operator id (${ids.join(', ')}), found "${to}"`)
    else if (to === from) problems.push(`failover.${from}: expected another operator as backup, found "${to}" itself`)
  }
  if (problems.length) throw new MtsimError('MTSIM_ERR_CONFIG_INVALID', ['Kannel failover'], problems)
}

/** A link's throughput setting: as given, or from the operator's throttle (undefined: unpaced). */
function linkThroughput(op: OperatorConfig, t: number | 'operator' | undefined): number | undefined {
  if (t !== 'operator') return t
  const throttle = op.throttle
  if (!throttle) return undefined
  if (throttle.per === 'bind') return throttle.rate
  // One throttle shared by all binds: each of Kannel's links to the operator gets its share.
  const links = op.accounts.filter((a) => bindMode(a) !== undefined).length
  return Math.max(0.1, Math.floor((throttle.rate / Math.max(1, links)) * 10) / 10)
}

function operatorPort(op: OperatorConfig, opts: KannelOptions): number {
  const port = opts.operatorPorts?.[op.id] ?? op.port
  if (!port) {
    throw new MtsimError('MTSIM_ERR_KANNEL_CONFIG', [
      `operator ${op.id} has port 0 in the network file and no running port was given: start the network first`,
    ])
  }
  return port
}

/** kannel.conf text for `network` with every port chosen; no I/O. */
export function renderKannelConfig(network: NetworkConfig, opts: KannelOptions, ports: KannelPorts): KannelConfig {
  const failover = opts.failover ?? {}
  checkFailover(network, failover)
  const creds = {
    username: opts.username ?? 'mtsim',
    password: opts.password ?? 'mtsim',
    adminPassword: opts.adminPassword ?? 'mtsim-admin',
    statusPassword: opts.statusPassword ?? 'mtsim-status',
  }
  const tlsOf = (op: OperatorConfig) => opts.operatorTls?.[op.id]
  const tlsCerts = network.operators.flatMap((op) => (tlsOf(op) ? [tlsOf(op)!.cert.trim()] : []))
  // bearerbox verifies an SMSC's certificate against this one file (the core group's setting is global).
  const trustedCa = tlsCerts.length ? { file: join(opts.dir, 'operator-ca.pem'), pem: [...new Set(tlsCerts)].join('\n') + '\n' } : undefined
  const core = group('core', 'core', [
    ['admin-port', ports.admin],
    ['admin-interface', '127.0.0.1'],
    ['admin-password', creds.adminPassword],
    ['status-password', creds.statusPassword],
    ['smsbox-port', ports.smsbox],
    ['smsbox-interface', '127.0.0.1'],
    ['box-allow-ip', '127.0.0.1'],
    ['log-file', join(opts.dir, 'bearerbox.log')],
    // Level 0 (debug) writes every PDU; 1 keeps the log to connection events and errors.
    ['log-level', 1],
    ['dlr-storage', 'internal'],
    ['sms-resend-freq', opts.smsResendFreq ?? 1],
    ['sms-resend-retry', opts.smsResendRetry ?? -1],
    ['ssl-trusted-ca-file', trustedCa?.file],
  ])

  // Who may carry each operator's numbers: itself, plus the backups that name it.
  const backupsFor = new Map<string, string[]>()
  for (const [from, to] of Object.entries(failover)) backupsFor.set(to, [...(backupsFor.get(to) ?? []), from])
  const byId = new Map(network.operators.map((o) => [o.id, o]))

  const smscGroups: KannelGroup[] = []
  const smscs: KannelSmsc[] = []
  const skipped: KannelConfig['skipped'] = []
  const operatorOfGroup = new Map<KannelGroup, string>()
  const used = new Set<string>()
  for (const op of network.operators) {
    const tls = tlsOf(op)
    const port = tls ? tls.port : operatorPort(op, opts)
    const allowed = [...op.prefixes, ...(backupsFor.get(op.id) ?? []).flatMap((id) => byId.get(id)!.prefixes)]
    const preferred = failover[op.id] ? op.prefixes : undefined
    op.accounts.forEach((a, j) => {
      const mode = bindMode(a)
      if (!mode) return void skipped.push({ operator: op.id, systemId: a.systemId })
      const smscId = smscIdFor(op, a, j, used)
      used.add(smscId)
      const g = group('smsc', smscId, [
        ['smsc', 'smpp'],
        ['smsc-id', smscId],
        ['host', op.host],
        ['port', port],
        ['receive-port', mode === 'transmitter+receiver' ? port : undefined],
        ['transceiver-mode', mode === 'transceiver'],
        ['use-ssl', tls ? true : undefined],
        ['smsc-username', a.systemId],
        ['smsc-password', a.password],
        ['system-type', ''],
        ['allowed-prefix', prefixForms(allowed).join(';')],
        ['preferred-prefix', preferred && prefixForms(preferred).join(';')],
        ['max-pending-submits', op.window.maxOutstanding],
        ['reconnect-delay', opts.reconnectDelay ?? 1],
        ['enquire-link-interval', opts.enquireLinkInterval ?? 10],
        ['wait-ack', opts.waitAck ?? 30],
        ['wait-ack-expire', opts.waitAckExpire ?? 1],
        ['throughput', linkThroughput(op, opts.throughput?.[op.id])],
      ])
      smscGroups.push(g)
      operatorOfGroup.set(g, op.id)
      smscs.push({ smscId, operator: op.id, systemId: a.systemId, mode })
    })
  }
  if (!smscs.length) {
    throw new MtsimError('MTSIM_ERR_KANNEL_CONFIG', ['no operator account allows a transmitter or transceiver bind: Kannel would have nothing to send through'])
  }

  const smsbox = group('smsbox', 'smsbox', [
    ['bearerbox-host', '127.0.0.1'],
    ['bearerbox-port', ports.smsbox],
    ['sendsms-port', ports.sendsms],
    ['sendsms-interface', '127.0.0.1'],
    // Retries a dlr-url callback that failed (e.g. the receiver closed an idle keep-alive socket).
    ['http-request-retry', 3],
    ['log-file', join(opts.dir, 'smsbox.log')],
    // Level 1 and below log every request: tens of MB per load run.
    ['log-level', 2],
  ])
  const user = group('sendsms-user', 'sendsms-user', [
    ['username', creds.username],
    ['password', creds.password],
    ['max-messages', 10],
    ['concatenation', true],
  ])

  const groups = [core, ...smscGroups, smsbox, user]
  if (opts.moUrl) {
    const sep = opts.moUrl.includes('?') ? '&' : '?'
    groups.push(
      group('sms-service', 'mo', [
        ['keyword', 'default'],
        ['catch-all', true],
        ['get-url', `${opts.moUrl}${sep}from=%p&to=%P&text=%a&smsc=%i`],
        // The webhook answers nothing worth sending back to the subscriber.
        ['max-messages', 0],
        ['omit-empty', true],
      ]),
    )
  }
  if (opts.overrides) applyOverrides(groups, opts.overrides, (g) => operatorOfGroup.get(g))
  const text = renderGroups(groups, `Generated by mtsim for network "${network.name}". Do not edit: regenerated on every start.`)
  return { text, ports, smscs, skipped, ...creds, ...(trustedCa ? { trustedCa } : {}) }
}

/** kannel.conf for `network`, with free loopback ports found now unless opts.ports fixes them. */
export async function kannelConfig(network: NetworkConfig, opts: KannelOptions): Promise<KannelConfig> {
  let ports = opts.ports
  if (!ports) {
    const [admin, smsbox, sendsms] = await freeLoopbackPorts(3)
    ports = { admin, smsbox, sendsms }
  }
  return renderKannelConfig(network, opts, ports)
}
