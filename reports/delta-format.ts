// How baseline figures and their changes read, the same in the console, Markdown and HTML.
import type { Delta } from '../results/compare.js'
import { fmtMs, fmtPct, fmtRate } from './report-figures.js'

export function formatDeltaValue(d: Delta, v: number | null): string {
  if (v === null) return '-'
  switch (d.unit) {
    case 'us':
      return fmtMs(v)
    case 'ratio':
      return fmtPct(v)
    case 'perS':
      return fmtRate(v)
  }
}

export function formatChange(d: Delta): string {
  if (d.change === null) {
    if (d.baseline === 0 && d.current !== null && d.current > 0) return 'new (baseline 0)'
    return '-'
  }
  const pct = d.change * 100
  return (pct > 0 ? '+' : '') + pct.toFixed(1) + '%'
}
