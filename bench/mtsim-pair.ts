// Runs mtsim's simulator and load generator as two processes over loopback and collects each
// side's figures. Shared by the full-cycle and soak benches.
import { join } from 'node:path'
import type { Totals } from '../results/results-format.js'
import { Side, type SideMessage } from './child.js'
import type { LoadRun } from './load-side.js'

export interface PairOptions {
  messages: number
  /** Planned messages per second (an open loop; set above what the pair sustains to find the ceiling). */
  rate: number
  window: number
  binds: number
  maxLagMs: number
  /** Progress every this many final receipts. */
  progressEvery: number
  /** The first ms of the plan are not measured (rate and CPU count from there); default 0. */
  warmupMs?: number
  /** Told every progressEvery final receipts, with both sides' RSS. */
  onProgress?: (finals: number, loadRss: number, simRss: number) => void
  execArgv?: string[]
}

export interface SideFigures {
  cpuUs: number
  peakRss: number
}

export interface PairResult {
  finals: number
  /** Final receipts after the warm-up: what elapsedMs and the CPU figures cover. */
  measured: number
  elapsedMs: number
  load: SideFigures
  sim: SideFigures & { submits: number; receiptsSent: number; receiptsAcked: number; pending: number }
  totals: Totals
  resultsFile: string
}

export async function runPair(o: PairOptions, outName: string): Promise<PairResult> {
  // MTSIM_BENCH_CPU_PROF=<dir>: each side writes a V8 CPU profile there (node --cpu-prof).
  const prof = process.env.MTSIM_BENCH_CPU_PROF
  const execArgv = o.execArgv ?? (prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])
  const sim = new Side('sim-side.js', [], execArgv)
  const load = new Side('load-side.js', [], execArgv)
  try {
    const [ready] = await Promise.all([sim.next('ready'), load.next('ready')])
    let simStart: Promise<SideMessage> | undefined
    let simEnd: Promise<SideMessage> | undefined
    load.on('started', () => (simStart = sim.ask('usage')))
    load.on('finished', () => (simEnd = sim.ask('usage')))
    load.on('progress', (m) => {
      if (process.env.MTSIM_BENCH_MEMORY) process.stderr.write(JSON.stringify(m.memory) + '\n')
      void sim.ask('usage').then((u) => o.onProgress?.(m.finals as number, m.rss as number, u.rss as number))
    })
    const run: LoadRun = {
      port: ready.port as number,
      messages: o.messages,
      rate: o.rate,
      window: o.window,
      binds: o.binds,
      maxLagMs: o.maxLagMs,
      progressEvery: o.progressEvery,
      warmupMs: o.warmupMs ?? 0,
      outDir: join(process.cwd(), 'out', 'bench', outName),
    }
    const done = load.next('done')
    load.send({ type: 'run', ...run })
    const d = await done
    if (d.error) throw new Error(`load side: ${d.error as string}`)
    const u0 = await (simStart ?? sim.ask('usage'))
    const u1 = await (simEnd ?? sim.ask('usage'))
    const last = await sim.ask('usage') // after the engine closed: the final counters
    return {
      finals: d.finals as number,
      measured: d.measured as number,
      elapsedMs: d.elapsedMs as number,
      load: { cpuUs: d.cpuUs as number, peakRss: d.peakRss as number },
      sim: {
        cpuUs: (u1.cpuUs as number) - (u0.cpuUs as number),
        peakRss: last.peakRss as number,
        submits: last.submits as number,
        receiptsSent: last.receiptsSent as number,
        receiptsAcked: last.receiptsAcked as number,
        pending: last.pending as number,
      },
      totals: d.totals as Totals,
      resultsFile: d.results as string,
    }
  } finally {
    await Promise.all([load.stop(), sim.stop()])
  }
}
