// Network files: every shipped example validates, and bad files get every problem at once with
// file:line:col (of the offending key or value), path, expected and found.
import { describe, it, expect, beforeAll } from 'vitest'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadNetwork } from '../../simulator/network.js'
import { MtsimError } from '../../lib/errors.js'

const EXAMPLES = join(import.meta.dirname, '../../scenarios/networks')
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtsim-config-'))
})

/** Writes the YAML to a file and returns the problem lines mtsim reports for it. */
function problems(yaml: string, name = 'net.yaml'): string[] {
  const file = join(dir, name)
  writeFileSync(file, yaml)
  try {
    loadNetwork(file)
  } catch (err) {
    expect(err).toBeInstanceOf(MtsimError)
    const e = err as MtsimError
    expect(e.code).toBe('MTSIM_ERR_CONFIG_INVALID')
    expect(e.exitCode).toBe(104)
    expect(e.message).toBe(`${file} is not valid`)
    return e.details.map((d) => d.replace(file, 'F'))
  }
  throw new Error('expected the file to be rejected')
}

const OP = (id: string, port: number, prefix: string, extra = '') => `
  - id: ${id}
    mcc: "242"
    mnc: "01"
    prefixes: ["${prefix}"]
    smpp:
      port: ${port}
      accounts:
        - { system_id: sys, password: pw }${extra}`

describe('shipped example networks', () => {
  const files = readdirSync(EXAMPLES).filter((f) => /\.ya?ml$/.test(f))

  it('include small.yaml and national.yaml', () => {
    expect(files).toEqual(expect.arrayContaining(['small.yaml', 'national.yaml']))
  })

  it.each(files)('%s validates', (f) => {
    const net = loadNetwork(join(EXAMPLES, f))
    expect(net.operators.length).toBeGreaterThan(0)
    for (const op of net.operators) expect(op.host).toBe('127.0.0.1')
  })

  it('national.yaml has three operators on fixed ports with distinct throttles and one flaky operator', () => {
    const net = loadNetwork(join(EXAMPLES, 'national.yaml'))
    expect(net.operators.map((o) => [o.id, o.port])).toEqual([
      ['nordtel', 2775],
      ['fjordmobil', 2776],
      ['kystnett', 2777],
    ])
    expect(net.operators.map((o) => o.throttle?.rate)).toEqual([500, 200, 50])
    const flaky = net.operators[2]
    expect(flaky.failures.statuses).toEqual([
      { status: 0x08, rate: 0.02 },
      { status: 0x14, rate: 0.01 },
      { status: 0x45, rate: 0.005 },
    ])
    expect(flaky.timeline.map((f) => [f.kind, f.at, f.duration])).toEqual([
      ['latency_spike', 20_000, 10_000],
      ['outage', 40_000, 15_000],
      ['throttle_change', 70_000, 20_000],
      ['receipt_backlog', 100_000, 20_000],
      ['black_hole', 130_000, 5_000],
    ])
    expect(net.operators.filter((o) => o.timeline.length)).toHaveLength(1)
  })
})

describe('bad network files', () => {
  it('reports every problem at once with line:col, path, expected and found', () => {
    const yaml = `operators:
  - id: Bad Id
    mcc: "24"
    mnc: "01"
    prefixes: []
    smpp:
      port: 70000
      accounts:
        - { system_id: sys, password: waytoolongpassword }
    latency: { distribution: fixed, value: soon }
`
    expect(problems(yaml)).toEqual([
      'F:2:5 operators[0].id: expected an id of lowercase letters, digits, - and _, found "Bad Id"',
      'F:3:5 operators[0].mcc: expected a 3-digit MCC like "242", found "24"',
      'F:5:5 operators[0].prefixes: expected at least 1 item(s), found a list of 0',
      'F:7:7 operators[0].smpp.port: expected a TCP port from 0 to 65535 (0 picks a free port), found 70000',
      'F:9:29 operators[0].smpp.accounts[0].password: expected an SMPP password of up to 8 characters, found "waytoolongpassword"',
      'F:10:37 operators[0].latency.value: expected a duration like "250ms", "2s" or "1m30s" (a number means milliseconds), at most 7d, found "soon"',
    ])
  })

  it('rejects unknown keys and names the allowed ones', () => {
    const lines = problems(`operators:${OP('a', 2775, '47')}\n    throttle: { rate: 10, brust: 5 }\nnmae: x\n`)
    expect(lines).toEqual([
      'F:11:1 nmae: expected one of the keys $schema, name, seed, operators, found unknown key "nmae"',
      'F:10:27 operators[0].throttle.brust: expected one of the keys rate, per, burst, status, count_segments, found unknown key "brust"',
    ])
  })

  it('reports a missing required key', () => {
    expect(problems('operators:\n  - id: a\n    mcc: "242"\n    mnc: "01"\n    prefixes: ["47"]\n')).toEqual([
      'F:2:5 operators[0].smpp: expected this key (it is required), found nothing',
    ])
  })

  it('reports a YAML syntax error with its position', () => {
    // The parser reports an unclosed quote where it noticed: at the end of the input.
    expect(problems('operators:\n  - id: a\n    mcc: "242\n')).toEqual(['F:4:1 Missing closing "quote'])
    expect(problems('name: a\nname: b\noperators: []\n')).toEqual(['F:2:1 Map keys must be unique'])
  })

  it('names the unknown distribution and the allowed ones', () => {
    expect(problems(`operators:${OP('a', 2775, '47')}\n    latency: { distribution: gaussian, mean: 1s }\n`)).toEqual([
      'F:10:16 operators[0].latency.distribution: expected one of "fixed", "uniform", "normal", "lognormal", "exponential", found "gaussian"',
    ])
  })

  it.each([
    [
      'duplicate ids',
      `operators:${OP('a', 2775, '4790')}${OP('a', 2776, '4791')}\n`,
      ['F:10:5 operators[1].id: expected an id not used by another operator (operators[0] has it), found "a"'],
    ],
    [
      'duplicate ports',
      `operators:${OP('a', 2775, '4790')}${OP('b', 2775, '4791')}\n`,
      ['F:15:7 operators[1].smpp.port: expected a port not used by operators[0], found 2775'],
    ],
    [
      'duplicate prefixes (with and without +)',
      `operators:${OP('a', 2775, '4790')}${OP('b', 2776, '+4790')}\n`,
      ['F:13:16 operators[1].prefixes[0]: expected a prefix no other operator serves (a serves it), found "+4790"'],
    ],
    [
      'unknown status names',
      `operators:${OP('a', 2775, '47')}\n    throttle: { rate: 10, status: ESME_RSLOWDOWN }\n    failures: { statuses: [{ status: ESME_RNOPE, rate: 0.1 }] }\n`,
      [
        'F:10:27 operators[0].throttle.status: expected a known SMPP command_status name (see README: status names), found "ESME_RSLOWDOWN"',
        'F:11:30 operators[0].failures.statuses[0].status: expected a known SMPP command_status name (see README: status names), found "ESME_RNOPE"',
      ],
    ],
    [
      'min above max',
      `operators:${OP('a', 2775, '47')}\n    latency: { distribution: uniform, min: 2s, max: 1s }\n    receipts:\n      delay: { distribution: lognormal, p50: 5s, p99: 1s }\n`,
      ['F:10:48 operators[0].latency.max: expected a value at least min (2s), found "1s"', 'F:12:50 operators[0].receipts.delay.p99: expected a value at least p50 (5s), found "1s"'],
    ],
    [
      'failure rates adding up to more than 1',
      `operators:${OP('a', 2775, '47')}\n    failures: { statuses: [{ status: ESME_RSYSERR, rate: 0.7 }, { status: 8, rate: 0.5 }] }\n`,
      ['F:10:17 operators[0].failures.statuses: expected rates that add up to at most 1, found "rates adding up to 1.2"'],
    ],
  ])('cross-field check: %s', (_name, yaml, expected) => {
    expect(problems(yaml)).toEqual(expected)
  })

  it('reports an unreadable file with its name and reason', () => {
    const missing = join(dir, 'missing.yaml')
    expect(() => loadNetwork(missing)).toThrowError(new MtsimError('MTSIM_ERR_CONFIG_READ', [missing, 'ENOENT']).message)
  })
})
