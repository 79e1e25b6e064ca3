// Issue 3: receipts that match nothing of this run, and receipts sent twice, are counted, never a
// crash, through the real simulator. Operator `dupes` sends a tenth of its receipts twice. At
// operator `shared` another client binds to the run's account while the run goes on and submits
// messages of its own: the operator delivers their receipts to the run's transceiver bind (the
// account's only receiver), where they match no message of ours.
import { describe, it, expect } from 'vitest'
import { runScenario } from '../../run/run-scenario.js'
import { Esme } from '../simulator/helper.js'
import { operator, outDir, scenario, stream } from './helpers.js'

const STRANGERS = 25

describe('stray receipts through the simulator', () => {
  it('counts receipts for unknown ids and duplicate receipts exactly', async () => {
    const sc = scenario({
      network: {
        seed: 5,
        operators: [
          operator('dupes', '4740', {
            receipts: { delay: { distribution: 'uniform', min: '10ms', max: '60ms' }, duplicate_rate: 0.1 },
          }),
          operator('shared', '4790', { smpp: { port: 0, accounts: [{ system_id: 'shared', password: 'pw' }] } }),
        ],
      },
      gateway: { kind: 'direct' },
      streams: [stream(500, 2, ['dupes', 'shared'])],
      receipts: { wait: '1s' },
    })

    let stranger: Promise<number> | undefined
    const log = (line: string) => {
      const port = /^operator shared: smpp:\/\/127\.0\.0\.1:(\d+)$/.exec(line)?.[1]
      if (port) stranger = submitAsStranger(Number(port))
    }
    const run = await runScenario(sc, { outDir: outDir('stray'), log })
    expect(await stranger).toBe(STRANGERS)

    const t = run.results.totals
    const [dupes, shared] = run.simulator
    expect(t.sent).toBe(500)
    expect(dupes!.messages + shared!.messages).toBe(500 + STRANGERS)
    expect(shared!.messages).toBe(run.results.operators.shared!.totals.sent + STRANGERS)
    expect(t.unknown_receipts).toBe(STRANGERS)
    expect(t.duplicate_receipts).toBe(dupes!.receipts.duplicated)
    expect(dupes!.receipts.duplicated).toBeGreaterThan(0)
    expect(shared!.receipts.duplicated).toBe(0)
    // Every receipt the operators sent is one of: a final of ours, a duplicate, or a stranger's.
    const sent = dupes!.receipts.sent.DELIVRD! + shared!.receipts.sent.DELIVRD!
    expect(t.delivered + t.duplicate_receipts + t.unknown_receipts).toBe(sent)
    expect([t.delivered, t.missing]).toEqual([500, 0])
    expect(run.exitCode).toBe(0)
  })
})

/** Binds as a transmitter on the run's account and submits STRANGERS messages; resolves with the accepted count. */
async function submitAsStranger(port: number): Promise<number> {
  const esme = await Esme.bound(port, 'transmitter', 'shared', 'pw')
  let accepted = 0
  for (let i = 0; i < STRANGERS; i++) {
    const resp = await esme.submit({ destinationAddr: `47900000${String(i).padStart(2, '0')}`, registeredDelivery: 1 })
    if (resp?.status === 0) accepted++
  }
  esme.close()
  return accepted
}
