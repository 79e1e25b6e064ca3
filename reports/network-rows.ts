// The network's side and the books across the gateway as rows, shared by the console summary,
// summary.md and report.html: per operator, what the simulated network saw (copies by tag, answers,
// binds, receipts) beside what the gateway accepted and what reached the operator.
import type { ResultsFile } from '../results/results-format.js'
import { fmtInt } from './report-figures.js'

export const NETWORK_HEAD = ['operator', 'first copies', 'repeated', 'ROK', 'throttled', 'other errors', 'unanswered', 'binds opened/closed', 'receipts sent', 'acked', 'backlog']
export const GATEWAY_BOOKS_HEAD = ['operator', 'accepted', 'arrived', 'held by gateway', 'lost in gateway', 'failed in gateway']

export function networkRows(r: ResultsFile): string[][] {
  if (!r.network) return []
  return Object.entries(r.network.operators).map(([id, o]) => {
    const throttled = o.answers.ESME_RTHROTTLED ?? 0
    const other = Object.entries(o.answers).reduce((n, [name, c]) => (name === 'ESME_ROK' || name === 'ESME_RTHROTTLED' ? n : n + c), 0)
    const sent = Object.values(o.receipts.sent).reduce((a, b) => a + b, 0)
    return [
      id, fmtInt(o.submits.first), fmtInt(o.submits.repeated), fmtInt(o.answers.ESME_ROK ?? 0), fmtInt(throttled), fmtInt(other), fmtInt(o.unanswered),
      `${fmtInt(o.binds.opened)}/${fmtInt(o.binds.dropped)}${o.binds.refused ? ` (${fmtInt(o.binds.refused)} refused)` : ''}`,
      fmtInt(sent), fmtInt(o.receipts.acked), fmtInt(o.receipts.backlog),
    ]
  })
}

/** accepted = arrived + held_by_gateway + lost_in_gateway, per operator (runs through a gateway with the network in process). */
export function gatewayBookRows(r: ResultsFile): string[][] {
  if (!r.network || r.meta.gateway === 'direct') return []
  const row = (id: string, t: ResultsFile['totals']) => [id, fmtInt(t.accepted), fmtInt(t.arrived), fmtInt(t.held_by_gateway), fmtInt(t.lost_in_gateway), fmtInt(t.failed_in_gateway)]
  return [...Object.entries(r.operators).map(([id, o]) => row(id, o.totals)), row('all', r.totals)]
}
