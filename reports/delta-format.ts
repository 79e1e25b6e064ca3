// How baseline figures and their changes read, the same in the console, Markdown and HTML.
import type { Comparison, Delta } from '../results/compare.js'
import { fmtInt, fmtMs, fmtPct, fmtRate } from './report-figures.js'

export function formatDeltaValue(d: Delta, v: number | null): string {
  if (v === null) return '-'
  switch (d.unit) {
    case 'us':
      return fmtMs(v)
    case 'ratio':
      return fmtPct(v)
    case 'perS':
      return fmtRate(v)
    case 'count':
      return fmtInt(v)
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

/** "REGRESSION: 2 figures worse than the baseline" and the like, the same in every view. */
export function formatVerdict(c: Comparison): string {
  const noted = c.deltas.filter((d) => d.population).length
  switch (c.verdict) {
    case 'regression':
      return `REGRESSION: ${c.worse} figure(s) worse than the baseline beyond ${fmtPct(c.tolerance, 0)}`
    case 'inconclusive':
      return `INCONCLUSIVE: nothing worse beyond ${fmtPct(c.tolerance, 0)}, but ${noted} latency figure(s) describe different messages than the baseline's`
    case 'no regression':
      return `NO REGRESSION: nothing worse than the baseline beyond ${fmtPct(c.tolerance, 0)}`
  }
}

/** The WORSE / "not comparable" mark of a delta row. */
export function deltaMark(d: Delta): string {
  return d.worse ? 'WORSE' : d.population ? 'NOT COMPARABLE' : ''
}
