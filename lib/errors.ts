// One table of mtsim's own errors (fastify lib/errors.js style): a specific code, a message template
// and the process exit code the CLI uses when the error ends a command. Every error meant for the
// user is an MtsimError from this table; an InternalError (bug()) is a broken invariant of mtsim's
// own code, the one kind the CLI reports as "a bug, please report it".
// Exit codes follow k6 where k6 has one: 104 invalid config, 105 interrupted, 99 thresholds failed.

export const ExitCode = {
  ok: 0,
  /** `--fail-on-regression`: the run is worse than its baseline (results/compare-verdict.ts). */
  regression: 98,
  thresholdsFailed: 99,
  invalidConfig: 104,
  interrupted: 105,
  /** A port mtsim was asked to listen on is in use, or listening failed (not the file's fault). */
  listenFailed: 106,
  gatewayFailed: 107,
  /** A run split into shares is incomplete: a share failed, never started, started late or never reported. */
  incompleteRun: 108,
  internal: 1,
} as const

interface ErrorDef {
  message: (...args: string[]) => string
  exit: number
}

const table = {
  // Files the user wrote or gave: network, scenario and results files.
  MTSIM_ERR_CONFIG_INVALID: { message: (file) => `${file} is not valid`, exit: ExitCode.invalidConfig },
  MTSIM_ERR_CONFIG_READ: { message: (file, why) => `cannot read ${file}: ${why}`, exit: ExitCode.invalidConfig },
  MTSIM_ERR_RESULTS: { message: (file, why) => `${file}: ${why}`, exit: ExitCode.invalidConfig },
  MTSIM_ERR_TEXT_TOO_LONG: {
    message: (segments) => `a message text needs ${segments} segments; SMPP numbers at most 255 (shorten the template or its length)`,
    exit: ExitCode.invalidConfig,
  },
  MTSIM_ERR_TOO_MANY_CELLS: {
    message: (max) => `more than ${max} (stream, operator) pairs carry traffic in one run: use fewer streams or operators`,
    exit: ExitCode.invalidConfig,
  },
  MTSIM_ERR_TOO_MANY_SENDS: {
    message: (max) => `more than ${max} sends in one run: split it with --segment i/n (several processes) or --workers`,
    exit: ExitCode.invalidConfig,
  },

  // Command-line options.
  MTSIM_ERR_OPTION: { message: (flag, expected, found) => `${flag}: expected ${expected}, found ${found}`, exit: ExitCode.invalidConfig },
  MTSIM_ERR_WORKERS: { message: (workers, why) => `--workers ${workers}: ${why}`, exit: ExitCode.invalidConfig },
  // Options that do not go together, or one that needs another (or a kind of scenario) to mean something.
  MTSIM_ERR_OPTIONS_CONFLICT: { message: (what) => what, exit: ExitCode.invalidConfig },

  // Listening sockets.
  // A port the network file or an option asks for is taken: the configuration cannot run here.
  MTSIM_ERR_PORT_IN_USE: { message: (what, port) => `${what}: port ${port} is already in use (choose another, or 0 for any free port)`, exit: ExitCode.listenFailed },
  MTSIM_ERR_LISTEN: { message: (what, address, why) => `${what}: cannot listen on ${address} (${why})`, exit: ExitCode.listenFailed },

  // Reaching the gateway under test.
  MTSIM_ERR_GATEWAY_BIND: { message: (address, systemId, why) => `cannot bind to ${address} as ${systemId}: ${why}`, exit: ExitCode.gatewayFailed },
  MTSIM_ERR_GATEWAY_ACCOUNT: { message: (why) => why, exit: ExitCode.invalidConfig },
  MTSIM_ERR_WEBHOOK_LISTEN: { message: (address, why) => `receipt webhook cannot listen on ${address}: ${why}`, exit: ExitCode.gatewayFailed },
  MTSIM_ERR_DIRECT_NO_NETWORK: {
    message: () => 'gateway kind direct needs a running simulated network (network: in the scenario)',
    exit: ExitCode.invalidConfig,
  },

  // Managed Kannel.
  MTSIM_ERR_KANNEL_NOT_INSTALLED: {
    message: () =>
      'Kannel is not installed: bearerbox and smsbox were not found in /usr/sbin, /usr/local/sbin or on PATH. ' +
      'Install it with `apt-get install kannel` (Debian/Ubuntu).',
    exit: ExitCode.gatewayFailed,
  },
  MTSIM_ERR_KANNEL_CONFIG: { message: (why) => `cannot configure Kannel: ${why}`, exit: ExitCode.invalidConfig },
  MTSIM_ERR_KANNEL_START: { message: (why, dir) => `Kannel did not start: ${why} (config and logs in ${dir})`, exit: ExitCode.gatewayFailed },
  MTSIM_ERR_KANNEL_STATUS: { message: (url, why) => `Kannel's status page ${url} answered ${why}`, exit: ExitCode.gatewayFailed },

  // A simulated operator holding 2^32 - 1 receipts nobody collects (a receiver that never binds).
  MTSIM_ERR_RECEIPT_STORE_FULL: {
    message: () => 'a simulated operator holds 4,294,967,295 undelivered receipts (no receiver bind collects them): stop the network',
    exit: ExitCode.internal,
  },
  MTSIM_ERR_DURATION: { message: (value) => `not a duration: ${value} (expected e.g. "250ms", "30s", "1m30s" or a number of ms)`, exit: ExitCode.invalidConfig },

  // A flag's value outside the finite range mtsim accepts (lib/limits.ts).
  MTSIM_ERR_RANGE: { message: (flag, expected, found) => `${flag}: expected ${expected}, found ${found}`, exit: ExitCode.invalidConfig },
  // The control API would listen beyond this machine with no token to keep strangers out.
  MTSIM_ERR_TOKEN_REQUIRED: {
    message: (host) =>
      `the control API would listen on ${host} without a token, so anyone who reaches it could inject faults: ` +
      `give one (MTSIM_TOKEN, --token-file or --token), listen on 127.0.0.1, or pass --insecure-no-token to accept the risk`,
    exit: ExitCode.invalidConfig,
  },
  MTSIM_ERR_TOKEN_SOURCE: { message: (what) => `control API token: ${what}`, exit: ExitCode.invalidConfig },
  // --out names a folder another run already wrote to (or is writing to): its results would be replaced.
  MTSIM_ERR_OUT_DIR_USED: {
    message: (dir, why) => `--out ${dir} ${why}; choose another folder (or leave out --out for a fresh one)`,
    exit: ExitCode.invalidConfig,
  },

  // Merging --segment shares (mtsim report).
  MTSIM_ERR_MERGE: { message: (why) => `cannot merge these results: ${why}`, exit: ExitCode.invalidConfig },

  // Distributed runs (deploy/): shares, their shared start, the coordinator, Kubernetes manifests.
  MTSIM_ERR_SHARES_MISSING: { message: (what) => `incomplete run: ${what}`, exit: ExitCode.incompleteRun },
  MTSIM_ERR_START_MISSED: { message: (when, late) => `the shared start ${when} passed ${late} ago: this share would play its plan late, out of line with the others`, exit: ExitCode.incompleteRun },
  MTSIM_ERR_COORDINATOR: { message: (url, why) => `coordinator ${url}: ${why}`, exit: ExitCode.incompleteRun },
  MTSIM_ERR_REMOTE_NETWORK: { message: (what) => `--remote-network: ${what}`, exit: ExitCode.invalidConfig },
  MTSIM_ERR_K8S: { message: (what) => `mtsim k8s: ${what}`, exit: ExitCode.invalidConfig },
  MTSIM_ERR_SHARE_ACCOUNTS: { message: (shares, why) => `--shares ${shares}: ${why}`, exit: ExitCode.invalidConfig },

  // mtsim model / mtsim capacity: settings that cannot work together (capacity/).
  MTSIM_ERR_MODEL: { message: (what) => `mtsim model: ${what}`, exit: ExitCode.invalidConfig },
  MTSIM_ERR_CAPACITY: { message: (what) => `mtsim capacity: ${what}`, exit: ExitCode.invalidConfig },

  // The installation and mtsim's own threads.
  MTSIM_ERR_NOT_BUILT: { message: (path) => `worker threads need the compiled ${path}, which is missing: run "npm run build" first`, exit: ExitCode.internal },
  MTSIM_ERR_WORKER_FAILED: { message: (which, why) => `${which} failed: ${why}`, exit: ExitCode.internal },
  // A run whose numbers do not add up is a bug in mtsim, said loudly (its results are still written).
  MTSIM_ERR_BOOKS: {
    message: (path) => `mtsim bug: the books of this run do not balance (results written to ${path}; please report it)`,
    exit: ExitCode.internal,
  },
} satisfies Record<string, ErrorDef>

export type ErrorCode = keyof typeof table

/** An error meant for the user: printed as its message (never a stack trace), mapped to an exit code. */
export class MtsimError extends Error {
  readonly code: ErrorCode
  readonly exitCode: number
  /** Extra lines printed under the message, e.g. one per config problem. */
  readonly details: string[]

  constructor(code: ErrorCode, args: string[], details: string[] = []) {
    const def: ErrorDef = table[code]
    super(def.message(...args))
    this.name = 'MtsimError'
    this.code = code
    this.exitCode = def.exit
    this.details = details
  }

  format(): string {
    return [`${this.code}: ${this.message}`, ...this.details.map((d) => `  - ${d}`)].join('\n')
  }
}

/** A broken invariant of mtsim's own code: never the user's doing, so the CLI reports it as a bug. */
export class InternalError extends Error {
  override readonly name = 'InternalError'
}

/** Throws an InternalError: for states the code around it makes impossible. */
export function bug(what: string): never {
  throw new InternalError(what)
}
