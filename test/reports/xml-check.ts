// A small strict XML reader for tests: well-formed nesting, quoted attributes, no duplicate
// attributes, only the five predefined entities and numeric references, no raw '<' or '&' in
// text, no characters XML 1.0 forbids. Throws on the first problem; returns the element tree.
export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
}

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/

function decode(s: string, where: string): string {
  if (/[<]/.test(s)) throw new Error(`raw "<" in ${where}`)
  return s.replace(/&([^;]*);?/g, (m, ent: string) => {
    if (!m.endsWith(';')) throw new Error(`bare "&" in ${where}`)
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
    if (ent in named) return named[ent]!
    const num = /^#(\d+)$/.exec(ent) ?? /^#x([0-9a-f]+)$/i.exec(ent)
    if (num) return String.fromCodePoint(parseInt(num[1]!, ent[1] === 'x' ? 16 : 10))
    throw new Error(`unknown entity &${ent}; in ${where}`)
  })
}

export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error('character not allowed in XML 1.0')
  let i = 0
  const decl = /^<\?xml [^?]*\?>\s*/.exec(xml)
  if (decl) i = decl[0].length
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*"[^"]*")*)\s*(\/?)>/y
  while (i < xml.length) {
    const lt = xml.indexOf('<', i)
    const text = xml.slice(i, lt < 0 ? xml.length : lt)
    if (text.trim()) {
      if (!stack.length) throw new Error(`text outside the root element: ${text.slice(0, 40)}`)
      stack.at(-1)!.text += decode(text, `<${stack.at(-1)!.name}> text`)
    }
    if (lt < 0) break
    tag.lastIndex = lt
    const m = tag.exec(xml)
    if (!m) throw new Error(`malformed tag at offset ${lt}: ${xml.slice(lt, lt + 60)}`)
    i = tag.lastIndex
    const [, close, name, attrText, selfClose] = m
    if (close) {
      const open = stack.pop()
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`)
      continue
    }
    const attrs: Record<string, string> = {}
    for (const a of attrText!.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) {
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} on <${name}>`)
      attrs[a[1]!] = decode(a[2]!, `${name}@${a[1]}`)
    }
    const el: XmlElement = { name: name!, attrs, children: [], text: '' }
    if (stack.length) stack.at(-1)!.children.push(el)
    else if (root) throw new Error('more than one root element')
    else root = el
    if (!selfClose) stack.push(el)
  }
  if (stack.length) throw new Error(`<${stack.at(-1)!.name}> never closed`)
  if (!root) throw new Error('no root element')
  return root
}
