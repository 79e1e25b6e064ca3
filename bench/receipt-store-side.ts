// Bench child: memory of N pending receipts. `engine`: one operator's ReceiptEngine (the compact
// ReceiptStore plus its timing wheel, one scheduler entry in all), filled through the real accept() path
// with receipts due far in the future. `store`: the ReceiptStore alone, filled as accept() fills it.
// Reports RSS before and after, and the store's own figure.
import { MessageDraws } from '../simulator/draws.js'
import { parseNetwork } from '../simulator/network.js'
import { OperatorCounters } from '../simulator/operator-stats.js'
import { ReceiptStore } from '../simulator/receipts/receipt-store.js'
import { ReceiptEngine, type ReceiptSink } from '../simulator/receipts/receipts.js'
import { Scheduler } from '../simulator/scheduler.js'
import { BENCH_PREFIX, benchNetwork } from './pair/bench-network.js'
import type { ReceiptStoreDone } from './side-messages.js'

const [mode, totalArg] = process.argv.slice(2)
const total = Number(totalArg)
const value = benchNetwork() as { operators: { receipts: unknown }[] }
value.operators[0]!.receipts = { delay: { distribution: 'fixed', value: '1h' } } // everything stays pending
const cfg = parseNetwork(value, 'bench network').operators[0]!
const scheduler = new Scheduler(() => 0, false) // nothing runs: the receipts wait
const sink: ReceiptSink = { pickReceiver: () => undefined, hasReceiver: () => false }
const engine = new ReceiptEngine(cfg.receipts, new MessageDraws(1, cfg.id), scheduler, 0, new OperatorCounters(), sink, 1)
const senders = ['MTSIM', 'BANK', '4712345678', 'SHOP']

globalThis.gc?.()
const before = process.memoryUsage.rss()
const t0 = performance.now()
const store = mode === 'store' ? new ReceiptStore() : engine.store
for (let i = 1; i <= total; i++) {
  const destination = BENCH_PREFIX + String(100_000 + (i % 9_000_000)).padStart(7, '0')
  if (mode === 'engine') {
    engine.accept(i, destination, senders[i & 3]!, 0, 0, 1, 0, '', i >>> 0)
    continue
  }
  const j = store.alloc()
  store.init(j, 0, 3_600_000, i, 0, 0, 0, i >>> 0)
  store.setDestination(j, destination)
  store.setSource(j, senders[i & 3]!)
  store.setText(j, '')
}
const fillMs = performance.now() - t0
globalThis.gc?.()
const after = process.memoryUsage.rss()
const done: ReceiptStoreDone = {
  type: 'done',
  pending: store.size,
  scheduled: scheduler.size,
  inWheel: engine.wheel.size,
  before,
  after,
  fillMs,
  storeBytesPerEntry: store.bytesPerEntry,
  wheelBytes: engine.wheel.byteLength,
  storeCapacity: store.capacity,
}
process.send!(done)
