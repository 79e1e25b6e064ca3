// The smpp target's submit_multi grouping against the simulator, at the transport: a group of one
// text goes as one PDU, a multipart message and a repeated handset go on their own, each message
// keeps its outcome and its receipts (ids "<message_id>|<handset>" on both sides).
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../support/wait.js'
import type { IncomingReceipt, OutboundMessage, SubmitOutcome } from '../../../loadgen/transports/transport.js'
import { SmppTransport } from '../../../loadgen/transports/smpp.js'
import { formatTag } from '../../../lib/tag.js'
import { parseNetwork } from '../../../simulator/network.js'
import { startNetwork } from '../../../simulator/start-network.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

function msg(seq: number, destination: string, body: string): OutboundMessage {
  const tag = formatTag(seq)
  return { seq, tag, stream: 's', operator: 'opa', source: 'MTSIM', destination, text: tag + body, encoding: 'auto', multipart: 'udh', registeredDelivery: 1 }
}

describe('smpp target with submit_multi', () => {
  it('groups one text into one PDU; multipart and repeated handsets go apart; outcomes and receipts per message', async () => {
    const net = await startNetwork(
      parseNetwork(
        { seed: 4, operators: [{ id: 'opa', mcc: '242', mnc: '01', prefixes: ['4790'], smpp: { port: 0, accounts: [{ system_id: 'gw', password: 'p' }] }, receipts: { delay: { distribution: 'fixed', value: '5ms' } } }] },
        'test-network',
      ),
    )
    cleanups.push(() => net.close())
    const t = new SmppTransport({
      host: '127.0.0.1', port: net.operators[0]!.port, systemId: 'gw', password: 'p', systemType: '', binds: 2, mode: 'transceiver', window: 10,
      responseTimeoutMs: 5000, enquireLinkMs: 0, reconnectInitialMs: 20, reconnectMaxMs: 200, startTimeoutMs: 3000,
      submitMulti: { maxDestinations: 3, maxWaitMs: 30 },
    })
    cleanups.push(() => t.close())
    const receipts: IncomingReceipt[] = []
    await t.start({ onReceipt: (r) => receipts.push(r) })
    const long = 'x'.repeat(200) // two segments: never in a submit_multi
    const msgs = [
      msg(1, '+4790000001', 'same text'), msg(2, '4790000002', 'same text'), msg(3, '4790000003', 'same text'), // a full group of 3
      msg(4, '4790000004', 'same text'), msg(5, '4790000004', 'same text'), // a repeated handset: two groups
      msg(6, '4790000006', long),
      msg(7, '4799999999', 'same text'), // not served: refused in unsuccess_sme (its group waits max_wait)
    ]
    const outs = await Promise.all(msgs.map((m) => new Promise<SubmitOutcome>((resolve) => t.send(m, resolve))))
    expect(outs.map((o) => o.kind)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'rejected'])
    expect(outs[6]!.status).toBe('ESME_RINVDSTADR')
    expect(outs[0]!.messageIds).toEqual([expect.stringMatching(/^\d+\|4790000001$/)])
    // One message_id for the group of three, a handset each.
    const groupIds = outs.slice(0, 3).map((o) => o.messageIds[0]!.split('|')[0])
    expect(new Set(groupIds).size).toBe(1)
    expect(outs[3]!.messageIds[0]!.split('|')[0]).not.toBe(outs[4]!.messageIds[0]!.split('|')[0])
    expect(outs[5]!.messageIds).toHaveLength(2) // per segment, each "<id>|<handset>"
    expect(outs[5]!.messageIds.every((id) => id.endsWith('|4790000006'))).toBe(true)
    const s = net.operators[0]!.stats()
    expect(s.multi).toMatchObject({ submits: 3, destinations: 6, accepted: 5, unsuccess: { ESME_RINVDSTADR: 1 } }) // {1,2,3}, {4}, {4,7}
    expect(s.submits).toBe(2) // the two segments
    // Every receipt names an id some outcome reported.
    const ids = new Set(outs.flatMap((o) => o.messageIds))
    await waitFor(() => receipts.length === 7, 10_000, '7 receipts (5 grouped messages, 2 segments)')
    expect(receipts.every((r) => ids.has(r.messageId!))).toBe(true)
    expect(new Set(receipts.map((r) => r.messageId)).size).toBe(7)
    // An arrival under the group's tag is credited to the message for that handset.
    expect(t.memberSeq!(1, '4790000003')).toBe(3)
    expect(t.memberSeq!(1, '4790000001')).toBe(1)
  })
})
