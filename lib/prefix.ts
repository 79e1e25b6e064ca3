// Number prefixes -> owner, longest prefix wins. Used to route a destination to its operator
// (simulator checks, load generator traffic mix, Kannel allowed-prefix).

export function normalizeMsisdn(number: string): string {
  return number.startsWith('+') ? number.slice(1) : number.startsWith('00') ? number.slice(2) : number
}

export class PrefixTable<T> {
  private readonly byPrefix = new Map<string, T>()
  private minLen = Infinity
  private maxLen = 0

  add(prefix: string, owner: T): void {
    const p = normalizeMsisdn(prefix)
    this.byPrefix.set(p, owner)
    this.minLen = Math.min(this.minLen, p.length)
    this.maxLen = Math.max(this.maxLen, p.length)
  }

  /** The owner of the longest matching prefix, or undefined. */
  lookup(number: string): T | undefined {
    const n = normalizeMsisdn(number)
    for (let len = Math.min(this.maxLen, n.length); len >= this.minLen; len--) {
      const owner = this.byPrefix.get(n.slice(0, len))
      if (owner !== undefined) return owner
    }
    return undefined
  }
}
