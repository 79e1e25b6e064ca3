// SMPP 3.4 Appendix B delivery receipt text:
//   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...
// The simulator emits each real-world variant (text:/Text:, decimal/hex id, optional seconds);
// the parser accepts all of them and the usual sloppiness (spacing, case, missing fields).
// Dates are formatted and parsed as UTC so runs do not depend on the machine's time zone.

export interface Receipt {
  id: string
  sub: number
  dlvrd: number
  submitDate: Date
  doneDate: Date
  stat: string
  err: string
  text: string
}

export interface ReceiptFormat {
  /** Label of the text field; some SMSCs capitalise it. Default 'text'. */
  textLabel?: 'text' | 'Text'
  /** 'hex' writes a decimal id as lowercase hex (ids that are not decimal are written as given). */
  idFormat?: 'decimal' | 'hex'
  /** Append ss to the dates (YYMMDDhhmmss). Default false (spec: YYMMDDhhmm). */
  seconds?: boolean
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0')

function formatDate(d: Date, seconds: boolean): string {
  const s =
    pad(d.getUTCFullYear() % 100, 2) + pad(d.getUTCMonth() + 1, 2) + pad(d.getUTCDate(), 2) +
    pad(d.getUTCHours(), 2) + pad(d.getUTCMinutes(), 2)
  return seconds ? s + pad(d.getUTCSeconds(), 2) : s
}

/** Build the short_message text of a receipt. `text` is cut to its first 20 characters. */
export function formatReceipt(r: Receipt, f: ReceiptFormat = {}): string {
  const id = f.idFormat === 'hex' && /^[0-9]+$/.test(r.id) ? BigInt(r.id).toString(16) : r.id
  const sec = f.seconds ?? false
  const err = /^[0-9]+$/.test(r.err) ? r.err.padStart(3, '0') : r.err
  return (
    `id:${id} sub:${pad(r.sub, 3)} dlvrd:${pad(r.dlvrd, 3)} ` +
    `submit date:${formatDate(r.submitDate, sec)} done date:${formatDate(r.doneDate, sec)} ` +
    `stat:${r.stat} err:${err} ${f.textLabel ?? 'text'}:${r.text.slice(0, 20)}`
  )
}

/**
 * formatReceipt for a sender that writes one receipt per message: dates as epoch milliseconds (no
 * Date objects), YYMMDDhhmm only, each date string cached for its minute (nearly every receipt of
 * a run shares it), `sub` 1. The same text formatReceipt gives (asserted in test/smpp).
 */
export function formatReceiptAt(
  id: string,
  dlvrd: number,
  submitMs: number,
  doneMs: number,
  stat: string,
  err: string,
  text: string,
  textLabel: 'text' | 'Text' = 'text',
): string {
  const e = err.length === 3 || !/^[0-9]+$/.test(err) ? err : err.padStart(3, '0')
  const t = text.length > 20 ? text.slice(0, 20) : text
  return (
    `id:${id} sub:001 dlvrd:${dlvrd === 1 ? '001' : pad(dlvrd, 3)} submit date:${minuteDate(submitMs)} ` +
    `done date:${minuteDate(doneMs)} stat:${stat} err:${e} ${textLabel}:${t}`
  )
}

// Two one-entry caches (a submit minute and a done minute are live at once in a steady run).
let minuteA = NaN
let dateA = ''
let minuteB = NaN
let dateB = ''

function minuteDate(ms: number): string {
  const minute = Math.floor(ms / 60_000)
  if (minute === minuteA) return dateA
  if (minute === minuteB) return dateB
  const s = formatDate(new Date(minute * 60_000), false)
  minuteB = minuteA
  dateB = dateA
  minuteA = minute
  dateA = s
  return s
}

const KEY = /(?:^|\s)(id|sub|dlvrd|submit[ _]?date|done[ _]?date|stat|err|text)\s*:/gi

function parseDate(s: string | undefined): Date | undefined {
  const m = s === undefined ? null : /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/.exec(s)
  if (!m) return undefined
  const [yy, mo, dd, hh, mi, ss] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as number[]
  if (mo! < 1 || mo! > 12 || dd! < 1 || dd! > 31 || hh! > 23 || mi! > 59 || ss! > 59) return undefined
  return new Date(Date.UTC(2000 + yy!, mo! - 1, dd!, hh!, mi!, ss!))
}

/**
 * Parse a receipt text. Needs at least `id:` and `stat:`; otherwise returns undefined (it is then
 * probably an ordinary MO message). Missing numbers parse as 0, missing dates as Invalid Date,
 * missing err as '' and missing text as ''. Everything after `text:` is the text, even if it
 * contains "id:".
 */
export function parseReceipt(str: string): Receipt | undefined {
  const fields = new Map<string, string>()
  KEY.lastIndex = 0
  let m = KEY.exec(str)
  while (m) {
    const key = m[1]!.toLowerCase().replace(/[ _]/g, '')
    const valueStart = KEY.lastIndex
    if (key === 'text') {
      fields.set(key, str.slice(valueStart).replace(/^ /, ''))
      break
    }
    const next = KEY.exec(str)
    const value = str.slice(valueStart, next ? next.index : str.length).trim()
    if (!fields.has(key)) fields.set(key, value)
    m = next
  }
  const id = fields.get('id')
  const stat = fields.get('stat')
  if (!id || !stat || id.length > 64 || /\s/.test(id)) return undefined
  const num = (k: string): number => {
    const v = Number.parseInt(fields.get(k) ?? '', 10)
    return Number.isFinite(v) ? v : 0
  }
  return {
    id,
    sub: num('sub'),
    dlvrd: num('dlvrd'),
    submitDate: parseDate(fields.get('submitdate')) ?? new Date(NaN),
    doneDate: parseDate(fields.get('donedate')) ?? new Date(NaN),
    stat: stat.toUpperCase(),
    err: fields.get('err') ?? '',
    text: fields.get('text') ?? '',
  }
}

/** What a load generator reads of a receipt: the id to match, the state, the error code. */
export interface ReceiptStatus {
  id: string
  stat: string
  err: string
}

/**
 * id, stat and err of a receipt text, as parseReceipt would give them. A receipt in the Appendix B
 * layout (`id:... sub:... stat:... err:... text:...`, which mtsim's simulator and most SMSCs send)
 * is read with a few indexOf calls and no Date, Map or regex: every receipt of a run goes through
 * here. Anything else (other order, spacing or case) falls back to parseReceipt.
 */
export function parseReceiptStatus(str: string): ReceiptStatus | undefined {
  const fast = canonicalStatus(str)
  if (fast !== undefined) return fast
  const r = parseReceipt(str)
  return r && { id: r.id, stat: r.stat, err: r.err }
}

function canonicalStatus(str: string): ReceiptStatus | undefined {
  if (!str.startsWith('id:')) return undefined
  const idEnd = str.indexOf(' ', 3)
  if (idEnd <= 3 || idEnd > 67 || !str.startsWith(' sub:', idEnd)) return undefined
  // Plain ASCII ids only (no slice and regex per receipt); control, space or non-ASCII
  // characters take parseReceipt's way, which decides on whitespace as it always did.
  for (let i = 3; i < idEnd; i++) {
    const c = str.charCodeAt(i)
    if (c <= 0x20 || c >= 0x7f) return undefined
  }
  const statAt = str.indexOf(' stat:', idEnd)
  if (statAt < 0) return undefined
  const statEnd = str.indexOf(' ', statAt + 6)
  if (statEnd < 0 || !str.startsWith(' err:', statEnd)) return undefined
  // A text label before stat: would make parseReceipt stop there: leave such oddities to it.
  const textAt = str.indexOf('text:', idEnd)
  const textCapAt = str.indexOf('Text:', idEnd)
  if ((textAt >= 0 && textAt < statEnd) || (textCapAt >= 0 && textCapAt < statEnd)) return undefined
  let errEnd = str.indexOf(' ', statEnd + 5)
  if (errEnd < 0) errEnd = str.length
  else if (!str.startsWith(' text:', errEnd) && !str.startsWith(' Text:', errEnd)) return undefined
  const stat = str.slice(statAt + 6, statEnd)
  if (stat.length === 0) return undefined
  return { id: str.slice(3, idEnd), stat: stat.toUpperCase(), err: str.slice(statEnd + 5, errEnd) }
}
