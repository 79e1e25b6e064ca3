// The capacity search as plain text: one row per step in the order run, then the answer (the
// highest rate that held, the first that broke and what ran out), then each operator at the knee.
import { table } from './model-text.js'
import type { CapacityFile } from '../measure/capacity-file.js'

const f1 = (x: number | null) => (x === null ? '-' : x >= 100 ? String(Math.round(x)) : x.toFixed(1))
const msText = (x: number | null) => (x === null ? '-' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`)

export function formatCapacity(c: CapacityFile): string {
  const out: string[] = []
  out.push(`mtsim capacity: ${c.meta.name} through ${c.meta.gateway}, ${c.steps.length} steps in ${Math.round(c.meta.durationMs / 1000)} s`)
  out.push('')
  out.push(
    table(
      ['step', 'offered/s', 'carried/s', 'dropped', 'rejected', 'submit p50', 'submit p99', 'receipt p99', 'result', 'what ran out'],
      c.steps.map((s, i) => [
        String(i + 1), f1(s.rate), f1(s.carriedPerS), String(s.dropped), String(s.rejected), msText(s.submitP50), msText(s.submitP99), msText(s.receiptP99),
        s.interrupted ? 'stopped' : s.ok ? 'held' : s.insufficient ? 'too little data' : 'FAIL',
        s.verdict.resource ? `${s.verdict.operator ?? 'overall'}: ${s.verdict.resource}` : s.ok ? '' : 'latency only',
      ]),
      1,
    ),
  )
  out.push('')
  const ended = { converged: `converged to ${Math.round(c.meta.settings.precision * 100)}%`, 'max-rate': `reached --max-rate ${c.meta.settings.maxRate}`, 'max-duration': 'stopped at --max-duration', interrupted: 'interrupted', 'lowest-rate': 'even the lowest rate tried failed', 'insufficient-data': 'stopped: a step measured too little to judge', running: 'still running' }[c.ended]
  out.push(`held: ${c.held === null ? 'no rate tried held every threshold' : `${f1(c.held)} msg/s`}; broke: ${c.broke === null ? 'no rate tried broke' : `${f1(c.broke)} msg/s`} (${ended})`)
  const short = c.steps.find((s) => s.insufficient)
  if (short) out.push(`step at ${f1(short.rate)} msg/s: ${short.insufficient}; lengthen --step, or set min_samples on the threshold to judge fewer`)
  const k = c.knee
  if (k) {
    out.push(`at ${f1(c.broke)} msg/s ${k.resource ? `ran out: ${k.operator ? `${k.operator}'s ` : ''}${k.resource} (${k.evidence})` : k.evidence || 'nothing saturated'}`)
    for (const x of k.failed) out.push(`  failed: ${x}`)
    out.push('')
    out.push(table(['operator', 'offered/s', 'carried/s', 'what ran out', 'evidence'], k.operators.map((o) => [o.id, f1(o.offeredPerS), f1(o.carriedPerS), o.resource ?? '-', o.evidence || '-']), 1))
  }
  return out.join('\n')
}
