import { describe, expect, it } from 'vitest'
import { parseNetwork } from '../../../simulator/network.js'
import { MtsimError } from '../../../lib/errors.js'
import { kannelConfig, renderKannelConfig, type KannelOptions } from '../../../gateways/kannel/index.js'
import { parseKannelConf, type ParsedGroup } from './parse-conf.js'

const network = parseNetwork(
  {
    name: 'test-net',
    operators: [
      {
        id: 'telenor',
        mcc: '242',
        mnc: '01',
        prefixes: ['4790', '+4792'],
        smpp: { port: 0, accounts: [{ system_id: 'tn', password: 'p"w#1' }], window: { max_outstanding: 50 } },
      },
      {
        id: 'telia',
        mcc: '242',
        mnc: '02',
        prefixes: ['4794'],
        smpp: {
          port: 2776,
          accounts: [
            { system_id: 'ta', password: 'pa', bind_types: ['transmitter', 'receiver'] },
            { system_id: 'tb', password: 'pb', bind_types: ['transceiver'] },
            { system_id: 'rx', password: 'pr', bind_types: ['receiver'] },
          ],
        },
      },
      { id: 'ice', mcc: '242', mnc: '14', prefixes: ['4740'], smpp: { port: 2777, accounts: [{ system_id: 'ic', password: 'pi', bind_types: ['transmitter'] }] } },
    ],
  },
  'test-net.yaml',
)

const ports = { admin: 13000, smsbox: 13001, sendsms: 13002 }
const base: KannelOptions = { dir: '/tmp/run', ports, operatorPorts: { telenor: 40001 } }

function groups(opts: Partial<KannelOptions> = {}): ParsedGroup[] {
  return parseKannelConf(renderKannelConfig(network, { ...base, ...opts }, ports).text)
}
const smscs = (g: ParsedGroup[]) => g.filter((x) => x.name === 'smsc')
const smsc = (g: ParsedGroup[], id: string) => {
  const found = smscs(g).filter((x) => x.values['smsc-id'] === id)
  expect(found).toHaveLength(1)
  return found[0].values
}
const one = (g: ParsedGroup[], name: string) => {
  const found = g.filter((x) => x.name === name)
  expect(found).toHaveLength(1)
  return found[0].values
}

describe('kannelConfig', () => {
  it('retries temporarily failed submits forever unless told, and paces links as the scenario says', () => {
    expect(one(groups(), 'core')['sms-resend-retry']).toBe('-1')
    expect(one(groups({ smsResendRetry: 1, smsResendFreq: 2 }), 'core')).toMatchObject({ 'sms-resend-retry': '1', 'sms-resend-freq': '2' })
    expect(smsc(groups(), 'telenor').throughput).toBeUndefined()
    // telia throttles 90/s over the operator: its two links each get 45; ice throttles per bind.
    const net = parseNetwork(JSON.parse(JSON.stringify({
      name: 'paced',
      operators: [
        { id: 'telia', mcc: '242', mnc: '02', prefixes: ['4794'], throttle: { rate: 90, per: 'operator' },
          smpp: { port: 2776, accounts: [{ system_id: 'ta', password: 'pa' }, { system_id: 'tb', password: 'pb' }] } },
        { id: 'ice', mcc: '242', mnc: '14', prefixes: ['4740'], throttle: { rate: 30, per: 'bind' }, smpp: { port: 2777, accounts: [{ system_id: 'ic', password: 'pi' }] } },
        { id: 'tn', mcc: '242', mnc: '01', prefixes: ['4790'], smpp: { port: 2778, accounts: [{ system_id: 'tn', password: 'pt' }] } },
      ],
    })), 'paced.yaml')
    const g = parseKannelConf(renderKannelConfig(net, { ...base, throughput: { telia: 'operator', ice: 'operator', tn: 12.5 } }, ports).text)
    expect(smscs(g).map((x) => [x.values['smsc-id'], x.values.throughput])).toEqual([['telia-ta', '45'], ['telia-tb', '45'], ['ice', '30'], ['tn', '12.5']])
  })

  it('writes core, one smsc per account that can send, smsbox and sendsms-user, in that order', () => {
    const g = groups()
    expect(g.map((x) => x.name)).toEqual(['core', 'smsc', 'smsc', 'smsc', 'smsc', 'smsbox', 'sendsms-user'])
    expect(smscs(g).map((x) => x.values['smsc-id'])).toEqual(['telenor', 'telia-ta', 'telia-tb', 'ice'])
    const cfg = renderKannelConfig(network, base, ports)
    expect(cfg.skipped).toEqual([{ operator: 'telia', systemId: 'rx' }])
    expect(cfg.smscs.map((s) => s.mode)).toEqual(['transceiver', 'transmitter+receiver', 'transceiver', 'transmitter'])
  })

  it('gives each smsc its account credentials, the running port, bind mode and window', () => {
    const g = groups()
    const tn = smsc(g, 'telenor')
    expect(tn).toMatchObject({
      smsc: 'smpp',
      host: '127.0.0.1',
      port: '40001',
      'transceiver-mode': 'true',
      'smsc-username': 'tn',
      'smsc-password': 'p"w#1',
      'system-type': '',
      'max-pending-submits': '50',
    })
    expect(tn['receive-port']).toBeUndefined()
    const ta = smsc(g, 'telia-ta')
    expect(ta).toMatchObject({ port: '2776', 'receive-port': '2776', 'transceiver-mode': 'false', 'smsc-username': 'ta', 'smsc-password': 'pa' })
    expect(ta['max-pending-submits']).toBe('1000')
    expect(smsc(g, 'telia-tb')).toMatchObject({ 'transceiver-mode': 'true', 'smsc-username': 'tb', 'smsc-password': 'pb' })
    expect(smsc(g, 'ice')).toMatchObject({ port: '2777', 'transceiver-mode': 'false', 'smsc-username': 'ic' })
    expect(smsc(g, 'ice')['receive-port']).toBeUndefined()
    for (const s of smscs(g)) {
      for (const key of ['reconnect-delay', 'enquire-link-interval', 'wait-ack', 'wait-ack-expire']) expect(s.values[key]).toMatch(/^\d+$/)
    }
  })

  it('routes each operator by its prefixes in both forms, and without failover prefers none', () => {
    const g = groups()
    expect(smsc(g, 'telenor')['allowed-prefix']).toBe('4790;+4790;4792;+4792')
    expect(smsc(g, 'telia-ta')['allowed-prefix']).toBe('4794;+4794')
    expect(smsc(g, 'telia-tb')['allowed-prefix']).toBe('4794;+4794')
    for (const s of smscs(g)) expect(s.values['preferred-prefix']).toBeUndefined()
  })

  it('failover: numbers preferred on their operator and allowed on the named backup', () => {
    const g = groups({ failover: { telenor: 'telia', ice: 'telenor' } })
    const tn = smsc(g, 'telenor')
    expect(tn['preferred-prefix']).toBe('4790;+4790;4792;+4792')
    expect(tn['allowed-prefix']).toBe('4790;+4790;4792;+4792;4740;+4740')
    for (const id of ['telia-ta', 'telia-tb']) {
      expect(smsc(g, id)['allowed-prefix']).toBe('4794;+4794;4790;+4790;4792;+4792')
      expect(smsc(g, id)['preferred-prefix']).toBeUndefined()
    }
    expect(smsc(g, 'ice')['preferred-prefix']).toBe('4740;+4740')
    expect(smsc(g, 'ice')['allowed-prefix']).toBe('4740;+4740')
  })

  it('rejects failover naming unknown operators or itself, listing every problem', () => {
    try {
      groups({ failover: { nope: 'telia', telia: 'telia', ice: 'gone' } })
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(MtsimError)
      const e = err as MtsimError
      expect(e.code).toBe('MTSIM_ERR_CONFIG_INVALID')
      expect(e.details).toEqual([
        'failover.nope: expected an operator id (telenor, telia, ice), found "nope"',
        'failover.telia: expected another operator as backup, found "telia" itself',
        'failover.ice: expected a backup operator id (telenor, telia, ice), found "gone"',
      ])
    }
  })

  it('puts every listener on 127.0.0.1 with the given ports, logs in the run folder', () => {
    const g = groups()
    const core = one(g, 'core')
    expect(core).toMatchObject({
      'admin-port': '13000',
      'admin-interface': '127.0.0.1',
      'smsbox-port': '13001',
      'smsbox-interface': '127.0.0.1',
      'box-allow-ip': '127.0.0.1',
      'log-file': '/tmp/run/bearerbox.log',
      'dlr-storage': 'internal',
    })
    expect(core['sms-resend-freq']).toMatch(/^\d+$/)
    expect(core['sms-resend-retry']).toMatch(/^-?\d+$/)
    expect(one(g, 'smsbox')).toMatchObject({
      'bearerbox-host': '127.0.0.1',
      'bearerbox-port': '13001',
      'sendsms-port': '13002',
      'sendsms-interface': '127.0.0.1',
      'log-level': '2',
      'log-file': '/tmp/run/smsbox.log',
    })
    expect(one(g, 'smsbox')['http-request-retry']).toMatch(/^[1-9]\d*$/)
    expect(one(g, 'sendsms-user')).toMatchObject({ username: 'mtsim', password: 'mtsim', concatenation: 'true', 'max-messages': '10' })
    // Every setting naming an interface or host points at loopback.
    for (const grp of g) {
      for (const [k, v] of Object.entries(grp.values)) if (/interface|host|allow-ip/.test(k)) expect(v, `${grp.name}.${k}`).toBe('127.0.0.1')
    }
  })

  it('applies overrides last, broad to specific, replacing or adding settings', () => {
    const g = groups({
      overrides: {
        core: { 'sms-resend-freq': 7, 'log-level': 0 },
        smsc: { throughput: 100, 'reconnect-delay': 5 },
        telia: { 'reconnect-delay': 6 },
        'telia-tb': { 'reconnect-delay': 9, 'system-type': 'VMA' },
        'sendsms-user': { 'max-messages': 3 },
        smsbox: { 'http-request-retry': 0 },
      },
    })
    expect(one(g, 'core')['sms-resend-freq']).toBe('7')
    expect(one(g, 'core')['log-level']).toBe('0')
    for (const s of smscs(g)) expect(s.values.throughput).toBe('100')
    expect(smsc(g, 'telenor')['reconnect-delay']).toBe('5')
    expect(smsc(g, 'ice')['reconnect-delay']).toBe('5')
    expect(smsc(g, 'telia-ta')['reconnect-delay']).toBe('6')
    expect(smsc(g, 'telia-tb')['reconnect-delay']).toBe('9')
    expect(smsc(g, 'telia-tb')['system-type']).toBe('VMA')
    expect(one(g, 'sendsms-user')['max-messages']).toBe('3')
    expect(one(g, 'smsbox')['http-request-retry']).toBe('0')
  })

  it('rejects unknown override groups and bad settings, every problem at once', () => {
    try {
      groups({ overrides: { cor: { a: 1 }, core: { 'Bad Key': 1, note: 'two\nlines' } } })
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(MtsimError)
      const details = (err as MtsimError).details
      expect(details).toHaveLength(3)
      expect(details[0]).toBe(
        'overrides.cor: expected a Kannel group (core, smsbox, sendsms-user, smsc, telenor, telia, ice, telia-ta, telia-tb), found "cor"',
      )
      expect(details[1]).toBe('overrides.core.Bad Key: expected a Kannel setting name like "sms-resend-freq", found "Bad Key"')
      expect(details[2]).toBe('overrides.core.note: expected a value on one line, found a line break')
    }
  })

  it('refuses port 0 when the running port is unknown', () => {
    expect(() => renderKannelConfig(network, { dir: '/tmp/run' }, ports)).toThrow(/operator telenor has port 0/)
  })

  it('finds three distinct free loopback ports when none are given', async () => {
    const cfg = await kannelConfig(network, { dir: '/tmp/run', operatorPorts: { telenor: 40001 } })
    const { admin, smsbox, sendsms } = cfg.ports
    expect(new Set([admin, smsbox, sendsms]).size).toBe(3)
    for (const p of [admin, smsbox, sendsms]) expect(p).toBeGreaterThan(1023)
    const core = one(parseKannelConf(cfg.text), 'core')
    expect(core['admin-port']).toBe(String(admin))
  })
})
