// The Kannel dlr-url callback Kannel 1.4.5 really makes for an EXPIRED receipt (captured from
// bearerbox/smsbox against the simulator): %d is 34 (2 failed + 32 expired), not 2. Before it was
// mapped, these callbacks were dropped as unusable and their messages counted missing.
import { describe, expect, it } from 'vitest'
import { kannelHttpGateway } from '../../loadgen/transports/kannel-preset.js'
import { ReceiptWebhook } from '../../loadgen/transports/webhook.js'

const hook = () => {
  const g = kannelHttpGateway('http://127.0.0.1:1/cgi-bin/sendsms', 'u', 'p')
  return new ReceiptWebhook(g.webhook, g.preset)
}
const answer = (stat: string, err: string) => `id:1 sub:001 dlvrd:000 submit date:2611242353 done date:2611242353 stat:${stat} err:${err} text:`

describe('Kannel receipt callbacks', () => {
  it('maps %d=34 with an EXPIRED receipt to a final EXPIRED', () => {
    expect(hook().map({ id: '7', status: '34', answer: answer('EXPIRED', '002') }, undefined, undefined)).toEqual({ stat: 'EXPIRED', final: true, seq: 7, err: '002' })
  })

  it('still maps %d=2 by the receipt inside (UNDELIV, REJECTD) and 1/8 as before', () => {
    const h = hook()
    expect(h.map({ id: '7', status: '2', answer: answer('UNDELIV', '001') }, undefined, undefined)).toEqual({ stat: 'UNDELIV', final: true, seq: 7, err: '001' })
    expect(h.map({ id: '7', status: '2', answer: answer('REJECTD', '003') }, undefined, undefined)).toEqual({ stat: 'REJECTD', final: true, seq: 7, err: '003' })
    expect(h.map({ id: '8', status: '1', answer: answer('DELIVRD', '000') }, undefined, undefined)).toEqual({ stat: 'DELIVRD', final: true, seq: 8, err: '000' })
    expect(h.map({ id: '8', status: '8', answer: 'ACK/' }, undefined, undefined)).toEqual({ stat: 'ACCEPTD', final: false, seq: 8 })
  })
})
