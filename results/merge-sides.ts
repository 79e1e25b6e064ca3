// Merging the network's side (results.network) of --segment shares: every share ran its own
// simulated network (and its own gateway), so counts add, bind events interleave by time and the
// time series align on `t` (gauges too: binds up and backlog over all the shares' networks). The
// gateway's side is not merged: each share polled its own gateway, and a sum of instants polled at
// different moments would be no instant at all (the merged run's `gateway` is left out).
import type { NetworkOperator, NetworkPoint, NetworkPointOperator, NetworkSide } from './results-format.js'

const addInto = (to: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) to[k] = (to[k] ?? 0) + v
}

function addOperator(a: NetworkOperator, b: NetworkOperator): NetworkOperator {
  const answers = { ...a.answers }
  addInto(answers, b.answers)
  const sent = { ...a.receipts.sent }
  addInto(sent, b.receipts.sent)
  return {
    submits: { first: a.submits.first + b.submits.first, repeated: a.submits.repeated + b.submits.repeated, untagged: a.submits.untagged + b.submits.untagged },
    answers,
    unanswered: a.unanswered + b.unanswered,
    binds: {
      opened: a.binds.opened + b.binds.opened,
      refused: a.binds.refused + b.binds.refused,
      dropped: a.binds.dropped + b.binds.dropped,
      events: [...a.binds.events, ...b.binds.events].sort((x, y) => x.t - y.t).slice(0, 200),
    },
    receipts: {
      sent,
      acked: a.receipts.acked + b.receipts.acked,
      resent: a.receipts.resent + b.receipts.resent,
      lost: a.receipts.lost + b.receipts.lost,
      duplicated: a.receipts.duplicated + b.receipts.duplicated,
      backlog: a.receipts.backlog + b.receipts.backlog,
    },
  }
}

function addPoint(a: NetworkPointOperator, b: NetworkPointOperator): NetworkPointOperator {
  const out = { ...a }
  for (const k of Object.keys(b) as (keyof NetworkPointOperator)[]) out[k] = a[k] + b[k]
  return out
}

export function mergeNetworkSides(list: NetworkSide[]): NetworkSide {
  const operators: Record<string, NetworkOperator> = {}
  for (const side of list) for (const [id, o] of Object.entries(side.operators)) operators[id] = operators[id] ? addOperator(operators[id]!, o) : o
  const byT = new Map<number, NetworkPoint>()
  for (const side of list) {
    for (const p of side.timeseries) {
      const at = byT.get(p.t) ?? { t: p.t, operators: {} }
      for (const [id, o] of Object.entries(p.operators)) at.operators[id] = at.operators[id] ? addPoint(at.operators[id]!, o) : { ...o }
      byT.set(p.t, at)
    }
  }
  return { operators, timeseries: [...byT.values()].sort((a, b) => a.t - b.t) }
}
