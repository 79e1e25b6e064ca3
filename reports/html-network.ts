// The report's network and gateway sections: what the simulated operators saw (per operator, and
// over time: throttled/s, unanswered/s, binds up), the books across the gateway, who caused each
// outcome, and what the gateway said it held (its queues over time, its end state).
import type { ResultsFile } from '../results/results-format.js'
import { esc } from './html-tables.js'
import { attribute } from './attribution.js'
import { GATEWAY_BOOKS_HEAD, NETWORK_HEAD, gatewayBookRows, networkRows } from './network-rows.js'
import { fmtInt } from './report-figures.js'

function table(head: readonly string[], rows: string[][], numericFrom = 1): string {
  const th = head.map((h, i) => `<th${i >= numericFrom ? ' class="num"' : ''}>${esc(h)}</th>`).join('')
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${i >= numericFrom ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('\n')
  return `<div class="tw"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`
}

function chart(id: string, title: string, caption: string): string {
  return `<div class="card"><h3>${esc(title)}</h3><p>${esc(caption)}</p><div class="chart"><canvas id="${id}" role="img" aria-label="${esc(title)}"></canvas></div></div>`
}

/** Who caused what: present whenever any outcome went wrong. */
export function attributionSection(r: ResultsFile): string {
  const a = attribute(r)
  if (!a.rows.length && !a.held.length) return ''
  const rows = a.rows.map((x) => [x.outcome, fmtInt(x.count), x.cause, x.what])
  return `<h2>Who caused what</h2>
${a.causes.length ? `<p class="verdict-line${r.thresholds.some((x) => !x.ok) ? ' bad' : ''}">${esc(a.causes.slice(0, 3).join('; '))}</p>` : ''}
${a.held.map((l) => `<p>${esc(l)}</p>`).join('\n')}
${rows.length ? table(['outcome', 'count', 'caused by', 'what happened'], rows.map((r) => [r[0]!, r[1]!, r[2]!, r[3]!]), 1) : ''}`
}

export function networkSection(r: ResultsFile): string {
  if (!r.network) return ''
  const books = gatewayBookRows(r)
  return `<h2>The network's side <span class="muted">(what the simulated operators saw, joined by the correlation tag)</span></h2>
${table(NETWORK_HEAD, networkRows(r))}
<p class="muted">first copies: a message's first submit_sm (by its tag); repeated: copies of a message the operator had already seen (a gateway's resends); answers count every segment.</p>
${books.length ? `<h3>Across the gateway</h3>\n${table(GATEWAY_BOOKS_HEAD, books)}\n<p class="muted">accepted by the gateway = arrived at an operator + held by the gateway + lost in the gateway; failed in gateway: final receipts the gateway made up for messages no operator took.</p>` : ''}
<section class="grid">
${chart('chart-net-throttled', 'Throttled per second, per operator', 'ESME_RTHROTTLED answers the operators sent, per second.')}
${chart('chart-net-unanswered', 'Unanswered per second, per operator', 'Submits taken in and never answered (black hole, no response), per second.')}
${chart('chart-net-binds', 'Binds up, per operator', 'Binds open at the end of each interval.')}
</section>`
}

export function gatewaySection(r: ResultsFile): string {
  const g = r.gateway
  if (!g) return ''
  const end = g.end
  const name = g.source === 'kannel' ? 'Kannel' : 'The gateway'
  const endRows = end ? Object.entries(end.links).map(([id, l]) => [id, g.linkOperators?.[id] ?? '', l.state, fmtInt(l.queued), fmtInt(l.sent), fmtInt(l.failed)]) : []
  const settings = Object.entries(g.settings ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')
  return `<h2>The gateway's side <span class="muted">(${esc(name)}'s status page, polled each second${g.failedPolls ? `; ${fmtInt(g.failedPolls)} polls failed` : ''})</span></h2>
${end ? `<p>When the run ended ${esc(name)} said it still queued <b>${fmtInt(end.queued ?? 0)}</b>${settings ? ` <span class="muted">(${esc(settings)})</span>` : ''}.</p>` : `<p class="muted">${esc(name)} did not answer at the end of the run.</p>`}
${endRows.length ? table(['link', 'operator', 'state', 'queued', 'sent', 'failed'], endRows, 3) : ''}
<section class="grid">
${chart('chart-gw-queue', `${name}'s queues over time`, 'Messages it held for sending, in all and per link.')}
</section>`
}
