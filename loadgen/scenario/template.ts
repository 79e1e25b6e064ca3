// Text templates with {{variables}}, compiled once when the scenario loads so that rendering a
// message is a walk over ready parts (no parsing, no regex per message).
//
// Message templates (traffic.templates) know these variables:
//   {{otp}}         6 random digits, e.g. a one-time password
//   {{digits:N}}    N random digits (1 to 64)
//   {{seq}}         the plan-wide message sequence, decimal
//   {{pick:a|b|c}}  one of the listed words, uniformly
//   {{name}}        a first name from a small built-in list
// Request templates (HTTP gateway query/body/headers) name fields of the outgoing message instead:
// see REQUEST_VARIABLES. Any other name is a config error that names it.
//
// API: compileTemplate(src, vocabulary) -> { template } | { errors }, renderMessage(t, seq, draw),
// renderRequest(t, values).

export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'otp' }
  | { kind: 'digits'; count: number }
  | { kind: 'seq' }
  | { kind: 'pick'; words: string[] }
  | { kind: 'name' }
  | { kind: 'field'; name: string }

export interface Template {
  source: string
  parts: Part[]
  /** The literal characters only (for the GSM-7 alphabet check). */
  literal: string
}

/** A source of random integers; traffic.ts passes its per-message generator. */
export interface Draw {
  /** Uniform integer in [0, n). */
  int(n: number): number
}

export const MESSAGE_VARIABLES = ['otp', 'digits:N', 'seq', 'pick:a|b|c', 'name'] as const

/** What an HTTP request template may use: fields of the message being sent. */
export const REQUEST_VARIABLES = ['to', 'from', 'text', 'id', 'seq', 'tag', 'stream', 'operator', 'coding', 'dlr_url', 'registered_delivery'] as const

/** Picked by {{name}}: short, GSM-7 only, so they never change a message's encoding. */
const NAMES = ['Ada', 'Bo', 'Carmen', 'Dag', 'Emma', 'Farid', 'Grete', 'Hiro', 'Ingrid', 'Jon', 'Kari', 'Lars', 'Mia', 'Nils', 'Olav', 'Priya']

const MAX_DIGITS = 64

export type Vocabulary = 'message' | 'request'

export function compileTemplate(source: string, vocabulary: Vocabulary): { template: Template; errors?: undefined } | { errors: string[] } {
  const parts: Part[] = []
  const errors: string[] = []
  let literal = ''
  let i = 0
  while (i < source.length) {
    const open = source.indexOf('{{', i)
    if (open < 0) break
    if (open > i) parts.push({ kind: 'text', text: source.slice(i, open) })
    literal += source.slice(i, open)
    const close = source.indexOf('}}', open + 2)
    if (close < 0) {
      errors.push(`a closing "}}" for the "{{" at character ${open + 1}`)
      i = source.length
      break
    }
    const name = source.slice(open + 2, close).trim()
    const part = vocabulary === 'message' ? messagePart(name) : requestPart(name)
    if (typeof part === 'string') errors.push(part)
    else parts.push(part)
    i = close + 2
  }
  if (i < source.length) {
    parts.push({ kind: 'text', text: source.slice(i) })
    literal += source.slice(i)
  }
  if (errors.length) return { errors }
  return { template: { source, parts, literal } }
}

function messagePart(name: string): Part | string {
  if (name === 'otp') return { kind: 'otp' }
  if (name === 'seq') return { kind: 'seq' }
  if (name === 'name') return { kind: 'name' }
  if (name.startsWith('digits:')) {
    const n = Number(name.slice(7))
    if (Number.isInteger(n) && n >= 1 && n <= MAX_DIGITS) return { kind: 'digits', count: n }
    return `{{digits:N}} with N a whole number from 1 to ${MAX_DIGITS} (found {{${name}}})`
  }
  if (name.startsWith('pick:')) {
    const words = name.slice(5).split('|')
    if (words.every((w) => w.length > 0)) return { kind: 'pick', words }
    return `{{pick:a|b|c}} with no empty choice (found {{${name}}})`
  }
  return `a known variable: ${MESSAGE_VARIABLES.map((v) => `{{${v}}}`).join(', ')} (found {{${name}}})`
}

function requestPart(name: string): Part | string {
  if ((REQUEST_VARIABLES as readonly string[]).includes(name)) return { kind: 'field', name }
  return `a known variable: ${REQUEST_VARIABLES.map((v) => `{{${v}}}`).join(', ')} (found {{${name}}})`
}

/** A message text for `seq`. Random parts come from `draw`, so the same draw gives the same text. */
export function renderMessage(t: Template, seq: number, draw: Draw): string {
  const parts = t.parts
  if (parts.length === 1 && parts[0].kind === 'text') return parts[0].text
  let out = ''
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]
    switch (p.kind) {
      case 'text':
        out += p.text
        break
      case 'otp':
        out += randomDigits(6, draw)
        break
      case 'digits':
        out += randomDigits(p.count, draw)
        break
      case 'seq':
        out += seq
        break
      case 'pick':
        out += p.words[draw.int(p.words.length)]
        break
      case 'name':
        out += NAMES[draw.int(NAMES.length)]
        break
      case 'field':
        break // request variables never reach a message template (compileTemplate refuses them)
    }
  }
  return out
}

/** A request field (query value, body, header) with the message's values filled in; unknown -> ''. */
export function renderRequest(t: Template, values: Readonly<Record<string, string>>): string {
  let out = ''
  for (const p of t.parts) out += p.kind === 'text' ? p.text : p.kind === 'field' ? (values[p.name] ?? '') : ''
  return out
}

function randomDigits(count: number, draw: Draw): string {
  // Six digits at a time: 10^6 fits one draw exactly; padStart keeps leading zeros.
  let out = ''
  while (count > 0) {
    const n = Math.min(count, 6)
    out += String(draw.int(10 ** n)).padStart(n, '0')
    count -= n
  }
  return out
}
