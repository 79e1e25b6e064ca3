// Gateway message id -> the message it names, for open messages AND recently closed ones, so a
// receipt for a closed message is told apart (duplicate) from one for no message of ours (unknown).
//
// Two generations of Maps, the older dropped whole when the newer fills, after its still-open
// entries move over: one Map.set per id and no per-entry delete. A delete per message from the live
// map plus a set into a separate recently-closed map cost ~7% of the load generator's CPU at 100k
// msg/s (V8 rebuilds a Map's table after enough deletes; bench full-cycle profile).
//
// Each value packs the message's k (its number in send order), the segment and the measurement
// cell (stream x operator, loadgen/measure/cells.ts), so a duplicate is charged to its stream and
// operator even after the message left the store.

const CELL_BITS = 65536 // 16 bits of cell index (cells.ts MAX_CELLS)
const SEG_BITS = 64 // 6 bits of segment: 0..31 tracked one by one, 32 = "a later segment"
/** Segments from here on share one code (duplicates are told apart for the first 32 only). */
export const UNTRACKED_SEGMENT = 32
/** Largest k the packing keeps exact (2^31 messages in one run). */
export const MAX_K = 2 ** 31 - 1

export const packId = (k: number, seg: number, cell: number): number => (k * SEG_BITS + Math.min(seg, UNTRACKED_SEGMENT)) * CELL_BITS + cell
export const kOf = (v: number): number => Math.floor(v / (SEG_BITS * CELL_BITS))
export const segOf = (v: number): number => Math.floor(v / CELL_BITS) % SEG_BITS
export const cellOf = (v: number): number => v % CELL_BITS

export class IdIndex {
  private current = new Map<string, number>()
  private previous = new Map<string, number>()
  private generation: number

  /**
   * @param minGeneration ids per generation at least: closed messages are remembered for at least
   *   this many later ids.
   * @param isOpen whether the message a value names is still open (its id must survive a rotation).
   */
  constructor(
    private readonly minGeneration: number,
    private readonly isOpen: (v: number) => boolean,
  ) {
    this.generation = minGeneration
  }

  set(id: string, v: number): void {
    if (this.current.size >= this.generation) this.rotate()
    this.current.set(id, v)
  }

  get(id: string): number | undefined {
    const v = this.current.get(id)
    return v !== undefined ? v : this.previous.get(id)
  }

  /** Ids held (open and remembered). Bounded by 2 x max(minGeneration, 2 x open). */
  get size(): number {
    return this.current.size + this.previous.size
  }

  private rotate(): void {
    const dropped = this.previous
    this.previous = this.current
    this.current = new Map()
    // Messages open long enough to outlive a generation (slow receipts) keep their ids; the next
    // generation is sized so this copy stays a small share of the sets (amortised O(1) per id).
    for (const [id, v] of dropped) if (this.isOpen(v) && !this.previous.has(id)) this.current.set(id, v)
    this.generation = Math.max(this.minGeneration, 2 * this.current.size)
  }
}
