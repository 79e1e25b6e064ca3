// Progress output: rewritten in place on a terminal, a plain line every 5 s elsewhere, nothing when off.
import { describe, expect, it } from 'vitest'
import { Progress, type ProgressSnapshot } from '../../../loadgen/engine/progress.js'

const snap = (elapsedMs: number): ProgressSnapshot => ({
  elapsedMs, durationMs: 10_000, plannedRate: 100, sentRate: 98, sent: 980, plannedTotal: 1000, inFlight: 3,
  accepted: 970, receipts: 900, awaiting: 70, errors: 10, draining: false,
})

function sink(isTTY: boolean) {
  const out: string[] = []
  return { out, stream: { isTTY, write: (s: string) => out.push(s) } }
}

describe('progress', () => {
  it('rewrites one line in place on a terminal', () => {
    const { out, stream } = sink(true)
    const p = new Progress(true, stream)
    p.update(snap(1000))
    p.update(snap(2000))
    p.end(snap(3000), 'done')
    expect(out).toHaveLength(3)
    expect(out[0].startsWith('\r\x1b[K')).toBe(true)
    expect(out[0]).toContain('98/100 msg/s')
    expect(out[0]).toContain('in flight 3')
    expect(out[0]).toContain('ETA 9s')
    expect(out[2].endsWith('done\n')).toBe(true)
  })

  it('prints a plain line every 5 s when not on a terminal (CI logs)', () => {
    const { out, stream } = sink(false)
    const p = new Progress(true, stream)
    for (let t = 1000; t <= 11_000; t += 1000) p.update(snap(t))
    expect(out).toHaveLength(3) // at 1 s, 6 s and 11 s
    expect(out.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true)
  })

  it('prints nothing when disabled', () => {
    const { out, stream } = sink(true)
    const p = new Progress(false, stream)
    p.update(snap(1000))
    p.end(snap(2000))
    expect(out).toEqual([])
  })
})
