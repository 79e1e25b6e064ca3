// Scenario rules the schema cannot express: unique stream names, template variables, operator
// references, weights that can pick something, ranges in order, threshold expressions. Every
// problem is reported (with its path) so the user fixes them all in one go.
import type { Report } from '../../config/load-config.js'
import { parseDuration } from '../../lib/duration.js'
import { MAX_RATE } from '../../lib/limits.js'
import { isGsm7 } from '../../smpp/text.js'
import type { NetworkConfig } from '../../simulator/network.js'
import { checkGateway } from './gateway-config.js'
import type { ScenarioFile, StreamFile, TrafficFile } from './scenario-schema.js'
import { peakRate, type ExecutorConfig } from './executor-config.js'
import { compileTemplate } from './template.js'
import { thresholdIssues } from '../../results/thresholds.js'
import { checkModelSection } from './model-section.js'

export function checkScenario(s: ScenarioFile, network: NetworkConfig | undefined, report: Report, baseDir?: string): void {
  const operators = network?.operators.map((o) => o.id)
  const names = new Map<string, number>()
  s.streams.forEach((st, i) => {
    const at = (...p: (string | number)[]) => ['streams', i, ...p]
    if (names.has(st.name)) report(at('name'), `a name not used by streams[${names.get(st.name)}]`, st.name)
    names.set(st.name, i)
    if (st.executor === 'daily-profile' && !st.hourly_weights.some((w) => w > 0)) {
      report(at('hourly_weights'), 'at least one weight above 0', 'all weights 0')
    }
    if (st.executor === 'constant-arrival-rate' || st.executor === 'ramping-arrival-rate') {
      if (st.timeUnit !== undefined && !(parseDuration(st.timeUnit) > 0)) report(at('timeUnit'), 'a period longer than 0', st.timeUnit)
    }
    const peak = peakRate(executorOf(st))
    if (peak > MAX_RATE) report(at('executor'), `a stream whose rate never exceeds ${MAX_RATE} messages per second`, `a peak of ${peak} per second`)
    checkTraffic(st.traffic, network, (p, e, f) => report(at('traffic', ...p), e, f))
  })
  const late = parseDuration(s.scheduling?.late_after ?? '10ms')
  const lag = parseDuration(s.scheduling?.max_lag ?? '2s')
  if (late > lag) report(['scheduling', 'late_after'], `at most max_lag (${s.scheduling?.max_lag ?? '2s'})`, s.scheduling?.late_after)
  if (s.thresholds) for (const i of thresholdIssues(s.thresholds, operators, s.streams.map((st) => st.name)).issues) report(i.path, i.expected, i.value)
  if (operators) checkGateway(s.gateway, operators, report, baseDir)
  checkModelSection(s.model, operators, report)
}


/** The executor part of a stream as scenario.ts normalises it (enough for peakRate). */
function executorOf(st: StreamFile): ExecutorConfig {
  const unit = (u: string | number | undefined) => parseDuration(u ?? '1s') || 1
  switch (st.executor) {
    case 'constant-arrival-rate':
      return { kind: st.executor, rate: st.rate, timeUnitMs: unit(st.timeUnit), durationMs: 0 }
    case 'ramping-arrival-rate':
      return { kind: st.executor, startRate: st.startRate ?? 0, timeUnitMs: unit(st.timeUnit), stages: st.stages.map((g) => ({ target: g.target, durationMs: 0 })) }
    case 'daily-profile':
      return { kind: st.executor, dailyVolume: st.daily_volume, hourlyWeights: st.hourly_weights, speedup: st.speedup ?? 1 }
  }
}

function checkTraffic(t: TrafficFile, network: NetworkConfig | undefined, report: Report): void {
  const length = t.msisdn_length ?? 11
  let weight = 0
  t.destinations.forEach((d, j) => {
    weight += d.weight ?? 1
    if ('operator' in d) {
      const op = network?.operators.find((o) => o.id === d.operator)
      if (network && !op) report(['destinations', j, 'operator'], `an operator of the network (${network.operators.map((o) => o.id).join(', ')})`, d.operator)
      const long = op?.prefixes.find((p) => p.length >= length)
      if (long !== undefined) report(['msisdn_length'], `more digits than ${d.operator}'s prefix ${long}`, length)
    } else {
      const [first, last] = d.range.split('-').map((x) => Number(x.replace(/^\+/, '')))
      if (first > last) report(['destinations', j, 'range'], 'a range whose first number is not above its last', d.range)
    }
  })
  if (!(weight > 0)) report(['destinations'], 'at least one weight above 0', 'all weights 0')
  if (t.senders && !t.senders.some((x) => typeof x === 'string' || (x.weight ?? 1) > 0)) report(['senders'], 'at least one weight above 0', 'all weights 0')
  if (t.templates && !t.templates.some((x) => typeof x === 'string' || (x.weight ?? 1) > 0)) report(['templates'], 'at least one weight above 0', 'all weights 0')
  t.templates?.forEach((x, j) => {
    const src = typeof x === 'string' ? x : x.text
    const path = typeof x === 'string' ? ['templates', j] : ['templates', j, 'text']
    const r = compileTemplate(src, 'message')
    if (r.errors) for (const e of r.errors) report(path, e, src)
    else if (t.encoding === 'gsm7' && !isGsm7(r.template.literal)) report(path, 'text in the GSM-7 alphabet (encoding: gsm7), or encoding ucs2/auto', src)
  })
  if (t.length && t.length.min > t.length.max) report(['length', 'max'], `at least min (${t.length.min})`, t.length.max)
}
