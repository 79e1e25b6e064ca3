// Which binds each account of an operator has: limits for new binds, and the receiver-capable
// binds receipts are sent to, round-robin, skipping any whose socket is backed up.
import type { BindConnection } from './bind.js'
import type { Account } from './network.js'

/** Past this many queued bytes a receiver bind gets no more receipts until it drains. */
const RECEIVER_QUEUE_LIMIT = 256 * 1024

export class AccountBinds {
  private readonly index = new Map<string, number>()
  private readonly count: number[]
  private readonly receivers: BindConnection[][]
  private readonly roundRobin: number[]

  /** @param receiptWindow most unacknowledged receipts per bind (network receipts.window). */
  constructor(
    readonly accounts: readonly Account[],
    private readonly receiptWindow: number,
  ) {
    accounts.forEach((a, i) => this.index.set(a.systemId, i))
    this.count = new Array<number>(accounts.length).fill(0)
    this.receivers = Array.from({ length: accounts.length }, () => [])
    this.roundRobin = new Array<number>(accounts.length).fill(0)
  }

  find(systemId: string): number | undefined {
    return this.index.get(systemId)
  }

  full(account: number): boolean {
    return this.count[account]! >= this.accounts[account]!.maxBinds
  }

  add(conn: BindConnection): void {
    this.count[conn.account]!++
    if (conn.canReceive) this.receivers[conn.account]!.push(conn)
  }

  remove(conn: BindConnection): void {
    this.count[conn.account]!--
    if (conn.canReceive) {
      const list = this.receivers[conn.account]!
      const i = list.indexOf(conn)
      if (i >= 0) list.splice(i, 1)
    }
  }

  /** The next receiver-capable bind of the account that can take more now (bytes and receipt window). */
  pickReceiver(account: number): BindConnection | undefined {
    const list = this.receivers[account]!
    const n = list.length
    for (let k = 0; k < n; k++) {
      const idx = (this.roundRobin[account]! + k) % n
      const conn = list[idx]!
      const s = conn.session
      if (s.writable && s.queuedBytes < RECEIVER_QUEUE_LIMIT && conn.unacked.size < this.receiptWindow) {
        this.roundRobin[account] = idx + 1
        return conn
      }
    }
    return undefined
  }

  hasReceiver(account: number): boolean {
    return this.receivers[account]!.some((c) => c.session.writable)
  }
}
