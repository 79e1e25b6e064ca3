// `mtsim coordinate --shares N`: the coordinator of a split run (deploy/coordinator/): barrier,
// results collection, one merged verdict. mtsim k8s runs it as the run's coordinator Job.
import type { Command } from 'commander'
import { resolve } from 'node:path'
import { action } from '../handle-errors.js'
import { MtsimError } from '../../lib/errors.js'
import { runCoordinate } from '../../deploy/coordinator/coordinate.js'
import { durationOption, portOption } from '../options.js'

interface CoordinateFlags {
  shares: string
  host: string
  port: string
  out: string
  lead: string
  checkinTimeout: string
  resultsTimeout: string
  silence: string
}

export function registerCoordinate(program: Command): void {
  program
    .command('coordinate')
    .description('coordinate a run split into shares: start them together (barrier), collect their results, judge the whole run once')
    .requiredOption('--shares <n>', 'the number of shares (mtsim run --segment i/n --coordinator URL)')
    .option('--host <addr>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port (0 picks a free one)', '8080')
    .option('--out <dir>', 'shares\' results go to <dir>/share-<i>/, the merged report to <dir>/merged/', 'out/coordinated')
    .option('--lead <d>', 'the start is this long after the last share checked in', '3s')
    .option('--checkin-timeout <d>', 'every share must check in within this long of the coordinator\'s start', '10m')
    .option('--results-timeout <d>', 'every share must send its results within this long of the shared start', '1h')
    .option('--silence <d>', 'a running share not heard from for this long has died: the run fails then (shares say "alive" every 5 s)', '60s')
    .addHelpText(
      'after',
      `
Exit codes: those of mtsim report over the merged shares (0 pass, 99 a threshold failed, 105 a
share was interrupted), or 108 when a share failed, never checked in, went silent (its process or
host died) or never sent its results (each is named; nothing is merged from part of a run).

Examples:
  mtsim coordinate --shares 3 --host 0.0.0.0 --port 8080 --out /results
  mtsim run s.yaml --segment 2/3 --coordinator http://10.0.0.5:8080 --remote-network     (on each load host)
`,
    )
    .action(
      action((flags: CoordinateFlags) => {
        const shares = Number(flags.shares)
        if (!/^\d+$/.test(flags.shares) || shares < 1) throw new MtsimError('MTSIM_ERR_OPTION', ['--shares', 'a whole number of 1 or more', JSON.stringify(flags.shares)])
        return runCoordinate({
          shares,
          host: flags.host,
          port: portOption('--port', flags.port, 8080),
          out: resolve(flags.out),
          leadMs: durationOption('--lead', flags.lead)!,
          checkinTimeoutMs: durationOption('--checkin-timeout', flags.checkinTimeout)!,
          resultsTimeoutMs: durationOption('--results-timeout', flags.resultsTimeout)!,
          silenceMs: durationOption('--silence', flags.silence)!,
        })
      }),
    )
}
