// A small inline network and scenario builder for plan/traffic/schema tests.
import { parseScenario, type Scenario } from '../../../loadgen/scenario/scenario.js'

export const NETWORK = {
  operators: [
    { id: 'telco-a', mcc: '242', mnc: '01', prefixes: ['4790', '4791'], smpp: { port: 0, accounts: [{ system_id: 'a', password: 'a' }] } },
    { id: 'telco-b', mcc: '242', mnc: '02', prefixes: ['+4792'], smpp: { port: 0, accounts: [{ system_id: 'b', password: 'b' }] } },
  ],
}

export const TRAFFIC = { destinations: [{ operator: 'telco-a' }] }

/** A valid scenario value with the given streams (and any top-level overrides). */
export function scenarioValue(streams: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 't', seed: 3, network: NETWORK, gateway: { kind: 'direct' }, streams, ...extra }
}

export function scenario(streams: unknown[], extra: Record<string, unknown> = {}): Scenario {
  return parseScenario(scenarioValue(streams, extra), 'test.yaml', process.cwd())
}

export function constant(rate: number, duration: string, more: Record<string, unknown> = {}) {
  return { name: `c${rate}`, executor: 'constant-arrival-rate', rate, duration, traffic: TRAFFIC, ...more }
}

/** All planned times of a stream plan, with their seqs (test sizes only). */
export function drain(s: { next(): number | undefined; lastSeq: number }): { t: number[]; seq: number[] } {
  const t: number[] = []
  const seq: number[] = []
  for (let x = s.next(); x !== undefined; x = s.next()) {
    t.push(x)
    seq.push(s.lastSeq)
  }
  return { t, seq }
}
