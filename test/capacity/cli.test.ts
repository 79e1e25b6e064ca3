// The two commands on the built CLI: what they write, their exit codes, and bad input reported
// with a code and a sentence (no stack trace).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { outDir, REPO } from './helpers.js'

const CLI = join(REPO, 'dist/cli/main.js')
const mtsim = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 })

describe('mtsim model (CLI)', () => {
  it('writes results.json, model.json and the report, prints the answers, exits 0 when the thresholds hold', () => {
    const dir = outDir('cli-model')
    const r = mtsim('model', 'scenarios/quickstart.yaml', '--out', dir, '--no-progress')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('MODELLED (no sockets): quickstart, 1,000 messages')
    for (const f of ['results.json', 'model.json', 'report.html', 'junit.xml', 'summary.md', 'timeseries.ndjson']) expect(existsSync(join(dir, f)), f).toBe(true)
    const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'))
    expect(m.schema).toBe('mtsim/model')
    expect(m.answers.operators.map((o: { id: string }) => o.id)).toEqual(['telco-a', 'telco-b', 'telco-c'])
    // The run report reads the modelled results and says so.
    const rep = mtsim('report', join(dir, 'results.json'), '--out', join(dir, 'again'))
    expect(rep.status, rep.stderr).toBe(0)
    expect(readFileSync(join(dir, 'again', 'report.html'), 'utf8')).toContain('Modelled by mtsim model')
  })

  it('exits 99 when a threshold fails in the model', () => {
    const r = mtsim('model', 'scenarios/national-peak-day.yaml', '--out', outDir('cli-model-peak'), '--no-progress', '--no-report', '--duration', '14h')
    expect(r.status, r.stderr).toBe(99)
    expect(r.stdout).toMatch(/FAIL \{operator:fjordnett\} transit_latency/)
  })

  it('refuses an interval that is not a whole number of steps', () => {
    const r = mtsim('model', 'scenarios/quickstart.yaml', '--out', outDir('cli-model-bad'), '--interval', '1s', '--step', '3ms')
    expect(r.status).toBe(104)
    expect(r.stderr).toContain('MTSIM_ERR_MODEL: mtsim model: the interval (--interval or model.interval) must be a whole number of steps of 3 ms')
    expect(r.stderr).not.toContain('    at ')
  })
})

describe('mtsim capacity (CLI)', () => {
  it('refuses search settings that cannot work', () => {
    const a = mtsim('capacity', 'scenarios/quickstart.yaml', '--start', '50', '--max-rate', '10')
    expect(a.status).toBe(104)
    expect(a.stderr).toContain('MTSIM_ERR_CAPACITY: mtsim capacity: --max-rate (10) must be at least the start rate (50)')
    const b = mtsim('capacity', 'scenarios/quickstart.yaml', '--factor', '1.1', '--precision', '0.2')
    expect(b.status).toBe(104)
    expect(b.stderr).toContain('--precision (0.2) must be finer than a rising step')
    const c = mtsim('capacity', 'scenarios/quickstart.yaml', '--step', 'soon')
    expect(c.status).toBe(104)
    expect(c.stderr).toContain('--step: expected a duration')
  })
})

describe('the scenario\'s model: section', () => {
  const withModel = (name: string, model: string) => {
    const file = join(outDir(name), 'bad.yaml')
    const text = readFileSync(join(REPO, 'scenarios/quickstart.yaml'), 'utf8')
      .replace('network: networks/quickstart-network.yaml', `network: ${join(REPO, 'scenarios/networks/quickstart-network.yaml')}`)
    writeFileSync(file, `${text}\nmodel:\n${model}`)
    return mtsim('validate', file)
  }

  it('rejects unknown keys with their path', () => {
    const r = withModel('cli-model-key', '  links:\n    telco-a: { colour: red }\n')
    expect(r.status).toBe(104)
    expect(r.stderr).toMatch(/model\.links\.telco-a\.colour: expected one of the keys binds, window, .*found unknown key "colour"/)
  })

  it('rejects links to operators the network does not have, and an interval that is not whole steps', () => {
    const r = withModel('cli-model-op', '  interval: 10ms\n  step: 3ms\n  links:\n    telco-x: { binds: 2 }\n')
    expect(r.status).toBe(104)
    expect(r.stderr).toMatch(/model\.links\.telco-x: expected an operator of the network \(telco-a, telco-b, telco-c\)/)
    expect(r.stderr).toMatch(/model\.interval: expected a whole number of steps/)
  })
})
