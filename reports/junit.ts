// junit.xml for CI test tabs: one testcase per threshold outcome (per operator where a threshold
// is per operator), failures carrying the observed value against the limit. Hand-written XML,
// so everything that comes from user files is escaped and stripped of characters XML forbids.
import type { ResultsFile, ThresholdOutcome } from '../results/results-format.js'
import { fmtOutcome } from './report-figures.js'
import { scopeLabel } from '../results/thresholds.js'

export function formatJunit(r: ResultsFile): string {
  const cases = r.thresholds
  const failures = cases.filter((c) => !c.ok).length
  const suite = `mtsim thresholds: ${r.meta.name}`
  const seconds = (r.meta.durationMs / 1000).toFixed(3)
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(suite)}" tests="${cases.length}" failures="${failures}" errors="0" time="${seconds}">`,
    `  <testsuite name="${attr(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds}" timestamp="${attr(r.meta.startedAt)}">`,
    '    <properties>',
    ...properties(r).map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`),
    '    </properties>',
  ]
  for (const c of cases) lines.push(...testcase(r, c))
  lines.push('  </testsuite>', '</testsuites>', '')
  return lines.join('\n')
}

function testcase(r: ResultsFile, c: ThresholdOutcome): string[] {
  const name = `${c.metric} ${c.expression}${c.scope === 'overall' ? '' : ` [${c.scope}]`}`
  const classname = `mtsim.${r.meta.name}.${c.scope}`
  const open = `    <testcase classname="${attr(classname)}" name="${attr(name)}" time="0">`
  if (c.ok) return [`    <testcase classname="${attr(classname)}" name="${attr(name)}" time="0"/>`]
  const observed = fmtOutcome(c)
  const message = `${c.metric} observed ${observed}, limit ${c.expression}${c.scope === 'overall' ? '' : ` (${scopeLabel(c.scope)})`}`
  const body = [`metric: ${c.metric}`, `scope: ${c.scope}`, `limit: ${c.expression}`, `observed: ${observed}`, `abortOnFail: ${c.abortOnFail}`].join('\n')
  return [open, `      <failure message="${attr(message)}" type="threshold">${text(body)}</failure>`, '    </testcase>']
}

function properties(r: ResultsFile): [string, string][] {
  const m = r.meta
  const props: [string, string][] = [
    ['scenario', m.name],
    ['scenarioFile', m.scenarioFile ?? ''],
    ['seed', String(m.seed)],
    ['gateway', m.gateway],
    ['interrupted', String(m.interrupted)],
  ]
  if (m.segment) props.push(['segment', `${m.segment.index + 1}/${m.segment.count}`])
  for (const [k, v] of Object.entries(m.versions)) props.push([`version.${k}`, v])
  return props
}

// XML 1.0 allows tab, newline, carriage return and U+0020 up; everything else below goes.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

export function text(s: string): string {
  return s.replace(FORBIDDEN, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')
}
