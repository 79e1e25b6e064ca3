// Why sends were dropped or late, in words with the figures (issue 14): from results.sendDelays,
// the reason the engine attributed to each one (loadgen/measure/send-delays.ts), joined with what
// the run measured about the gateway (its answer times) and the plan (the rate it asked for).
import type { ResultsFile } from '../results/results-format.js'
import { decodeHistogram, percentiles } from '../lib/hdr.js'
import { sendingPeriodMs } from '../results/run-figures.js'
import { fmtInt, fmtMs, fmtRate } from './report-figures.js'

/** The heading and one line per reason; empty when nothing was dropped or late (or the file predates the reasons). */
export function sendReasonLines(r: ResultsFile): string[] {
  const d = r.sendDelays
  const t = r.totals
  if (!d || (t.dropped === 0 && t.late === 0)) return []
  const what = [t.dropped ? `${fmtInt(t.dropped)} send(s) were dropped` : '', t.late ? `${fmtInt(t.late)}${t.dropped ? '' : ' send(s) were'} late` : '']
  const out = [`why ${what.filter(Boolean).join(' and ')}:`]
  const periodS = sendingPeriodMs(r, 'plan') / 1000
  for (const [id, w] of Object.entries(d.window).sort((a, b) => b[1].dropped + b[1].late - (a[1].dropped + a[1].late))) {
    out.push(`window full at ${id}: ${counts(w)} while waiting for room on its binds (up to ${fmtInt(w.inFlight)} submit(s) in flight); ${carry(r, id, w.inFlight, periodS)}`)
  }
  const b = d.behind
  if (b.dropped || b.late) {
    out.push(
      `machine behind its plan: ${counts(b)} with room on the binds whenever the loop looked (the latest ${fmtLate(b.maxLateMs)} after its plan time): ` +
        `the event loop ran up to ${fmtLate(d.loop.delayMaxMs)} late (p99 ${fmtLate(d.loop.delayP99Ms)}) and mtsim used ${d.loop.cpuPercent.toFixed(0)}% of a core while sending` +
        (d.loop.cpuPercent >= 90 ? ': the load generator is short of CPU (--workers N uses more cores)' : ': the process was held up (another process on its cores, a pause)'),
    )
  }
  if (d.interrupted.dropped) out.push(`interrupted: ${fmtInt(d.interrupted.dropped)} dropped were due when the run was stopped`)
  return out
}

function counts(c: { dropped: number; late: number }): string {
  return [c.dropped ? `${fmtInt(c.dropped)} dropped` : '', c.late ? `${fmtInt(c.late)} late` : ''].filter(Boolean).join(' and ')
}

/** The window's arithmetic: what the submits in flight carry at the answer time measured, against the plan. */
function carry(r: ResultsFile, id: string, inFlight: number, periodS: number): string {
  const o = r.operators[id]
  const answer = o ? percentiles(decodeHistogram(o.histograms.submit.uncorrected)) : undefined
  const plannedPerS = o && periodS > 0 ? o.totals.planned / periodS : 0
  if (!answer?.count || answer.mean <= 0) return `no submit to ${id} was answered, so its window never emptied: the gateway is not answering`
  const carries = inFlight / (answer.mean / 1e6)
  const head = `the gateway answered its submits in ${fmtMs(answer.mean)} on average (p99 ${fmtMs(answer.p99)}), so ${fmtInt(inFlight)} in flight carry ~${fmtRate(carries)}`
  return carries < plannedPerS
    ? `${head}, and the plan asked for ${fmtRate(plannedPerS)}: the gateway answers too slowly for this window (more binds, a larger window or a lower rate)`
    : `${head}, above the plan's ${fmtRate(plannedPerS)} on average: the window filled at bursts of arrivals (a larger window absorbs them)`
}

function fmtLate(ms: number): string {
  return fmtMs(ms * 1000)
}
