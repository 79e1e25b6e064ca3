// Scenario files: the shipped example validates; bad files list every problem with path,
// expected and found, in one error.
import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MtsimError } from '../../../lib/errors.js'
import { loadScenario, parseScenario } from '../../../loadgen/scenario/scenario.js'
import { TRAFFIC, constant, scenarioValue } from './helpers.js'

function problems(value: unknown): string[] {
  try {
    parseScenario(value, 'bad.yaml', process.cwd())
  } catch (err) {
    if (err instanceof MtsimError) return err.details
    throw err
  }
  throw new Error('expected the scenario to be rejected')
}

describe('the shipped quickstart', () => {
  it('validates, with its network from a path relative to the scenario file', () => {
    const s = loadScenario('scenarios/quickstart.yaml')
    expect(s.network.operators.map((o) => o.id)).toEqual(['telco-a', 'telco-b', 'telco-c'])
    expect(s.networkFile).toMatch(/scenarios\/networks\/quickstart-network\.yaml$/)
    expect(s.gateway).toEqual({ kind: 'direct', binds: { 'telco-a': 1, 'telco-b': 1, 'telco-c': 1 }, window: 100, mode: 'transceiver' })
    expect(s.streams[0].executor).toEqual({ kind: 'constant-arrival-rate', rate: 40, timeUnitMs: 1000, durationMs: 25_000 })
    expect(s.thresholds.map((t) => `${t.metric}/${t.scope}/${t.expression}`)).toContain('submit_latency/telco-a/p(95)<250')
    expect(s.thresholds.find((t) => t.metric === 'dropped')).toMatchObject({ abortOnFail: true, delayAbortEvalMs: 5000 })
    expect(s.receipts.waitMs).toBe(60_000)
    expect(s.scheduling).toEqual({ lateAfterMs: 10, maxLagMs: 2000 })
  })
})

describe('defaults', () => {
  it('fills gateway, receipts, scheduling and traffic defaults', () => {
    const s = parseScenario(scenarioValue([constant(1, '1s')]), 'ok.yaml', process.cwd())
    expect(s.streams[0]).toMatchObject({ arrivals: 'uniform', messages: null, startMs: 0 })
    expect(s.streams[0].traffic).toMatchObject({ msisdnLength: 11, encoding: 'auto', multipart: 'udh', registeredDelivery: 1, length: null })
    expect(s.networkFile).toBeNull()
  })

  it('expands the kannel preset into sendsms and dlr-url shape', () => {
    const gateway = { kind: 'http', preset: 'kannel', url: 'http://127.0.0.1:13013/cgi-bin/sendsms', query: { username: 'u', password: 'p' } }
    const g = parseScenario(scenarioValue([constant(1, '1s')], { gateway }), 'k.yaml', process.cwd()).gateway
    if (g.kind !== 'http') throw new Error('expected http')
    expect(g.query.map(([k, t]) => `${k}=${t.source}`)).toEqual(
      expect.arrayContaining(['to={{to}}', 'text={{text}}', 'dlr-mask=31', 'dlr-url={{dlr_url}}', 'username=u']),
    )
    expect(g.webhook.urlQuery.map(([k, t]) => `${k}=${t.source}`)).toEqual(['id={{id}}', 'status=%d', 'smsc=%i', 'msgid=%F', 'answer=%A'])
    expect(g.webhook.statusMap).toEqual({ '1': 'DELIVRD', '2': 'UNDELIV', '4': 'ENROUTE', '8': 'ACCEPTD', '16': 'REJECTD', '34': 'EXPIRED' })
    expect(g.success.status).toEqual([202])
    expect(g.messageId).toBeNull()
  })
})

describe('error tables: every problem at once', () => {
  const table: [string, Record<string, unknown>, string[]][] = [
    [
      'unknown keys at several depths',
      scenarioValue([constant(1, '1s', { rat: 3, traffic: { ...TRAFFIC, encodng: 'gsm7' } })], { colour: 'red' }),
      ['colour: expected one of the keys', 'found unknown key "colour"', 'streams[0].rat: expected one of the keys', 'streams[0].traffic.encodng'],
    ],
    [
      'fields of another executor, a missing one, an unknown executor',
      scenarioValue([
        { name: 'a', executor: 'constant-arrival-rate', rate: 1, stages: [], traffic: TRAFFIC },
        { name: 'b', executor: 'per-vu-iterations', traffic: TRAFFIC },
      ]),
      ['streams[0].stages', 'streams[0].duration: expected this key (it is required)', 'streams[1].executor: expected one of "constant-arrival-rate"'],
    ],
    [
      'bad template variables, each named',
      scenarioValue([constant(1, '1s', { traffic: { ...TRAFFIC, templates: ['hi {{nme}}', { text: '{{digits:0}} {{otp' }] } })]),
      ['streams[0].traffic.templates[0]: expected a known variable', 'found {{nme}}', 'streams[0].traffic.templates[1].text: expected {{digits:N}}', 'a closing "}}"'],
    ],
    [
      'bad thresholds: expression, metric, aggregation, operator tag, stream tag, tag name, a tag twice',
      scenarioValue([constant(1, '1s')], {
        thresholds: {
          submit_latency: ['p99<250', 'count>1'],
          'submit_latency{operator:x}': ['p(95)<100'],
          'missing{stream:a}': ['count==0'],
          'missing{stream:c1,operator:telco-a}': ['count==0'],
          'missing{colour:red}': ['count==0'],
          'missing{operator:telco-a,operator:telco-b}': ['count==0'],
          delivery_rate: ['avg>0.9'],
          lag: ['count==0'],
        },
      }),
      [
        'thresholds.submit_latency[0]: expected an expression like',
        'thresholds.submit_latency[1]: expected an aggregation of the trend submit_latency: avg, min, max, med or p(N)',
        'thresholds["submit_latency{operator:x}"]: expected an operator of the network (telco-a, telco-b), found "x"',
        'thresholds["missing{stream:a}"]: expected a stream of the scenario (c1), found "a"',
        'thresholds["missing{colour:red}"]: expected tags operator and/or stream, as in {operator:telco-a}, {stream:otp} or {stream:otp,operator:telco-a}, found "{colour:red}"',
        'thresholds["missing{operator:telco-a,operator:telco-b}"]: expected the tag "operator" once',
        'thresholds.delivery_rate[0]: expected an aggregation of the rate delivery_rate: rate',
        'thresholds.lag: expected a metric name',
      ],
    ],
    [
      'a sender longer than SMPP source_addr holds (21 characters), plain and weighted',
      scenarioValue([constant(1, '1s', { traffic: { ...TRAFFIC, senders: ['S'.repeat(21), { sender: 'T'.repeat(25), weight: 1 }] } })]),
      [
        'streams[0].traffic.senders[0]: expected a sender id of 1 to 20 characters, or {sender: id, weight: n}, found "SSSSSSSSSSSSSSSSSSSSS"',
        'streams[0].traffic.senders[1]: expected a sender id of 1 to 20 characters, or {sender: id, weight: n}',
      ],
    ],
    [
      'a threshold object with a wrong field type',
      scenarioValue([constant(1, '1s')], { thresholds: { accepted: [{ threshold: 'rate>=90', abortOnFail: 'yes' }] } }),
      ['thresholds.accepted[0]: expected an expression like "p(99)<250", or {threshold, abortOnFail, delayAbortEval, min_samples}, found a mapping'],
    ],
    [
      'references to the network and cross-field rules',
      scenarioValue(
        [
          constant(1, '1s', { traffic: { destinations: [{ operator: 'telco-z' }, { range: '4799-4700' }], length: { min: 50, max: 10 } } }),
          constant(1, '1s', { traffic: { destinations: [{ operator: 'telco-a', weight: 0 }], encoding: 'gsm7', templates: ['Привет'] } }),
        ],
        { gateway: { kind: 'direct', binds: { 'telco-q': 2 } }, scheduling: { late_after: '5s', max_lag: '1s' } },
      ),
      [
        'streams[0].traffic.destinations[0].operator: expected an operator of the network (telco-a, telco-b), found "telco-z"',
        'streams[0].traffic.destinations[1].range',
        'streams[0].traffic.length.max: expected at least min (50)',
        'streams[1].name: expected a name not used by streams[0]',
        'streams[1].traffic.destinations: expected at least one weight above 0',
        'streams[1].traffic.templates[0]: expected text in the GSM-7 alphabet',
        'gateway.binds.telco-q',
        'scheduling.late_after: expected at most max_lag',
      ],
    ],
    [
      'an invalid inline network is reported with the scenario',
      scenarioValue([constant(1, '1s')], { network: { operators: [{ id: 'A' }] } }),
      ['network: expected a valid network (network (inline) operators[0].mcc: expected this key (it is required), found nothing), found a mapping'],
    ],
  ]
  for (const [what, value, expected] of table) {
    it(what, () => {
      const lines = problems(value)
      const all = lines.join('\n')
      for (const e of expected) expect(all).toContain(e)
      for (const line of lines) expect(line).toMatch(/^bad\.yaml .*: expected .*, found /)
    })
  }

  it('positions point into the file; a missing network file is named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-scn-'))
    const file = join(dir, 's.yaml')
    writeFileSync(file, 'network: nowhere.yaml\ngateway: { kind: direct }\nstreams:\n  - { name: a, executor: constant-arrival-rate, rate: 1, duration: 1s, traffic: { destinations: [{ operator: a }] }, extra: 1 }\n')
    expect(() => loadScenario(file)).toThrow(MtsimError)
    try {
      loadScenario(file)
    } catch (err) {
      expect((err as MtsimError).details.join('\n')).toContain(`${file}:4:`)
    }
    writeFileSync(file, 'network: nowhere.yaml\ngateway: { kind: direct }\nstreams:\n  - { name: a, executor: constant-arrival-rate, rate: 1, duration: 1s, traffic: { destinations: [{ operator: a }] } }\n')
    try {
      loadScenario(file)
      throw new Error('expected a failure')
    } catch (err) {
      expect((err as MtsimError).details.join('\n')).toMatch(/:1:1 network: expected a valid network \(cannot read .*nowhere\.yaml: ENOENT\), found "nowhere.yaml"/)
    }
  })
})
