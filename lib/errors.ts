// One table of mtsim's own errors (fastify lib/errors.js style): a code, a message template,
// and the process exit code the CLI uses when the error ends a command.
// Exit codes follow k6 where k6 has one: 104 invalid config, 105 interrupted, 99 thresholds failed.

export const ExitCode = {
  ok: 0,
  thresholdsFailed: 99,
  invalidConfig: 104,
  interrupted: 105,
  gatewayFailed: 107,
  internal: 1,
} as const

interface ErrorDef {
  message: (...args: string[]) => string
  exit: number
}

const table = {
  MTSIM_ERR_CONFIG_INVALID: { message: (file) => `${file} is not valid`, exit: ExitCode.invalidConfig },
  MTSIM_ERR_CONFIG_READ: { message: (file, why) => `cannot read ${file}: ${why}`, exit: ExitCode.invalidConfig },
  // A port the network file or an option asks for is taken: the configuration cannot run here.
  MTSIM_ERR_PORT_IN_USE: { message: (what, port) => `${what}: port ${port} is already in use (choose another, or 0 for any free port)`, exit: ExitCode.invalidConfig },
  MTSIM_ERR_GATEWAY: { message: (what) => what, exit: ExitCode.gatewayFailed },
  MTSIM_ERR_RESULTS: { message: (file, why) => `${file}: ${why}`, exit: ExitCode.invalidConfig },
  MTSIM_ERR_USAGE: { message: (what) => what, exit: ExitCode.invalidConfig },
  // mtsim model / mtsim capacity: settings that cannot work together (capacity/).
  MTSIM_ERR_MODEL: { message: (what) => `mtsim model: ${what}`, exit: ExitCode.invalidConfig },
  MTSIM_ERR_CAPACITY: { message: (what) => `mtsim capacity: ${what}`, exit: ExitCode.invalidConfig },
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
