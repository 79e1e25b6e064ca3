// The network both bench sides agree on: one operator with no submit latency and receipts due
// at once, so the figures measure mtsim's own cost per message, not simulated waiting. The
// simulator side listens on a free port; the load side's scenario points its smpp gateway at it.
export const BENCH_OPERATOR = 'bench-op'
export const BENCH_PREFIX = '4790'
export const BENCH_ACCOUNT = { system_id: 'bench', password: 'bench' }

/** A network file value (validated by simulator/network.ts parseNetwork like any file). */
export function benchNetwork(port = 0): unknown {
  return {
    name: 'bench',
    seed: 1,
    operators: [
      {
        id: BENCH_OPERATOR,
        mcc: '242',
        mnc: '01',
        prefixes: [BENCH_PREFIX],
        smpp: {
          port,
          accounts: [{ ...BENCH_ACCOUNT, max_binds: 64 }],
          // Far above the client's window: the bench measures throughput, not the window rule.
          window: { max_outstanding: 1_000_000 },
        },
        // The receipt window too: at 1000 (the default) a few ms of round trip capped the pair near
        // 115k msg/s (1000 unanswered receipts / ~8 ms), which measured the window, not mtsim.
        receipts: { delay: { distribution: 'fixed', value: '0ms' }, outcomes: [{ stat: 'DELIVRD', weight: 1 }], window: 1_000_000 },
      },
    ],
  }
}
