// junit.xml: valid XML (checked by a strict reader), one testcase per threshold outcome, the
// failures carrying observed against limit, and user text escaped.
import { describe, it, expect } from 'vitest'
import { formatJunit } from '../../reports/junit.js'
import { parseXml } from './xml-check.js'
import { syntheticRun } from './fixtures.js'

describe('formatJunit', () => {
  const r = syntheticRun()

  it('has one testcase per threshold, failures where they failed, with observed and limit', () => {
    const root = parseXml(formatJunit(r))
    expect(root.name).toBe('testsuites')
    expect(root.attrs).toMatchObject({ tests: '7', failures: '4', errors: '0', time: '90.000' })
    const suite = root.children.find((c) => c.name === 'testsuite')!
    expect(suite.attrs).toMatchObject({ name: 'mtsim thresholds: synthetic-mixed-faults', tests: '7', failures: '4', timestamp: '2026-11-24T10:00:00.000Z' })
    const cases = suite.children.filter((c) => c.name === 'testcase')
    expect(cases.map((c) => [c.attrs.classname, c.attrs.name, c.children.map((f) => f.name)])).toEqual([
      ['mtsim.synthetic-mixed-faults.overall', 'submit_latency p(99)<250', ['failure']],
      ['mtsim.synthetic-mixed-faults.overall', 'submit_latency p(50)<40', []],
      ['mtsim.synthetic-mixed-faults.overall', 'receipt_latency p(95)<5000', []],
      ['mtsim.synthetic-mixed-faults.overall', 'delivery_rate rate>0.9', []],
      ['mtsim.synthetic-mixed-faults.overall', 'dropped count==0', ['failure']],
      ['mtsim.synthetic-mixed-faults.telco-c', 'submit_latency p(99)<120 [telco-c]', ['failure']],
      ['mtsim.synthetic-mixed-faults.telco-b', 'accept_rate rate>0.95 [telco-b]', ['failure']],
    ])
    const dropped = cases[4]!.children[0]!
    expect(dropped.attrs).toEqual({ message: `dropped observed ${r.totals.dropped}, limit count==0`, type: 'threshold' })
    expect(dropped.text).toContain('observed: 100')
    expect(cases[6]!.children[0]!.attrs.message).toBe('accept_rate observed 0.8127, limit rate>0.95 ({operator:telco-b})')
    const props = Object.fromEntries(suite.children.find((c) => c.name === 'properties')!.children.map((p) => [p.attrs.name, p.attrs.value]))
    expect(props).toMatchObject({ scenario: 'synthetic-mixed-faults', seed: '42', gateway: 'direct', 'version.mtsim': '0.1.0' })
  })

  it('escapes markup, quotes and control characters in user text', () => {
    const evil = syntheticRun({ durationS: 2, rate: 5, name: `a<b>&"c'\u0001\nd` })
    evil.thresholds = [{ metric: 'sent', scope: 'op<"x">', expression: 'count>0&&1', ok: false, observed: null, abortOnFail: true }]
    const xml = formatJunit(evil)
    const suite = parseXml(xml).children[0]!
    expect(suite.attrs.name).toBe(`mtsim thresholds: a<b>&"c'\uFFFD\nd`)
    const failure = suite.children.find((c) => c.name === 'testcase')!.children[0]!
    expect(failure.attrs.message).toBe('sent observed no data, limit count>0&&1 ({operator:op<"x">})')
    expect(failure.text).toContain('scope: op<"x">')
  })

  it('a run without thresholds is an empty, valid suite', () => {
    const none = syntheticRun({ durationS: 2, rate: 5, thresholds: {} })
    const root = parseXml(formatJunit(none))
    expect(root.attrs).toMatchObject({ tests: '0', failures: '0' })
    expect(root.children[0]!.children.filter((c) => c.name === 'testcase')).toEqual([])
  })

  it('the checker itself rejects broken XML', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow('</a> closes <b>')
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow('duplicate attribute')
    expect(() => parseXml('<a>1 & 2</a>')).toThrow('bare "&"')
    expect(() => parseXml('<a>x &nbsp; y</a>')).toThrow('unknown entity')
    expect(() => parseXml('<a x=1/>')).toThrow('malformed tag')
    expect(() => parseXml('<a>')).toThrow('never closed')
    expect(() => parseXml('<a/>\u0001')).toThrow('not allowed')
  })
})
