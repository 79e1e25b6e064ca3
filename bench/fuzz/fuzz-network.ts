// The network the fuzzer attacks: one operator with the default limits (smpp.limits,
// failed_binds), a single account so every fuzz receipt belongs to it, and receipts due within
// milliseconds so that after the fuzz every one of them is either acknowledged or waiting.
export const FUZZ_ACCOUNT = { systemId: 'fuzz', password: 'fuzzpw' }

export function fuzzNetwork(port = 0): unknown {
  return {
    name: 'fuzz',
    seed: 1,
    operators: [
      {
        id: 'fuzz-op',
        mcc: '242',
        mnc: '01',
        prefixes: ['4790'],
        smpp: { port, accounts: [{ system_id: FUZZ_ACCOUNT.systemId, password: FUZZ_ACCOUNT.password, max_binds: 8 }] },
        receipts: { delay: { distribution: 'uniform', min: '1ms', max: '20ms' } },
      },
    ],
  }
}
