// Pending receipts' memory: 10 million receipts waiting in one simulated operator (a slow or
// absent receiver), measured in a fresh process so the RSS difference is theirs alone: once for
// the ReceiptStore alone, once through ReceiptEngine.accept (store + timing wheel + the wheel's one scheduler entry).
// The limit applies to the whole cost (the engine figure).
import { Side } from './child.js'
import { int, mb } from './format.js'
import type { ReceiptStoreDone } from './side-messages.js'

export async function receiptStoreBench(count: number, limitBytes: number, log: (line: string) => void): Promise<string[]> {
  const problems: string[] = []
  for (const mode of ['store', 'engine'] as const) problems.push(...(await measure(mode, count, limitBytes, log)))
  return problems
}

async function measure(mode: 'store' | 'engine', count: number, limitBytes: number, log: (line: string) => void): Promise<string[]> {
  const side = new Side<ReceiptStoreDone>('receipt-store-side.js', [mode, String(count)], ['--expose-gc'])
  try {
    const d = await side.next('done')
    const grew = d.after - d.before
    log(
      `receipt ${mode === 'store' ? 'store alone' : 'engine (store + wheel + scheduler)'}: ${int(d.pending)} pending receipts (${int(d.inWheel)} in the wheel, ${int(d.scheduled)} scheduler entries) filled in ${(d.fillMs / 1000).toFixed(1)} s; ` +
        `RSS ${mb(d.before)} -> ${mb(d.after)} (+${mb(grew)}, ${(grew / count).toFixed(1)} bytes/receipt; ` +
        `store arrays ${d.storeBytesPerEntry.toFixed(0)} bytes/slot x ${int(d.storeCapacity)} slots)`,
    )
    const problems: string[] = []
    if (d.pending !== count) problems.push(`receipt store holds ${d.pending} of ${count}`)
    if (mode === 'engine' && grew >= limitBytes) problems.push(`${int(count)} pending receipts took ${mb(grew)}, limit ${mb(limitBytes)}`)
    return problems
  } finally {
    await side.stop()
  }
}
