// SMPP over TLS on a simulated operator: a self-signed certificate made at start or given files,
// plain and TLS ports side by side, a plain client on the TLS port refused and counted, a
// handshake that never comes bounded by bind_timeout, and the `smpp` package's own TLS client
// exchanging a message and its receipt.
import net from 'node:net'
import tls from 'node:tls'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import smpp from 'smpp'
import { afterEach, describe, expect, it } from 'vitest'
import { MtsimError } from '../../lib/errors.js'
import { parseReceipt } from '../../smpp/receipt.js'
import { encodePdu } from '../../smpp/encode.js'
import { loadNetwork } from '../../simulator/network.js'
import { selfSignedCredentials } from '../../simulator/tls/certificate.js'
import type { NetworkHandle } from '../../simulator/types.js'
import { startOne, waitFor } from './helper.js'
import { buildControlApi } from '../../simulator/control/control-api.js'

let network: NetworkHandle | undefined
afterEach(async () => {
  await network?.close()
  network = undefined
})

interface SmppPdu {
  command_status: number
  message_id?: string
  esm_class?: number
  short_message?: { message?: string } | string
  receipted_message_id?: string
  response(): unknown
}

const fastReceipts = { delay: { distribution: 'fixed', value: '10ms' } }

function bindPdu(): Buffer {
  return encodePdu({
    command: 'bind_transceiver', status: 0, sequence: 1, systemId: 'esme', password: 'secret', systemType: '',
    interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: '',
  })
}

/** Connects plainly, sends `bytes`, and resolves with what came back before the server closed. */
function plainExchange(port: number, bytes?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const got: Buffer[] = []
    const s = net.connect(port, '127.0.0.1', () => bytes && s.write(bytes))
    s.on('data', (d) => got.push(d))
    s.on('error', reject)
    s.on('close', () => resolve(Buffer.concat(got)))
  })
}

describe('SMPP over TLS', () => {
  it('the smpp package binds over TLS, verifying the made certificate, and gets a message and its receipt through', async () => {
    network = await startOne({ smpp: { tls: { port: 0 } }, receipts: fastReceipts })
    const op = network.operators[0]!
    expect(op.tls?.port).toBeGreaterThan(0)
    expect(op.tls?.port).not.toBe(op.port)
    const session = smpp.connect({ url: `ssmpp://127.0.0.1:${op.tls!.port}`, auto_enquire_link_period: 0, ca: op.tls!.cert, rejectUnauthorized: true })
    // The network closing under it after the test resets the connection: not this test's concern.
    session.on('error', () => {})
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
        session.submit_sm({ source_addr: 'mtsim', destination_addr: '4790000001', short_message: 'over tls', registered_delivery: 1 }, resolve),
      )
      expect(resp.command_status).toBe(0)
      const d = await receipt
      expect(d.esm_class).toBe(4)
      const text = typeof d.short_message === 'string' ? d.short_message : (d.short_message?.message ?? '')
      expect(parseReceipt(text)).toMatchObject({ id: resp.message_id, stat: 'DELIVRD' })
      await waitFor(() => op.stats().receipts.acked === 1, 10_000, 'the receipt acknowledged over TLS')
      const s = op.stats()
      expect(s.tls).toMatchObject({ port: op.tls!.port, selfSigned: true, handshakes: 1, plaintextRefused: 0, handshakeFailures: 0, handshakeTimeouts: 0 })
      expect(s.messages).toBe(1)
      expect(s.statuses).toEqual({ ESME_ROK: 1 })
    } finally {
      session.close()
    }
  })

  it('keeps the plain port working beside the TLS port; the control API lists both', async () => {
    network = await startOne({ smpp: { tls: { port: 0 } } })
    const op = network.operators[0]!
    const app = buildControlApi(network)
    const listed = (await app.inject({ method: 'GET', url: '/operators' })).json() as { port: number; tlsPort: number }[]
    await app.close()
    expect(listed[0]).toMatchObject({ port: op.port, tlsPort: op.tls!.port })
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const s = net.connect(op.port, '127.0.0.1', () => s.write(bindPdu()))
      s.once('data', (d) => {
        s.destroy()
        resolve(d)
      })
      s.on('error', reject)
    })
    expect(answer.readUInt32BE(4)).toBe(0x80000009) // bind_transceiver_resp
    expect(answer.readUInt32BE(8)).toBe(0) // ESME_ROK
    expect(op.stats().tls?.handshakes).toBe(0)
  })

  it('refuses a plain-text client on the TLS port: closed without an answer, counted, no socket left open', async () => {
    network = await startOne({ smpp: { tls: { port: 0 } } })
    const op = network.operators[0]!
    const answer = await plainExchange(op.tls!.port, bindPdu())
    expect(answer.length).toBe(0)
    const s = op.stats()
    expect(s.tls).toMatchObject({ plaintextRefused: 1, handshakes: 0, handshakeFailures: 0 })
    expect(s.connections).toBe(0)
    expect(s.bindRefusals).toBe(0)
    const app = buildControlApi(network)
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body
    await app.close()
    expect(metrics).toContain('mtsim_operator_connections_closed_total{operator="op",reason="tls_plaintext"} 1')
  })

  it('closes a connection that never starts its handshake after bind_timeout, and counts it', async () => {
    network = await startOne({ smpp: { tls: { port: 0 }, limits: { bind_timeout: '200ms' } } })
    const op = network.operators[0]!
    const answer = await plainExchange(op.tls!.port) // connects and says nothing
    expect(answer.length).toBe(0)
    expect(op.stats().tls).toMatchObject({ handshakeTimeouts: 1, plaintextRefused: 0 })
  })

  it('counts a client that refuses the certificate as a failed handshake', async () => {
    network = await startOne({ smpp: { tls: { port: 0 } } })
    const op = network.operators[0]!
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const s = tls.connect({ host: '127.0.0.1', port: op.tls!.port }) // system CAs: the made certificate is unknown to them
      s.on('error', resolve)
    })
    expect(err.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT')
    await waitFor(() => op.stats().tls!.handshakeFailures === 1, 10_000, 'the failed handshake counted')
  })

  it('presents the certificate and key files a network file names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-tls-'))
    const made = await selfSignedCredentials('127.0.0.1', 'given')
    writeFileSync(join(dir, 'op.crt'), made.cert)
    writeFileSync(join(dir, 'op.key'), made.key)
    network = await startOne({ smpp: { tls: { port: 0, cert_file: join(dir, 'op.crt'), key_file: join(dir, 'op.key') } } })
    const op = network.operators[0]!
    expect(op.tls?.cert).toBe(made.cert)
    const peer = await new Promise<tls.PeerCertificate>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port: op.tls!.port, ca: made.cert }, () => {
        resolve(s.getPeerCertificate())
        s.destroy()
      })
      s.on('error', reject)
    })
    expect(peer.subject.CN).toBe('given')
    expect(op.stats().tls?.selfSigned).toBe(false)
  })

  it('reports certificate files that are missing, unpaired or not the key of the certificate, with their paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-tls-'))
    const a = await selfSignedCredentials('127.0.0.1', 'a')
    const b = await selfSignedCredentials('127.0.0.1', 'b')
    writeFileSync(join(dir, 'a.crt'), a.cert)
    writeFileSync(join(dir, 'b.key'), b.key)
    writeFileSync(join(dir, 'not.pem'), 'hello')
    const op = (id: string, port: number, tlsSection: object) =>
      `  - id: ${id}\n    mcc: "242"\n    mnc: "01"\n    prefixes: ["4${port}"]\n    smpp:\n      port: 0\n      accounts: [{ system_id: esme, password: s }]\n      tls: ${JSON.stringify({ port, ...tlsSection })}\n`
    const file = join(dir, 'net.yaml')
    writeFileSync(
      file,
      'operators:\n' +
        op('one', 1, { cert_file: 'a.crt' }) +
        op('two', 2, { cert_file: 'missing.crt', key_file: 'b.key' }) +
        op('three', 3, { cert_file: 'a.crt', key_file: 'b.key' }) +
        op('four', 4, { cert_file: 'not.pem', key_file: 'not.pem' }),
    )
    let err: unknown
    try {
      loadNetwork(file)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(MtsimError)
    const text = (err as MtsimError).format()
    expect(text).toContain('operators[0].smpp.tls.key_file: expected both cert_file and key_file, or neither')
    expect(text).toMatch(/operators\[1\]\.smpp\.tls\.cert_file: expected a readable PEM certificate file, found .*missing\.crt \(ENOENT\)/)
    expect(text).toMatch(/operators\[2\]\.smpp\.tls\.key_file: expected the private key of .*a\.crt, found .*b\.key, the key of another certificate/)
    expect(text).toMatch(/operators\[3\]\.smpp\.tls\.cert_file: expected a PEM certificate/)
    expect(text).toMatch(/operators\[3\]\.smpp\.tls\.key_file: expected an unencrypted PEM private key/)
  })

  it('refuses a TLS port that another port of the network already uses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-tls-'))
    const file = join(dir, 'net.yaml')
    writeFileSync(file, 'operators:\n  - { id: a, mcc: "242", mnc: "01", prefixes: ["47"], smpp: { port: 2775, accounts: [{ system_id: e, password: p }], tls: { port: 2775 } } }\n')
    expect(() => loadNetwork(file)).toThrow(MtsimError)
    try {
      loadNetwork(file)
    } catch (e) {
      expect((e as MtsimError).format()).toContain('operators[0].smpp.tls.port: expected a port not used by operators[0]')
    }
  })
})
