// Ajv, compiled once per schema, with its errors translated into mtsim's issue form:
// a path, what was expected (in words) and what was found.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { TSchema } from '@sinclair/typebox'
import { describe } from './describe.js'
import { parseDuration } from '../lib/duration.js'

// ajv-formats is CommonJS; under NodeNext its default export sits one level down.
type AddFormats = typeof addFormatsModule.default
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as AddFormats

export interface Issue {
  path: (string | number)[]
  expected: string
  found: string
  /** What to write instead, said after what was found (`write { kind: kannel }`). */
  hint?: string
  /** Text was wanted and YAML made a number or boolean of it: the loader says "quote it" with the source text. */
  quote?: boolean
}

const ajv = new Ajv({ allErrors: true, strict: false, discriminator: true, verbose: true })
addFormats(ajv)
// A duration string's value (its form is the pattern's job) must stay within its range: schema-kit
// Duration() puts `maxMs` on the string branch. "99999999999999999999d" matches the pattern.
ajv.addKeyword({
  keyword: 'maxMs',
  type: 'string',
  schemaType: 'number',
  errors: false,
  validate: (limit: number, data: string) => {
    try {
      return parseDuration(data) <= limit
    } catch {
      return true // not a duration at all: the pattern reports that
    }
  },
})
const cache = new WeakMap<TSchema, ValidateFunction>()

export function validator(schema: TSchema): (value: unknown) => Issue[] {
  let fn = cache.get(schema)
  if (!fn) {
    fn = ajv.compile(schema)
    cache.set(schema, fn)
  }
  const validate: ValidateFunction = fn
  return (value) => (validate(value) ? [] : translate(validate.errors ?? []))
}

function translate(errors: ErrorObject[]): Issue[] {
  // A failed anyOf already says what it wanted (its description); drop its branches' noise.
  const unions = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath + '/')
  const kept = errors.filter((e) => !unions.some((u) => e.schemaPath.startsWith(u)))
  const seen = new Set<string>()
  const issues: Issue[] = []
  for (const e of kept) {
    const issue = toIssue(e)
    const key = issue.path.join('\u0000') + '|' + issue.expected
    if (seen.has(key)) continue
    seen.add(key)
    issues.push(issue)
  }
  return issues
}

function toIssue(e: ErrorObject): Issue {
  const path = pointerToPath(e.instancePath)
  const schema = (e.parentSchema ?? {}) as { description?: string; properties?: Record<string, unknown>; enum?: unknown[] }
  const p = e.params as Record<string, unknown>
  const words = schema.description
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys(schema.properties ?? {})
      return {
        path: [...path, String(p.additionalProperty)],
        expected: allowed.length ? `one of the keys ${allowed.join(', ')}` : 'no keys here',
        found: `unknown key "${String(p.additionalProperty)}"`,
      }
    }
    case 'required':
      return { path: [...path, String(p.missingProperty)], expected: 'this key (it is required)', found: 'nothing' }
    case 'discriminator': {
      const options = ((e.parentSchema as { oneOf?: { properties?: Record<string, { const?: unknown }> }[] })?.oneOf ?? [])
        .map((v) => v.properties?.[String(p.tag)]?.const)
        .filter((v) => v !== undefined)
      return {
        path: [...path, String(p.tag)],
        expected: `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`,
        found: describe(p.tagValue),
      }
    }
    case 'enum':
      return { path, expected: words ?? `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, found: describe(e.data) }
    case 'const':
      return { path, expected: JSON.stringify(p.allowedValue), found: describe(e.data) }
    case 'type': {
      const issue: Issue = { path, expected: words ?? article(String(p.type)), found: describe(e.data) }
      if (wantsText(p.type) && (typeof e.data === 'number' || typeof e.data === 'boolean')) issue.quote = true
      const tag = (schema as { discriminator?: { propertyName?: string } }).discriminator?.propertyName
      if (tag && typeof e.data === 'string') issue.hint = taggedHint(e.parentSchema, tag, e.data)
      return issue
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, expected: words ?? `a number ${String(p.comparison)} ${String(p.limit)}`, found: describe(e.data) }
    case 'minItems':
      return { path, expected: `at least ${String(p.limit)} item(s)`, found: describe(e.data) }
    case 'maxItems':
      return { path, expected: `at most ${String(p.limit)} item(s)`, found: describe(e.data) }
    case 'minLength':
      return { path, expected: words ?? `text of at least ${String(p.limit)} character(s)`, found: describe(e.data) }
    case 'maxLength':
      return { path, expected: words ?? `text of at most ${String(p.limit)} character(s)`, found: describe(e.data) }
    case 'uniqueItems':
      return { path, expected: 'items without repeats', found: `a repeat at items ${String(p.j)} and ${String(p.i)}` }
    default:
      return { path, expected: words ?? `${e.keyword} ${e.message ?? ''}`.trim(), found: describe(e.data) }
  }
}

function wantsText(type: unknown): boolean {
  return type === 'string' || (Array.isArray(type) && type.includes('string'))
}

/** `gateway: kannel` for a union told apart by `kind`: the mapping that was meant. */
function taggedHint(parent: unknown, tag: string, value: string): string {
  const options = ((parent as { oneOf?: { properties?: Record<string, { const?: unknown }> }[] })?.oneOf ?? [])
    .map((v) => v.properties?.[tag]?.const)
    .filter((v): v is string => typeof v === 'string')
  if (options.includes(value)) return `write a mapping: { ${tag}: ${value} }`
  return `write a mapping with ${tag}: one of ${options.join(', ')}, like { ${tag}: ${options[0] ?? '...'} }`
}

function article(type: string): string {
  switch (type) {
    case 'integer':
      return 'a whole number'
    case 'number':
      return 'a number'
    case 'string':
      return 'text'
    case 'boolean':
      return 'true or false'
    case 'array':
      return 'a list'
    case 'object':
      return 'a mapping'
    default:
      return type
  }
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}
