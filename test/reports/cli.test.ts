// `mtsim report` wired as the CLI wires it: files in, report files out, the console summary,
// and the exit code (99 a threshold failed, 0 all passed, 104 unreadable or unmergeable results).
import { describe, it, expect, vi, afterEach } from 'vitest'
import { Command } from 'commander'
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { registerReport } from '../../cli/commands/report.js'
import { syntheticRun, syntheticShares } from './fixtures.js'
import { parseXml } from './xml-check.js'
import { readFileSync } from 'node:fs'

const dir = mkdtempSync(join(tmpdir(), 'mtsim-cli-report-'))
function save(name: string, value: unknown): string {
  const file = join(dir, name)
  writeFileSync(file, JSON.stringify(value))
  return file
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true))
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true))
  try {
    const program = new Command('mtsim').exitOverride()
    registerReport(program)
    process.exitCode = 0
    await program.parseAsync(['node', 'mtsim', 'report', ...args])
    return { code: Number(process.exitCode ?? 0), out: out.join(''), err: err.join('') }
  } finally {
    so.mockRestore()
    se.mockRestore()
  }
}

afterEach(() => {
  process.exitCode = 0
})

describe('mtsim report', () => {
  it('writes the three files, prints the summary and exits 99 when a threshold failed', async () => {
    const out = join(dir, 'failing')
    const r = await run(save('fail.json', syntheticRun({ durationS: 60, rate: 40 })), '--out', out)
    expect(r.code).toBe(99)
    expect(r.out).toContain('mtsim results: "synthetic-mixed-faults"')
    expect(r.out).toMatch(/thresholds: \d of 7 FAILED/)
    expect(r.out).toContain(join(out, 'report.html'))
    for (const f of ['report.html', 'junit.xml', 'summary.md']) expect(existsSync(join(out, f)), f).toBe(true)
    expect(parseXml(readFileSync(join(out, 'junit.xml'), 'utf8')).attrs.tests).toBe('7')
  })

  it('exits 0 when every threshold passed', async () => {
    const ok = syntheticRun({ durationS: 10, rate: 20, thresholds: { sent: ['count>0'], delivery_rate: ['rate>0.5'] } })
    const r = await run(save('pass.json', ok), '--out', join(dir, 'passing'))
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain('thresholds: all 2 passed')
  })

  it('merges several shares first and reports on the whole', async () => {
    const opts = { durationS: 20, rate: 60 }
    const whole = syntheticRun(opts)
    const files = syntheticShares(3, opts).map((s, i) => save(`share-${i}.json`, s))
    const r = await run(...files, '--out', join(dir, 'merged'))
    expect(r.err).toBe('')
    expect(r.out).toMatch(new RegExp(`planned\\s+${whole.totals.planned.toLocaleString('en-US')}\\s`))
    expect(r.out).toMatch(new RegExp(`delivered\\s+${whole.totals.delivered.toLocaleString('en-US')}\\s`))
    expect(r.code).toBe(whole.thresholds.some((t) => !t.ok) ? 99 : 0)
  })

  it('compares with --baseline and --tolerance', async () => {
    const now = save('now.json', syntheticRun({ durationS: 20, rate: 50, slowdown: 1.3 }))
    const then = save('then.json', syntheticRun({ durationS: 20, rate: 50 }))
    const r = await run(now, '--baseline', then, '--tolerance', '0.05', '--out', join(dir, 'cmp'))
    expect(r.out).toMatch(/tolerance 5%: \d figure\(s\) WORSE/)
    expect(readFileSync(join(dir, 'cmp', 'summary.md'), 'utf8')).toContain('tolerance 5%')
  })

  it('exits 104 with a clear message for unreadable results, and writes nothing', async () => {
    const old = save('old.json', { ...syntheticRun({ durationS: 2, rate: 5 }), version: 0 })
    const out = join(dir, 'never')
    const r = await run(old, '--out', out)
    expect(r.code).toBe(104)
    expect(r.err).toBe(`MTSIM_ERR_RESULTS: ${old}: results version 0 is too old: this mtsim reads version 2 and cannot migrate version 0 (re-run the scenario with this mtsim)\n`)
    expect(existsSync(out)).toBe(false)
    expect((await run(join(dir, 'missing.json'))).code).toBe(104)
  })

  it('exits 104 when the files are not shares of one run, and for a bad --tolerance', async () => {
    const a = save('a.json', syntheticShares(2, { durationS: 5, rate: 10, seed: 1 })[0])
    const b = save('b.json', syntheticShares(2, { durationS: 5, rate: 10, seed: 2 })[1])
    const r = await run(a, b, '--out', join(dir, 'x'))
    expect(r.code).toBe(104)
    expect(r.err).toContain('MTSIM_ERR_MERGE: cannot merge these results: they come from different runs')
    expect(r.err).toContain(`- ${b} has seed 2, ${a} has seed 1`)
    const t = await run(a, '--tolerance', 'ten')
    expect(t.code).toBe(104)
    expect(t.err).toContain('--tolerance: expected a fraction of 0 or more like 0.1 (10%), found "ten"')
  })
})
