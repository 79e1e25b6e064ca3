// The correlation tag: the first word of every message text is `#` + the plan-wide message
// sequence in base36 (upper case) + one space, e.g. "#2N9C Your code is 123456".
//
// Why in the text: a real gateway (Kannel) passes the text unchanged to the SMSC but invents its own
// ids on the way, so the tag is the one thing the simulated operator can read back to report each
// message's arrival (transit latency, misrouted, duplicate submits), and the simulator reads it
// itself to tell first copies from resends (it lives in lib/ so both sides share it without
// the simulator importing the load generator). Receipts do not need it: they
// are matched by the operator's message id (submit_sm_resp) or by our id placed in the dlr-url.
// '#', 0-9, A-Z and space are all in the GSM 03.38 basic table, so the tag costs one septet each
// and survives any GSM-7 / UCS-2 conversion on the way.
//
// API: formatTag(seq) -> "#1A ", parseTag(text) -> seq | undefined, formatId(seq) -> "1A" (our id
// as used in request templates and dlr-urls), parseId(id) -> seq | undefined.

const HASH = 0x23 // '#'
/** Longest base36 body accepted: Number.MAX_SAFE_INTEGER is 11 base36 digits. */
const MAX_DIGITS = 11

/** Our id for message `seq`: base36, upper case (also the tag without '#' and space). */
export function formatId(seq: number): string {
  return seq.toString(36).toUpperCase()
}

/** The tag message `seq` starts with, trailing space included. */
export function formatTag(seq: number): string {
  return '#' + seq.toString(36).toUpperCase() + ' '
}

/** The sequence in a tag at the start of `text`, or undefined if the text does not start with one. */
export function parseTag(text: string): number | undefined {
  if (text.length < 3 || text.charCodeAt(0) !== HASH) return undefined
  const end = text.indexOf(' ', 1)
  if (end < 0) return undefined
  return digits(text, 1, end)
}

/** Inverse of formatId (upper or lower case accepted, as a gateway may change case in urls). */
export function parseId(id: string): number | undefined {
  return digits(id, 0, id.length)
}

/** Base36 digits text[from, to) as a number; undefined if empty, too long or not base36. */
function digits(text: string, from: number, to: number): number | undefined {
  const n = to - from
  if (n < 1 || n > MAX_DIGITS) return undefined
  let value = 0
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i)
    let d: number
    if (c >= 0x30 && c <= 0x39) d = c - 0x30
    else if (c >= 0x41 && c <= 0x5a) d = c - 0x41 + 10
    else if (c >= 0x61 && c <= 0x7a) d = c - 0x61 + 10
    else return undefined
    value = value * 36 + d
  }
  return value <= Number.MAX_SAFE_INTEGER ? value : undefined
}
