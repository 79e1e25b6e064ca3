// A minimal SMSC per operator, built on the `smpp` npm package, standing in for the simulator in
// the real-Kannel test: answers binds and enquire_links, gives each submit_sm a message_id and
// sends an Appendix B DELIVRD receipt (esm_class 4) shortly after. Records every submit.
import smpp from 'smpp'
import type { AddressInfo } from 'node:net'
import { parseNetwork, type NetworkConfig } from '../../simulator/network.js'
import { formatReceipt } from '../../smpp/receipt.js'

export interface SeenSubmit {
  operator: string
  systemId: string
  destination: string
  text: string
  messageId: string
}

export interface FakeNetwork {
  config: NetworkConfig
  operators: { config: { id: string }; port: number }[]
  submits: SeenSubmit[]
  binds: { operator: string; systemId: string; password: string }[]
  close(): Promise<void>
}

interface SmppPdu {
  system_id?: string
  password?: string
  destination_addr: string
  source_addr: string
  short_message: { message?: string } | Buffer
  response(fields?: Record<string, unknown>): unknown
}
interface SmppSession {
  on(event: string, fn: (pdu: SmppPdu) => void): void
  send(pdu: unknown): void
  deliver_sm(fields: Record<string, unknown>): void
  close(): void
}
interface SmppServer {
  listen(port: number, host: string, cb: () => void): void
  address(): AddressInfo
  close(cb: () => void): void
}

export async function startFakeNetwork(file: unknown, receiptDelayMs = 30): Promise<FakeNetwork> {
  const config = parseNetwork(file, 'fake-network.yaml')
  const submits: SeenSubmit[] = []
  const binds: FakeNetwork['binds'] = []
  const servers: SmppServer[] = []
  const sessions = new Set<SmppSession>()
  const timers = new Set<NodeJS.Timeout>()
  let nextId = 1000
  const operators: FakeNetwork['operators'] = []
  for (const op of config.operators) {
    const server = (smpp as unknown as { createServer(fn: (s: SmppSession) => void): SmppServer }).createServer((session) => {
      sessions.add(session)
      let systemId = ''
      session.on('bind_transceiver', (pdu) => {
        const account = op.accounts.find((a) => a.systemId === pdu.system_id && a.password === pdu.password)
        binds.push({ operator: op.id, systemId: pdu.system_id ?? '', password: pdu.password ?? '' })
        systemId = pdu.system_id ?? ''
        session.send(pdu.response(account ? {} : { command_status: 0x0e }))
      })
      session.on('enquire_link', (pdu) => session.send(pdu.response()))
      session.on('unbind', (pdu) => {
        session.send(pdu.response())
        session.close()
      })
      session.on('close', () => sessions.delete(session))
      session.on('error', () => sessions.delete(session))
      session.on('submit_sm', (pdu) => {
        const messageId = String(nextId++)
        const sm = pdu.short_message
        const text = Buffer.isBuffer(sm) ? sm.toString('latin1') : (sm.message ?? '')
        submits.push({ operator: op.id, systemId, destination: pdu.destination_addr, text, messageId })
        session.send(pdu.response({ message_id: messageId }))
        const now = new Date()
        const timer = setTimeout(() => {
          timers.delete(timer)
          session.deliver_sm({
            esm_class: 4,
            source_addr: pdu.destination_addr,
            destination_addr: pdu.source_addr,
            short_message: formatReceipt({ id: messageId, sub: 1, dlvrd: 1, submitDate: now, doneDate: now, stat: 'DELIVRD', err: '000', text }),
          })
        }, receiptDelayMs)
        timers.add(timer)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    servers.push(server)
    operators.push({ config: { id: op.id }, port: server.address().port })
  }
  return {
    config,
    operators,
    submits,
    binds,
    async close() {
      for (const t of timers) clearTimeout(t)
      for (const s of sessions) s.close()
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
    },
  }
}
