// One timer for many delayed events: a binary min-heap on due time, drained by a single re-armed
// setTimeout. Timers scale with time, not with messages (STYLE 6).

interface Entry {
  due: number
  order: number
  run: () => void
}

export class TimerHeap {
  private readonly heap: Entry[] = []
  private timer: NodeJS.Timeout | undefined
  private armedFor = Infinity
  private order = 0

  constructor(private readonly now: () => number = () => performance.now()) {}

  get size(): number {
    return this.heap.length
  }

  /** Runs fn at performance.now() >= due (events due at the same time run in insertion order). */
  at(due: number, run: () => void): void {
    const h = this.heap
    h.push({ due, order: this.order++, run })
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!less(h[i], h[p])) break
      ;[h[i], h[p]] = [h[p], h[i]]
      i = p
    }
    if (due < this.armedFor) this.arm()
  }

  /** Forgets every event (nothing more runs). */
  clear(): void {
    this.heap.length = 0
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.armedFor = Infinity
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.armedFor = Infinity
    if (!this.heap.length) return
    const due = this.heap[0].due
    this.armedFor = due
    this.timer = setTimeout(() => this.fire(), Math.max(0, due - this.now()))
  }

  private fire(): void {
    this.timer = undefined
    this.armedFor = Infinity
    const now = this.now()
    while (this.heap.length && this.heap[0].due <= now) this.pop().run()
    this.arm()
  }

  private pop(): Entry {
    const h = this.heap
    const top = h[0]
    const last = h.pop()!
    if (h.length) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && less(h[l], h[m])) m = l
        if (r < h.length && less(h[r], h[m])) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m], h[i]]
        i = m
      }
    }
    return top
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.due < b.due || (a.due === b.due && a.order < b.order)
}
