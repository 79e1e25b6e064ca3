// The capacity search's report.html: offered against carried (the knee marked), latency
// percentiles against the offered rate, drops and refusals per step, what ran out per operator at
// the knee, and every step with its verdict. Same page shell and style as the model's report.
import type { CapacityFile } from '../measure/capacity-file.js'
import { chartCard, esc, renderPageShell, table, verdictBox } from './page.js'
import { CAPACITY_CLIENT_SCRIPT } from './measure-html-client.js'

const f1 = (x: number | null) => (x === null ? '-' : x >= 100 ? String(Math.round(x)) : x.toFixed(1))
const msText = (x: number | null) => (x === null ? '-' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`)

export function renderCapacityHtml(c: CapacityFile): string {
  const steps = [...c.steps].filter((s) => !s.interrupted).sort((a, b) => a.rate - b.rate)
  const data = {
    knee: c.held,
    broke: c.broke,
    rate: steps.map((s) => s.rate),
    carried: steps.map((s) => s.carriedPerS),
    ok: steps.map((s) => s.ok),
    submitP50: steps.map((s) => s.submitP50),
    submitP99: steps.map((s) => s.submitP99),
    receiptP50: steps.map((s) => s.receiptP50),
    receiptP99: steps.map((s) => s.receiptP99),
    dropped: steps.map((s) => s.dropped),
    rejected: steps.map((s) => s.rejected),
    operators: [...new Set(steps.flatMap((s) => s.verdict.operators.map((o) => o.id)))].map((id) => ({
      id,
      carried: steps.map((s) => s.verdict.operators.find((o) => o.id === id)?.carriedPerS ?? null),
    })),
  }
  const k = c.knee
  const answer = `<div class="answers">
<p><b>Held</b>: ${c.held === null ? 'no rate tried held every threshold' : `${esc(f1(c.held))} msg/s, every threshold`}. <b>Broke</b>: ${c.broke === null ? 'no rate tried broke' : `${esc(f1(c.broke))} msg/s`}.</p>
${k ? `<p><b>What ran out</b> at ${esc(f1(c.broke))} msg/s: ${k.resource ? `${esc(k.operator ? `${k.operator}'s ` : '')}${esc(k.resource)} (${esc(k.evidence)})` : esc(k.evidence || 'nothing saturated')}.</p>` : ''}
${k && k.failed.length ? `<ul>${k.failed.map((x) => `<li>failed: ${esc(x)}</li>`).join('')}</ul>` : ''}
<p class="muted">Each step: ${esc(String(c.meta.settings.warmupMs / 1000))} s unmeasured warm-up, then ${esc(String(c.meta.settings.stepMs / 1000))} s measured at the rate, judged by: ${esc(c.meta.thresholds.join('; '))}.</p>
</div>`
  const perOp = k
    ? table(['operator', 'offered/s', 'carried/s', 'what ran out', 'evidence', 'its thresholds that failed'], k.operators.map((o) => [`<b>${esc(o.id)}</b>`, f1(o.offeredPerS), f1(o.carriedPerS), esc(o.resource ?? '-'), esc(o.evidence || '-'), esc(o.failed.join('; ') || '-')]), 1)
    : '<p class="muted">No step broke: nothing ran out.</p>'
  const stepRows = c.steps.map((s, i) => [
    String(i + 1), f1(s.rate), f1(s.carriedPerS), String(s.dropped), String(s.rejected), msText(s.submitP50), msText(s.submitP99), msText(s.receiptP50), msText(s.receiptP99),
    s.interrupted ? 'stopped' : s.ok ? '<span class="pill pass">held</span>' : s.insufficient ? '<span class="pill fail">too little data</span>' : '<span class="pill fail">FAIL</span>',
    esc(s.verdict.resource ? `${s.verdict.operator ?? 'overall'}: ${s.verdict.resource} (${s.verdict.evidence})` : s.ok ? '' : s.verdict.evidence),
    `<code>${esc(s.dir.split('/').slice(-2).join('/'))}</code>`,
  ])
  const body = `<h2>Answer</h2>
${answer}
<h2>Against the offered rate <span class="muted">(dashed line: the highest rate that held)</span></h2>
<section class="grid">
${chartCard('chart-carried', 'Offered against carried', 'Accepted messages per second at each offered rate, overall (black) and per operator; the diagonal is "carried everything".', true)}
${chartCard('chart-latency', 'Latency against offered rate', 'Submit and receipt latency p50 and p99 of each step, ms (log), from the intended send time.')}
${chartCard('chart-lost', 'Dropped and rejected per step', 'Sends dropped by mtsim and submits rejected, per step.')}
</section>
<h2>At the first rate that broke, per operator</h2>
${perOp}
<h2>Steps <span class="muted">(in the order run)</span></h2>
${table(['step', 'offered/s', 'carried/s', 'dropped', 'rejected', 'submit p50', 'submit p99', 'receipt p50', 'receipt p99', 'result', 'what ran out', 'results'], stepRows, 1, (i) => (c.steps[i]!.ok ? '' : 'bad'))}`
  const notes = ['MEASURED by mtsim capacity: real runs through the scenario\'s gateway at rising rates, then bisection.']
  if (c.meta.interrupted) notes.push('The search was interrupted: the steps so far are shown.')
  if (c.ended === 'max-duration') notes.push('The search stopped at --max-duration before it converged.')
  const short = c.steps.find((s) => s.insufficient)
  if (short) notes.push(`The search stopped: the step at ${f1(short.rate)} msg/s measured too little to judge (${short.insufficient}). Lengthen --step, or set min_samples on the threshold.`)
  return renderPageShell({
    title: c.meta.name,
    badge: 'CAPACITY',
    subtitle: [c.meta.scenarioFile ?? 'scenario', `gateway ${c.meta.gateway}`, `${c.steps.length} steps`, `${Math.round(c.meta.durationMs / 1000)} s`, `started ${c.meta.startedAt}`].join(' \u00b7 '),
    verdict: c.held === null ? verdictBox(1, 1, 'NO RATE HELD') : `<div class="verdict pass">${esc(f1(c.held))} msg/s held</div>`,
    notes,
    body,
    footer: `Generated by mtsim capacity at ${c.meta.endedAt}.`,
    data,
    clientJs: CAPACITY_CLIENT_SCRIPT,
  })
}
