// Subscribers who write back (simulator/mo/): MO are deliver_sm with esm_class 0 to a receiver
// bind of the right account, held while no bind is up and sent again when a bind drops before its
// deliver_sm_resp; replies go to the account the MT came from; a STOP is remembered and a later MT
// to that number (after the grace period) is a violation.
import { afterEach, describe, expect, it } from 'vitest'
import type { NetworkHandle } from '../../simulator/types.js'
import { DEFAULT_OPT_OUT_KEYWORDS } from '../../simulator/network.js'
import { decodeShortMessage } from '../../smpp/text.js'
import { Esme, startOne, waitFor } from './helper.js'
import { createNetworkMetrics } from '../../simulator/control/prometheus.js'
import { parseProm } from './control/prom-text.js'

let net: NetworkHandle | undefined
afterEach(async () => {
  await net?.close()
  net = undefined
})

const tagOf = (text: string) => / #M([0-9A-Z]+)$/.exec(text)?.[1]

describe('MO from a simulated operator', () => {
  it('holds MO while no receiver bind is up, then sends every one as a non-receipt deliver_sm', async () => {
    net = await startOne({ mo: { spontaneous: { rate: 500, from: '4790000000-4790000009', to: ['4040'], texts: ['INFO'] } } })
    const op = net.operators[0]!
    await waitFor(() => (op.stats().mo?.held ?? 0) >= 20, 10_000, '20 MO held without a bind')
    expect(op.stats().mo!.sent).toBe(0)
    const rx = await Esme.bound(op.port, 'receiver')
    await waitFor(() => op.stats().mo!.held === 0 && rx.received.length >= 20, 10_000, 'the held MO on the new bind')
    net.stopMo!()
    const sent = op.stats().mo!.sent
    await waitFor(() => rx.received.length === sent && op.stats().mo!.acked === sent, 10_000, 'every MO sent arrived and was acked')
    const texts = rx.received.map((d) => decodeShortMessage(d))
    expect(rx.received.every((d) => d.esmClass === 0 && d.destinationAddr === '4040' && /^479000000[0-9]$/.test(d.sourceAddr))).toBe(true)
    expect(texts.every((t) => t.startsWith('INFO #M'))).toBe(true)
    expect(new Set(texts.map(tagOf)).size).toBe(sent) // one tag per MO
    expect(op.stats().mo).toMatchObject({ generated: sent, sent, acked: sent, resent: 0, held: 0, spontaneous: sent })
    rx.close()
  })

  it('sends MO again on the next bind when the bind drops before the deliver_sm_resp', async () => {
    net = await startOne({ mo: { spontaneous: { rate: 200, from: '4790000000-4790000009', to: ['4040'] } } })
    const op = net.operators[0]!
    const first = await Esme.bound(op.port, 'transceiver')
    first.ackReceipts = false
    await waitFor(() => first.received.length >= 10, 10_000, '10 MO on the first bind')
    net.stopMo!()
    const tags = first.received.map((d) => tagOf(decodeShortMessage(d)))
    first.close()
    await waitFor(() => op.stats().binds.transceiver === 0, 5000, 'the first bind gone')
    const second = await Esme.bound(op.port, 'receiver')
    const sent = op.stats().mo!.sent
    await waitFor(() => op.stats().mo!.acked === sent, 10_000, 'every MO acknowledged on the second bind')
    const again = new Set(second.received.map((d) => tagOf(decodeShortMessage(d))))
    for (const t of tags) expect(again.has(t)).toBe(true)
    expect(op.stats().mo!.resent).toBeGreaterThanOrEqual(tags.length)
    second.close()
  })

  it('replies go to the account the MT came from; a STOP is remembered and a later MT after grace is a violation', async () => {
    net = await startOne({
      smpp: { accounts: [{ system_id: 'app', password: 'pw' }, { system_id: 'other', password: 'pw' }] },
      mo: {
        replies: { share: 0.5, delay: { distribution: 'fixed', value: '5ms' }, texts: ['YES'] },
        opt_out: { share: 0.5, delay: { distribution: 'fixed', value: '5ms' }, grace: '0ms' },
      },
    })
    const op = net.operators[0]!
    const app = await Esme.bound(op.port, 'transceiver', 'app', 'pw')
    const other = await Esme.bound(op.port, 'receiver', 'other', 'pw')
    // Different texts to ten numbers: each recipient either replies or opts out.
    for (let i = 0; i < 10; i++) await app.submit({ destinationAddr: `479000000${i}`, shortMessage: Buffer.from(`#${i} hello`) })
    await waitFor(() => app.received.length === 10, 10_000, 'ten answers on the MT account')
    const mo = op.stats().mo!
    expect(mo.replies + mo.stops).toBe(10)
    expect(mo.stops).toBeGreaterThan(0)
    expect(mo.replies).toBeGreaterThan(0)
    expect(other.received.length).toBe(0)
    const keywords = new Set(DEFAULT_OPT_OUT_KEYWORDS)
    const stopped = app.received.filter((d) => keywords.has(decodeShortMessage(d).split(' ')[0]!)).map((d) => d.sourceAddr)
    expect(stopped.length).toBe(mo.stops)
    expect(mo.optedOut).toBe(mo.stops)
    // The app writes again to everyone: only the opted-out numbers count violations. Subscribers
    // stop writing first, so no new STOP comes in while the counts are read (violations still count).
    net.stopMo!()
    for (let i = 0; i < 10; i++) await app.submit({ destinationAddr: `479000000${i}`, shortMessage: Buffer.from(`#${i} again`) })
    expect(op.stats().mo!.violations).toBe(mo.stops)
    // The same counts on /metrics.
    const prom = parseProm(await createNetworkMetrics(net).scrape())
    expect(prom.value('mtsim_operator_optout_violations_total', { operator: 'op' })).toBe(mo.stops)
    expect(prom.value('mtsim_operator_mo_stops_total', { operator: 'op' })).toBe(mo.stops)
    expect(prom.value('mtsim_operator_opted_out', { operator: 'op' })).toBe(mo.stops)
    app.close()
    other.close()
  })
})
