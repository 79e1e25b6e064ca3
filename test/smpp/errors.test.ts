// Error table for the decoder and framer, plus a seeded random-bytes fuzz test.
import { describe, expect, it } from 'vitest'
import { Framer, PduError, Status, decodePdu, encodePdu, smBody } from '../../smpp/index.js'

const c = (s: string): number[] => [...Buffer.from(s, 'latin1'), 0]
function frame(id: number, status: number, seq: number, body: number[], lengthOverride?: number): Buffer {
  const b = Buffer.alloc(16 + body.length)
  b.writeUInt32BE(lengthOverride ?? 16 + body.length, 0)
  b.writeUInt32BE(id, 4)
  b.writeUInt32BE(status, 8)
  b.writeUInt32BE(seq, 12)
  Buffer.from(body).copy(b, 16)
  return b
}

const submit = encodePdu({ command: 'submit_sm', status: 0, sequence: 77, ...smBody({ sourceAddr: 'A', destinationAddr: '123', shortMessage: Buffer.from('hello') }) })

const table: [string, Buffer, number, number][] = [
  // name, frame, expected status, expected sequence
  ['shorter than a header', Buffer.from([0, 0, 0, 16, 0, 0, 0, 0x15]), Status.ESME_RINVCMDLEN, 0],
  ['command_length larger than the frame', frame(0x15, 0, 5, [], 20), Status.ESME_RINVCMDLEN, 5],
  ['unknown command_id keeps the sequence for generic_nack', frame(0x00000099, 0, 4242, []), Status.ESME_RINVCMDID, 4242],
  ['unknown response id', frame(0x80000099, 0, 9, []), Status.ESME_RINVCMDID, 9],
  ['enquire_link with a body', frame(0x15, 0, 1, [0]), Status.ESME_RINVCMDLEN, 1],
  ['submit_sm truncated (cut inside the header fields)', (() => { const t = Buffer.from(submit.subarray(0, 30)); t.writeUInt32BE(30, 0); return t })(), Status.ESME_RINVCMDLEN, 77],
  ['submit_sm truncated inside short_message', (() => { const t = Buffer.from(submit.subarray(0, submit.length - 2)); t.writeUInt32BE(t.length, 0); return t })(), Status.ESME_RINVMSGLEN, 77],
  ['submit_sm_resp message_id without NUL', frame(0x80000004, 0, 3, [0x31, 0x32]), Status.ESME_RINVCMDLEN, 3],
  ['bind system_id longer than 15', frame(0x09, 0, 2, [...c('x'.repeat(16)), 0, 0, 0x34, 0, 0, 0]), Status.ESME_RINVSYSID, 2],
  ['bind password without NUL', frame(0x02, 0, 2, [...c('sys'), 0x70, 0x77]), Status.ESME_RINVCMDLEN, 2],
  ['bind with trailing octets', frame(0x02, 0, 2, [0, 0, 0, 0x34, 0, 0, 0, 9]), Status.ESME_RINVCMDLEN, 2],
  ['destination_addr longer than 20', frame(0x04, 0, 6, [0, 0, 0, 0, 0, 0, ...c('1'.repeat(21))]), Status.ESME_RINVDSTADR, 6],
  ['sm_length 255', frame(0x04, 0, 6, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, ...Buffer.alloc(255)]), Status.ESME_RINVMSGLEN, 6],
  ['TLV header cut short', frame(0x80000004, 0, 8, [0, 0x04, 0x27, 0]), Status.ESME_RINVOPTPARSTREAM, 8],
  ['TLV length overruns the PDU', frame(0x80000004, 0, 8, [0, 0x04, 0x24, 0, 9, 1]), Status.ESME_RINVPARLEN, 8],
  ['message_state TLV of 2 octets', frame(0x80000004, 0, 8, [0, 0x04, 0x27, 0, 2, 1, 1]), Status.ESME_RINVPARLEN, 8],
  ['network_error_code TLV of 2 octets', frame(0x80000004, 0, 8, [0, 0x04, 0x23, 0, 2, 3, 0]), Status.ESME_RINVPARLEN, 8],
]

describe('decodePdu error table', () => {
  it.each(table)('%s', (_name, bytes, status, sequence) => {
    let caught: unknown
    try {
      decodePdu(bytes)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(PduError)
    expect((caught as PduError).status).toBe(status)
    expect((caught as PduError).sequence).toBe(sequence)
  })

  it('a complete submit_sm still decodes (the table mutates copies)', () => {
    expect(decodePdu(submit)).toMatchObject({ command: 'submit_sm', sequence: 77 })
  })
})

describe('framer', () => {
  const pdus = [submit, frame(0x15, 0, 1, []), frame(0x80000004, 0, 2, c('abc'))]
  const stream = Buffer.concat(pdus)

  it('emits whole PDUs for every split point of the stream, views when not spanning', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const got: Buffer[] = []
      const f = new Framer((b) => got.push(Buffer.from(b)))
      f.push(stream.subarray(0, cut))
      f.push(stream.subarray(cut))
      expect(got).toEqual(pdus)
      expect(f.buffered).toBe(0)
    }
  })

  it('byte-at-a-time feeding works', () => {
    const got: Buffer[] = []
    const f = new Framer((b) => got.push(b))
    for (let i = 0; i < stream.length; i++) f.push(stream.subarray(i, i + 1))
    expect(got).toEqual(pdus)
  })

  it('hands out subarrays of the read buffer when a read holds whole PDUs', () => {
    const seen: Buffer[] = []
    new Framer((b) => seen.push(b)).push(stream)
    expect(seen.every((b) => b.buffer === stream.buffer)).toBe(true)
  })

  it.each([
    ['length 15', 15],
    ['length 0', 0],
    ['length above max', 64 * 1024 + 1],
    ['absurd length', 0xffffffff],
  ])('rejects %s before buffering the body (fatal RINVCMDLEN)', (_n, len) => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(len, 0)
    const f = new Framer(() => {
      throw new Error('must not emit')
    })
    let caught: unknown
    try {
      f.push(head)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(PduError)
    expect((caught as PduError).fatal).toBe(true)
    expect((caught as PduError).status).toBe(Status.ESME_RINVCMDLEN)
    expect(f.buffered).toBe(0)
    f.push(stream) // ignored afterwards: the stream cannot be resynchronised
  })

  it('detects a bad length split across reads', () => {
    const f = new Framer(() => {})
    f.push(Buffer.from([0, 0]))
    expect(() => f.push(Buffer.from([0, 5, 1, 2]))).toThrow(PduError)
  })
})

/** mulberry32: small seeded PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('fuzz', () => {
  it('20k random buffers through framer + decoder throw only PduError', () => {
    const rand = rng(0x5eed)
    const ids = [0x04, 0x05, 0x09, 0x01, 0x02, 0x15, 0x80000004, 0x80000005, 0x80000009, 0x80000000, 0x06, 0x03, 0x77]
    let decoded = 0
    let rejected = 0
    for (let i = 0; i < 20_000; i++) {
      const len = Math.floor(rand() * 120)
      const b = Buffer.alloc(len)
      for (let j = 0; j < len; j++) b[j] = Math.floor(rand() * 256)
      // Half the time give it a plausible header so the body decoders get exercised.
      if (len >= 16 && rand() < 0.5) {
        b.writeUInt32BE(len, 0)
        b.writeUInt32BE(ids[Math.floor(rand() * ids.length)]!, 4)
        if (rand() < 0.5) b.writeUInt32BE(0, 8)
      }
      const f = new Framer((fr) => {
        try {
          decodePdu(fr)
          decoded++
        } catch (err) {
          if (!(err instanceof PduError)) throw err
          rejected++
        }
      })
      try {
        // split at a random point to exercise reassembly
        const cut = Math.floor(rand() * (len + 1))
        f.push(b.subarray(0, cut))
        f.push(b.subarray(cut))
      } catch (err) {
        if (!(err instanceof PduError)) throw err
        rejected++
      }
    }
    expect(decoded).toBeGreaterThan(0)
    expect(rejected).toBeGreaterThan(0)
  })

  it('mutating single bytes of valid PDUs never throws anything but PduError', () => {
    const rand = rng(42)
    for (let i = 0; i < 5000; i++) {
      const b = Buffer.from(submit)
      const at = 16 + Math.floor(rand() * (b.length - 16))
      b[at] = Math.floor(rand() * 256)
      try {
        decodePdu(b)
      } catch (err) {
        expect(err).toBeInstanceOf(PduError)
      }
    }
  })
})
