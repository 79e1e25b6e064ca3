// A strict reader of the Prometheus text format (0.0.4) for tests: every line must be a HELP,
// a TYPE or a sample of a declared metric; anything else throws with the line.

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface Exposition {
  types: Map<string, string>
  samples: Sample[]
  /** The value of the one sample with this name and exactly these labels; throws if absent. */
  value(name: string, labels?: Record<string, string>): number
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?(?:\d+(?:\.\d+)?(?:e[-+]?\d+)?|NaN|\+Inf|-Inf))$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y

export function parseProm(text: string): Exposition {
  const types = new Map<string, string>()
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '') continue
    if (line.startsWith('# HELP ')) continue
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line)
    if (type) {
      types.set(type[1], type[2])
      continue
    }
    const m = SAMPLE.exec(line)
    if (!m) throw new Error(`not Prometheus text: ${JSON.stringify(line)}`)
    if (!types.has(m[1])) throw new Error(`sample before its TYPE line: ${line}`)
    const labels: Record<string, string> = {}
    if (m[2]) {
      LABEL.lastIndex = 0
      while (LABEL.lastIndex < m[2].length) {
        const l = LABEL.exec(m[2])
        if (!l) throw new Error(`bad labels in ${line}`)
        labels[l[1]] = l[2]
      }
    }
    samples.push({ name: m[1], labels, value: Number(m[3]) })
  }
  return {
    types,
    samples,
    value(name, labels = {}) {
      const want = JSON.stringify(Object.entries(labels).sort())
      const hits = samples.filter((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want)
      if (hits.length !== 1) throw new Error(`expected one sample ${name}${want}, found ${hits.length}`)
      return hits[0].value
    },
  }
}
