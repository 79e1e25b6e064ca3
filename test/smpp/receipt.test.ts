// Appendix B receipt text: each emitted variant round-trips; real-world variants parse.
import { describe, expect, it } from 'vitest'
import { MessageState, STAT_TEXT, formatReceipt, parseReceipt, stateOfStat, type Receipt } from '../../smpp/index.js'
import { ReceiptIdCanon } from '../../loadgen/transports/receipt-ids.js'

const base: Receipt = {
  id: '1234567890',
  sub: 1,
  dlvrd: 1,
  submitDate: new Date(Date.UTC(2025, 0, 31, 23, 59)),
  doneDate: new Date(Date.UTC(2025, 1, 1, 0, 1)),
  stat: 'DELIVRD',
  err: '000',
  text: 'Hello world, this is longer than twenty',
}

describe('formatReceipt', () => {
  it('writes the spec layout', () => {
    expect(formatReceipt(base)).toBe(
      'id:1234567890 sub:001 dlvrd:001 submit date:2501312359 done date:2502010001 stat:DELIVRD err:000 text:Hello world, this is',
    )
  })

  it.each([
    [{ textLabel: 'text', idFormat: 'decimal' }, 'id:1234567890 ', ' text:'],
    [{ textLabel: 'Text', idFormat: 'decimal' }, 'id:1234567890 ', ' Text:'],
    [{ textLabel: 'text', idFormat: 'hex' }, 'id:499602d2 ', ' text:'],
    [{ textLabel: 'Text', idFormat: 'hex', seconds: true }, 'id:499602d2 ', ' Text:'],
  ] as const)('variant %j round-trips', (fmt, idPart, labelPart) => {
    const s = formatReceipt(base, fmt)
    expect(s).toContain(idPart)
    expect(s).toContain(labelPart)
    const r = parseReceipt(s)!
    expect(r).toBeDefined()
    // The load generator's matching rule reads the text id back to the submit_sm_resp id.
    const canon = new ReceiptIdCanon(fmt.idFormat === 'hex' ? 'hex' : 'same')
    expect(canon.textId(r.id)).toBe(canon.submitId(base.id))
    expect(r).toMatchObject({ sub: 1, dlvrd: 1, stat: 'DELIVRD', err: '000', text: 'Hello world, this is' })
    expect(r.submitDate.getTime()).toBe(base.submitDate.getTime())
    expect(r.doneDate.getTime()).toBe(base.doneDate.getTime())
  })

  it('keeps seconds when asked', () => {
    const r = { ...base, submitDate: new Date(Date.UTC(2025, 5, 1, 10, 20, 33)) }
    const s = formatReceipt(r, { seconds: true })
    expect(s).toContain('submit date:250601102033')
    expect(parseReceipt(s)!.submitDate.getTime()).toBe(r.submitDate.getTime())
  })

  it('ids that are not decimal are left as they are in hex mode', () => {
    expect(formatReceipt({ ...base, id: 'a1b2-c3' }, { idFormat: 'hex' })).toMatch(/^id:a1b2-c3 /)
  })

  it('every stat text maps back to its message_state', () => {
    for (const [name, v] of Object.entries(MessageState)) {
      expect(stateOfStat(STAT_TEXT[v])).toBe(v)
      expect(name.length).toBeGreaterThan(0)
    }
    expect(stateOfStat('delivrd')).toBe(2)
    expect(stateOfStat('NOPE')).toBeUndefined()
  })
})

describe('parseReceipt real-world variants', () => {
  it.each([
    ['Kannel-like, spec fields', 'id:0123456789 sub:001 dlvrd:001 submit date:1901011230 done date:1901011231 stat:DELIVRD err:000 text:Test',
      { id: '0123456789', stat: 'DELIVRD', err: '000', text: 'Test' }],
    ['capital Text and seconds', 'id:ABCDEF0123 sub:001 dlvrd:000 submit date:190101123015 done date:190101123145 stat:UNDELIV err:001 Text:Hi there',
      { id: 'ABCDEF0123', dlvrd: 0, stat: 'UNDELIV', err: '001', text: 'Hi there' }],
    ['no text field', 'id:42 sub:001 dlvrd:001 submit date:2001011200 done date:2001011201 stat:EXPIRED err:000',
      { id: '42', stat: 'EXPIRED', text: '' }],
    ['extra spaces', 'id: 77  sub:1  dlvrd:1   submit date:2001011200  done date:2001011201 stat:DELIVRD  err:0 text: spaced',
      { id: '77', sub: 1, dlvrd: 1, err: '0', text: 'spaced' }], // one separator space after text: is dropped
    ['64-char id', `id:${'f'.repeat(64)} sub:001 dlvrd:001 submit date:2001011200 done date:2001011201 stat:DELIVRD err:000 text:`,
      { id: 'f'.repeat(64), text: '' }],
    ['underscored date labels, lower-case stat', 'id:9 sub:001 dlvrd:001 submit_date:2001011200 done_date:2001011201 stat:rejectd err:0x1',
      { id: '9', stat: 'REJECTD', err: '0x1' }],
    ['text containing key-like words', 'id:5 sub:001 dlvrd:001 submit date:2001011200 done date:2001011201 stat:DELIVRD err:000 text:id:9 stat:X',
      { id: '5', stat: 'DELIVRD', text: 'id:9 stat:X' }],
  ])('%s', (_n, s, expected) => {
    expect(parseReceipt(s)).toMatchObject(expected)
  })

  it('parses dates as UTC and tolerates missing ones', () => {
    const r = parseReceipt('id:1 stat:DELIVRD submit date:2402291530')!
    expect(r.submitDate.toISOString()).toBe('2024-02-29T15:30:00.000Z')
    expect(Number.isNaN(r.doneDate.getTime())).toBe(true)
    expect(r.sub).toBe(0)
  })

  it.each([
    ['ordinary text', 'hello how are you'],
    ['no stat', 'id:1 sub:001 dlvrd:001'],
    ['id longer than 64', `id:${'1'.repeat(65)} stat:DELIVRD`],
    ['empty', ''],
  ])('rejects %s', (_n, s) => {
    expect(parseReceipt(s)).toBeUndefined()
  })
})
