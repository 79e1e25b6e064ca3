// Issue 14, messages, through the built CLI: a mistake is told in the words of the mistake. A
// scenario without streams is told it looks like a scenario and lacks streams (not given network
// errors); `gateway: kannel` is told the mapping it meant; values YAML made numbers of (mcc 242,
// mnc 01 -> 1, a Kannel setting 90) are told what YAML made of them and to quote them.
import { describe, expect, it } from 'vitest'
import { fixture, mtsim } from './cli-run.js'

describe('validate says what was meant', () => {
  it('a scenario without streams is told it looks like a scenario and what it lacks, with no network errors', async () => {
    const r = await mtsim(['validate', fixture('messages-no-streams.yaml')])
    expect(r.code).toBe(104)
    expect(r.stderr).toMatch(/messages-no-streams\.yaml looks like a scenario file \(it has network, gateway, receipts, thresholds\) but has no streams: a scenario needs streams:/)
    expect(r.stderr).toMatch(/messages-no-streams\.yaml:\d+:\d+ streams: expected this key \(it is required\), found nothing/)
    expect(r.stderr).not.toMatch(/operators: expected/)
    expect(r.stderr).not.toContain('unknown key')
  })

  it('`gateway: kannel` is told to write { kind: kannel }', async () => {
    const r = await mtsim(['validate', fixture('messages-gateway-string.yaml')])
    expect(r.code).toBe(104)
    expect(r.stderr).toMatch(/messages-gateway-string\.yaml:5:1 gateway: expected a gateway: direct, smpp, http or kannel, found "kannel": write a mapping: \{ kind: kannel \}/)
  })

  it('mcc 242 and mnc 01 unquoted are refused with what YAML made of them and "quote it"', async () => {
    const r = await mtsim(['validate', fixture('messages-unquoted-codes.yaml')])
    expect(r.code).toBe(104)
    expect(r.stderr).toContain('operators[0].mcc: expected a 3-digit MCC like "242", found 242: YAML read the unquoted 242 as a number: quote it, mcc: "242"')
    expect(r.stderr).toContain('operators[0].mnc: expected a 2 or 3-digit MNC like "01", found 1: YAML read the unquoted 01 as the number 1: quote it, mnc: "01"')
  })

  it('a Kannel setting written as a number (throughput: 90) is told to quote it, by validate and by run', async () => {
    const expected = 'gateway.overrides.smsc.throughput: expected text, found 90: YAML read the unquoted 90 as a number: quote it, throughput: "90"'
    const v = await mtsim(['validate', fixture('messages-throughput.yaml')])
    expect(v.code).toBe(104)
    expect(v.stderr).toContain(expected)
    const r = await mtsim(['run', fixture('messages-throughput.yaml'), '--dry-run'])
    expect(r.code).toBe(104)
    expect(r.stderr).toContain(expected)
  })
})
