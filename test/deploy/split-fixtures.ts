// Files and comparisons shared by the split-run tests in namespaces: a network whose outcomes
// depend only on each message (so a split run's books equal the unsplit run's), a constant stream,
// and the books compared between merged shares and an unsplit run.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO } from '../run/helpers.js'
import type { ResultsFile, Totals, Histograms } from '../../results/results-format.js'
import { decodeHistogram } from '../../lib/hdr.js'

export function workdir(name: string): string {
  const root = join(REPO, 'out', 'test-run')
  mkdirSync(root, { recursive: true })
  return mkdtempSync(join(root, `${name}-`))
}

export function network(host: string): Record<string, unknown> {
  const op = (id: string, prefix: string, port: number, over: Record<string, unknown>) => ({
    id,
    mcc: '242',
    mnc: String(port % 100).padStart(2, '0'),
    prefixes: [prefix],
    smpp: { host, port, accounts: [{ system_id: id, password: 'pw' }] },
    latency: { distribution: 'uniform', min: '1ms', max: '4ms' },
    ...over,
  })
  return {
    name: 'split-hosts',
    seed: 17,
    operators: [
      op('mixed', '4790', 2775, {
        failures: { statuses: [{ status: 'ESME_RSYSERR', rate: 0.04 }] },
        receipts: {
          delay: { distribution: 'uniform', min: '10ms', max: '100ms' },
          outcomes: [{ stat: 'DELIVRD', weight: 90 }, { stat: 'UNDELIV', weight: 7 }, { stat: 'EXPIRED', weight: 3 }],
        },
      }),
      op('plain', '4740', 2776, {
        receipts: { delay: { distribution: 'uniform', min: '10ms', max: '60ms' }, outcomes: [{ stat: 'DELIVRD', weight: 95 }, { stat: 'REJECTD', weight: 5 }] },
      }),
    ],
  }
}

export function streams(rate: number, seconds: number): unknown[] {
  return [
    {
      name: 'otp',
      executor: 'constant-arrival-rate',
      rate,
      duration: `${seconds}s`,
      traffic: { destinations: [{ operator: 'mixed' }, { operator: 'plain' }], msisdn_length: 10, templates: ['Your code is {{otp}}'] },
    },
  ]
}

/** Everything but `late`, which depends on the machine's timing, not on the plan or the network. */
export function counted(t: Totals): Omit<Totals, 'late'> {
  const { late: _late, ...rest } = t
  return rest
}

export function histogramTotals(h: Histograms): Record<string, number> {
  const n = (b64: string) => (b64 ? decodeHistogram(b64).totalCount : 0)
  return {
    submit: n(h.submit.corrected), submitUncorrected: n(h.submit.uncorrected),
    receipt: n(h.receipt.corrected), receiptUncorrected: n(h.receipt.uncorrected),
    transit: n(h.transit.corrected),
  }
}

/** formatDuration's text ("375us", "1.2ms", "1.05s") in ms. */
export function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text)
  if (!m) throw new Error(`not a duration: ${text}`)
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1)
}

export const load = (file: string): ResultsFile => JSON.parse(readFileSync(file, 'utf8')) as ResultsFile

/**
 * What must be equal between the merged shares and the unsplit run: every count, and every
 * histogram's count. Through Kannel, `racing` folds intermediate and duplicate receipts into one
 * count: smsbox makes the SMSC-ack callback and the final one as separate HTTP requests, which
 * overtake each other under load, and an ack after the final receipt counts as a duplicate. Which
 * of the two each one is depends on timing, how many there are does not; so only final receipt
 * states are compared by name.
 */
export function books(r: ResultsFile, racing = false) {
  const fold = (t: Totals) => {
    const c = counted(t)
    if (!racing) return c
    const { intermediate_receipts, duplicate_receipts, ...rest } = c
    return { ...rest, intermediate_or_duplicate_receipts: intermediate_receipts + duplicate_receipts }
  }
  const finals = (m: Record<string, number>) => (racing ? Object.fromEntries(Object.entries(m).filter(([stat]) => stat !== 'ACCEPTD' && stat !== 'ENROUTE')) : m)
  return {
    totals: fold(r.totals),
    statuses: r.statuses,
    receipts: finals(r.receipts),
    histograms: histogramTotals(r.histograms),
    operators: Object.fromEntries(Object.entries(r.operators).map(([id, o]) => [id, { totals: fold(o.totals), statuses: o.statuses, receipts: finals(o.receipts), histograms: histogramTotals(o.histograms) }])),
  }
}

