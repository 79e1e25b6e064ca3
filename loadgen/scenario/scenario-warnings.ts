// What a valid scenario may still get wrong without noticing: printed as warnings by
// `mtsim validate` and at the start of `mtsim run`, before anything is sent. They never fail a
// file (the verdict of a run that goes wrong anyway is the thresholds'), they say what to check.
//
// - A duration written as a bare number is milliseconds (`duration: 60` is 60 ms, one message at
//   10/s): k6 refuses it; we accept it, and say how it was read.
//
// API: scenarioWarnings(file) -> lines "file:line:col path: ...", for a file that loads.
import { readFileSync } from 'node:fs'
import { isScalar, LineCounter, parseDocument, type Document } from 'yaml'
import { formatPath } from '../../config/load-config.js'

type Path = (string | number)[]

export function scenarioWarnings(file: string): string[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return [] // the loader reports unreadable files
  }
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines })
  if (doc.errors.length) return []
  const at = (path: Path) => {
    const node = doc.getIn(path, true) as { range?: [number, number] } | undefined
    const pos = node?.range ? lines.linePos(node.range[0]) : undefined
    return `${file}${pos ? `:${pos.line}:${pos.col}` : ''} ${formatPath(path)}`
  }
  return bareDurations(doc).map(({ path, value }) => `${at(path)}: ${value} is a bare number, read as ${value} ms; write "${value}ms", or "${value}s" if seconds were meant`)
}

/** Every duration key of a scenario that holds a number rather than a string with a unit. */
function bareDurations(doc: Document): { path: Path; value: number }[] {
  const out: { path: Path; value: number }[] = []
  const check = (path: Path) => {
    const node = doc.getIn(path, true)
    if (isScalar(node) && typeof node.value === 'number') out.push({ path, value: node.value })
  }
  const value = doc.toJS() as { streams?: unknown; thresholds?: unknown } | null
  const streams = Array.isArray(value?.streams) ? (value.streams as Record<string, unknown>[]) : []
  streams.forEach((st, i) => {
    for (const key of ['duration', 'timeUnit', 'start']) check(['streams', i, key])
    if (Array.isArray(st?.stages)) st.stages.forEach((_: unknown, j: number) => check(['streams', i, 'stages', j, 'duration']))
  })
  check(['receipts', 'wait'])
  check(['scheduling', 'late_after'])
  check(['scheduling', 'max_lag'])
  const thresholds = value?.thresholds && typeof value.thresholds === 'object' ? (value.thresholds as Record<string, unknown>) : {}
  for (const [key, list] of Object.entries(thresholds)) {
    if (Array.isArray(list)) list.forEach((_, j) => check(['thresholds', key, j, 'delayAbortEval']))
  }
  return out
}
