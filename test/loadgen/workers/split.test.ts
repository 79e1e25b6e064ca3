// The arithmetic of a worker cut: composed segments partition the outer share exactly, arrivals
// route to the worker whose plan holds the seq, binds spread at least 1 each within max_binds,
// and the direct gateway's per-worker account copies.
import { describe, it, expect } from 'vitest'
import { buildPlan } from '../../../loadgen/plan/plan.js'
import { ShareRouter, spreadCount, workerGateway, workerNetwork, workerOperator, workerSegment } from '../../../loadgen/workers/split.js'
import { MtsimError } from '../../../lib/errors.js'
import { constant, drain, scenario } from '../plan/helpers.js'

const sc = scenario([constant(37, '3s'), constant(11, '2s', { arrivals: 'poisson' })])

function seqsOf(segment?: { index: number; count: number }): number[] {
  return buildPlan(sc, { segment }).streams.flatMap((s) => drain(s).seq)
}

describe('worker segments', () => {
  for (const outer of [undefined, { index: 2, count: 3 }]) {
    it(`the workers' shares add up to exactly ${outer ? 'share 2/3' : 'the whole plan'}, never overlapping, and the router names each seq's worker`, () => {
      const whole = seqsOf(outer).sort((a, b) => a - b)
      const router = new ShareRouter(buildPlan(sc).streams, 3, outer)
      const union: number[] = []
      for (let w = 0; w < 3; w++) {
        const mine = seqsOf(workerSegment(outer, w, 3))
        for (const seq of mine) expect(router.owner(seq)).toBe(w)
        union.push(...mine)
      }
      expect(union.sort((a, b) => a - b)).toEqual(whole)
      expect(whole.length).toBe(outer ? 37 + 7 : 111 + 22)
    })
  }

  it('routes nothing for seqs outside the outer share or the plan', () => {
    const router = new ShareRouter(buildPlan(sc).streams, 2, { index: 1, count: 2 })
    expect(router.owner(1)).toBeUndefined() // k = 1: share 2 of 2
    expect(router.owner(10_000)).toBeUndefined()
    expect(router.owner(0)).toBe(0)
    expect(router.owner(2)).toBe(1)
  })
})

describe('bind split', () => {
  it('spreads a count over the workers, at least 1 each', () => {
    expect([0, 1, 2].map((w) => spreadCount(7, 3, w))).toEqual([3, 2, 2])
    expect([0, 1, 2].map((w) => spreadCount(1, 3, w))).toEqual([1, 1, 1])
  })

  it('refuses more binds than an account allows, naming operator, account and limit', () => {
    const limited = scenario([constant(1, '1s')], {
      network: { operators: [{ id: 'telco-a', mcc: '242', mnc: '01', prefixes: ['4790'], smpp: { port: 0, accounts: [{ system_id: 'a', password: 'a', max_binds: 2 }] } }] },
    })
    expect(() => workerGateway(limited.gateway, limited.network, 2, 0)).not.toThrow()
    let err: unknown
    try {
      workerGateway(limited.gateway, limited.network, 3, 0)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(MtsimError)
    expect((err as MtsimError).details).toEqual([
      'operator telco-a: 3 workers need 3 binds (gateway.binds 1, at least 1 per worker), but account a allows max_binds 2',
    ])
  })

  it('refuses an external SMPP gateway with several workers (its receipts come on any bind of the account)', () => {
    const smpp = scenario([constant(1, '1s')], { gateway: { kind: 'smpp', port: 2775, system_id: 'x', password: 'y', binds: 4 } })
    expect(workerGateway(smpp.gateway, smpp.network, 1, 0)).toBe(smpp.gateway)
    expect(() => workerGateway(smpp.gateway, smpp.network, 2, 0)).toThrow(/gateway kind smpp sends receipts on any bind/)
  })

  it('gives each worker its own copy of the direct account, so receipts come back to the sender', () => {
    const net = workerNetwork(sc.network, sc.gateway, 2)
    expect(net.operators.map((o) => o.accounts.map((a) => a.systemId))).toEqual([['a~1', 'a~2'], ['b~1', 'b~2']])
    expect(workerOperator(sc.network.operators[1]!, sc.gateway, 1).accounts.map((a) => a.systemId)).toEqual(['b~2'])
    expect(workerNetwork(sc.network, sc.gateway, 1)).toBe(sc.network)
  })
})
