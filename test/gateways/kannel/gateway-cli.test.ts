// `mtsim gateway kannel` in-process against the real simulator and a real Kannel: it must print
// where to send, carry a message end to end, and leave no Kannel process when told to stop.
import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { kannelAvailable, type KannelHandle } from '../../../gateways/kannel/index.js'
import { parseFailover, runGatewayKannel } from '../../../cli/commands/gateway.js'
import type { NetworkHandle } from '../../../simulator/types.js'
import { MtsimError } from '../../../lib/errors.js'

const skip = !kannelAvailable() && !process.env.CI
if (skip) console.warn('test/gateways/kannel/gateway-cli.test.ts skipped: Kannel is not installed (apt-get install kannel); with CI=true this fails instead')

const NETWORK = `
name: gateway-cli
operators:
  - id: alpha
    mcc: "242"
    mnc: "01"
    prefixes: ["4790"]
    smpp: { port: 0, accounts: [{ system_id: alpha, password: pa }] }
    receipts: { delay: { distribution: fixed, value: 20ms } }
  - id: beta
    mcc: "242"
    mnc: "02"
    prefixes: ["4794"]
    smpp: { port: 0, accounts: [{ system_id: beta, password: pb }] }
    receipts: { delay: { distribution: fixed, value: 20ms } }
`

function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return false
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

describe('parseFailover', () => {
  it('reads operator=backup pairs and rejects anything else', () => {
    expect(parseFailover(undefined)).toBeUndefined()
    expect(parseFailover('alpha=beta, beta=alpha')).toEqual({ alpha: 'beta', beta: 'alpha' })
    expect(() => parseFailover('alpha')).toThrow(MtsimError)
    expect(() => parseFailover('alpha=beta=gamma')).toThrow(/--failover: expected operator=backup pairs .* found "alpha=beta=gamma"/)
  })
})

describe.skipIf(skip)('mtsim gateway kannel', () => {
  it('runs Kannel for the network, carries a message with failover routing, then stops everything', async () => {
    const dir = mkdtempSync(join(process.cwd(), 'out', 'gateway-cli-'))
    const file = join(dir, 'network.yaml')
    writeFileSync(file, NETWORK)
    let output = ''
    let release!: () => void
    const stop = new Promise<void>((r) => (release = r))
    let ready!: (v: { kannel: KannelHandle; network: NetworkHandle }) => void
    const readyP = new Promise<{ kannel: KannelHandle; network: NetworkHandle }>((r) => (ready = r))
    const run = runGatewayKannel(
      file,
      { dir: join(dir, 'kannel'), controlPort: 0, failover: 'alpha=beta' },
      { write: (t) => void (output += t), signals: false, stop, onReady: ready },
    )
    // If the run fails before it is ready, surface that error instead of waiting forever.
    const { kannel, network } = await Promise.race([readyP, run.then(() => Promise.reject(new Error(`ended early:\n${output}`)))])
    try {
      expect(output).toContain(`sendsms: ${kannel.sendsmsUrl}`)
      expect(output).toContain(`status:  ${kannel.statusUrl}`)
      expect(output).toMatch(/try: {5}curl 'http:\/\/127\.0\.0\.1:\d+\/cgi-bin\/sendsms\?username=mtsim&password=mtsim&from=mtsim&to=4790000000&text=hello/)
      expect(output).toMatch(/control API: http:\/\/127\.0\.0\.1:\d+/)
      for (const op of network.operators) expect(output).toContain(`127.0.0.1:${op.port}`)

      const q = new URLSearchParams({ username: kannel.username, password: kannel.password, from: 'mtsim', to: '4790000123', text: 'via kannel' })
      const res = await fetch(`${kannel.sendsmsUrl}?${q}`)
      expect(await res.text()).toBe('0: Accepted for delivery')
      const deadline = Date.now() + 10_000
      while (network.operator('alpha')!.stats().messages < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      // alpha is up and preferred for its numbers, so beta (allowed as backup) gets nothing.
      expect(network.operator('alpha')!.stats().messages).toBe(1)
      expect(network.operator('beta')!.stats().messages).toBe(0)

      // alpha goes down: once Kannel sees its bind gone, alpha's numbers fail over to beta.
      network.operator('alpha')!.injectFault({ kind: 'outage', at: 0, duration: 20_000 })
      const downBy = Date.now() + 10_000
      const alphaOnline = async () => (await kannel.status()).smscs.find((s) => s.smscId === 'alpha')?.state === 'online'
      while ((await alphaOnline()) && Date.now() < downBy) await new Promise((r) => setTimeout(r, 100))
      expect(await alphaOnline()).toBe(false)
      const res2 = await fetch(`${kannel.sendsmsUrl}?${new URLSearchParams({ ...Object.fromEntries(q), text: 'failed over' })}`)
      expect(await res2.text()).toBe('0: Accepted for delivery')
      const movedBy = Date.now() + 10_000
      while (network.operator('beta')!.stats().messages < 1 && Date.now() < movedBy) await new Promise((r) => setTimeout(r, 50))
      expect(network.operator('beta')!.stats().messages).toBe(1)
      expect(network.operator('alpha')!.stats().messages).toBe(1)
    } finally {
      release()
      expect(await run).toBe(0)
    }
    expect(pidGone(kannel.pids.bearerbox)).toBe(true)
    expect(pidGone(kannel.pids.smsbox)).toBe(true)
    expect(output).toMatch(/stopping \(stopped\): shutting Kannel down, then the network\nstopped\n$/)
  }, 40_000)
})
