// Issue 14 item 2 through the built CLI: messages sent with registered_delivery 0 expect no
// receipt. They leave the receipt books as no_receipt_requested (the books still balance), the
// run does not wait for them, and validate warns about a receipt threshold only they fall under.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ResultsFile } from '../../results/results-format.js'
import { checkBooks } from '../../results/results-writer.js'
import { cliOut, fixture, mtsim } from './cli-run.js'

describe('registered_delivery 0', () => {
  it('validate warns that a receipt threshold covers only streams that ask for no receipt', async () => {
    const r = await mtsim(['validate', fixture('no-receipt.yaml')])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/warning: .*no-receipt\.yaml thresholds\["delivery_rate\{operator:north\}"\]: judges receipts, but stream promo \(all that send to north\) ask for none \(registered_delivery 0\)/)
    // The overall thresholds also cover otp, which asks for receipts: no warning for them.
    expect(r.stderr).not.toMatch(/thresholds\["delivery_rate"\]|thresholds\["missing"\]/)
  })

  it('the run counts them no_receipt_requested, waits for none of them, and judges delivery over the rest', async () => {
    const out = cliOut('no-receipt')
    const r = await mtsim(['run', fixture('no-receipt.yaml'), '--out', out, '--no-progress'], { timeoutMs: 60_000 })
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile
    expect(checkBooks(res)).toEqual([])
    expect(res.totals).toMatchObject({ accepted: 150, delivered: 50, missing: 0, no_receipt_requested: 100 })
    expect(res.operators.north.totals).toMatchObject({ accepted: 100, delivered: 0, missing: 0, no_receipt_requested: 100 })
    // Before: every promo message waited the 30 s receipt wait and then counted missing.
    expect(res.meta.durationMs).toBeLessThan(30_000)
    expect(r.stdout).toContain('100 asked for none (registered_delivery 0)')
    const byKey = Object.fromEntries(res.thresholds.map((t) => [`${t.metric}/${t.scope}`, t]))
    expect(byKey['delivery_rate/overall']).toMatchObject({ ok: true, observed: 1 })
    expect(byKey['missing/overall']).toMatchObject({ ok: true, observed: 0 })
    // north asked for no receipt at all: no delivery rate to judge there (and validate said so).
    expect(byKey['delivery_rate/north']).toMatchObject({ ok: false, observed: null })
    expect(r.code).toBe(99)
  })
})
