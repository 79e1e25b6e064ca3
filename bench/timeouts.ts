// `npm run bench -- --only timeouts`: how late a request's response timeout fires, on real
// sockets and real timers. Requests go to a peer that never answers, at random moments; each one's
// lateness is (time of the timeout callback - time of the request - the timeout). Issue 11: a
// timed-out request must fail within 5% (or 10 ms) of its configured timeout; a sweep every
// timeout/4 made a 2 s timeout fire up to 500 ms late.
import net from 'node:net'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { SmppSession } from '../smpp/session.js'

async function lateness(timeoutMs: number, requests: number, spreadMs: number): Promise<number[]> {
  const server = net.createServer((s) => s.on('data', () => {})) // reads everything, answers nothing
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1')
  await new Promise((r) => socket.once('connect', r))
  const session = new SmppSession(socket, { responseTimeoutMs: timeoutMs })
  const late: number[] = []
  await new Promise<void>((resolve) => {
    for (let i = 0; i < requests; i++) {
      setTimeout(() => {
        const sent = performance.now()
        session.request({ command: 'enquire_link', status: 0, sequence: 0 }, () => {
          late.push(performance.now() - sent - timeoutMs)
          if (late.length === requests) resolve()
        })
      }, Math.random() * spreadMs)
    }
  })
  session.close()
  await new Promise((r) => server.close(r))
  return late.sort((a, b) => a - b)
}

export async function timeoutsBench(log: (line: string) => void): Promise<string[]> {
  const problems: string[] = []
  for (const timeoutMs of [2000, 200]) {
    // How late this process's event loop runs anything (a busy host delays every timer alike):
    // lateness beyond it would be the timeout logic's own.
    const loop = monitorEventLoopDelay({ resolution: 1 })
    loop.enable()
    const late = await lateness(timeoutMs, 500, 1000)
    loop.disable()
    const at = (q: number) => late[Math.min(late.length - 1, Math.floor(q * late.length))]!
    const allowed = Math.max(10, timeoutMs * 0.05)
    log(
      `timeouts: response_timeout ${timeoutMs} ms, ${late.length} requests: fired late by min ${at(0).toFixed(1)} ms, ` +
        `p50 ${at(0.5).toFixed(1)}, p99 ${at(0.99).toFixed(1)}, max ${at(1).toFixed(1)} ms (allowed ${allowed} ms); ` +
        `event-loop delay meanwhile p99 ${(loop.percentile(99) / 1e6).toFixed(1)}, max ${(loop.max / 1e6).toFixed(1)} ms`,
    )
    if (at(0) < 0) problems.push(`a ${timeoutMs} ms timeout fired ${(-at(0)).toFixed(1)} ms early`)
    // A busy host delays every callback by up to the loop's own delay: only lateness beyond that is ours.
    const hostMs = loop.max / 1e6
    if (at(1) > allowed + hostMs) problems.push(`a ${timeoutMs} ms timeout fired ${at(1).toFixed(1)} ms late (allowed ${allowed} + the loop's ${hostMs.toFixed(1)})`)
  }
  return problems
}
