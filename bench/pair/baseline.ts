// The `smpp` package's own client and server through the same full cycle (bench/pair/baseline-peer.ts,
// run as written), each in its own process: the reference mtsim's figure is divided by.
import { Side } from '../child.js'
import type { BaselineIn, BaselineOut } from '../side-messages.js'

export interface BaselineResult {
  /** Cycles measured (after the warm-up). */
  messages: number
  /** Cycles in all. */
  total: number
  elapsedMs: number
  client: { cpuUs: number; peakRss: number }
  server: { cpuUs: number; peakRss: number; cycles: number }
}

export async function runBaseline(messages: number, window: number, warmupMs = 0): Promise<BaselineResult> {
  const server = new Side<BaselineOut, BaselineIn>('pair/baseline-peer.js', ['server'])
  let client: Side<BaselineOut> | undefined
  try {
    const { port } = await server.next('ready')
    client = new Side<BaselineOut>('pair/baseline-peer.js', ['client', String(port), String(messages), String(window), String(warmupMs)])
    const c = await client.next('client-report')
    const report = server.next('server-report')
    server.send({ type: 'report' })
    const s = await report
    return {
      messages: c.messages,
      total: c.total,
      elapsedMs: c.elapsedMs,
      client: { cpuUs: c.cpuUs, peakRss: c.peakRss },
      server: { cpuUs: s.cpuUs, peakRss: s.peakRss, cycles: s.cycles },
    }
  } finally {
    await Promise.all([client?.stop(), server.stop()])
  }
}
