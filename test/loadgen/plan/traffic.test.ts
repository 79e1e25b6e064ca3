// The traffic mix and the tag: seeded weights, destinations under the right prefixes, lengths that
// make multipart messages, the same message for the same seq in any order.
import { describe, expect, it } from 'vitest'
import { Rng } from '../../../lib/rng.js'
import { segmentText } from '../../../smpp/text.js'
import { createTraffic } from '../../../loadgen/plan/traffic.js'
import { formatId, formatTag, parseId, parseTag } from '../../../lib/tag.js'
import { scenario } from './helpers.js'

function traffic(t: Record<string, unknown>) {
  const s = scenario([{ name: 's', executor: 'constant-arrival-rate', rate: 1, duration: '1s', traffic: t }])
  return createTraffic(s.streams[0], s, new Rng(9))
}

describe('traffic mix', () => {
  it('destinations follow their weights and fall under the operator prefixes', () => {
    const tr = traffic({ destinations: [{ operator: 'telco-a', weight: 3 }, { operator: 'telco-b', weight: 1 }], msisdn_length: 11 })
    const counts: Record<string, number> = { 'telco-a': 0, 'telco-b': 0 }
    for (let seq = 0; seq < 20_000; seq++) {
      const m = tr.message(seq)
      counts[m.operator]++
      expect(m.destination).toMatch(/^\d{11}$/)
      expect(m.operator === 'telco-a' ? /^479[01]/.test(m.destination) : m.destination.startsWith('4792')).toBe(true)
    }
    // 3:1 -> 15000 / 5000; binomial sd ~61.
    expect(Math.abs(counts['telco-a'] - 15_000)).toBeLessThan(61 * 5)
    expect(counts['telco-a'] + counts['telco-b']).toBe(20_000)
  })

  it('ranges stay inside and are routed by prefix ("" when no operator serves them)', () => {
    const tr = traffic({ destinations: [{ range: '4791000000-4791000009' }, { range: '+5550000-5550003' }] })
    const seen = new Set<string>()
    for (let seq = 0; seq < 2000; seq++) {
      const m = tr.message(seq)
      seen.add(m.destination)
      if (m.destination.startsWith('4791')) expect(m.operator).toBe('telco-a')
      else expect(m.operator).toBe('')
    }
    expect([...seen].sort()).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `479100000${i}`),
      '5550000', '5550001', '5550002', '5550003',
    ])
  })

  it('senders and templates follow their weights; variables are filled', () => {
    const tr = traffic({
      destinations: [{ operator: 'telco-a' }],
      senders: ['A', { sender: 'B', weight: 0 }, { sender: 'C', weight: 1 }],
      templates: [{ text: 'otp {{otp}}', weight: 1 }, { text: '{{name}} {{pick:x|y}} {{digits:9}} {{seq}}', weight: 1 }],
    })
    const senders: Record<string, number> = {}
    let otp = 0
    for (let seq = 0; seq < 4000; seq++) {
      const m = tr.message(seq)
      senders[m.source] = (senders[m.source] ?? 0) + 1
      const body = m.text.slice(m.tag.length)
      if (body.startsWith('otp ')) {
        otp++
        expect(body).toMatch(/^otp \d{6}$/)
      } else expect(body).toMatch(new RegExp(`^[A-Z][a-z]+ [xy] \\d{9} ${seq}$`))
    }
    expect(senders.B).toBeUndefined()
    expect(Math.abs(senders.A - 2000)).toBeLessThan(32 * 5)
    expect(Math.abs(otp - 2000)).toBeLessThan(32 * 5)
  })

  it('a message depends only on its seq: same in any order, and across instances', () => {
    const t = { destinations: [{ operator: 'telco-a' }, { operator: 'telco-b' }], templates: ['{{otp}} {{name}}'] }
    const a = traffic(t)
    const b = traffic(t)
    const forward = [0, 1, 2, 3, 4, 5].map((s) => a.message(s))
    const backward = [5, 4, 3, 2, 1, 0].map((s) => b.message(s)).reverse()
    expect(backward).toEqual(forward)
    expect(new Set(forward.map((m) => m.text.slice(m.tag.length))).size).toBeGreaterThan(1)
  })

  it('length pads and trims (tag kept), so some messages need two segments', () => {
    const tr = traffic({ destinations: [{ operator: 'telco-a' }], templates: ['Your code is {{otp}}'], length: { min: 100, max: 220 }, multipart: 'sar' })
    let multi = 0
    for (let seq = 0; seq < 1000; seq++) {
      const m = tr.message(seq)
      expect(m.text.length).toBeGreaterThanOrEqual(100)
      expect(m.text.length).toBeLessThanOrEqual(220)
      expect(parseTag(m.text)).toBe(seq)
      expect(m.multipart).toBe('sar')
      const parts = segmentText(m.text, { encoding: m.encoding, method: m.multipart }).length
      expect(parts).toBe(m.text.length > 160 ? 2 : 1)
      if (parts === 2) multi++
    }
    // Lengths uniform in 100..220: 60 of 121 are above 160.
    expect(Math.abs(multi - (1000 * 60) / 121)).toBeLessThan(16 * 5)
    const short = traffic({ destinations: [{ operator: 'telco-a' }], templates: ['a long text that will be cut'], length: { min: 2, max: 2 } })
    expect(short.message(1295).text).toBe('#ZZ ')
  })

  it('defaults: sender MTSIM, an OTP text, auto encoding, udh, registered_delivery 1', () => {
    const m = traffic({ destinations: [{ operator: 'telco-b' }] }).message(35)
    expect(m).toMatchObject({ seq: 35, tag: '#Z ', stream: 's', source: 'MTSIM', encoding: 'auto', multipart: 'udh', registeredDelivery: 1, operator: 'telco-b' })
    expect(m.text).toMatch(/^#Z Your code is \d{6}$/)
  })
})

describe('tag', () => {
  it('round-trips sequences, base36 upper case, one trailing space', () => {
    for (const seq of [0, 1, 35, 36, 1295, 46_655, 123_456_789, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      const tag = formatTag(seq)
      expect(tag).toMatch(/^#[0-9A-Z]+ $/)
      expect(parseTag(tag + 'hello')).toBe(seq)
      expect(parseId(formatId(seq))).toBe(seq)
    }
    expect(formatTag(46_655)).toBe('#ZZZ ')
  })

  it('is undefined for texts without a tag', () => {
    for (const text of ['', '#', '# x', '#AB', 'AB #12 x', '#1-2 x', '#ÆØ x', '#ZZZZZZZZZZZZ x']) expect(parseTag(text)).toBeUndefined()
    expect(parseId('')).toBeUndefined()
    expect(parseId('1a')).toBe(46)
  })
})

describe('traffic operatorOf', () => {
  it('names the same operator as the built message, for operator and range destinations alike', () => {
    const tr = traffic({
      destinations: [{ operator: 'telco-a', weight: 2 }, { operator: 'telco-b' }, { range: '4791000000-4791000009' }, { range: '+5550000-5550003' }],
      templates: ['Code {{otp}}', { text: 'Hi {{name}}', weight: 2 }],
    })
    const seen = new Set<string>()
    for (let seq = 0; seq < 5000; seq++) {
      const op = tr.operatorOf(seq)
      expect(op).toBe(tr.message(seq).operator)
      seen.add(op)
    }
    expect([...seen].sort()).toEqual(['', 'telco-a', 'telco-b'])
  })
})
