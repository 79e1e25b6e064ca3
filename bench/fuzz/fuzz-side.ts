// The simulator under fuzz, in its own process (forked by bench/fuzz/fuzz.ts and by the fuzz test): the
// real network (simulator/start-network.ts) with the default limits, and over IPC its own view of
// itself: alive, open fds, connections, binds, receipts. -> {type:'ready', port, maxPduLength};
// 'stats' -> 'stats-reply'; 'stop' -> closes the network and exits.
import { readdirSync } from 'node:fs'
import { parseNetwork } from '../../simulator/network.js'
import { startNetwork } from '../../simulator/start-network.js'
import { FUZZ_ACCOUNT, fuzzNetwork } from './fuzz-network.js'
import type { FuzzSideIn, FuzzSideOut } from '../side-messages.js'

const network = await startNetwork(parseNetwork(fuzzNetwork(), 'fuzz network'))
const op = network.operators[0]!
const send = (m: FuzzSideOut) => process.send!(m)

function fds(): number {
  try {
    return readdirSync('/proc/self/fd').length
  } catch {
    return -1 // no /proc: not counted
  }
}

process.on('message', (m: FuzzSideIn) => {
  if (m.type === 'stats') {
    const s = op.stats()
    send({
      type: 'stats-reply',
      alive: true,
      fds: fds(),
      connections: s.connections,
      binds: s.binds.transmitter + s.binds.receiver + s.binds.transceiver,
      pendingReceipts: s.receipts.pending,
      acked: s.receipts.acked,
      resent: s.receipts.resent,
      invalidPdus: s.protections.invalidPdus,
      accepted: s.statuses.ESME_ROK ?? 0,
      rssBytes: process.memoryUsage.rss(),
    })
  } else if (m.type === 'stop') {
    void network.close().then(() => process.exit(0))
  }
})
process.on('SIGTERM', () => process.exit(0))
send({ type: 'ready', port: op.port, maxPduLength: op.config.limits.maxPduLength, ...FUZZ_ACCOUNT })
