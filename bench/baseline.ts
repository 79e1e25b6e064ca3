// The `smpp` package's own client and server through the same full cycle (bench/baseline-peer.ts,
// run as written), each in its own process: the reference mtsim's figure is divided by.
import { Side } from './child.js'

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
  const server = new Side('baseline-peer.js', ['server'])
  let client: Side | undefined
  try {
    // baseline-peer sends untyped objects, which Side files under 'message'.
    const { port } = await server.next('message')
    client = new Side('baseline-peer.js', ['client', String(port), String(messages), String(window), String(warmupMs)])
    const c = await client.next('message')
    const report = server.next('message')
    server.send('report')
    const s = await report
    return {
      messages: c.messages as number,
      total: c.total as number,
      elapsedMs: c.elapsedMs as number,
      client: { cpuUs: c.cpuUs as number, peakRss: c.peakRss as number },
      server: { cpuUs: s.cpuUs as number, peakRss: s.peakRss as number, cycles: s.cycles as number },
    }
  } finally {
    await Promise.all([client?.stop(), server.stop()])
  }
}
