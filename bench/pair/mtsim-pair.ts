// Runs mtsim's simulator and load generator as two processes over loopback and collects each
// side's figures. Shared by the full-cycle and soak benches.
import { join } from 'node:path'
import type { Totals } from '../../results/results-format.js'
import { Side } from '../child.js'
import type { LoadRun, LoadSideIn, LoadSideOut, SimSideIn, SimSideOut, SimUsage } from '../side-messages.js'

/** What the load side plays (its rate is an open loop: set it above what the pair sustains to find the ceiling). */
export interface PairOptions extends Omit<LoadRun, 'port' | 'outDir' | 'warmupMs'> {
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
  const sim = new Side<SimSideOut, SimSideIn>('pair/sim-side.js', [], execArgv)
  const load = new Side<LoadSideOut, LoadSideIn>('pair/load-side.js', [], execArgv)
  try {
    const [ready] = await Promise.all([sim.next('ready'), load.next('ready')])
    let simStart: Promise<SimUsage> | undefined
    let simEnd: Promise<SimUsage> | undefined
    load.on('started', () => (simStart = sim.ask('usage')))
    load.on('finished', () => (simEnd = sim.ask('usage')))
    load.on('progress', (m) => {
      if (process.env.MTSIM_BENCH_MEMORY) process.stderr.write(JSON.stringify(m.memory) + '\n')
      void sim.ask('usage').then((u) => o.onProgress?.(m.finals, m.rss, u.rss))
    })
    const run: LoadRun = {
      port: ready.port,
      messages: o.messages,
      rate: o.rate,
      window: o.window,
      binds: o.binds,
      maxLagMs: o.maxLagMs,
      progressEvery: o.progressEvery,
      warmupMs: o.warmupMs ?? 0,
      outDir: join(process.cwd(), 'out', 'bench', outName),
    }
    const done = Promise.race([load.next('done'), load.next('failed')])
    load.send({ type: 'run', ...run })
    const d = await done
    if (d.type === 'failed') throw new Error(`load side: ${d.error}`)
    const u0 = await (simStart ?? sim.ask('usage'))
    const u1 = await (simEnd ?? sim.ask('usage'))
    const last = await sim.ask('usage') // after the engine closed: the final counters
    return {
      finals: d.finals,
      measured: d.measured,
      elapsedMs: d.elapsedMs,
      load: { cpuUs: d.cpuUs, peakRss: d.peakRss },
      sim: {
        cpuUs: u1.cpuUs - u0.cpuUs,
        peakRss: last.peakRss,
        submits: last.submits,
        receiptsSent: last.receiptsSent,
        receiptsAcked: last.receiptsAcked,
        pending: last.pending,
      },
      totals: d.totals,
      resultsFile: d.results,
    }
  } finally {
    await Promise.all([load.stop(), sim.stop()])
  }
}
