// What a valid scenario may still get wrong without noticing: printed as warnings by
// `mtsim validate` and at the start of `mtsim run`, before anything is sent. They never fail a
// file (the verdict of a run that goes wrong anyway is the thresholds'), they say what to check.
//
// - A duration written as a bare number is milliseconds (`duration: 60` is 60 ms, one message at
//   10/s): k6 refuses it; we accept it, and say how it was read.
//
// - A receipt threshold (receipt_latency, delivery_rate, missing...) over streams that all send
//   registered_delivery 0 judges receipts nobody asked for: those messages leave the receipt
//   books (no_receipt_requested), so the threshold has nothing to judge.
//
// API: scenarioWarnings(file, scenario?) -> lines "file:line:col path: ...", for a file that loads.
import { readFileSync } from 'node:fs'
import { isScalar, LineCounter, parseDocument, type Document } from 'yaml'
import { formatPath } from '../../config/load-config.js'
import type { Scenario, StreamConfig } from './scenario.js'

type Path = (string | number)[]

/** Threshold metrics about receipts: they judge nothing over messages that asked for none. */
const RECEIPT_METRICS = /^(receipt_latency|receipt_latency_uncorrected|delivery_rate|missing_rate|missing|delivered|undelivered|expired|rejected_by_operator|failed_in_gateway|other_final|pending|held_by_gateway)$/

export function scenarioWarnings(file: string, scenario?: Scenario): string[] {
  const out = bareDurationWarnings(file)
  if (scenario) out.push(...receiptWarnings(scenario))
  return out
}

/** Receipt thresholds whose scope only streams with registered_delivery 0 send to. */
export function receiptWarnings(s: Scenario): string[] {
  const where = s.file ?? 'scenario'
  const out: string[] = []
  const wants = (st: StreamConfig) => (st.traffic.registeredDelivery & 3) !== 0
  const reaches = (st: StreamConfig, op: string) => st.traffic.destinations.some((d) => d.kind === 'range' || d.operator === op)
  const seen = new Set<string>()
  for (const d of s.thresholds) {
    if (!RECEIPT_METRICS.test(d.metric) || seen.has(d.key)) continue
    const op = d.operator
    const streams = s.streams.filter((st) => (d.stream === null || st.name === d.stream) && (op === null || reaches(st, op)))
    if (!streams.length || streams.some(wants)) continue
    seen.add(d.key)
    const names = streams.map((st) => st.name).join(', ')
    out.push(
      `${where} thresholds[${JSON.stringify(d.key)}]: judges receipts, but ${streams.length === 1 ? 'stream' : 'streams'} ${names} ` +
        `${op === null ? '' : `(all that send to ${op}) `}ask for none (registered_delivery 0): ` +
        'those messages leave the receipt books (no_receipt_requested), so the threshold has nothing to judge',
    )
  }
  return out
}

function bareDurationWarnings(file: string): string[] {
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
