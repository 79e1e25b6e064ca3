// A dotted path into parsed JSON ("messages.0.id"), for message-id extraction and webhook fields.

/** The value at `path` as a string, or undefined when missing or not a scalar. */
export function jsonPath(value: unknown, path: readonly string[]): string | undefined {
  let v = value
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[key]
  }
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return undefined
}
