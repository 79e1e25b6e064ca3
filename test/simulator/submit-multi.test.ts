// submit_multi on a simulated operator: per-destination outcomes in one submit_multi_resp, receipts
// per accepted destination naming the one message_id, counted in stats.multi; each destination
// meets the fate a submit_sm to it would; the smpp package's client reads the answer too.
import smpp from 'smpp'
import { describe, expect, it } from 'vitest'
import { Status, encodeGsm7, type MultiDestination, type SubmitMultiResp, type SubmitSmResp } from '../../smpp/index.js'
import { parseReceipt } from '../../smpp/receipt.js'
import { perTest, startOne, waitFor } from './helper.js'

const t = perTest()

const sme = (addr: string): MultiDestination => ({ destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: addr })

const network = {
  prefixes: ['4790'],
  failures: { statuses: [{ status: 'ESME_RSUBMITFAIL', rate: 0.3 }] },
  receipts: { delay: { distribution: 'fixed', value: '10ms' } },
  latency: { distribution: 'fixed', value: '5ms' },
}

function submitMulti(dests: MultiDestination[], text = '#A1 hello everyone') {
  return {
    command: 'submit_multi' as const, status: 0, sequence: 0, serviceType: '', sourceAddrTon: 5, sourceAddrNpi: 0, sourceAddr: 'MTSIM', destAddresses: dests,
    esmClass: 0, protocolId: 0, priorityFlag: 0, scheduleDeliveryTime: '', validityPeriod: '', registeredDelivery: 1, replaceIfPresentFlag: 0,
    dataCoding: 0, smDefaultMsgId: 0, shortMessage: encodeGsm7(text),
  }
}

describe('submit_multi on a simulated operator', () => {
  it('answers per destination: accepted ones get receipts under the one message_id, refused ones are listed with their status', async () => {
    t.net = await startOne(network)
    const esme = await t.bound()
    const served = Array.from({ length: 20 }, (_, i) => `47900000${String(i).padStart(2, '0')}`)
    const dests = [...served.map(sme), sme('4411111111'), sme('4422222222'), { destFlag: 2 as const, dlName: 'staff' }]
    const resp = (await esme.request(submitMulti(dests))) as SubmitMultiResp
    expect(resp.command).toBe('submit_multi_resp')
    expect(resp.status).toBe(Status.ESME_ROK)
    expect(resp.messageId).toMatch(/^\d+$/)
    const byStatus = (code: number) => resp.unsuccessSmes.filter((u) => u.errorStatusCode === code).map((u) => u.destinationAddr)
    expect(byStatus(Status.ESME_RINVDSTADR).sort()).toEqual(['4411111111', '4422222222'])
    expect(byStatus(Status.ESME_RINVDLNAME)).toEqual(['staff'])
    const failed = byStatus(Status.ESME_RSUBMITFAIL)
    // 30% of 20 drawn per destination: mixed, never all or none for this seed.
    expect(failed.length).toBeGreaterThan(0)
    expect(failed.length).toBeLessThan(20)
    expect(resp.unsuccessSmes).toHaveLength(3 + failed.length)
    const accepted = served.filter((d) => !failed.includes(d))

    await waitFor(() => esme.received.length === accepted.length, 10_000, 'a receipt per accepted destination')
    expect(esme.received.map((d) => d.sourceAddr).sort()).toEqual(accepted.sort())
    for (const text of esme.receiptTexts()) expect(parseReceipt(text)).toMatchObject({ id: resp.messageId, stat: 'DELIVRD' })
    const op = t.net.operators[0]!
    await waitFor(() => op.stats().receipts.acked === accepted.length, 10_000, 'receipts acknowledged')
    const s = op.stats()
    expect(s.multi).toEqual({
      submits: 1, destinations: 23, accepted: accepted.length, unanswered: 0,
      unsuccess: { ESME_RINVDSTADR: 2, ESME_RINVDLNAME: 1, ESME_RSUBMITFAIL: failed.length },
      statuses: { ESME_ROK: 1 },
    })
    expect(s.messages).toBe(22) // every SME destination is a message; the list name is none
    expect(s.submits).toBe(0) // submit_sm only
    expect(s.receipts.sent).toEqual({ DELIVRD: accepted.length })

    // Each destination met the fate a submit_sm with the same text would have met.
    for (const d of served.slice(0, 8)) {
      const single = (await esme.submit({ destinationAddr: d, shortMessage: encodeGsm7('#A1 hello everyone') })) as SubmitSmResp
      expect(single.status === Status.ESME_RSUBMITFAIL, d).toBe(failed.includes(d))
    }
  })

  it('refuses a PDU whose every destination fails with ESME_RSUBMITFAIL, and one on a receiver bind with ESME_RINVBNDSTS', async () => {
    t.net = await startOne(network)
    const tx = await t.bound()
    const none = (await tx.request(submitMulti([sme('4411111111'), sme('4422222222')]))) as SubmitMultiResp
    expect(none.status).toBe(Status.ESME_RSUBMITFAIL)
    const rx = await t.bound('receiver')
    const refused = (await rx.request(submitMulti([sme('4790000001')]))) as SubmitMultiResp
    expect(refused.status).toBe(Status.ESME_RINVBNDSTS)
    expect(t.net.operators[0]!.stats().multi?.statuses).toEqual({ ESME_RSUBMITFAIL: 1 })
  })

  it('the smpp package sends submit_multi and reads our submit_multi_resp', async () => {
    t.net = await startOne({ ...network, failures: { statuses: [] }, latency: undefined })
    const session = smpp.connect({ url: `smpp://127.0.0.1:${t.net.operators[0]!.port}`, auto_enquire_link_period: 0 })
    session.on('error', () => {}) // a reset when the network closes after the test
    try {
      const receipts: { source_addr: string }[] = []
      session.on('deliver_sm', (pdu: { source_addr: string; response(): unknown }) => {
        session.send(pdu.response())
        receipts.push(pdu)
      })
      const bind = await new Promise<{ command_status: number }>((resolve) => session.bind_transceiver({ system_id: 'esme', password: 'secret' }, resolve))
      expect(bind.command_status).toBe(0)
      const resp = await new Promise<{ command_status: number; message_id: string; unsuccess_sme: { destination_addr: string; error_status_code: number }[] }>((resolve) =>
        session.submit_multi(
          {
            source_addr: 'mtsim', registered_delivery: 1, short_message: 'from the package',
            dest_address: [{ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4790000001' }, { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4490000002' }],
          },
          resolve,
        ),
      )
      expect(resp.command_status).toBe(0)
      expect(resp.message_id).toMatch(/^\d+$/)
      expect(resp.unsuccess_sme).toEqual([{ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4490000002', error_status_code: Status.ESME_RINVDSTADR }])
      await waitFor(() => receipts.length === 1, 10_000, 'the receipt')
      expect(receipts[0]!.source_addr).toBe('4790000001')
    } finally {
      session.close()
    }
  })
})
