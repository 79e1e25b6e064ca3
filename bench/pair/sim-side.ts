// Bench child: the real simulated network (simulator/start-network.ts) in its own process.
// IPC: -> {type:'ready', port}; 'usage' -> cumulative CPU, RSS, peak RSS and the operator's
// counters; 'stop' -> closes the network and exits.
import { parseNetwork } from '../../simulator/network.js'
import { startNetwork } from '../../simulator/start-network.js'
import { benchNetwork } from './bench-network.js'
import { trackPeakRss } from '../side-report.js'
import type { SimSideIn, SimSideOut } from '../side-messages.js'

const peak = trackPeakRss()
const network = await startNetwork(parseNetwork(benchNetwork(), 'bench network'))
const op = network.operators[0]!
const send = (m: SimSideOut) => process.send!(m)

process.on('message', (m: SimSideIn) => {
  if (m.type === 'usage') {
    const cpu = process.cpuUsage()
    const rss = process.memoryUsage.rss()
    if (rss > peak.value) peak.value = rss
    const s = op.stats()
    send({
      type: 'usage-reply',
      cpuUs: cpu.user + cpu.system,
      rss,
      peakRss: peak.value,
      submits: s.submits,
      receiptsSent: Object.values(s.receipts.sent).reduce((a, b) => a + b, 0),
      receiptsAcked: s.receipts.acked,
      pending: s.receipts.pending,
    })
  } else if (m.type === 'stop') {
    void network.close().then(() => process.exit(0))
  }
})
process.on('SIGTERM', () => process.exit(0))
send({ type: 'ready', port: op.port })
