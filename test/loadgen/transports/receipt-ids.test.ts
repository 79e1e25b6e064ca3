import { describe, expect, it } from 'vitest'
import { ReceiptIdCanon, canonicalId } from '../../../loadgen/transports/receipt-ids.js'

describe('receipt id canonical keys', () => {
  it.each([
    ['1234567890', '1234567890', 'same', true],
    ['499602d2', '1234567890', 'hex', true], // hex receipt text, decimal submit id
    ['499602D2', '1234567890', 'hex', true], // case-insensitive
    ['1234567890', '499602d2', 'decimal', true], // decimal receipt text, hex submit id
    ['0000000123', '123', 'same', true], // leading zeros
    ['00007b', '123', 'hex', true],
    ['abc-1', 'ABC-1', 'same', true], // non-numeric: exact, case-insensitive
    ['499602d3', '1234567890', 'hex', false],
    ['abc-1', 'abc-2', 'same', false],
    ['1234567891', '1234567890', 'same', false],
    ['', '0', 'same', false],
  ] as const)('text id %s vs submit id %s (%s) -> %s', (text, submit, format, want) => {
    const c = new ReceiptIdCanon(format)
    expect(c.textId(text) === c.submitId(submit)).toBe(want)
  })

  it('ignores case, whitespace and leading zeros', () => {
    expect([canonicalId(' 00123 '), canonicalId('0'), canonicalId('000'), canonicalId('AbC')]).toEqual(['123', '0', '0', 'abc'])
  })

  it('same: text id and resp id compare as written', () => {
    const c = new ReceiptIdCanon('same')
    expect(c.submitId('1a')).toBe('1a')
    expect(c.textId('001A')).toBe('1a')
  })

  it('hex: receipt text in hex of decimal resp ids', () => {
    const c = new ReceiptIdCanon('hex')
    expect(c.submitId('255')).toBe('255')
    expect(c.textId('ff')).toBe('255')
    expect(c.textId('10')).toBe('16')
    expect(c.tlvId('255')).toBe('255') // the TLV carries the resp id as issued
  })

  it('decimal: receipt text in decimal of hex resp ids', () => {
    const c = new ReceiptIdCanon('decimal')
    expect(c.submitId('FF')).toBe('ff')
    expect(c.textId('255')).toBe('ff')
  })

  it('auto latches hex on the first text id with a hex letter while resp ids are decimal', () => {
    const c = new ReceiptIdCanon('auto')
    for (let i = 1; i <= 20; i++) c.submitId(String(i))
    expect(c.textId('9')).toBe('9')
    expect(c.textFormat).toBe('auto')
    expect(c.textId('a')).toBe('10')
    expect(c.textFormat).toBe('hex')
    expect(c.textId('14')).toBe('20')
  })

  it('auto never converts when the SMSC issues hex or alphanumeric ids', () => {
    const c = new ReceiptIdCanon('auto')
    c.submitId('9')
    c.submitId('1f')
    expect(c.textId('1f')).toBe('1f')
    expect(c.textId('20')).toBe('20')
    expect(c.textFormat).toBe('auto')
  })

  it('a prefix namespaces every key', () => {
    const c = new ReceiptIdCanon('same', 'opa:')
    expect([c.submitId('7'), c.textId('07'), c.tlvId('7')]).toEqual(['opa:7', 'opa:7', 'opa:7'])
  })
})
