// kannel.conf as data: ordered groups of `key = value` lines. Kept apart from what the values are
// (config.ts) so overrides and rendering follow one set of rules.
//
// Quoting, measured against Kannel 1.4.5: a value in double quotes is taken literally between the
// first and the last quote (a `"`, `\` or `#` inside survives), so every string is quoted and only
// line breaks, which would end the line, are refused.
import { MtsimError } from '../../lib/errors.js'

export type KannelValue = string | number | boolean

export interface KannelGroup {
  /** `core`, `smsc`, `smsbox`, `sendsms-user`. */
  readonly name: string
  /** For smsc groups, the smsc-id (overrides can name it); otherwise the group name. */
  readonly label: string
  readonly entries: Map<string, KannelValue>
}

export type KannelOverrides = Readonly<Record<string, Readonly<Record<string, KannelValue>>>>

const KEY = /^[a-z][a-z0-9-]*$/

export function group(name: string, label: string, entries: [string, KannelValue | undefined][]): KannelGroup {
  const map = new Map<string, KannelValue>()
  for (const [k, v] of entries) if (v !== undefined) map.set(k, v)
  return { name, label, entries: map }
}

function formatValue(value: KannelValue): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return String(value)
  return `"${value}"`
}

export function renderGroups(groups: readonly KannelGroup[], header: string): string {
  const out = header
    .split('\n')
    .filter(Boolean)
    .map((l) => `# ${l}`)
  for (const g of groups) {
    out.push('', `group = ${g.name}`)
    for (const [k, v] of g.entries) out.push(`${k} = ${formatValue(v)}`)
  }
  return out.join('\n') + '\n'
}

/**
 * Applies overrides last. A target is a group name (`core`, `smsbox`, `sendsms-user`), `smsc` for
 * every smsc group, an operator id for all of that operator's binds, or one smsc-id. Every problem is
 * reported at once, like the config loader does.
 */
export function applyOverrides(groups: readonly KannelGroup[], overrides: KannelOverrides, operatorOf: (g: KannelGroup) => string | undefined): void {
  const problems: string[] = []
  // Listed in the error as: plain groups, `smsc`, operator ids, smsc-ids.
  const targets = new Set<string>(groups.filter((g) => g.name !== 'smsc').map((g) => g.label))
  targets.add('smsc')
  for (const g of groups) if (operatorOf(g)) targets.add(operatorOf(g)!)
  for (const g of groups) if (g.name === 'smsc') targets.add(g.label)
  for (const [target, entries] of Object.entries(overrides)) {
    if (!targets.has(target)) {
      problems.push(`overrides.${target}: expected a Kannel group (${[...targets].join(', ')}), found "${target}"`)
      continue
    }
    for (const [key, value] of Object.entries(entries)) {
      const where = `overrides.${target}.${key}`
      if (!KEY.test(key)) problems.push(`${where}: expected a Kannel setting name like "sms-resend-freq", found "${key}"`)
      else if (!['string', 'number', 'boolean'].includes(typeof value)) problems.push(`${where}: expected a string, number or boolean, found ${typeof value}`)
      else if (typeof value === 'string' && /[\r\n]/.test(value)) problems.push(`${where}: expected a value on one line, found a line break`)
    }
  }
  if (problems.length) throw new MtsimError('MTSIM_ERR_CONFIG_INVALID', ['Kannel overrides'], problems)
  for (const g of groups) {
    // Broad to specific, so an override naming one smsc-id wins over one for all smsc groups.
    const matching = new Set([g.name === 'smsc' ? 'smsc' : undefined, operatorOf(g), g.label])
    for (const target of matching) {
      const entries = target === undefined ? undefined : overrides[target]
      if (entries) for (const [k, v] of Object.entries(entries)) g.entries.set(k, v)
    }
  }
}
