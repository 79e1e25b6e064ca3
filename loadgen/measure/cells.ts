// The cells of a run's measurements: one per (stream, operator) pair that carried traffic. A cell
// is a dense index, fixed when a message's send is taken due, so recording on the hot path is an
// array index (run-metrics.ts); per-stream and per-operator figures are sums over cells.
import { MtsimError } from '../../lib/errors.js'

/** Cells are packed into the correlator's 16-bit id field (loadgen/correlation/id-index.ts). */
export const MAX_CELLS = 65_536

export class Cells {
  readonly operatorIds: string[] = []
  readonly streamNames: readonly string[]
  /** By cell: its operator index and stream index. */
  readonly cellOperator: number[] = []
  readonly cellStream: number[] = []
  private readonly opIndex = new Map<string, number>()
  /** byStream[stream][op] = cell index, or undefined before its first message. */
  private readonly byStream: (number | undefined)[][]

  constructor(operatorIds: readonly string[], streamNames: readonly string[]) {
    if (!streamNames.length) throw new Error('Cells: at least one stream')
    this.streamNames = [...streamNames]
    this.byStream = streamNames.map(() => [])
    for (const id of operatorIds) this.operatorIndex(id)
  }

  operatorIndex(id: string): number {
    let i = this.opIndex.get(id)
    if (i === undefined) {
      i = this.operatorIds.length
      this.opIndex.set(id, i)
      this.operatorIds.push(id)
    }
    return i
  }

  /** The cell of (stream, op), made on first use. */
  cell(stream: number, op: number): number {
    const row = this.byStream[stream]
    if (row === undefined) throw new Error(`Cells: no stream ${stream} (${this.streamNames.length} streams)`)
    const c = row[op]
    if (c !== undefined) return c
    const made = this.cellOperator.length
    if (made >= MAX_CELLS) throw new MtsimError('MTSIM_ERR_TOO_MANY_CELLS', [String(MAX_CELLS)])
    row[op] = made
    this.cellOperator.push(op)
    this.cellStream.push(stream)
    return made
  }

  /** The cell of (stream, op) if it carried anything, else -1. */
  existing(stream: number, op: number): number {
    return this.byStream[stream]?.[op] ?? -1
  }
}
