// Acceptance review of issue 2 on the built CLI (npm test builds dist/ first): help with
// examples for every command, the shipped network and scenario files valid and complete-able in
// editors (schema modeline, current JSON Schema), broken files reported all at once (positions
// point at the offending key).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { staleSchemas } from '../../scenarios/export-schema.js'

const ROOT = join(import.meta.dirname, '../..')
const CLI = join(ROOT, 'dist/cli/main.js')

function mtsim(...args: string[]): { code: number | null; out: string; err: string } {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does)`)
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/** The lines of the "Examples:" section of a help text. */
function examples(help: string): string[] {
  const at = help.indexOf('\nExamples:\n')
  if (at < 0) return []
  const lines: string[] = []
  for (const line of help.slice(at + '\nExamples:\n'.length).split('\n')) {
    if (!line.startsWith('  ')) break
    lines.push(line.trim())
  }
  return lines
}

const COMMANDS = ['run', 'validate', 'simulate', 'report', 'gateway', 'gateway kannel']

describe('mtsim --help', () => {
  it('lists every command with an example of each', () => {
    const { code, out } = mtsim('--help')
    expect(code).toBe(0)
    for (const c of ['run', 'validate', 'simulate', 'report', 'gateway']) {
      expect(out).toMatch(new RegExp(`^  ${c} `, 'm'))
      expect(examples(out).some((l) => l.startsWith(`mtsim ${c} `))).toBe(true)
    }
  })

  it.each(COMMANDS)('mtsim %s --help has examples of that command, naming files that exist', (command) => {
    const { code, out } = mtsim(...command.split(' '), '--help')
    expect(code).toBe(0)
    const lines = examples(out)
    expect(lines.filter((l) => l.startsWith(`mtsim ${command}`)).length).toBeGreaterThan(0)
    for (const line of lines) {
      for (const file of line.match(/scenarios\/\S+\.(?:yaml|json)/g) ?? []) expect(existsSync(join(ROOT, file)), file).toBe(true)
    }
  })
})

const SCENARIOS = join(ROOT, 'scenarios')
const shipped = [
  ...readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')).map((f) => join('scenarios', f)),
  ...readdirSync(join(SCENARIOS, 'networks')).filter((f) => f.endsWith('.yaml')).map((f) => join('scenarios/networks', f)),
]

describe('shipped network and scenario files', () => {
  it('include a small network and a three-operator national one', () => {
    expect(shipped).toContain('scenarios/networks/small.yaml')
    expect(shipped).toContain('scenarios/networks/national.yaml')
    const national = readFileSync(join(ROOT, 'scenarios/networks/national.yaml'), 'utf8')
    expect(national.match(/^ {2}- id: /gm)?.length).toBe(3)
  })

  it.each(shipped)('%s starts with a yaml-language-server modeline pointing at its schema', (file) => {
    const first = readFileSync(join(ROOT, file), 'utf8').split('\n')[0]!
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)
    expect(m, `first line of ${file}: ${first}`).not.toBeNull()
    const kind = file.startsWith('scenarios/networks/') ? 'network' : 'scenario'
    const target = resolve(dirname(join(ROOT, file)), m![1]!)
    expect(target).toBe(join(SCENARIOS, 'schema', `${kind}.schema.json`))
    expect(existsSync(target)).toBe(true)
  })

  it('all validate on the built CLI', () => {
    const { code, out, err } = mtsim('validate', ...shipped)
    // national-peak-day is built to overload two operators at its peak (its header says which and
    // why; `mtsim model` shows the queues): the link warnings for it are the point. Nothing else warns.
    const lines = err.split('\n').filter(Boolean)
    for (const line of lines) expect(line).toMatch(/^scenarios\/national-peak-day\.yaml: warning: stream peak-day peaks at 6,614\/s; (fjordnett|kystmobil) gets/)
    expect(lines.map((l) => /; (\w+) gets/.exec(l)![1]).sort()).toEqual(['fjordnett', 'kystmobil'])
    expect(code).toBe(0)
    for (const f of shipped) expect(out).toMatch(new RegExp(`^${f}: valid (network|scenario) file$`, 'm'))
  })

  it('the exported JSON Schemas are current', async () => {
    expect(await staleSchemas()).toEqual([])
  })
})

describe('mtsim validate on broken files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtsim-review-'))

  it('reports every problem of a network file at once: file:line:col, path, expected, found', () => {
    const file = join(dir, 'broken.yaml')
    writeFileSync(
      file,
      [
        'operators:',
        '  - id: Bad Id',
        '    mcc: "242"',
        '    mnc: "01"',
        '    prefixes: ["47"]',
        '    colour: red',
        '    smpp:',
        '      port: 2775',
        '      accounts: [{ system_id: esme, password: toolongpassword }]',
        '    receipts: { delay: { distribution: fixed, value: soon } }',
        '',
      ].join('\n'),
    )
    const { code, err } = mtsim('validate', file)
    expect(code).toBe(104)
    const issues = err.split('\n').filter((l) => l.startsWith('  - '))
    expect(issues).toEqual([
      `  - ${file}:6:5 operators[0].colour: expected one of the keys id, name, mcc, mnc, prefixes, smpp, latency, throttle, failures, senders, receipts, timeline, mo, found unknown key "colour"`,
      `  - ${file}:2:5 operators[0].id: expected an id of lowercase letters, digits, - and _, found "Bad Id"`,
      `  - ${file}:9:37 operators[0].smpp.accounts[0].password: expected an SMPP password of up to 8 characters, found "toolongpassword"`,
      `  - ${file}:10:47 operators[0].receipts.delay.value: expected a duration like "250ms", "2s" or "1m30s" (a number means milliseconds), at most 7d, found "soon"`,
    ])
  })

  it('rejects unknown keys in a JSON network file too', () => {
    const file = join(dir, 'extra.json')
    const op = { id: 'a', mcc: '242', mnc: '01', prefixes: ['47'], smpp: { port: 0, accounts: [{ system_id: 'x', password: 'y' }] } }
    writeFileSync(file, JSON.stringify({ operators: [op], extra: 1 }))
    const { code, err } = mtsim('validate', file)
    expect(code).toBe(104)
    expect(err).toContain(`${file}:1:`)
    expect(err).toMatch(/ extra: expected one of the keys .*, found unknown key "extra"/)
  })
})
