// submit_multi through the smpp target end to end, over TLS: 1,000 messages of one text, grouped
// 20 to a PDU, bound to a simulated operator's TLS port verified with a CA file; the operator
// refuses some destinations (ESME_RSUBMITFAIL in unsuccess_sme). The books must be exact: every
// message accepted or rejected as the operator said, every accepted one's receipt matched by
// message_id and handset, every arrival attributed to its own message, none missing, duplicated
// or unknown.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runScenario } from '../../run/run-scenario.js'
import { freeLoopbackPorts } from '../../gateways/kannel/ports.js'
import { selfSignedCredentials } from '../../simulator/tls/certificate.js'
import { operator, outDir, scenario, stream } from './helpers.js'

const MESSAGES = 1000

describe('submit_multi from the smpp target, over TLS', () => {
  it('groups sends of one text 20 to a PDU; accepted, refused and receipts add up exactly', async () => {
    const [plain, tlsPort] = await freeLoopbackPorts(2)
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-multi-'))
    const creds = await selfSignedCredentials('127.0.0.1', 'north')
    writeFileSync(join(dir, 'north.crt'), creds.cert)
    writeFileSync(join(dir, 'north.key'), creds.key)
    const sc = scenario({
      network: {
        seed: 9,
        operators: [
          operator('north', '4790', {
            smpp: { port: plain, accounts: [{ system_id: 'north', password: 'pw' }], tls: { port: tlsPort, cert_file: join(dir, 'north.crt'), key_file: join(dir, 'north.key') } },
            failures: { statuses: [{ status: 'ESME_RSUBMITFAIL', rate: 0.1 }] },
          }),
        ],
      },
      gateway: {
        kind: 'smpp', host: '127.0.0.1', port: tlsPort, system_id: 'north', password: 'pw', binds: 2, window: 20,
        tls: { ca_file: join(dir, 'north.crt') },
        submit_multi: { max_destinations: 20, max_wait: '2s' },
      },
      streams: [stream(MESSAGES, 5, ['north'], { traffic: { destinations: [{ range: '4790000000-4790999999' }], templates: ['Flash sale: 20% off today'] } })],
      receipts: { wait: '5s' },
      scheduling: { max_lag: '5s' },
    })
    const r = await runScenario(sc, { outDir: outDir('submit-multi') })
    const t = r.results.totals
    const sim = r.simulator[0]!
    const multi = sim.multi!
    // Grouped: about 1,000 / 20 PDUs (a group also closes on a repeated handset or after max_wait).
    expect(multi.submits).toBeGreaterThanOrEqual(MESSAGES / 20)
    expect(multi.submits).toBeLessThan(MESSAGES / 10)
    expect(multi.destinations).toBe(MESSAGES)
    expect(sim.submits).toBe(0) // no submit_sm at all
    expect(sim.tls).toMatchObject({ handshakes: 2, plaintextRefused: 0, handshakeFailures: 0 })
    // Each side's view: the operator's per-destination answers are the load generator's outcomes.
    expect(t.sent).toBe(MESSAGES)
    expect(t.accepted).toBe(multi.accepted)
    expect(t.rejected).toBe(multi.unsuccess.ESME_RSUBMITFAIL)
    expect(r.results.statuses.ESME_RSUBMITFAIL).toBe(multi.unsuccess.ESME_RSUBMITFAIL)
    expect(t.accepted + t.rejected).toBe(MESSAGES)
    expect(t.rejected).toBeGreaterThan(50) // ~10% drawn per destination
    expect(t.rejected).toBeLessThan(150)
    // Every accepted message's receipt came back under "<message_id>|<handset>" and matched.
    expect(t.delivered).toBe(t.accepted)
    expect(t.missing).toBe(0)
    expect(t.duplicate_receipts).toBe(0)
    expect(t.unknown_receipts).toBe(0)
    expect(sim.receipts.acked).toBe(t.accepted)
    // Every arrival went to its own message, not to the group's first one.
    expect(t.arrived).toBe(t.accepted)
    expect(t.duplicate_submits).toBe(0)
    expect(t.misrouted).toBe(0)
    // The network's side in results.json answers per message too.
    expect(r.results.network!.operators.north!.answers).toEqual({ ESME_ROK: t.accepted, ESME_RSUBMITFAIL: t.rejected })
    console.log(`submit_multi over TLS: ${MESSAGES} sent in ${multi.submits} PDUs, ${t.accepted} accepted, ${t.rejected} ESME_RSUBMITFAIL, ${t.delivered} receipts matched, missing ${t.missing}, duplicate ${t.duplicate_receipts}, unknown ${t.unknown_receipts}`)
  }, 90_000)
})
