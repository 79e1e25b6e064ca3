// The `smpp` npm package's client as an independent peer: if our codec and the simulator agree
// only with each other, this catches it.
import smpp from 'smpp'
import { afterEach, describe, expect, it } from 'vitest'
import { parseReceipt } from '../../smpp/receipt.js'
import type { NetworkHandle } from '../../simulator/types.js'
import { startOne } from './helper.js'

let net: NetworkHandle | undefined
afterEach(async () => {
  await net?.close()
  net = undefined
})

interface SmppPdu {
  command_status: number
  message_id?: string
  esm_class?: number
  short_message?: { message?: string } | string
  receipted_message_id?: string
  message_state?: number
  response(): unknown
}

describe('interop with the smpp package', () => {
  it('binds, submits and receives a deliver_sm receipt it can acknowledge', async () => {
    net = await startOne({ receipts: { delay: { distribution: 'fixed', value: '10ms' } } })
    const session = smpp.connect({ url: `smpp://127.0.0.1:${net.operators[0]!.port}`, auto_enquire_link_period: 0 })
    try {
      const receipt = new Promise<SmppPdu>((resolve) => {
        session.on('deliver_sm', (pdu: SmppPdu) => {
          session.send(pdu.response())
          resolve(pdu)
        })
      })
      const bind = await new Promise<SmppPdu>((resolve) => session.bind_transceiver({ system_id: 'esme', password: 'secret' }, resolve))
      expect(bind.command_status).toBe(0)
      const resp = await new Promise<SmppPdu>((resolve) =>
        session.submit_sm({ source_addr: 'mtsim', destination_addr: '4790000001', short_message: 'interop', registered_delivery: 1 }, resolve),
      )
      expect(resp.command_status).toBe(0)
      expect(resp.message_id).toMatch(/^[0-9]+$/)
      const d = await receipt
      expect(d.esm_class).toBe(4)
      expect(d.receipted_message_id).toBe(resp.message_id)
      expect(d.message_state).toBe(2)
      const text = typeof d.short_message === 'string' ? d.short_message : (d.short_message?.message ?? '')
      expect(parseReceipt(text)).toMatchObject({ id: resp.message_id, stat: 'DELIVRD' })
      const op = net.operators[0]!
      for (let i = 0; i < 100 && op.stats().receipts.acked < 1; i++) await new Promise((r) => setTimeout(r, 10))
      expect(op.stats().receipts.acked).toBe(1)
    } finally {
      session.close()
    }
  })
})
