// submit_multi and submit_multi_resp (SMPP 3.4 sections 4.5.1, 4.5.2): annotated bytes, the
// differential check against the `smpp` npm package (0.5.1) in both directions, the error table and
// a random-bytes fuzz of the decoder.
import smpp from 'smpp'
import { describe, expect, it } from 'vitest'
import { PduError, Status, decodePdu, encodeGsm7, encodePdu, type MultiDestination, type SubmitMulti, type SubmitMultiResp } from '../../smpp/index.js'

type Opts = Record<string, unknown>
const theirsEncode = (command: string, opts: Opts): Buffer => new smpp.PDU(command, opts).toBuffer()
const theirsDecode = (b: Buffer): Record<string, any> => smpp.PDU.fromBuffer(b)

const sme = (addr: string, ton = 1, npi = 1): MultiDestination => ({ destFlag: 1, destAddrTon: ton, destAddrNpi: npi, destinationAddr: addr })
const dl = (name: string): MultiDestination => ({ destFlag: 2, dlName: name })

function multi(dests: MultiDestination[], fields: Partial<SubmitMulti> = {}): Omit<SubmitMulti, 'commandId'> {
  return {
    command: 'submit_multi', status: 0, sequence: 77, serviceType: '', sourceAddrTon: 5, sourceAddrNpi: 0, sourceAddr: 'MTSIM', destAddresses: dests,
    esmClass: 0, protocolId: 0, priorityFlag: 0, scheduleDeliveryTime: '', validityPeriod: '', registeredDelivery: 1, replaceIfPresentFlag: 0,
    dataCoding: 0, smDefaultMsgId: 0, shortMessage: encodeGsm7('#A1 Hello all'), tlvs: undefined, ...fields,
  }
}

function theirMultiOpts(p: Omit<SubmitMulti, 'commandId'>): Opts {
  return {
    sequence_number: p.sequence, service_type: p.serviceType, source_addr_ton: p.sourceAddrTon, source_addr_npi: p.sourceAddrNpi, source_addr: p.sourceAddr,
    dest_address: p.destAddresses.map((d) => (d.destFlag === 1 ? { dest_addr_ton: d.destAddrTon, dest_addr_npi: d.destAddrNpi, destination_addr: d.destinationAddr } : { dl_name: d.dlName })),
    esm_class: p.esmClass, protocol_id: p.protocolId, priority_flag: p.priorityFlag, schedule_delivery_time: p.scheduleDeliveryTime, validity_period: p.validityPeriod,
    registered_delivery: p.registeredDelivery, replace_if_present_flag: p.replaceIfPresentFlag, data_coding: p.dataCoding, sm_default_msg_id: p.smDefaultMsgId,
    short_message: p.shortMessage,
    ...(p.tlvs?.sarMsgRefNum !== undefined ? { sar_msg_ref_num: p.tlvs.sarMsgRefNum, sar_total_segments: p.tlvs.sarTotalSegments, sar_segment_seqnum: p.tlvs.sarSegmentSeqnum } : {}),
  }
}

describe('submit_multi bytes', () => {
  it('encodes the dest_address list with its flags (annotated)', () => {
    const bytes = encodePdu(multi([sme('4790000001'), dl('staff')], { shortMessage: Buffer.from('hi'), registeredDelivery: 1 }))
    const body = bytes.subarray(16)
    expect(bytes.readUInt32BE(4)).toBe(0x00000021)
    // prettier-ignore
    expect([...body]).toEqual([
      0x00, // service_type ""
      0x05, 0x00, ...Buffer.from('MTSIM'), 0x00, // source_addr_ton 5, npi 0, source_addr
      0x02, // number_of_dests
      0x01, 0x01, 0x01, ...Buffer.from('4790000001'), 0x00, // dest_flag 1 (SME), ton 1, npi 1, destination_addr
      0x02, ...Buffer.from('staff'), 0x00, // dest_flag 2 (distribution list), dl_name
      0x00, 0x00, 0x00, // esm_class, protocol_id, priority_flag
      0x00, 0x00, // schedule_delivery_time "", validity_period ""
      0x01, 0x00, 0x00, 0x00, // registered_delivery 1, replace_if_present, data_coding, sm_default_msg_id
      0x02, ...Buffer.from('hi'), // sm_length, short_message
    ])
  })

  it('encodes submit_multi_resp with its unsuccess_sme list (annotated)', () => {
    const bytes = encodePdu({ command: 'submit_multi_resp', status: 0, sequence: 9, messageId: '12', unsuccessSmes: [{ destAddrTon: 1, destAddrNpi: 1, destinationAddr: '47', errorStatusCode: 0x45 }] })
    // prettier-ignore
    expect([...bytes.subarray(16)]).toEqual([
      ...Buffer.from('12'), 0x00, // message_id
      0x01, // no_unsuccess
      0x01, 0x01, ...Buffer.from('47'), 0x00, 0x00, 0x00, 0x00, 0x45, // ton, npi, destination_addr, error_status_code ESME_RSUBMITFAIL
    ])
  })
})

const dlists: [string, MultiDestination[]][] = [
  ['one SME', [sme('4790000001')]],
  ['SME and lists mixed', [sme('4790000001'), dl('staff'), sme('4791000002', 2, 9), dl('x'.repeat(20))]],
  ['254 SMEs', Array.from({ length: 254 }, (_, i) => sme(String(4790000000 + i)))],
]
const variants: [string, Partial<SubmitMulti>][] = [
  ['plain', {}],
  ['ucs2, times, priority', { dataCoding: 8, shortMessage: Buffer.from('Привет', 'utf16le').swap16(), scheduleDeliveryTime: '250101120000000+', validityPeriod: '000001000000000R', priorityFlag: 1, serviceType: 'CMT' }],
  ['udh segment with sar TLVs', { esmClass: 0x40, shortMessage: Buffer.from([5, 0, 3, 7, 2, 1, 0x41, 0x42]), tlvs: { sarMsgRefNum: 513, sarTotalSegments: 2, sarSegmentSeqnum: 1 } }],
]

describe('submit_multi vs smpp package', () => {
  for (const [dn, dests] of dlists) {
    for (const [vn, v] of variants) {
      it(`${dn}, ${vn}`, () => {
        const ours = multi(dests, v)
        const mine = encodePdu(ours)
        const theirs = theirsEncode('submit_multi', theirMultiOpts(ours))
        expect(mine.toString('hex')).toBe(theirs.toString('hex'))
        expect(decodePdu(theirs)).toEqual({ ...ours, commandId: 0x21 })
        const p = theirsDecode(mine)
        expect(p.command).toBe('submit_multi')
        expect(p.dest_address).toHaveLength(dests.length)
        p.dest_address.forEach((d: Record<string, unknown>, i: number) => {
          const o = dests[i]!
          if (o.destFlag === 1) expect(d).toEqual({ dest_addr_ton: o.destAddrTon, dest_addr_npi: o.destAddrNpi, destination_addr: o.destinationAddr })
          else expect(d).toEqual({ dl_name: o.dlName })
        })
      })
    }
  }
})

const resps: Omit<SubmitMultiResp, 'commandId'>[] = [
  { command: 'submit_multi_resp', status: 0, sequence: 1, messageId: '42', unsuccessSmes: [] },
  { command: 'submit_multi_resp', status: 0, sequence: 2, messageId: 'ab12', unsuccessSmes: [{ destAddrTon: 1, destAddrNpi: 1, destinationAddr: '4790000001', errorStatusCode: Status.ESME_RSUBMITFAIL }] },
  {
    command: 'submit_multi_resp', status: 0, sequence: 3, messageId: 'x'.repeat(64),
    unsuccessSmes: Array.from({ length: 30 }, (_, i) => ({ destAddrTon: i % 3, destAddrNpi: 1, destinationAddr: String(4791000000 + i), errorStatusCode: i % 2 ? Status.ESME_RINVDSTADR : 0x400 })),
  },
  { command: 'submit_multi_resp', status: Status.ESME_RTHROTTLED, sequence: 4, messageId: '', unsuccessSmes: [] },
]

describe('submit_multi_resp vs smpp package', () => {
  it.each(resps.map((r, i) => [i, r] as const))('#%i', (_i, r) => {
    const theirs = theirsEncode('submit_multi_resp', {
      sequence_number: r.sequence, command_status: r.status, message_id: r.messageId,
      unsuccess_sme: r.unsuccessSmes.map((u) => ({ dest_addr_ton: u.destAddrTon, dest_addr_npi: u.destAddrNpi, destination_addr: u.destinationAddr, error_status_code: u.errorStatusCode })),
    })
    const mine = encodePdu(r)
    expect(mine.toString('hex')).toBe(theirs.toString('hex'))
    expect(decodePdu(theirs)).toEqual({ ...r, commandId: 0x80000021 })
    const p = theirsDecode(mine)
    expect(p.command_status).toBe(r.status)
    if (r.status === 0) {
      expect(p.message_id).toBe(r.messageId)
      expect(p.unsuccess_sme.map((u: Record<string, unknown>) => u.error_status_code)).toEqual(r.unsuccessSmes.map((u) => u.errorStatusCode))
    }
  })

  it('reads a resp that ends after message_id (every destination accepted) as an empty list', () => {
    const b = encodePdu({ command: 'submit_sm_resp', status: 0, sequence: 5, messageId: '7' })
    b.writeUInt32BE(0x80000021, 4)
    expect(decodePdu(b)).toEqual({ command: 'submit_multi_resp', commandId: 0x80000021, status: 0, sequence: 5, messageId: '7', unsuccessSmes: [] })
  })
})

/** Encodes then patches the byte at `at` (offset in the body). */
function patched(p: Omit<SubmitMulti, 'commandId'>, at: number, value: number): Buffer {
  const b = encodePdu(p)
  b[16 + at] = value
  return b
}

function statusOf(b: Buffer): number {
  try {
    decodePdu(b)
  } catch (err) {
    if (err instanceof PduError) return err.status
    throw err
  }
  return -1
}

describe('submit_multi errors', () => {
  const base = multi([sme('4790000001')])
  const numberOfDestsAt = 1 + 2 + 'MTSIM'.length + 1 // service_type NUL, ton, npi, source_addr + NUL
  it('number_of_dests 0 -> ESME_RINVNUMDESTS', () => expect(statusOf(patched(base, numberOfDestsAt, 0))).toBe(Status.ESME_RINVNUMDESTS))
  it('number_of_dests 255 -> ESME_RINVNUMDESTS', () => expect(statusOf(patched(base, numberOfDestsAt, 255))).toBe(Status.ESME_RINVNUMDESTS))
  it('dest_flag 3 -> ESME_RINVDESTFLAG', () => expect(statusOf(patched(base, numberOfDestsAt + 1, 3))).toBe(Status.ESME_RINVDESTFLAG))
  it('a dl_name of 21 characters -> ESME_RINVDLNAME', () => {
    const b = encodePdu(multi([dl('x'.repeat(20))]))
    const long = Buffer.concat([b.subarray(0, 16 + numberOfDestsAt + 2 + 20), Buffer.from('y'), b.subarray(16 + numberOfDestsAt + 2 + 20)])
    long.writeUInt32BE(long.length, 0)
    expect(statusOf(long)).toBe(Status.ESME_RINVDLNAME)
  })
  it('a body cut anywhere is refused as a PduError, never a crash', () => {
    const b = encodePdu(multi([sme('4790000001'), dl('staff')]))
    for (let n = 17; n < b.length; n++) {
      const cut = Buffer.from(b.subarray(0, n))
      cut.writeUInt32BE(n, 0)
      expect(statusOf(cut), `cut at ${n}`).toBeGreaterThan(0)
    }
  })
  it('encoding 0 or 255 destinations is a bug, not a PDU', () => {
    expect(() => encodePdu(multi([]))).toThrow(/number_of_dests/)
    expect(() => encodePdu(multi(Array.from({ length: 255 }, () => sme('47'))))).toThrow(/number_of_dests/)
  })
  it('random bodies: the decoder answers a PduError or a PDU, never anything else', () => {
    let seed = 12345
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff
    for (let i = 0; i < 3000; i++) {
      const len = 16 + (rnd() % 80)
      const b = Buffer.alloc(len)
      for (let j = 16; j < len; j++) b[j] = i % 2 ? rnd() : rnd() % 4 // small values hit the flags and counts
      b.writeUInt32BE(len, 0)
      b.writeUInt32BE(i % 3 ? 0x21 : 0x80000021, 4)
      try {
        decodePdu(b)
      } catch (err) {
        expect(err).toBeInstanceOf(PduError)
      }
    }
  })
})
