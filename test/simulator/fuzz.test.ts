// Random bytes against a live operator (mqtt-packet testRandom.js style): no crash, no effect on a
// well-behaved bind, which keeps working afterwards. Then the 20,000-PDU version of the fuzz that
// `npm run bench -- --only fuzz` runs with a million (bench/fuzz/fuzz-driver.ts), against the simulator
// in its own process: it must come out with everything released and every receipt accounted for.
import net from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { fuzzSimulator } from '../../bench/fuzz/fuzz.js'
import { describeFuzz } from '../../bench/fuzz/fuzz-driver.js'
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

describe('fuzz, 20,000 PDUs against the simulator in its own process', () => {
  it('leaves the process alive, its fds, connections and binds as they were, every receipt accounted for, and serves a clean bind', async () => {
    // The compiled child (npm test builds dist/ first): the simulator runs as it does in production.
    const side = pathToFileURL(join(import.meta.dirname, '../../dist/bench/fuzz/fuzz-side.js')).href
    const lines: string[] = []
    const r = await fuzzSimulator(20_000, (l) => lines.push(l), side)
    const report = describeFuzz(r).join('\n')
    expect(r.pdus, report).toBe(20_000)
    expect(r.after.alive, report).toBe(true)
    expect(r.after.connections, report).toBe(r.before.connections)
    expect(r.after.binds, report).toBe(r.before.binds)
    expect(r.after.fds, report).toBeLessThanOrEqual(r.before.fds)
    // Invalid PDUs were really sent and seen, and valid submits were accepted (the fuzz did something).
    expect(r.after.invalidPdus - r.before.invalidPdus, report).toBeGreaterThan(100)
    expect(r.after.accepted - r.before.accepted, report).toBeGreaterThan(100)
    // Every receipt was either acknowledged by a fuzz client or waiting for the account, and the
    // clean receiver bind got every one that waited.
    expect(r.deliveredToCleanBind, report).toBeGreaterThanOrEqual(r.queuedReceipts)
    expect(r.after.pendingReceipts, report).toBe(0)
    expect(r.cleanSubmitStatus, report).toBe(0)
    expect(r.problems, report).toEqual([])
  }, 180_000)
})
