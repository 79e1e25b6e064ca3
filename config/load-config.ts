// Reads a YAML or JSON config file, validates it against one schema and reports every problem at
// once as `file:line:col path: expected ..., found ...`. Never a stack trace, never silent
// acceptance of unknown keys.
import { readFileSync } from 'node:fs'
import { parseDocument, LineCounter, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml'
import type { TSchema, Static } from '@sinclair/typebox'
import { MtsimError } from '../lib/errors.js'
import { validator, type Issue } from './validator.js'
import { describe } from './describe.js'

export { describe }

export type { Issue }

export interface Source {
  file: string
  doc?: Document
  lines?: LineCounter
  /** The file's text, to quote a value as written. */
  text?: string
}

/** Adds a problem found after schema validation (cross-field rules), with its path. */
export type Report = (path: (string | number)[], expected: string, found: unknown) => void

export interface LoadOptions<T> {
  /** Cross-field checks the schema cannot express (unique ids, references). */
  check?: (value: T, report: Report) => void
}

export function loadConfigFile<S extends TSchema>(file: string, schema: S, opts: LoadOptions<Static<S>> = {}): Static<S> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new MtsimError('MTSIM_ERR_CONFIG_READ', [file, (err as NodeJS.ErrnoException).code ?? String(err)])
  }
  return parseConfigText(text, file, schema, opts)
}

export function parseConfigText<S extends TSchema>(
  text: string,
  file: string,
  schema: S,
  opts: LoadOptions<Static<S>> = {},
): Static<S> {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length) {
    const details = doc.errors.map((e) => {
      // linePos is only filled in with prettyErrors; the offset and our LineCounter give the same.
      const pos = e.linePos?.[0] ?? (e.pos ? lines.linePos(e.pos[0]) : undefined)
      return `${file}${pos ? `:${pos.line}:${pos.col}` : ''} ${e.message.split('\n')[0]}`
    })
    throw new MtsimError('MTSIM_ERR_CONFIG_INVALID', [file], details)
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown
  return validateConfig(value, schema, { file, doc, lines, text }, opts)
}

/** Validates an already-parsed value (inline config, API body); positions when a doc is given. */
export function validateConfig<S extends TSchema>(
  value: unknown,
  schema: S,
  source: Source,
  opts: LoadOptions<Static<S>> = {},
): Static<S> {
  const issues = validator(schema)(value)
  if (!issues.length && opts.check) {
    opts.check(value as Static<S>, (path, expected, found) => issues.push({ path, expected, found: describe(found) }))
  }
  if (issues.length) throw configError(source, issues)
  return value as Static<S>
}

export function configError(source: Source, issues: Issue[]): MtsimError {
  const details = issues.map((i) => {
    const hint = i.quote ? quoteHint(source, i.path) : i.hint
    return `${position(source, i.path)}${formatPath(i.path)}: expected ${i.expected}, found ${i.found}${hint ? `: ${hint}` : ''}`
  })
  return new MtsimError('MTSIM_ERR_CONFIG_INVALID', [source.file], details)
}

/**
 * Text was wanted and YAML read the value as a number or boolean (`mnc: 01` is the number 1,
 * `mcc: 242` a number, `yes` stays text in YAML 1.2 but `true` does not): say what YAML made of
 * it and how to write it, from the text as written in the file.
 */
function quoteHint(source: Source, path: (string | number)[]): string {
  const key = path[path.length - 1]
  const node = nodeAt(source, path)
  const written = isScalar(node) && node.range && source.doc ? sourceText(source, node) : undefined
  const value = isScalar(node) ? node.value : undefined
  const kind = typeof value === 'boolean' ? 'a boolean' : 'a number'
  const as = written ?? (value === undefined ? undefined : String(value))
  if (as === undefined) return source.doc ? `YAML read it as ${kind}: quote it` : 'write it as text, in quotes'
  const made = value !== undefined && as !== String(value) ? `the number ${String(value)}` : kind
  return `YAML read the unquoted ${as} as ${made}: quote it${typeof key === 'string' ? `, ${key}: "${as}"` : ''}`
}

function sourceText(source: Source, node: Node): string | undefined {
  const text = source.text
  if (text === undefined || !node.range) return undefined
  return text.slice(node.range[0], node.range[1]).trim()
}

function nodeAt(source: Source, path: (string | number)[]): unknown {
  let node: unknown = source.doc?.contents
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg))
      if (!pair) return undefined
      node = pair.value
    } else if (isSeq(node) && typeof seg === 'number') node = node.items[seg]
    else return undefined
  }
  return node
}

export function formatPath(path: (string | number)[]): string {
  if (!path.length) return '(top level)'
  let out = ''
  // Keys that are not plain names (threshold keys like "submit_latency{operator:a}") go in brackets.
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : !/^[\w$-]+$/.test(p) ? `[${JSON.stringify(p)}]` : out ? `.${p}` : p
  return out
}


function position(source: Source, path: (string | number)[]): string {
  const { doc, lines, file } = source
  if (!doc || !lines) return `${file} `
  // The deepest node that exists on the path; for an unknown key, the key itself.
  let node: unknown = doc.contents
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg))
      if (!pair) break
      node = pair.value === null || pair.value === undefined ? pair.key : pair.value
      if (seg === path[path.length - 1] && isScalar(pair.key)) node = pair.key
    } else if (node && typeof node === 'object' && 'items' in node && typeof seg === 'number') {
      const next = (node as { items: unknown[] }).items[seg]
      if (next === undefined) break
      node = next
    } else break
  }
  const range = (node as Node | undefined)?.range
  if (!range) return `${file} `
  const { line, col } = lines.linePos(range[0])
  return `${file}:${line}:${col} `
}
