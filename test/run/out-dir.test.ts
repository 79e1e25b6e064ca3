// Two runs never share an output folder (issue 11, defect 7): the second `mtsim run --out X` used
// to exit 0 and silently replace the first's results. Now it is refused with a clear message and
// the first run's files stay as they were; without --out, a taken default folder gets a suffix.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RUN_MARKER, claimOutDir } from '../../lib/out-dir.js'
import { MtsimError } from '../../lib/errors.js'
import { CLI, FIXTURES, REPO, outDir } from './helpers.js'

function run(out: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', join(FIXTURES, 'pass.yaml'), '--out', out, '--no-progress'], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

function refusal(fn: () => unknown): MtsimError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(MtsimError)
    return err as MtsimError
  }
  throw new Error('expected a refusal')
}

describe('one output folder per run', () => {
  it('a second `mtsim run --out X` is refused (exit 104) and the first results stay intact', async () => {
    const out = outDir('same-out')
    const first = await run(out)
    expect(first.code).toBe(0)
    const before = readFileSync(join(out, 'results.json'), 'utf8')
    const second = await run(out)
    expect(second.code).toBe(104)
    expect(second.stderr).toContain(`MTSIM_ERR_OUT_DIR_USED: --out ${out} already belongs to another run (mtsim run, pid `)
    expect(second.stderr).toContain('choose another folder (or leave out --out for a fresh one)')
    expect(second.stderr).not.toMatch(/internal error|\n\s+at /)
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe(before)
  })

  it('an explicit folder must be new or empty; of two claims on one folder, one wins', () => {
    const root = outDir('claims')
    const fresh = join(root, 'fresh')
    expect(claimOutDir(fresh, true)).toBe(fresh)
    expect(existsSync(join(fresh, RUN_MARKER))).toBe(true)
    expect(refusal(() => claimOutDir(fresh, true)).message).toMatch(/^--out .*fresh already belongs to another run \(mtsim run, pid \d+, started /)
    const used = join(root, 'used')
    mkdirSync(used)
    writeFileSync(join(used, 'results.json'), '{}')
    const e = refusal(() => claimOutDir(used, true))
    expect(e.code).toBe('MTSIM_ERR_OUT_DIR_USED')
    expect(e.exitCode).toBe(104)
    expect(e.message).toBe(`--out ${used} is not empty (it holds results.json); choose another folder (or leave out --out for a fresh one)`)
    const empty = join(root, 'empty')
    mkdirSync(empty)
    expect(claimOutDir(empty, true)).toBe(empty)
  })

  it('the default folder, when taken, becomes -2, -3, ...', () => {
    const base = join(outDir('defaults'), 'quickstart-20260101-120000')
    expect(claimOutDir(base, false)).toBe(base)
    expect(claimOutDir(base, false)).toBe(`${base}-2`)
    expect(claimOutDir(base, false)).toBe(`${base}-3`)
  })
})
