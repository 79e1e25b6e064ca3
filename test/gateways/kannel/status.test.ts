import { describe, expect, it } from 'vitest'
import { notReady, parseKannelStatus } from '../../../gateways/kannel/status.js'

// Captured from Kannel 1.4.5 on this machine (one smsc online, one re-connecting), counters edited.
const SAMPLE = `Kannel bearerbox version \`1.4.5'.
Compiler \`12.2.0'.
Using native malloc.


Status: running, uptime 0d 0h 0m 2s

WDP: received 0 (0 queued), sent 0 (0 queued)

SMS: received 12 (3 queued), sent 9 (1 queued), store size -1
SMS: inbound (0.00,0.00,0.00) msg/sec, outbound (0.00,0.00,0.00) msg/sec

DLR: received 7, sent 0
DLR: inbound (0.00,0.00,0.00) msg/sec, outbound (0.00,0.00,0.00) msg/sec
DLR: 2 queued, using internal storage

Box connections:
    smsbox:(none), IP 127.0.0.1 (0 queued), (on-line 0d 0h 0m 2s)  


SMSC connections:
    op1[op1]    SMPP:127.0.0.1:27750/27750:sys1: (online 6s, rcvd: sms 1 (0.00,0.00,0.00) / dlr 7 (0.00,0.00,0.00), sent: sms 9 (0.00,0.00,0.00) / dlr 0 (0.00,0.00,0.00), failed 2, queued 4 msgs)
    op2[op2]    SMPP:127.0.0.1:27751/27751:sys2: (re-connecting, rcvd: sms 0 (0.00,0.00,0.00) / dlr 0 (0.00,0.00,0.00), sent: sms 0 (0.00,0.00,0.00) / dlr 0 (0.00,0.00,0.00), failed 0, queued 0 msgs)

`

describe('parseKannelStatus', () => {
  it('reads state, counters, box connections and each smsc', () => {
    const s = parseKannelStatus(SAMPLE)
    expect(s.state).toBe('running')
    expect(s.sms).toEqual({ received: 12, receivedQueued: 3, sent: 9, sentQueued: 1 })
    expect(s.dlr).toEqual({ received: 7, sent: 0, queued: 2 })
    expect(s.boxes).toBe(1)
    expect(s.smscs).toEqual([
      { adminId: 'op1', smscId: 'op1', state: 'online', onlineSeconds: 6, received: { sms: 1, dlr: 7 }, sent: { sms: 9, dlr: 0 }, failed: 2, queued: 4 },
      { adminId: 'op2', smscId: 'op2', state: 're-connecting', onlineSeconds: undefined, received: { sms: 0, dlr: 0 }, sent: { sms: 0, dlr: 0 }, failed: 0, queued: 0 },
    ])
  })

  it('says what is not ready yet', () => {
    const s = parseKannelStatus(SAMPLE)
    expect(notReady(s, ['op1'], true)).toEqual([])
    expect(notReady(s, ['op1', 'op2', 'op3'], true)).toEqual(['smsc op2 is re-connecting', 'smsc op3 is not listed'])
    const noBox = parseKannelStatus(SAMPLE.replace(/^ {4}smsbox:.*$/m, ''))
    expect(noBox.boxes).toBe(0)
    expect(notReady(noBox, ['op1'], true)).toEqual(['smsbox is not connected to bearerbox'])
    expect(notReady(noBox, ['op1'], false)).toEqual([])
    expect(notReady(parseKannelStatus(SAMPLE.replace('Status: running', 'Status: shutdown')), ['op1'], false)).toEqual(['bearerbox is shutdown'])
  })

  it('degrades to zeros and "unknown" on text it does not recognise', () => {
    expect(parseKannelStatus('<html>nope</html>')).toEqual({
      state: 'unknown',
      sms: { received: 0, receivedQueued: 0, sent: 0, sentQueued: 0 },
      dlr: { received: 0, sent: 0, queued: 0 },
      boxes: 0,
      smscs: [],
    })
  })
})
