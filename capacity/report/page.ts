// The page shell both capacity reports use (mtsim model, mtsim capacity): the run report's CSS and
// inlined chart.js (reports/), a header with a badge, the data as JSON and a client script. One
// self-contained file that opens from disk with no network.
import { chartJsSource, scriptSafe } from '../../reports/html.js'
import { CSS } from '../../reports/html-template.js'
import { esc } from '../../reports/html-tables.js'

export { esc }

const EXTRA_CSS = `
.badge{display:inline-block;margin-left:10px;padding:2px 10px;border-radius:6px;background:#7c3aed;color:#fff;font-size:13px;font-weight:700;letter-spacing:.05em;vertical-align:middle}
.answers{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px rgba(0,0,0,.06);margin:8px 0}
.answers p{margin:4px 0}
.answers ul{margin:4px 0 4px 18px;padding:0}
`

export interface Page {
  title: string
  badge: string
  subtitle: string
  /** The verdict box: html. */
  verdict: string
  notes: string[]
  /** The body between the header and the footer: html. */
  body: string
  footer: string
  data: unknown
  clientJs: string
}

export function renderPageShell(p: Page): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)}</title>
<style>${CSS}${EXTRA_CSS}</style>
</head>
<body>
<main>
<header>
  <div>
    <h1>${esc(p.title)}<span class="badge">${esc(p.badge)}</span></h1>
    <div class="sub">${esc(p.subtitle)}</div>
  </div>
  ${p.verdict}
</header>
${p.notes.map((n) => `<div class="note">${esc(n)}</div>`).join('\n')}
${p.body}
<footer>${esc(p.footer)} Self-contained: this file makes no network requests.</footer>
</main>
<script type="application/json" id="report-data">${scriptSafe(JSON.stringify(p.data, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)))}</script>
<script>${scriptSafe(chartJsSource())}</script>
<script>${scriptSafe(p.clientJs)}</script>
</body>
</html>
`
}

/** A chart card: title, caption and a canvas the client script draws into. */
export function chartCard(id: string, title: string, caption: string, wide = false): string {
  return `<div class="card${wide ? ' wide' : ''}"><h3>${esc(title)}</h3><p>${esc(caption)}</p><div class="chart"><canvas id="${id}" role="img" aria-label="${esc(title)}"></canvas></div></div>`
}

/** A table: every cell is html already escaped by the caller; columns from `numericFrom` align right. */
export function table(head: string[], rows: string[][], numericFrom = 1, rowClass?: (i: number) => string): string {
  const th = head.map((h, i) => `<th${i >= numericFrom ? ' class="num"' : ''}>${esc(h)}</th>`).join('')
  const body = rows
    .map((r, ri) => `<tr${rowClass ? ` class="${rowClass(ri)}"` : ''}>${r.map((c, i) => `<td${i >= numericFrom ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`)
    .join('\n')
  return `<div class="tw"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`
}

/** The verdict box for thresholds. */
export function verdictBox(total: number, failed: number, what: string): string {
  if (!total) return '<div class="verdict none">No thresholds</div>'
  return failed ? `<div class="verdict fail">${esc(what)}: ${failed} of ${total} thresholds FAIL</div>` : `<div class="verdict pass">${esc(what)}: all ${total} thresholds hold</div>`
}
