// Number formatting for bench output: figures people compare across runs and machines.
import os from 'node:os'

export const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MB`
export const int = (n: number): string => Math.round(n).toLocaleString('en-US')
export const perMsgUs = (cpuUs: number, messages: number): string => (messages > 0 ? `${(cpuUs / messages).toFixed(2)} µs` : 'n/a')

/** Where the figures came from. */
export function header(): string {
  const cpus = os.cpus()
  return [
    `mtsim bench: node ${process.version}, ${os.platform()} ${os.arch()}`,
    `cpu: ${cpus[0]?.model.trim() ?? 'unknown'}, ${os.availableParallelism()} cores, ${mb(os.totalmem())} RAM`,
  ].join('\n')
}
