// Who caused each outcome of a run: the load generator, the gateway or the operator. Built from
// the books (totals, whose gateway counts come from joining the network's view by the correlation
// tag: results/results-format.ts) and the network's own counts (results.network), so a Kannel
// discard is the gateway's, a throttle the operator's, a dropped send the load generator's. The
// console verdict, summary.md and the report all say it in the same words.
import type { ResultsFile } from '../results/results-format.js'
import { fmtInt } from './report-figures.js'

export type Cause = 'load generator' | 'gateway' | 'operator'

export interface AttributedOutcome {
  /** The results field (or network figure) counted. */
  outcome: string
  count: number
  cause: Cause
  /** What happened, in words. */
  what: string
}

export interface Attribution {
  rows: AttributedOutcome[]
  /** The causes that weigh most, largest first, in plain words ("telco-c throttled 41 submits"). */
  causes: string[]
  /** What the gateway still held at the end, per link, when it said so (managed Kannel). */
  held: string[]
}

/** The gateway's name in sentences. */
function gatewayName(r: ResultsFile): string {
  if (r.gateway?.source === 'kannel') return 'Kannel'
  return r.meta.gateway === 'direct' ? 'the operator' : 'the gateway'
}

/** sms-resend-retry as Kannel ran it (results.gateway.settings), or undefined when unknown. */
function resendRetry(r: ResultsFile): number | undefined {
  const v = r.gateway?.settings?.['sms-resend-retry']
  return v === undefined ? undefined : Number(v)
}

export function attribute(r: ResultsFile): Attribution {
  const t = r.totals
  const viaGateway = r.meta.gateway !== 'direct'
  const gw = gatewayName(r)
  const rows: AttributedOutcome[] = []
  const add = (outcome: string, count: number, cause: Cause, what: string) => {
    if (count > 0) rows.push({ outcome, count, cause, what })
  }
  add('dropped', t.dropped, 'load generator', 'planned sends never attempted (no window room in time, or the run was stopped)')
  add('rejected', t.rejected, viaGateway ? 'gateway' : 'operator', viaGateway ? `submits ${gw} refused` : 'submits the operator answered with an error')
  add('failed', t.failed, viaGateway ? 'gateway' : 'operator', 'submits never answered (timeout, connection lost)')
  add('failed_in_gateway', t.failed_in_gateway, 'gateway', `final receipts ${gw} made up for messages no operator took (discarded after its resends)`)
  add('held_by_gateway', t.held_by_gateway, 'gateway', `accepted by ${gw}, never passed on to an operator by the end`)
  add('rejected_by_operator', t.rejected_by_operator, 'operator', 'REJECTD receipts the operator sent')
  add('undelivered', t.undelivered, 'operator', 'UNDELIV receipts the operator sent')
  add('expired', t.expired, 'operator', 'EXPIRED receipts the operator sent')
  add('missing', t.missing, 'operator', viaGateway ? 'taken by an operator, no final receipt came back through the gateway in time' : 'no final receipt in time')

  // The network's own counts: causes that may not be an outcome themselves (a throttled submit the
  // gateway sent again and got through is only a delay).
  const causes: { n: number; words: string }[] = []
  for (const [id, op] of Object.entries(r.network?.operators ?? {})) {
    const throttled = op.answers.ESME_RTHROTTLED ?? 0
    if (throttled) causes.push({ n: throttled, words: `${id} throttled ${fmtInt(throttled)} submit${throttled === 1 ? '' : 's'}` })
    if (op.unanswered) causes.push({ n: op.unanswered, words: `${id} left ${fmtInt(op.unanswered)} submit${op.unanswered === 1 ? '' : 's'} unanswered` })
    // Copies sent again after an error answer are the gateway doing its job; beyond those, they
    // went out again after no answer (ack timeout): the operator may now have them twice.
    const errorAnswers = Object.entries(op.answers).reduce((n, [name, c]) => (name === 'ESME_ROK' ? n : n + c), 0)
    const again = op.submits.repeated - errorAnswers
    if (again > 0 && viaGateway) causes.push({ n: again, words: `${gw} sent ${fmtInt(again)} cop${again === 1 ? 'y' : 'ies'} to ${id} again after no answer` })
  }
  if (!r.network) {
    for (const [id, o] of Object.entries(r.operators)) {
      const throttled = o.statuses.ESME_RTHROTTLED ?? 0
      if (throttled) causes.push({ n: throttled, words: `${id} throttled ${fmtInt(throttled)} submit${throttled === 1 ? '' : 's'}` })
    }
  }
  const retry = resendRetry(r)
  if (t.failed_in_gateway) {
    const after = retry !== undefined && retry >= 0 ? ` after ${retry} retr${retry === 1 ? 'y' : 'ies'}` : ''
    causes.push({ n: t.failed_in_gateway, words: `${gw} discarded ${fmtInt(t.failed_in_gateway)}${after}` })
  }
  if (t.held_by_gateway) causes.push({ n: t.held_by_gateway, words: `${gw} still held ${fmtInt(t.held_by_gateway)}` })
  if (t.dropped) causes.push({ n: t.dropped, words: `the load generator dropped ${fmtInt(t.dropped)} sends` })
  const finalsByOperator = t.rejected_by_operator + t.undelivered + t.expired
  if (finalsByOperator) causes.push({ n: finalsByOperator, words: `operators reported ${fmtInt(finalsByOperator)} not delivered` })
  if (t.missing) causes.push({ n: t.missing, words: `${fmtInt(t.missing)} receipts missing` })
  if (t.rejected) causes.push({ n: t.rejected, words: `${viaGateway ? gw : 'operators'} rejected ${fmtInt(t.rejected)} submits` })
  if (t.failed) causes.push({ n: t.failed, words: `${fmtInt(t.failed)} submits unanswered at the load generator` })
  // Stable: at equal counts the network's causes (listed first) come before their consequences.
  causes.sort((a, b) => b.n - a.n)

  return { rows, causes: causes.map((c) => c.words), held: heldLines(r, gw) }
}

/**
 * "Kannel still held 2,532 messages for telia when the run ended: counted held_by_gateway, not
 * missing", per operator, and how Kannel's own counters compare: what it passed on to the
 * operators (its links' sent counts) against what it accepted.
 */
function heldLines(r: ResultsFile, gw: string): string[] {
  const t = r.totals
  const out: string[] = []
  for (const [id, o] of Object.entries(r.operators)) {
    const n = o.totals.held_by_gateway
    if (n) out.push(`${gw} still held ${fmtInt(n)} message${n === 1 ? '' : 's'} for ${id} when the run ended: counted held_by_gateway, not missing`)
  }
  const end = r.gateway?.end
  if (end && r.network) {
    const passedOn = Object.values(end.links).reduce((n, l) => n + l.sent, 0)
    const inside = t.accepted - passedOn
    const agree = inside === t.held_by_gateway + t.lost_in_gateway
    out.push(
      `${gw}'s own counters ${agree ? 'agree' : 'DISAGREE'}: it passed ${fmtInt(passedOn)} of the ${fmtInt(t.accepted)} accepted on to the operators ` +
        `(the network took ${fmtInt(t.arrived)}); its queues showed ${fmtInt(end.queued ?? 0)} at the last poll`,
    )
  }
  return out
}

/** The verdict's reason: the two weightiest causes, or '' when nothing went wrong. */
export function verdictReason(r: ResultsFile): string {
  return attribute(r).causes.slice(0, 2).join('; ')
}
