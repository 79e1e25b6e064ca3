// The baseline for `npm run bench`: the `smpp` npm package's own server and client doing the same
// full cycle as mtsim (submit_sm, submit_sm_resp, deliver_sm receipt, deliver_sm_resp), each side
// in its own process. Run by bench/main.ts through fork(): `baseline-peer.js server` or
// `baseline-peer.js client PORT MESSAGES WINDOW [WARMUP_MS]`. Each side reports its CPU and peak RSS
// over IPC (bench/side-messages.ts). With a warm-up, the client's rate counts only the receipts after it (as mtsim's does).
import smpp from 'smpp'
import { sideReport, trackPeakRss } from '../side-report.js'
import type { BaselineIn, BaselineOut } from '../side-messages.js'

const send = (m: BaselineOut) => process.send!(m)

const [mode, portArg, messagesArg, windowArg, warmupArg] = process.argv.slice(2)

if (mode === 'server') {
  const peak = trackPeakRss()
  let nextId = 1
  let cycles = 0
  const server = smpp.createServer((session: any) => {
    // The package leaves Nagle on; that caps it at a few thousand cycles/s on delayed ACKs.
    // A fair baseline gets the one-line tuning any user would apply.
    session.socket.setNoDelay(true)
    session.on('bind_transceiver', (pdu: any) => session.send(pdu.response()))
    session.on('enquire_link', (pdu: any) => session.send(pdu.response()))
    session.on('unbind', (pdu: any) => {
      session.send(pdu.response())
      session.close()
    })
    session.on('submit_sm', (pdu: any) => {
      const id = String(nextId++)
      session.send(pdu.response({ message_id: id }))
      const stamp = '2611242359'
      session.deliver_sm({
        source_addr: pdu.destination_addr,
        destination_addr: pdu.source_addr,
        esm_class: 4,
        short_message: `id:${id} sub:001 dlvrd:001 submit date:${stamp} done date:${stamp} stat:DELIVRD err:000 text:`,
      })
    })
    session.on('deliver_sm_resp', () => {
      cycles++
    })
  })
  server.listen(0, '127.0.0.1', () => send({ type: 'ready', port: server.address().port }))
  process.on('message', (m: BaselineIn) => {
    if (m.type === 'report') process.send!({ type: 'server-report', ...sideReport(peak, { cycles }) } satisfies BaselineOut, () => process.exit(0))
  })
} else if (mode === 'client') {
  const peak = trackPeakRss()
  const total = Number(messagesArg)
  const window = Number(windowArg)
  let sent = 0
  let inFlight = 0
  let receipts = 0
  let started = 0
  let receiptsAtWarm = 0
  const session = smpp.connect({ url: `smpp://127.0.0.1:${portArg}` }, () => {
    session.socket.setNoDelay(true)
    session.bind_transceiver({ system_id: 'bench', password: 'bench' }, () => {
      started = performance.now()
      const warmupMs = Number(warmupArg ?? 0)
      if (warmupMs > 0) {
        setTimeout(() => {
          receiptsAtWarm = receipts
          started = performance.now()
        }, warmupMs)
      }
      pump()
    })
  })
  // A message stays "in flight" until its receipt arrives: the window spans the whole cycle.
  const pump = () => {
    while (inFlight < window && sent < total) {
      sent++
      inFlight++
      session.submit_sm({ source_addr: 'BENCH', destination_addr: '4790000000', short_message: 'bench message' })
    }
  }
  session.on('deliver_sm', (pdu: any) => {
    session.send(pdu.response())
    receipts++
    inFlight--
    if (receipts === total) {
      const elapsedMs = performance.now() - started
      process.send!({ type: 'client-report', ...sideReport(peak, { messages: receipts - receiptsAtWarm, total: receipts, elapsedMs }) } satisfies BaselineOut, () => {
        session.close()
        process.exit(0)
      })
    } else pump()
  })
}
