// The load generator's binds over TLS: direct mode reaches an operator's TLS port trusting the
// operator's own certificate; the smpp target verifies against a CA file, refuses an unknown
// certificate with a clear error, and skips verification only when told (insecure).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../support/wait.js'
import type { IncomingReceipt, OutboundMessage, SubmitOutcome, Transport } from '../../../loadgen/transports/transport.js'
import { DirectTransport } from '../../../loadgen/transports/direct.js'
import { SmppTransport } from '../../../loadgen/transports/smpp.js'
import { normalizeGateway, type ClientTls } from '../../../loadgen/scenario/gateway-config.js'
import { MtsimError } from '../../../lib/errors.js'
import { parseNetwork } from '../../../simulator/network.js'
import { startNetwork } from '../../../simulator/start-network.js'
import type { NetworkHandle } from '../../../simulator/types.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function network(): Promise<NetworkHandle> {
  const config = parseNetwork(
    {
      seed: 5,
      operators: [
        {
          id: 'opa', mcc: '242', mnc: '01', prefixes: ['4790'],
          smpp: { port: 0, accounts: [{ system_id: 'gw', password: 'p' }], tls: { port: 0 } },
          receipts: { delay: { distribution: 'fixed', value: '5ms' } },
        },
      ],
    },
    'test-network',
  )
  const net = await startNetwork(config)
  cleanups.push(() => net.close())
  return net
}

const link = { mode: 'transceiver' as const, window: 20, responseTimeoutMs: 5000, enquireLinkMs: 0, reconnectInitialMs: 20, reconnectMaxMs: 200 }

function msg(seq: number): OutboundMessage {
  return { seq, tag: `T${seq} `, stream: 's', operator: 'opa', source: 'MTSIM', destination: '479000000' + seq, text: `T${seq} over tls`, encoding: 'auto', multipart: 'udh', registeredDelivery: 1 }
}

async function sendAndCollect(t: Transport, sink: IncomingReceipt[], n: number): Promise<SubmitOutcome[]> {
  const outs = await Promise.all(Array.from({ length: n }, (_, i) => new Promise<SubmitOutcome>((resolve) => t.send(msg(i + 1), resolve))))
  await waitFor(() => sink.length === n, 10_000, `${n} receipts`)
  return outs
}

function smppTarget(net: NetworkHandle, tls: ClientTls | undefined): SmppTransport {
  const op = net.operators[0]!
  const t = new SmppTransport({ host: '127.0.0.1', port: op.tls!.port, systemId: 'gw', password: 'p', systemType: '', binds: 1, ...link, ...(tls ? { tls } : {}), startTimeoutMs: 3000 })
  cleanups.push(() => t.close())
  return t
}

describe('binds over TLS', () => {
  it('direct mode uses the TLS port and trusts the operator its own certificate: messages and receipts match', async () => {
    const net = await network()
    const sink: IncomingReceipt[] = []
    const t = new DirectTransport(net, { binds: 1, defaultBinds: 1, ...link })
    cleanups.push(() => t.close())
    await t.start({ onReceipt: (r) => sink.push(r) })
    const outs = await sendAndCollect(t, sink, 5)
    expect(outs.every((o) => o.kind === 'accepted')).toBe(true)
    expect(sink.map((r) => r.messageId).sort()).toEqual(outs.map((o) => o.messageIds[0]).sort())
    expect(net.operators[0]!.stats().tls).toMatchObject({ handshakes: 1, plaintextRefused: 0, handshakeFailures: 0 })
  })

  it('direct mode with tls: false binds on the plain port', async () => {
    const net = await network()
    const t = new DirectTransport(net, { binds: 1, defaultBinds: 1, ...link, tls: false })
    cleanups.push(() => t.close())
    await t.start({ onReceipt: () => {} })
    expect(net.operators[0]!.stats().binds.transceiver).toBe(1)
    expect(net.operators[0]!.stats().tls?.handshakes).toBe(0)
  })

  it('the smpp target verifies against a CA file read from the scenario (relative to its folder)', async () => {
    const net = await network()
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-ca-'))
    writeFileSync(join(dir, 'operator-ca.pem'), net.operators[0]!.tls!.cert)
    const g = normalizeGateway({ kind: 'smpp', port: net.operators[0]!.tls!.port, system_id: 'gw', password: 'p', tls: { ca_file: 'operator-ca.pem' } }, ['opa'], dir)
    if (g.kind !== 'smpp') throw new Error('not smpp')
    expect(g.tls).toMatchObject({ insecure: false, caFile: join(dir, 'operator-ca.pem') })
    const sink: IncomingReceipt[] = []
    const t = smppTarget(net, g.tls)
    await t.start({ onReceipt: (r) => sink.push(r) })
    const outs = await sendAndCollect(t, sink, 3)
    expect(outs.map((o) => o.kind)).toEqual(['accepted', 'accepted', 'accepted'])
  })

  it('verification is on by default: an unknown certificate fails the bind with a clear reason', async () => {
    const net = await network()
    const t = smppTarget(net, { insecure: false })
    const err = await t.start({ onReceipt: () => {} }).then(() => undefined, (e: unknown) => e)
    expect(err).toBeInstanceOf(MtsimError)
    expect((err as MtsimError).code).toBe('MTSIM_ERR_GATEWAY_BIND')
    expect((err as MtsimError).message).toMatch(/TLS handshake failed: self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/)
    await waitFor(() => (net.operators[0]!.stats().tls?.handshakeFailures ?? 0) >= 1, 10_000, 'the refused handshake counted by the operator')
    expect(net.operators[0]!.stats().binds.transceiver).toBe(0)
  })

  it('insecure: true skips verification', async () => {
    const net = await network()
    const sink: IncomingReceipt[] = []
    const t = smppTarget(net, { insecure: true })
    await t.start({ onReceipt: (r) => sink.push(r) })
    const outs = await sendAndCollect(t, sink, 2)
    expect(outs.every((o) => o.kind === 'accepted')).toBe(true)
  })
})

describe('gateway.tls in the scenario file', () => {
  it('reports an unreadable ca_file, a file with no certificate, and ca_file with insecure, with their paths', async () => {
    const { parseScenario } = await import('../../../loadgen/scenario/scenario.js')
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-ca-'))
    writeFileSync(join(dir, 'empty.pem'), 'nothing here')
    const network = { operators: [{ id: 'opa', mcc: '242', mnc: '01', prefixes: ['4790'], smpp: { port: 0, accounts: [{ system_id: 'gw', password: 'p' }] } }] }
    const streams = [{ name: 's', executor: 'constant-arrival-rate', rate: 1, duration: '1s', traffic: { destinations: [{ operator: 'opa' }] } }]
    const problems = (tls: unknown): string => {
      try {
        parseScenario({ network, gateway: { kind: 'smpp', port: 2775, system_id: 'gw', password: 'p', tls }, streams }, 's.yaml', dir)
      } catch (err) {
        return (err as MtsimError).format()
      }
      return ''
    }
    expect(problems({ ca_file: 'missing.pem' })).toMatch(/gateway\.tls\.ca_file: expected a readable PEM file of certificates, found .*missing\.pem \(ENOENT\)/)
    expect(problems({ ca_file: 'empty.pem' })).toMatch(/gateway\.tls\.ca_file: expected a PEM file of certificates \(-----BEGIN CERTIFICATE-----\), found .*empty\.pem, which has none/)
    expect(problems({ ca_file: 'empty.pem', insecure: true })).toContain('gateway.tls.insecure: expected either ca_file (verify against it) or insecure: true (no verification), not both')
    expect(problems(true)).toBe('')
  })
})
