// Acceptance review of issue 2: "throttling: messages/s per bind or per operator with a burst,
// answered with a chosen status (ESME_RTHROTTLED by default), optionally counting each multipart
// segment against the cap" - counted exactly, over real binds.
import { describe, expect, it } from 'vitest'
import { Status, statusName } from '../../smpp/constants.js'
import { segmentText } from '../../smpp/text.js'
import { Esme, startOne, perTest } from './helper.js'

const t = perTest()
const bound = t.bound

/** Submits one after another (so the bucket sees them in a known order); returns the statuses. */
async function inTurn(c: Esme, n: number, fields: Parameters<Esme['submit']>[0] = {}): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push((await c.submit(fields))?.status ?? -1)
  return out
}

// A rate this low refills nothing during a test: only the burst counts.
const SLOW = 0.001

describe('throttle', () => {
  it('per bind: each bind has its own burst', async () => {
    t.net = await startOne({ throttle: { rate: SLOW, burst: 3, per: 'bind' } })
    const [a, b] = [await bound(), await bound()]
    const statuses = [...(await inTurn(a, 5)), ...(await inTurn(b, 5))]
    expect(statuses.filter((s) => s === Status.ESME_ROK).length).toBe(6)
    expect(t.net.operators[0]!.stats().statuses).toEqual({ ESME_ROK: 6, ESME_RTHROTTLED: 4 })
  })

  it('per operator: all binds share one burst, answered with the chosen status', async () => {
    t.net = await startOne({ throttle: { rate: SLOW, burst: 3, per: 'operator', status: 'ESME_RMSGQFUL' } })
    const [a, b] = [await bound(), await bound()]
    await inTurn(a, 2)
    await inTurn(b, 5)
    expect(t.net.operators[0]!.stats().statuses).toEqual({ ESME_ROK: 3, ESME_RMSGQFUL: 4 })
  })

  it('counts a multipart message once by default, each segment with count_segments', async () => {
    const send = async (countSegments: boolean) => {
      t.net = await startOne({ throttle: { rate: SLOW, burst: 4, count_segments: countSegments } })
      const c = await bound()
      const got: string[] = []
      for (let m = 0; m < 3; m++) {
        for (const seg of segmentText(`#${m} ` + 'w'.repeat(400), { method: 'udh', ref: m + 1 })) {
          got.push(statusName((await c.submit({ ...seg, destinationAddr: `479000000${m}` }))!.status))
        }
      }
      got.push(...(await inTurn(c, 2)).map(statusName))
      c.close()
      await t.net.close()
      t.net = undefined
      return got
    }
    const OK = 'ESME_ROK'
    const TH = 'ESME_RTHROTTLED'
    // Once per message: three messages take three tokens, the fourth token goes to a single.
    expect(await send(false)).toEqual([OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, TH])
    // Per segment: the four tokens go to message 0's three segments and message 1's first.
    expect(await send(true)).toEqual([OK, OK, OK, OK, TH, TH, TH, TH, TH, TH, TH])
  })
})
