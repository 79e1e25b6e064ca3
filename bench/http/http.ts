// HTTP figures: mtsim's http transport against a trivial endpoint (requests/s), and mtsim's
// receipt webhook taking delivery callbacks from a plain client (callbacks/s), each side in its
// own process, closed loops of HTTP_CONNECTIONS requests in flight.
import { Side } from '../child.js'
import { int, perMsgUs } from '../format.js'
import { HTTP_CONNECTIONS } from './http-side.js'
import type { HttpSideIn, HttpSideOut } from '../side-messages.js'

type HttpSide = Side<HttpSideOut, HttpSideIn>

export async function httpBench(requests: number, log: (line: string) => void): Promise<string[]> {
  const problems: string[] = []
  const endpoint = new Side<HttpSideOut, HttpSideIn>('http/http-side.js', ['endpoint'])
  let transport: HttpSide | undefined
  try {
    const { port } = await endpoint.next('ready')
    transport = new Side<HttpSideOut, HttpSideIn>('http/http-side.js', ['transport', String(port), String(requests)])
    await transport.next('ready')
    const d = await transport.next('done')
    if (!('accepted' in d)) throw new Error('http transport side: no accepted count')
    const ms = d.elapsedMs
    log(`http transport: ${int(requests)} requests in ${(ms / 1000).toFixed(2)} s = ${int((requests / ms) * 1000)} req/s ` +
      `(${HTTP_CONNECTIONS} connections), ${perMsgUs(d.cpuUs, requests)} CPU/request; accepted with an id: ${d.accepted}`)
    if (d.accepted !== requests) problems.push(`http transport: ${d.accepted} of ${requests} accepted`)
  } finally {
    await Promise.all([transport?.stop(), endpoint.stop()])
  }

  const webhook = new Side<HttpSideOut, HttpSideIn>('http/http-side.js', ['webhook'])
  let client: HttpSide | undefined
  try {
    const { port } = await webhook.next('ready')
    const before = await webhook.ask('usage')
    client = new Side<HttpSideOut, HttpSideIn>('http/http-side.js', ['callbacks', String(port), String(requests)])
    await client.next('ready')
    const d = await client.next('done')
    const after = await webhook.ask('usage')
    const ms = d.elapsedMs
    const receipts = after.receipts - before.receipts
    log(`receipt webhook: ${int(requests)} callbacks in ${(ms / 1000).toFixed(2)} s = ${int((requests / ms) * 1000)} callbacks/s ` +
      `(${HTTP_CONNECTIONS} connections), ${perMsgUs(after.cpuUs - before.cpuUs, requests)} CPU/callback; receipts ${receipts}, malformed ${after.malformed}`)
    if (receipts !== requests) problems.push(`receipt webhook: ${receipts} receipts from ${requests} callbacks`)
  } finally {
    await Promise.all([client?.stop(), webhook.stop()])
  }
  return problems
}
