// The real Kannel 1.4.5 binding to a simulated operator over TLS (use-ssl, ssl-trusted-ca-file with
// the operator's own certificate): messages and their receipts go through, the operator counts the
// handshakes; a certificate Kannel does not trust keeps it from binding ('certificate verify
// failed'). Skipped only outside CI when Kannel is not installed.
import { afterEach, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { kannelAvailable, startKannel, type KannelHandle } from '../../../gateways/kannel/index.js'
import { MtsimError } from '../../../lib/errors.js'
import { parseNetwork } from '../../../simulator/network.js'
import { startNetwork } from '../../../simulator/start-network.js'
import { selfSignedCredentials } from '../../../simulator/tls/certificate.js'
import type { NetworkHandle } from '../../../simulator/types.js'
import { waitFor } from '../../support/wait.js'

const missing = !kannelAvailable()
const skip = missing && !process.env.CI
if (skip) console.warn('test/gateways/kannel/kannel-tls.test.ts skipped: Kannel is not installed (apt-get install kannel); with CI=true this fails instead')

const outDir = () => mkdtempSync(join(process.cwd(), 'out', 'kannel-tls-test-'))

const receipts = { delay: { distribution: 'fixed', value: '20ms' } }
const networkConfig = parseNetwork(
  {
    name: 'kannel-tls-test',
    operators: [
      // TLS and plain side by side on one operator: Kannel must pick the TLS port.
      { id: 'secure', mcc: '242', mnc: '01', prefixes: ['4790'], smpp: { port: 0, accounts: [{ system_id: 'sec', password: 'p' }], tls: { port: 0 } }, receipts },
      { id: 'plain', mcc: '242', mnc: '02', prefixes: ['4794'], smpp: { port: 0, accounts: [{ system_id: 'pla', password: 'p' }] }, receipts },
    ],
  },
  'kannel-tls-test.yaml',
)

let net: NetworkHandle | undefined
let kannel: KannelHandle | undefined
let dlr: Server | undefined
afterEach(async () => {
  await kannel?.stop()
  await net?.close()
  await new Promise<void>((resolve) => (dlr ? dlr.close(() => resolve()) : resolve()))
  kannel = net = dlr = undefined
}, 30_000)

describe.skipIf(skip)('real Kannel over TLS', () => {
  it('binds with use-ssl, verifying the operator certificate, and carries messages and receipts', async () => {
    net = await startNetwork(networkConfig)
    const callbacks: URLSearchParams[] = []
    dlr = createServer((req, res) => {
      callbacks.push(new URL(req.url ?? '/', 'http://x').searchParams)
      res.end('ok')
    })
    await new Promise<void>((resolve) => dlr!.listen(0, '127.0.0.1', resolve))
    const dlrPort = (dlr.address() as AddressInfo).port
    kannel = await startKannel({ network: net, dir: outDir(), options: { readyTimeoutMs: 20_000 } })
    const secure = net.operator('secure')!
    const conf = kannel.config.text
    expect(conf).toContain(`port = ${secure.tls!.port}`)
    expect(conf).toContain('use-ssl = true')
    expect(conf).toContain(`ssl-trusted-ca-file = "${kannel.config.trustedCa!.file}"`)
    expect(readFileSync(kannel.config.trustedCa!.file, 'utf8').trim()).toBe(secure.tls!.cert.trim())
    expect(secure.stats().tls).toMatchObject({ handshakes: 1, plaintextRefused: 0, handshakeFailures: 0 })
    expect(secure.stats().binds.transceiver).toBe(1)

    const sends = [1, 2, 3, 4].map((i) => ({ id: `m${i}`, to: i <= 3 ? `479000000${i}` : '4794000004' }))
    for (const s of sends) {
      const q = new URLSearchParams({
        username: kannel.username, password: kannel.password, from: 'mtsim', to: s.to, text: `tls ${s.id}`, 'dlr-mask': '31',
        'dlr-url': `http://127.0.0.1:${dlrPort}/dlr?id=${s.id}&s=%d&i=%i`,
      })
      const res = await fetch(`${kannel.sendsmsUrl}?${q}`)
      expect(await res.text()).toBe('0: Accepted for delivery')
    }
    const finals = () => callbacks.filter((c) => c.get('s') === '1')
    await waitFor(() => finals().length >= sends.length, 20_000, 'a final receipt per message')
    expect(finals().map((c) => [c.get('id'), c.get('i')]).sort()).toEqual([['m1', 'secure'], ['m2', 'secure'], ['m3', 'secure'], ['m4', 'plain']])
    expect(secure.stats().submits).toBe(3)
    await waitFor(() => secure.stats().receipts.acked === 3, 10_000, 'receipts acknowledged over TLS')
    expect(net.operator('plain')!.stats().tls).toBeUndefined()
  }, 60_000)

  it('does not bind when the operator presents a certificate it was not told to trust', async () => {
    net = await startNetwork(networkConfig)
    const other = await selfSignedCredentials('127.0.0.1', 'someone-else')
    // Kannel is told to trust another certificate than the one the operator presents.
    const lying = { config: net.config, operators: net.operators.map((o) => ({ config: o.config, port: o.port, ...(o.tls ? { tls: { port: o.tls.port, cert: other.cert } } : {}) })) }
    const dir = outDir()
    const err = await startKannel({ network: lying, dir, options: { readyTimeoutMs: 6_000 } }).then(
      (k) => ((kannel = k), undefined),
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(MtsimError)
    expect((err as MtsimError).code).toBe('MTSIM_ERR_KANNEL_START')
    expect(readFileSync(join(dir, 'bearerbox.log'), 'utf8')).toMatch(/certificate verify failed/)
    const secure = net.operator('secure')!
    expect(secure.stats().binds.transceiver).toBe(0)
    expect(secure.stats().tls!.handshakeFailures).toBeGreaterThanOrEqual(1)
  }, 60_000)
})
