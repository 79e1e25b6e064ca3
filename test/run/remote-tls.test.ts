// A run whose network runs elsewhere (`--remote-network`, deploy/remote-network.ts) reaches an
// operator's TLS port as a run with its own network does, trusting the certificate the network file
// names or the gateway's ca_file / insecure. A certificate made at start on the other host cannot be
// known: that is a clear error, never a silent fall back to the plain port. Here the "remote"
// network is started in this process on fixed ports, and the run is told not to start one.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runScenario } from '../../run/run-scenario.js'
import { startNetwork } from '../../simulator/start-network.js'
import type { NetworkHandle } from '../../simulator/types.js'
import { freeLoopbackPorts } from '../../gateways/kannel/ports.js'
import { selfSignedCredentials } from '../../simulator/tls/certificate.js'
import { operator, outDir, scenario, stream } from './helpers.js'

let network: NetworkHandle | undefined
afterEach(async () => {
  await network?.close()
  network = undefined
})

async function tlsScenario(opts: { certFile?: boolean; tlsPort?: number; gatewayTls?: Record<string, unknown> | false }) {
  const [plain, tlsPort] = await freeLoopbackPorts(2)
  const tls: Record<string, unknown> = { port: opts.tlsPort ?? tlsPort }
  if (opts.certFile) {
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-remote-tls-'))
    const creds = await selfSignedCredentials('127.0.0.1', 'north')
    writeFileSync(join(dir, 'north.crt'), creds.cert)
    writeFileSync(join(dir, 'north.key'), creds.key)
    Object.assign(tls, { cert_file: join(dir, 'north.crt'), key_file: join(dir, 'north.key') })
  }
  return scenario({
    network: { seed: 5, operators: [operator('north', '4790', { smpp: { port: plain, accounts: [{ system_id: 'north', password: 'pw' }], tls } })] },
    gateway: { kind: 'direct', ...(opts.gatewayTls !== undefined ? { tls: opts.gatewayTls } : {}) },
    streams: [stream(200, 2, ['north'])],
    receipts: { wait: '5s' },
  })
}

describe('--remote-network to an operator with a TLS port', () => {
  it('binds over TLS, trusting the certificate the network file names', async () => {
    const sc = await tlsScenario({ certFile: true })
    network = await startNetwork(sc.network)
    const r = await runScenario(sc, { outDir: outDir('remote-tls'), remoteNetwork: true })
    const t = r.results.totals
    expect([t.sent, t.accepted, t.delivered + t.undelivered + t.expired + t.rejected_by_operator + t.other_final]).toEqual([200, t.accepted, t.accepted])
    expect(t.accepted).toBeGreaterThan(0)
    const s = network.operators[0]!.stats()
    // Every bind the run opened came through the TLS port, and every submit with it.
    expect(s.bindLog!.opened).toBeGreaterThan(0)
    expect(s.tls!.handshakes).toBe(s.bindLog!.opened)
    expect(s.tls).toMatchObject({ plaintextRefused: 0, handshakeFailures: 0, selfSigned: false })
    expect(s.submits).toBe(200)
  }, 60_000)

  it('binds over TLS to a made certificate with gateway tls: { insecure: true }', async () => {
    const sc = await tlsScenario({ gatewayTls: { insecure: true } })
    network = await startNetwork(sc.network)
    const r = await runScenario(sc, { outDir: outDir('remote-tls-insecure'), remoteNetwork: true })
    expect(r.results.totals.sent).toBe(200)
    const s = network.operators[0]!.stats()
    expect(s.tls!.handshakes).toBe(s.bindLog!.opened)
    expect(s.tls!.selfSigned).toBe(true)
  }, 60_000)

  it('keeps to the plain port with gateway tls: false', async () => {
    const sc = await tlsScenario({ gatewayTls: false })
    network = await startNetwork(sc.network)
    const r = await runScenario(sc, { outDir: outDir('remote-tls-plain'), remoteNetwork: true })
    expect(r.results.totals.sent).toBe(200)
    const s = network.operators[0]!.stats()
    expect(s.bindLog!.opened).toBeGreaterThan(0)
    expect(s.tls!.handshakes).toBe(0)
  }, 60_000)

  it('refuses a certificate made on the other host, and a TLS port 0, saying what to write', async () => {
    const made = await tlsScenario({})
    await expect(runScenario(made, { outDir: outDir('remote-tls-made'), remoteNetwork: true })).rejects.toMatchObject({
      code: 'MTSIM_ERR_REMOTE_NETWORK',
      message: expect.stringMatching(/operator north requires TLS with a certificate made when its network started.*cert_file and key_file.*ca_file.*insecure.*tls: false/),
    })
    const anyPort = await tlsScenario({ certFile: true, tlsPort: 0 })
    await expect(runScenario(anyPort, { outDir: outDir('remote-tls-port0'), remoteNetwork: true })).rejects.toMatchObject({
      code: 'MTSIM_ERR_REMOTE_NETWORK',
      message: expect.stringMatching(/operator north listens for TLS on port 0 .*fixed smpp\.tls\.port/),
    })
  })
})
