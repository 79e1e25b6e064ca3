// What each stream's traffic means for each operator's link, derived from the scenario's own
// traffic generator (loadgen/plan/traffic.ts) rather than re-implemented: the share of messages going
// to each operator (exact from the weights for {operator: id} destinations, sampled for number
// ranges), the segments per message (sampled texts, loadgen/plan/messages.ts segmentCount) and the share
// refused for an unapproved sender id (exact from the sender weights).
//
// API: trafficMix(scenario, streams) -> per stream: shares[op], segments[op], senderRefused[op].
import { PrefixTable } from '../../lib/prefix.js'
import { Rng } from '../../lib/rng.js'
import { segmentCount } from '../../loadgen/plan/messages.js'
import type { Scenario, StreamConfig } from '../../loadgen/scenario/scenario.js'
import { createTraffic } from '../../loadgen/plan/traffic.js'

/** Texts sampled per stream for the segment count. */
const TEXT_SAMPLES = 2000
/** Numbers sampled per range destination for the operator shares. */
const RANGE_SAMPLES = 20_000

export interface StreamMix {
  /** By operator index (the network's order), then one more for "no operator serves it". Adds up to 1. */
  shares: Float64Array
  /** Mean submits (segments) per message, by operator index. */
  segments: Float64Array
  /** Share of messages with a sender id the operator does not approve, by operator index. */
  senderRefused: Float64Array
  /** By operator index: the share of messages with k segments at index k - 1 (up to MAX_SEGMENTS; longer ones count there). */
  segmentShares: Float64Array[]
}

/** Segment counts told apart; longer messages are modelled as this many (rare: 16 parts is 2,448 GSM-7 characters). */
export const MAX_SEGMENTS = 16

export function trafficMix(scenario: Scenario, streams: readonly { stream: StreamConfig; total: number; firstSeq: number }[]): StreamMix[] {
  const ops = scenario.network.operators
  const index = new Map(ops.map((o, i) => [o.id, i]))
  const routes = new PrefixTable<number>()
  ops.forEach((o, i) => o.prefixes.forEach((p) => routes.add(p, i)))
  return streams.map(({ stream, total, firstSeq }) => {
    const t = stream.traffic
    const n = ops.length
    const shares = new Float64Array(n + 1)
    const weight = t.destinations.reduce((a, d) => a + d.weight, 0)
    const rng = Rng.derive(scenario.seed, `model/ranges/${stream.name}`)
    for (const d of t.destinations) {
      if (!(d.weight > 0) || !(weight > 0)) continue
      const w = d.weight / weight
      if (d.kind === 'operator') {
        shares[index.get(d.operator) ?? n] += w
        continue
      }
      const span = d.last - d.first + 1
      for (let k = 0; k < RANGE_SAMPLES; k++) {
        const number = String(d.first + Math.floor(rng.next() * span))
        shares[routes.lookup(number) ?? n] += w / RANGE_SAMPLES
      }
    }
    const senderWeight = t.senders.reduce((a, s) => a + s.weight, 0)
    const senderRefused = new Float64Array(n)
    ops.forEach((o, i) => {
      if (!o.senders || !(senderWeight > 0)) return
      for (const s of t.senders) if (!o.senders.approved.has(s.sender)) senderRefused[i] += s.weight / senderWeight
    })
    // Segments: texts of seqs spread over the stream (tags grow with the seq, so not just the first ones).
    const segSum = new Float64Array(n + 1)
    const segCount = new Float64Array(n + 1)
    const byK = Array.from({ length: n + 1 }, () => new Float64Array(MAX_SEGMENTS))
    if (total > 0) {
      const traffic = createTraffic(stream, scenario, Rng.derive(scenario.seed, `traffic/${stream.name}`))
      const samples = Math.min(total, TEXT_SAMPLES)
      for (let j = 0; j < samples; j++) {
        const seq = firstSeq + Math.floor((j * total) / samples)
        const msg = traffic.message(seq)
        const i = index.get(msg.operator) ?? n
        const k = segmentCount(msg)
        segSum[i] += k
        segCount[i]++
        byK[i]![Math.min(k, MAX_SEGMENTS) - 1]++
      }
    }
    const segments = new Float64Array(n)
    let all = 0
    let allCount = 0
    for (let i = 0; i <= n; i++) {
      all += segSum[i]!
      allCount += segCount[i]!
    }
    // An operator the sample missed (a tiny share) takes the stream's overall mean.
    for (let i = 0; i < n; i++) segments[i] = segCount[i]! > 0 ? segSum[i]! / segCount[i]! : allCount > 0 ? all / allCount : 1
    const segmentShares = byK.slice(0, n).map((c, i) => {
      const total = segCount[i]!
      if (total > 0) return c.map((x) => x / total)
      // An operator the sample missed: the stream's overall mix.
      const all = new Float64Array(MAX_SEGMENTS)
      byK.forEach((b) => b.forEach((x, k) => (all[k] += x)))
      const sum = all.reduce((a, x) => a + x, 0)
      if (sum > 0) return all.map((x) => x / sum)
      all[0] = 1
      return all
    })
    return { shares, segments, senderRefused, segmentShares }
  })
}
