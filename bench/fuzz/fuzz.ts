// `npm run bench -- --only fuzz [--messages N]`: N fuzzed PDUs (default 1,000,000) against the
// simulator in its own process, then the figures that say it came through intact (fuzz-driver.ts).
import { Side } from '../child.js'
import type { FuzzSideIn, FuzzSideOut } from '../side-messages.js'
import { describeFuzz, runFuzz, type FuzzReport, type FuzzTarget, type TargetStats } from './fuzz-driver.js'

const DEAD: TargetStats = { alive: false, fds: -1, connections: -1, binds: -1, pendingReceipts: -1, acked: 0, resent: 0, invalidPdus: 0, accepted: 0, rssBytes: 0 }

export async function fuzzBench(pdus: number, log: (line: string) => void): Promise<string[]> {
  const report = await fuzzSimulator(pdus, log)
  for (const line of describeFuzz(report)) log(line)
  return report.problems
}

/**
 * Forks the simulator (fuzz-side.js; the test suite passes the compiled file's URL) and fuzzes it
 * with `pdus` PDUs; the child is stopped by its PID afterwards.
 */
export async function fuzzSimulator(pdus: number, log: (line: string) => void, sideScript = './fuzz/fuzz-side.js'): Promise<FuzzReport> {
  const side = new Side<FuzzSideOut, FuzzSideIn>(sideScript)
  try {
    const ready = await side.next('ready')
    const target: FuzzTarget = {
      port: ready.port,
      // A simulator that died answers nothing: every figure says so.
      stats: () => side.ask('stats').then(({ type: _, ...stats }) => stats, () => DEAD),
    }
    return await runFuzz(target, {
      pdus,
      systemId: ready.systemId,
      password: ready.password,
      maxPduLength: ready.maxPduLength,
      log,
    })
  } finally {
    await side.stop()
  }
}
