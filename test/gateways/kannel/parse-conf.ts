// Reads kannel.conf text back into groups, independently of the generator, the way Kannel does:
// `group = x` starts a group, `key = value`, a quoted value is taken between its quotes.
export interface ParsedGroup {
  name: string
  values: Record<string, string>
}

export function parseKannelConf(text: string): ParsedGroup[] {
  const groups: ParsedGroup[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const m = /^([a-z0-9-]+)\s*=\s*(.*)$/.exec(line)
    if (!m) throw new Error(`not a kannel.conf line: ${raw}`)
    const [, key, rawValue] = m
    const value = rawValue.startsWith('"') && rawValue.endsWith('"') && rawValue.length >= 2 ? rawValue.slice(1, -1) : rawValue
    if (key === 'group') groups.push({ name: value, values: {} })
    else {
      const current = groups[groups.length - 1]
      if (!current) throw new Error(`setting before any group: ${raw}`)
      if (key in current.values) throw new Error(`duplicate ${key} in group ${current.name}`)
      current.values[key] = value
    }
  }
  return groups
}
