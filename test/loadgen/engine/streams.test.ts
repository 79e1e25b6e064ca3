// Per stream: every count, histogram and interval count is kept per (stream, operator) cell, and
// the per-stream and per-operator figures are sums of cells. Checked against a transport wrapper
// that counts what it saw per stream and operator on its own, and for thresholds with stream tags.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runLoad } from '../../../loadgen/engine/engine.js'
import { Metrics } from '../../../loadgen/measure/run-metrics.js'
import type { OperatorResults, ResultsFile } from '../../../results/results-format.js'
import { addTotals } from '../../../results/merge.js'
import { parseThresholds } from '../../../results/thresholds.js'
import { decodeHistogram } from '../../../lib/hdr.js'
import type { OutboundMessage, SubmitOutcome, Transport } from '../../../loadgen/transports/transport.js'
import { FakeTransport } from '../../support/fake-transport.js'
import { constantPlan, messages, outDir, scenario } from './helpers.js'

/** Counts sends and answers per stream|operator as the transport sees them (independent of the engine's metrics). */
function counting(inner: Transport) {
  const seen: Record<string, { sent: number; accepted: number; rejected: number; failed: number }> = {}
  const wrapped: Transport = {
    name: inner.name,
    start: (r) => inner.start(r),
    capacity: () => inner.capacity(),
    close: () => inner.close(),
    send(msg: OutboundMessage, done: (o: SubmitOutcome) => void) {
      const c = (seen[`${msg.stream}|${msg.operator}`] ??= { sent: 0, accepted: 0, rejected: 0, failed: 0 })
      c.sent++
      inner.send(msg, (o) => {
        c[o.kind]++
        done(o)
      })
    },
  }
  return { wrapped, seen }
}

// Three streams: seqs interleave by 3, so each stream's seqs alternate even (alpha) and odd (beta).
const STREAMS = ['otp', 'promo', 'bulk']

async function twoStreamRun(thresholds: Record<string, string[]> = {}) {
  const fake = new FakeTransport({ seed: 5, rejectRate: 0.2, receiptDelayMs: { min: 2, max: 8 }, outcomes: [{ stat: 'DELIVRD', weight: 3 }, { stat: 'UNDELIV', weight: 1 }] })
  const { wrapped, seen } = counting(fake)
  const dir = outDir()
  const defs = parseThresholds(thresholds, 'streams.test.ts', ['alpha', 'beta'], STREAMS)
  // Stream index i makes messages with stream `s${i}` (helpers.ts messages()): s0 is otp, s1 promo, s2 bulk.
  const r = await runLoad({
    scenario: scenario({ waitMs: 300, thresholds: defs }),
    plan: constantPlan([{ rate: 400, count: 600, name: 'otp' }, { rate: 200, count: 300, name: 'promo' }, { rate: 100, count: 150, name: 'bulk' }]),
    transport: wrapped, outDir: dir, traffic: messages(),
  })
  return { r, seen, dir }
}

const finals = (t: OperatorResults['totals']) => t.delivered + t.undelivered + t.expired + t.rejected_by_operator + t.other_final

describe('per stream', () => {
  it('keeps every count per (stream, operator) cell, equal to what the transport saw; streams and operators are sums of cells', async () => {
    const { r, seen, dir } = await twoStreamRun()
    expect(Object.keys(r.streams!)).toEqual(STREAMS)
    expect(r.streams!.otp.totals.planned).toBe(600)
    expect(r.streams!.promo.totals.planned).toBe(300)
    STREAMS.forEach((name, i) => {
      for (const op of ['alpha', 'beta']) {
        const cell = r.streams![name].operators[op]
        const truth = seen[`s${i}|${op}`]
        expect(truth.sent).toBeGreaterThan(0)
        expect([cell.totals.sent, cell.totals.accepted, cell.totals.rejected, cell.totals.failed]).toEqual([truth.sent, truth.accepted, truth.rejected, truth.failed])
        // Every message accounted for in the cell, and its histograms count what they measure.
        expect(cell.totals.accepted).toBe(finals(cell.totals) + cell.totals.missing + cell.totals.pending)
        expect(decodeHistogram(cell.histograms.submit.corrected).totalCount).toBe(cell.totals.accepted + cell.totals.rejected)
        expect(decodeHistogram(cell.histograms.receipt.corrected).totalCount).toBe(finals(cell.totals))
      }
      // A stream is the sum of its cells, histograms included.
      const s = r.streams![name]
      expect(s.totals).toEqual(addTotals(Object.values(s.operators).map((c) => c.totals)))
      expect(decodeHistogram(s.histograms.submit.corrected).totalCount).toBe(s.totals.accepted + s.totals.rejected)
      expect(s.statuses.ESME_ROK).toBe(s.totals.accepted)
    })
    // Streams add up to the whole run, and the cells of an operator to the operator.
    expect(addTotals(STREAMS.map((n) => r.streams![n].totals))).toEqual(r.totals)
    for (const op of ['alpha', 'beta']) expect(addTotals(STREAMS.map((n) => r.streams![n].operators[op].totals))).toEqual(r.operators[op].totals)
    // The time series per stream adds up to each stream's totals.
    for (const name of STREAMS) {
      const sum = (k: 'sent' | 'accepted' | 'rejected' | 'receipts') => r.timeseries.reduce((a, p) => a + p.streams![name][k], 0)
      const t = r.streams![name].totals
      expect([sum('sent'), sum('accepted'), sum('rejected'), sum('receipts')]).toEqual([t.sent, t.accepted, t.rejected, finals(t)])
    }
    const onDisk = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile
    expect(onDisk.streams).toEqual(r.streams)
  })

  it('judges thresholds per stream and per stream and operator', async () => {
    const { r } = await twoStreamRun({
      'planned{stream:otp}': ['count==600'],
      'planned{stream:promo}': ['count==300'],
      'sent{stream:promo,operator:beta}': ['count==150'],
      'accepted{operator:alpha}': ['count>0'],
      'planned{stream:promo,operator:alpha}': ['count==1'],
    })
    expect(r.thresholds.map((t) => [t.scope, t.ok, t.observed])).toEqual([
      ['stream:otp', true, 600],
      ['stream:promo', true, 300],
      ['stream:promo,operator:beta', true, 150],
      ['alpha', true, r.operators.alpha.totals.accepted],
      ['stream:promo,operator:alpha', false, 150],
    ])
  })
})

describe('cells', () => {
  it('gives each (stream, operator) pair one dense index, made on first use', () => {
    const m = new Metrics(['a', 'b'], ['x', 'y'])
    const yb = m.cellIndex(1, 1)
    const xa = m.cellIndex(0, 0)
    expect([yb, xa, m.cellIndex(1, 1)]).toEqual([0, 1, 0])
    expect([m.operatorOf(yb), m.streamOf(yb)]).toEqual([1, 1])
    const c = m.cellIndex(0, m.operatorIndex('elsewhere'))
    expect([c, m.operatorOf(c), m.operatorIds]).toEqual([2, 2, ['a', 'b', 'elsewhere']])
    m.planned(yb)
    m.planned(xa)
    m.dropped(xa)
    // Operators and streams with no cell still show, empty; a stream lists only the operators it reached.
    const streams = m.streamResults()
    expect(Object.keys(streams.y.operators)).toEqual(['b'])
    expect([streams.x.totals.planned, streams.x.totals.dropped, streams.y.totals.planned]).toEqual([1, 1, 1])
    expect(m.operatorResults().b.totals.planned).toBe(1)
    expect(m.operatorResults().elsewhere.totals.planned).toBe(0)
    expect(m.overall.totals.planned).toBe(2)
  })
})
