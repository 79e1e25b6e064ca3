// Random bytes against a live operator (mqtt-packet testRandom.js style): no crash, no effect on a
// well-behaved bind, which keeps working afterwards.
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Rng } from '../../lib/rng.js'
import { CommandId } from '../../smpp/constants.js'
import type { NetworkHandle } from '../../simulator/types.js'
import { Esme, startOne } from './helper.js'

let network: NetworkHandle | undefined
afterEach(async () => {
  await network?.close()
  network = undefined
})

/** Random garbage, sometimes behind a plausible header so the decoder (not just the framer) is hit. */
function garbage(rng: Rng): Buffer {
  const len = 1 + rng.int(300)
  const b = Buffer.alloc(len)
  for (let i = 0; i < len; i++) b[i] = rng.int(256)
  if (len >= 16 && rng.chance(0.5)) {
    b.writeUInt32BE(len, 0)
    const ids = [CommandId.submit_sm, CommandId.bind_transceiver, CommandId.deliver_sm_resp, CommandId.unbind, 0x12345678]
    b.writeUInt32BE(ids[rng.int(ids.length)]!, 4)
  }
  return b
}

function sendGarbage(port: number, data: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(data))
    s.on('data', () => {})
    s.on('error', () => resolve())
    s.on('close', () => resolve())
    s.setTimeout(2000, () => s.destroy())
  })
}

describe('random bytes', () => {
  it('survives 200 connections of random bytes and still serves a good bind', async () => {
    network = await startOne({ failures: {} })
    const port = network.operators[0]!.port
    const good = await Esme.bound(port)
    const rng = new Rng('fuzz')
    for (let round = 0; round < 20; round++) {
      await Promise.all(Array.from({ length: 10 }, () => sendGarbage(port, garbage(rng))))
      expect((await good.submit())?.status).toBe(0)
    }
    const late = await Esme.bound(port)
    expect((await late.submit())?.status).toBe(0)
    expect(good.closed).toBe(false)
    good.close()
    late.close()
  })
})
