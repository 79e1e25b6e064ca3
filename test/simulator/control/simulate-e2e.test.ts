// `mtsim simulate` against the real simulator: an independent SMPP client (the `smpp` package)
// sends messages, the control API and /metrics report them, faults go in and out, and the
// summary printed at the end has the exact counts. Then the built CLI, stopped with SIGINT.
import { describe, it, expect, beforeAll } from 'vitest'
import { waitFor } from '../../support/wait.js'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import smpp from 'smpp'
import { runSimulate } from '../../../cli/commands/simulate.js'
import type { NetworkHandle } from '../../../simulator/types.js'
import { parseProm } from './prom-text.js'

const ROOT = join(import.meta.dirname, '../../..')
const CLI = join(ROOT, 'dist/cli/main.js')
let network: string

beforeAll(() => {
  // small.yaml as shipped, but on free ports so tests never collide with a running simulator.
  const text = readFileSync(join(ROOT, 'scenarios/networks/small.yaml'), 'utf8').replace(/port: 277\d/g, 'port: 0')
  network = join(mkdtempSync(join(tmpdir(), 'mtsim-simulate-')), 'small.yaml')
  writeFileSync(network, text)
})

interface Pdu {
  command_status: number
  response(): unknown
}


/** Binds a transceiver, sends `n` messages to `to`, waits for every resp and receipt. */
async function sendMessages(port: number, n: number, to: string): Promise<{ statuses: number[]; receipts: number }> {
  const session = smpp.connect({ url: `smpp://127.0.0.1:${port}` })
  let receipts = 0
  session.on('deliver_sm', (pdu: Pdu) => {
    receipts++
    session.send(pdu.response())
  })
  session.on('error', () => {})
  const bind: Pdu = await new Promise((r) => session.bind_transceiver({ system_id: 'mtsim', password: 'secret' }, r))
  if (bind.command_status !== 0) throw new Error(`bind refused: ${bind.command_status}`)
  const statuses = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      new Promise<number>((r) =>
        session.submit_sm({ source_addr: 'MTSIM', destination_addr: `${to}${1000 + i}`, short_message: `hello ${i}`, registered_delivery: 1 }, (p: Pdu) =>
          r(p.command_status),
        ),
      ),
    ),
  )
  await waitFor(() => receipts >= n, 5000, `${n} receipts`)
  await new Promise((r) => session.unbind(r))
  session.close()
  return { statuses, receipts }
}

async function api(url: string, method = 'GET', body?: unknown) {
  const res = await fetch(url, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined })
  const text = await res.text()
  return { status: res.status, text, json: () => JSON.parse(text) }
}

describe('mtsim simulate with the real simulator', () => {
  it('serves SMPP and the control API, then prints a summary with the exact counts', async () => {
    let out = ''
    let release!: () => void
    let failure: unknown
    const checks: Record<string, unknown> = {}
    const stop = new Promise<void>((r) => (release = r))
    const during = async (controlUrl: string, net: NetworkHandle) => {
      const [alpha, beta] = net.operators
      const sent = await sendMessages(alpha.port, 5, '4790')
      checks.sent = sent
      const stats = (await api(`${controlUrl}/operators/alpha/stats`)).json()
      checks.stats = { submits: stats.submits, statuses: stats.statuses, sent: stats.receipts.sent }
      const prom = parseProm((await api(`${controlUrl}/metrics`)).text)
      checks.metrics = [
        prom.value('mtsim_operator_submits_total', { operator: 'alpha' }),
        prom.value('mtsim_operator_submit_responses_total', { operator: 'alpha', status: 'ESME_ROK' }),
        prom.value('mtsim_operator_receipts_sent_total', { operator: 'alpha', stat: 'DELIVRD' }),
        prom.value('mtsim_operator_up', { operator: 'beta' }),
      ]
      const injected = await api(`${controlUrl}/operators/beta/faults`, 'POST', { event: 'outage', duration: '1m' })
      const ops = (await api(`${controlUrl}/operators`)).json()
      const upAfter = parseProm((await api(`${controlUrl}/metrics`)).text).value('mtsim_operator_up', { operator: 'beta' })
      const cleared = (await api(`${controlUrl}/operators/beta/faults`, 'DELETE')).json()
      checks.faults = { injected: injected.status, state: ops[1].state, upAfter, cleared, stateAfter: beta.state() }
      await waitFor(() => alpha.stats().binds.transceiver === 0, 2000, 'the client to unbind')
    }
    const code = await runSimulate(network, { controlPort: 0 }, {
      write: (t) => void (out += t),
      signals: false,
      stop,
      onReady: ({ controlUrl, network: net }) => {
        checks.ports = net.operators.map((o) => o.port)
        checks.url = controlUrl
        during(controlUrl, net)
          .catch((e: unknown) => (failure = e))
          .finally(release)
      },
    })
    if (failure) throw failure
    expect(code).toBe(0)
    expect(checks.sent).toEqual({ statuses: [0, 0, 0, 0, 0], receipts: 5 })
    expect(checks.stats).toEqual({ submits: 5, statuses: { ESME_ROK: 5 }, sent: { DELIVRD: 5 } })
    expect(checks.metrics).toEqual([5, 5, 5, 1])
    expect(checks.faults).toEqual({ injected: 201, state: 'outage', upAfter: 0, cleared: { operator: 'beta', cleared: 1, state: 'up' }, stateAfter: 'up' })

    const [alphaPort, betaPort] = checks.ports as number[]
    expect(alphaPort).toBeGreaterThan(0)
    expect(out).toMatch(new RegExp(`^ {2}alpha .* 127\\.0\\.0\\.1:${alphaPort} {2}system_ids: mtsim`, 'm'))
    expect(out).toMatch(new RegExp(`^ {2}beta .* 127\\.0\\.0\\.1:${betaPort} {2}system_ids: mtsim`, 'm'))
    expect(out).toContain(`control API: ${String(checks.url)}\n`)
    const rows = out.split('\n').filter((l) => /^(alpha|beta) /.test(l)).map((l) => l.split(/ {2,}/).slice(0, 7))
    expect(rows).toEqual([
      ['alpha', '5', 'ESME_ROK 5', '0', 'DELIVRD 5', '0', '0/0/0'],
      ['beta', '0', '-', '0', '-', '0', '0/0/0'],
    ])
    expect(out).toContain('fault windows: 1 (0 from timelines, 1 from the control API)\n')
  })

  it('runs national.yaml as shipped (on free ports): three operators up, the timeline not started yet', async () => {
    const text = readFileSync(join(ROOT, 'scenarios/networks/national.yaml'), 'utf8').replace(/port: 277\d/g, 'port: 0')
    const file = join(mkdtempSync(join(tmpdir(), 'mtsim-national-')), 'national.yaml')
    writeFileSync(file, text)
    let seen!: Promise<unknown>
    let out = ''
    let release!: () => void
    const stop = new Promise<void>((r) => (release = r))
    const code = await runSimulate(file, { controlPort: 0 }, {
      write: (t) => void (out += t),
      signals: false,
      stop,
      onReady: ({ controlUrl }) => {
        seen = api(`${controlUrl}/operators`).then((r) => r.json().map((o: { id: string; state: string; faults: unknown[] }) => [o.id, o.state, o.faults.length]))
        void seen.finally(release)
      },
    })
    expect(code).toBe(0)
    expect(await seen).toEqual([
      ['nordtel', 'up', 0],
      ['fjordmobil', 'up', 0],
      ['kystnett', 'up', 0],
    ])
    expect(out).toContain('network "national": 3 operators\n')
    expect(out).toContain('fault windows: none\n')
  })

  // The built CLI (npm test builds dist/ first): real process, real SIGINT, exit code 0.
  it.skipIf(!existsSync(CLI))('node dist/cli/main.js simulate stops on SIGINT with a summary and exit code 0', async () => {
    const child = spawn(process.execPath, [CLI, 'simulate', network, '--control-port', '0'], { cwd: ROOT })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d))
    child.stderr.on('data', (d: Buffer) => (err += d))
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    try {
      await waitFor(() => out.includes('running until Ctrl-C'), 10_000, `the CLI to start (stderr: ${err})`)
      const url = /control API: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]
      expect(url).toBeDefined()
      expect((await api(`${url}/health`)).json()).toMatchObject({ status: 'ok', operators: 2 })
      child.kill('SIGINT')
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    expect(err).toBe('')
    expect(out).toContain('stopping (SIGINT)')
    expect(out).toMatch(/^alpha {2,}0 /m)
    expect(out).toContain('fault windows: none')
  })

  it.skipIf(!existsSync(CLI))('node dist/cli/main.js simulate on a bad file exits 104 with the problems, no stack trace', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'mtsim-bad-')), 'bad.yaml')
    writeFileSync(bad, 'operators:\n  - id: a\n')
    const child = spawn(process.execPath, [CLI, 'simulate', bad, '--control-port', '0'], { cwd: ROOT })
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d))
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
    expect(code).toBe(104)
    expect(err.split('\n')[0]).toBe(`MTSIM_ERR_CONFIG_INVALID: ${bad} is not valid`)
    expect(err).toContain(`${bad}:2:5 operators[0].mcc: expected this key (it is required), found nothing`)
    expect(err).not.toMatch(/\bat .*\.js:\d+/)
  })
})
