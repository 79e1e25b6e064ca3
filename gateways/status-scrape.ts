// A gateway's own status for `http` and `smpp` targets: the URL the user gave (scenario
// gateway.status) scraped once per interval like managed Kannel's status page (run/gateway-watch.ts).
// Prometheus text exposition (a metric name sums its series; name{labels} picks one) or JSON with a
// dotted path. What cannot be read counts as a failed poll, never a crash.
import { jsonPath } from '../loadgen/transports/json-path.js'
import type { GatewaySample } from '../results/results-format.js'

export interface StatusScrape {
  url: string
  format: 'prometheus' | 'json'
  /** The metric (or JSON path) of what the gateway still holds for sending. */
  queued?: string
  /** Further figures to keep: name -> metric or JSON path. */
  metrics: Record<string, string>
}

/** The value of `selector` in Prometheus text: `name` sums every series of it, `name{a="b"}` is one series. */
export function prometheusValue(text: string, selector: string): number | undefined {
  const exact = selector.includes('{')
  let sum: number | undefined
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const m = /^(\S+?(?:\{[^}]*\})?)\s+(\S+)/.exec(line)
    if (!m) continue
    const series = m[1]!
    const name = series.replace(/\{.*$/, '')
    if (exact ? series.replace(/\s+/g, '') !== selector.replace(/\s+/g, '') : name !== selector) continue
    const v = Number(m[2])
    if (Number.isFinite(v)) sum = (sum ?? 0) + v
  }
  return sum
}

function read(body: string, format: StatusScrape['format'], selector: string): number | undefined {
  if (format === 'prometheus') return prometheusValue(body, selector)
  const v = jsonPath(JSON.parse(body) as unknown, selector.split('.'))
  const n = v === undefined ? NaN : Number(v)
  return Number.isFinite(n) ? n : undefined
}

/** One poll as a results sample; throws (a failed poll) when the URL does not answer 200. */
export async function scrapeSample(s: StatusScrape, t: number, timeoutMs = 2000): Promise<GatewaySample> {
  const res = await fetch(s.url, { signal: AbortSignal.timeout(timeoutMs) })
  const body = await res.text()
  if (res.status !== 200) throw new Error(`${s.url}: HTTP ${res.status}`)
  const metrics: Record<string, number> = {}
  for (const [name, selector] of Object.entries(s.metrics)) {
    const v = read(body, s.format, selector)
    if (v !== undefined) metrics[name] = v
  }
  const queued = s.queued === undefined ? undefined : read(body, s.format, s.queued)
  return { t, queued: queued === undefined ? null : Math.max(0, Math.round(queued)), links: {}, metrics }
}
