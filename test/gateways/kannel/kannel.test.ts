// Runs the real Kannel 1.4.5 against the real simulator: start, route by prefix, receipts to a
// dlr-url, graceful stop, start failures. Skipped only outside CI when Kannel is not installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { kannelAvailable, startKannel, type KannelHandle } from '../../../gateways/kannel/index.js'
import { MtsimError } from '../../../lib/errors.js'
import { parseNetwork } from '../../../simulator/network.js'
import { startNetwork } from '../../../simulator/start-network.js'
import type { NetworkHandle } from '../../../simulator/types.js'
import { freeLoopbackPorts } from '../../../gateways/kannel/ports.js'

const missing = !kannelAvailable()
const skip = missing && !process.env.CI
if (skip) console.warn('test/gateways/kannel/kannel.test.ts skipped: Kannel is not installed (apt-get install kannel); with CI=true this fails instead')

const outDir = () => mkdtempSync(join(process.cwd(), 'out', 'kannel-test-'))

const receipts = { delay: { distribution: 'fixed', value: '20ms' } }
const networkConfig = parseNetwork(
  {
    name: 'kannel-test',
    operators: [
      { id: 'alpha', mcc: '242', mnc: '01', prefixes: ['4790'], smpp: { port: 0, accounts: [{ system_id: 'alpha_sys', password: 'pa#1"' }], window: { max_outstanding: 20 } }, receipts },
      { id: 'beta', mcc: '242', mnc: '02', prefixes: ['+4794'], smpp: { port: 0, accounts: [{ system_id: 'beta_sys', password: 'pb' }] }, receipts },
    ],
  },
  'kannel-test.yaml',
)

interface Seen {
  operator: string
  destination: string
  text: string
}

async function startRecordedNetwork(): Promise<{ net: NetworkHandle; seen: Seen[] }> {
  const seen: Seen[] = []
  const net = await startNetwork(networkConfig, { observer: { onMessage: (operator, destination, text) => void seen.push({ operator, destination, text }) } })
  return { net, seen }
}

function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return false
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

async function waitUntil(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
}

describe.skipIf(skip)('real Kannel', () => {
  let net: NetworkHandle
  let seen: Seen[]
  let kannel: KannelHandle | undefined
  let dlrServer: Server
  let dlrPort = 0
  const callbacks: URLSearchParams[] = []

  beforeAll(async () => {
    ;({ net, seen } = await startRecordedNetwork())
    dlrServer = createServer((req, res) => {
      callbacks.push(new URL(req.url ?? '/', 'http://x').searchParams)
      res.end('ok')
    })
    await new Promise<void>((resolve) => dlrServer.listen(0, '127.0.0.1', resolve))
    dlrPort = (dlrServer.address() as AddressInfo).port
    kannel = await startKannel({ network: net, dir: outDir(), options: { readyTimeoutMs: 20_000 } })
  }, 30_000)

  afterAll(async () => {
    await kannel?.stop()
    await net?.close()
    await new Promise<void>((resolve) => (dlrServer ? dlrServer.close(() => resolve()) : resolve()))
  }, 30_000)

  it('binds every smsc with the account from the network file', async () => {
    const status = await kannel!.status()
    expect(status.state).toBe('running')
    expect(status.boxes).toBe(1)
    expect(status.smscs.map((s) => [s.smscId, s.state])).toEqual([
      ['alpha', 'online'],
      ['beta', 'online'],
    ])
    // The simulator refuses a wrong system_id/password, so a transceiver bind each proves the credentials
    // (including a password with # and " in it) reached it intact.
    expect(net.operator('alpha')!.stats().binds).toEqual({ transmitter: 0, receiver: 0, transceiver: 1 })
    expect(net.operator('beta')!.stats().binds).toEqual({ transmitter: 0, receiver: 0, transceiver: 1 })
    expect(net.operator('alpha')!.stats().bindRefusals + net.operator('beta')!.stats().bindRefusals).toBe(0)
  })

  it('routes sendsms by prefix and delivers each final receipt to the dlr-url with our id', async () => {
    const k = kannel!
    const sends = [
      { id: 'm1', to: '4790000001', op: 'alpha' },
      { id: 'm2', to: '+4790000002', op: 'alpha' },
      { id: 'm3', to: '4790000003', op: 'alpha' },
      { id: 'm4', to: '4794000004', op: 'beta' },
      { id: 'm5', to: '+4794000005', op: 'beta' },
    ]
    for (const s of sends) {
      const dlrUrl = `http://127.0.0.1:${dlrPort}/dlr?id=${s.id}&s=%d&i=%i&F=%F`
      const q = new URLSearchParams({ username: k.username, password: k.password, from: 'mtsim', to: s.to, text: `hello ${s.id}`, 'dlr-mask': '31', 'dlr-url': dlrUrl })
      const res = await fetch(`${k.sendsmsUrl}?${q}`)
      expect(await res.text()).toBe('0: Accepted for delivery')
      expect(res.status).toBe(202)
    }
    const unroutable = await fetch(`${k.sendsmsUrl}?${new URLSearchParams({ username: k.username, password: k.password, from: 'mtsim', to: '4711000000', text: 'x' })}`)
    expect(unroutable.status).toBe(403)
    expect(await unroutable.text()).toMatch(/Not routable/)

    const finals = () => callbacks.filter((c) => c.get('s') === '1')
    await waitUntil(() => finals().length >= sends.length, 15_000)

    // Exactly the submits sent, each on its operator, nothing for the unroutable number.
    expect(seen.map((s) => [s.operator, s.destination.replace(/^\+/, ''), s.text]).sort()).toEqual(
      sends.map((s) => [s.op, s.to.replace(/^\+/, ''), `hello ${s.id}`]).sort(),
    )
    expect(net.operators.map((o) => o.stats().submits)).toEqual([3, 2])
    // One final receipt per message, with our id, the smsc that carried it and the SMSC's message_id
    // (the same one the status-8 ack carried).
    const byId = new Map(finals().map((c) => [c.get('id'), c]))
    expect(finals()).toHaveLength(sends.length)
    for (const s of sends) {
      const cb = byId.get(s.id)
      expect(cb, s.id).toBeDefined()
      expect(cb!.get('i')).toBe(s.op)
      const ack = callbacks.find((c) => c.get('s') === '8' && c.get('id') === s.id)
      expect(cb!.get('F')).toMatch(/^\S+$/)
      expect(ack?.get('F')).toBe(cb!.get('F'))
    }
    // Status 8 (SMSC ack) arrives for each too; nothing failed.
    await waitUntil(() => callbacks.filter((c) => c.get('s') === '8').length >= sends.length, 5_000)
    expect(callbacks.filter((c) => c.get('s') === '8').map((c) => c.get('id')).sort()).toEqual(sends.map((s) => s.id))
    expect(callbacks.filter((c) => !['1', '8'].includes(c.get('s') ?? ''))).toEqual([])
    // Each operator numbers its own message ids, so they are unique per smsc.
    expect(new Set(finals().map((c) => `${c.get('i')}/${c.get('F')}`)).size).toBe(sends.length)
    const status = await k.status()
    expect(status.smscs.map((s) => s.sent.sms)).toEqual([3, 2])
    // Kannel counts two DLRs per message here: the SMSC ack (status 8) and the receipt (status 1).
    expect(status.smscs.map((s) => s.received.dlr)).toEqual([6, 4])
  })

  it('stops gracefully and leaves none of its processes behind', async () => {
    const k = kannel!
    const { bearerbox, smsbox } = k.pids
    expect(pidGone(bearerbox)).toBe(false)
    expect(pidGone(smsbox)).toBe(false)
    await k.stop()
    expect(pidGone(bearerbox)).toBe(true)
    expect(pidGone(smsbox)).toBe(true)
    await expect(fetch(k.statusUrl)).rejects.toThrow()
    await k.stop() // idempotent
  }, 20_000)
})

describe.skipIf(skip)('real Kannel start failures', () => {
  it('reports a setting Kannel refuses, with the end of its log, and leaves no process', async () => {
    const { net } = await startRecordedNetwork()
    try {
      const err = await startKannel({ network: net, dir: outDir(), options: { overrides: { core: { 'no-such-setting': 1 } }, readyTimeoutMs: 10_000 } }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(MtsimError)
      const e = err as MtsimError
      expect(e.code).toBe('MTSIM_ERR_KANNEL_START')
      expect(e.message).toMatch(/^Kannel did not start: bearerbox exited with code \d+/)
      expect(e.details.join('\n')).toMatch(/Group 'core' may not contain field 'no-such-setting'/)
      expect(e.details.join('\n')).not.toMatch(/gw_backtrace/)
    } finally {
      await net.close()
    }
  }, 20_000)

  it('times out naming the smsc that never came online, and stops what it started', async () => {
    const { net } = await startRecordedNetwork()
    // beta is pointed at a port where nothing listens.
    const [deadPort] = await freeLoopbackPorts(1)
    const broken = { config: net.config, operators: [net.operators[0], { config: { id: 'beta' }, port: deadPort }] }
    try {
      const started = Date.now()
      const err = await startKannel({ network: broken, dir: outDir(), options: { readyTimeoutMs: 2_000 } }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(MtsimError)
      expect((err as MtsimError).message).toMatch(/not ready after 2000 ms: smsc beta is (re-connecting|connecting|disconnected)/)
      expect((err as MtsimError).details.join('\n')).toMatch(/beta|Connection refused/)
      expect(Date.now() - started).toBeLessThan(15_000)
    } finally {
      await net.close()
    }
  }, 20_000)
})
