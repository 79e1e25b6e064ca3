// Reads a results.json written by `mtsim run` (or one --segment share of it). The version is
// checked before anything else: an older file is brought forward by the migrations below, one
// version at a time; a file from a newer mtsim is refused, since guessing at fields we do not know
// would draw a wrong report rather than no report.
import { readFileSync } from 'node:fs'
import { MtsimError } from '../lib/errors.js'
import { validateConfig } from '../config/load-config.js'
import { RESULTS_SCHEMA, RESULTS_VERSION, type ResultsFile } from './results-format.js'
import { ResultsSchema } from './results-schema.js'

type Migration = (old: Record<string, unknown>) => Record<string, unknown>

/** migrations[n] turns a version n file into a version n+1 file. */
const migrations: Record<number, Migration> = {
  // 1 -> 2 (issue 13): version 2 adds the optional `streams` section and per-stream time series; a
  // version 1 file was not measured per stream, so it simply has none (reports then show no stream
  // rows). Its threshold scopes ('overall' or an operator id) mean the same in version 2. Totals
  // gain failed_in_gateway, held_by_gateway, arrived, lost_in_gateway: a version 1 run did not tell
  // the gateway's receipts from the operator's, nor held from missing, so they read as 0 and its
  // books across the gateway are not checked (it has no `network` section).
  1: (old) => {
    const gained = (t: unknown) => ({ failed_in_gateway: 0, held_by_gateway: 0, arrived: 0, lost_in_gateway: 0, ...(t as object) })
    const operators: Record<string, unknown> = {}
    const oldOps = (old.operators ?? {}) as Record<string, Record<string, unknown>>
    for (const [id, o] of Object.entries(oldOps)) operators[id] = o && typeof o === 'object' ? { ...o, totals: gained(o.totals) } : o
    return { ...old, totals: gained(old.totals), operators: old.operators === undefined ? undefined : operators }
  },
}

export function loadResults(file: string): ResultsFile {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new MtsimError('MTSIM_ERR_RESULTS', [file, `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`])
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new MtsimError('MTSIM_ERR_RESULTS', [file, `not valid JSON (${(err as Error).message})`])
  }
  return parseResults(value, file)
}

/** Checks an already-parsed results value; `file` names it in errors. */
export function parseResults(value: unknown, file: string): ResultsFile {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new MtsimError('MTSIM_ERR_RESULTS', [file, 'expected a results object written by mtsim run, found ' + kindOf(value)])
  }
  let doc = value as Record<string, unknown>
  if (doc.schema !== RESULTS_SCHEMA) {
    throw new MtsimError('MTSIM_ERR_RESULTS', [
      file,
      `not an mtsim results file: expected schema "${RESULTS_SCHEMA}", found ${doc.schema === undefined ? 'no schema key' : JSON.stringify(doc.schema)}`,
    ])
  }
  const version = doc.version
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new MtsimError('MTSIM_ERR_RESULTS', [file, `expected a whole-number results version, found ${JSON.stringify(version)}`])
  }
  if (version > RESULTS_VERSION) {
    throw new MtsimError('MTSIM_ERR_RESULTS', [
      file,
      `results version ${version} was written by a newer mtsim; this mtsim reads version ${RESULTS_VERSION} (upgrade mtsim to report on it)`,
    ])
  }
  for (let v = version; v < RESULTS_VERSION; v++) {
    const step = migrations[v]
    if (!step) {
      throw new MtsimError('MTSIM_ERR_RESULTS', [
        file,
        `results version ${version} is too old: this mtsim reads version ${RESULTS_VERSION} and cannot migrate version ${v} (re-run the scenario with this mtsim)`,
      ])
    }
    doc = { ...step(doc), version: v + 1 }
  }
  const results = validateConfig(doc, ResultsSchema, { file }) as ResultsFile
  // A count added within version 1 (docs/results.md): files written before it have none, i.e. 0.
  results.totals.no_receipt_requested ??= 0
  for (const o of Object.values(results.operators)) o.totals.no_receipt_requested ??= 0
  return results
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value
}
