// The one rule for matching a receipt to its submit: a canonical spelling for SMSC message ids, so
// the engine can match with a plain Map lookup. Case and leading zeros do not matter, and some SMSCs answer submit_sm_resp in decimal but write the receipt text id in hex (or
// the reverse). The canonical key of a submit_sm_resp id is the id itself (trimmed, lowercase, no
// leading zeros); a receipt's text id is converted to the submit_sm_resp's base when the SMSC is
// known (or seen) to use the other base. The receipted_message_id TLV carries the submit_sm_resp
// id as issued, so it needs no conversion.

/** How an SMSC writes the id in receipt text relative to its submit_sm_resp ids. */
export type ReceiptIdFormat = 'auto' | 'same' | 'hex' | 'decimal'

const DEC = /^[0-9]{1,64}$/
const HEX = /^[0-9a-f]{1,64}$/
const HEX_LETTER = /[a-f]/

/** A decimal id without leading zeros (what most SMSCs, and the simulator, issue): already canonical. */
function plainDecimal(id: string): boolean {
  const n = id.length
  if (n === 0 || n > 64 || (id.charCodeAt(0) === 0x30 && n > 1)) return false
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i)
    if (c < 0x30 || c > 0x39) return false
  }
  return true
}

/** Trim, lowercase, drop leading zeros (keeping one digit). */
export function canonicalId(id: string): string {
  // Hot path (two ids per message): a plain decimal id needs no trimmed or lowered copy.
  if (plainDecimal(id)) return id
  let s = id.trim().toLowerCase()
  if (s.length > 1 && s.charCodeAt(0) === 0x30) {
    s = s.replace(/^0+/, '')
    if (s === '') s = '0'
  }
  return s
}

/**
 * Per SMSC (shared by all binds to it). In `auto` mode the text base is learned: ids 0..9 read the
 * same in both bases, and the first receipt text id with a hex letter while every submit_sm_resp id
 * so far was decimal latches `hex`. Before that latch, an all-digit hex text id of 16 or more would
 * be taken as decimal. The reverse (hex responses, decimal text) cannot be told from a hex id
 * without letters, so it is never guessed: name the format when the SMSC is known (direct mode
 * takes it from the operator's config), or let the SMSC send the TLV.
 */
export class ReceiptIdCanon {
  private respDecimal = false
  private respHexLetters = false

  /**
   * @param prefix put before every key: direct mode talks to several SMSCs whose id ranges overlap
   *   (each simulated operator counts from 1), so their keys are namespaced by operator id.
   */
  constructor(
    private format: ReceiptIdFormat = 'auto',
    private readonly prefix = '',
  ) {}

  get textFormat(): ReceiptIdFormat {
    return this.format
  }

  /** Canonical key of a submit_sm_resp message_id. */
  submitId(id: string): string {
    if (plainDecimal(id)) {
      if (this.format === 'auto') this.respDecimal = true
      return this.prefix + id
    }
    const c = canonicalId(id)
    if (this.format === 'auto') {
      if (DEC.test(c)) this.respDecimal = true
      else this.respHexLetters = true // hex or alphanumeric: the text is then not a decimal->hex rewrite
    }
    return this.prefix + c
  }

  /** Canonical key of the receipted_message_id TLV: the submit_sm_resp id as issued. */
  tlvId(id: string): string {
    return this.prefix + canonicalId(id)
  }

  /** Canonical key of the `id:` in receipt text. */
  textId(id: string): string {
    // A plain decimal text id has no hex letter: in 'auto' and 'same' it is the key as it stands.
    if ((this.format === 'auto' || this.format === 'same') && plainDecimal(id)) return this.prefix + id
    const c = canonicalId(id)
    if (this.format === 'auto') {
      if (this.respDecimal && !this.respHexLetters && HEX.test(c) && HEX_LETTER.test(c)) this.format = 'hex'
      else return this.prefix + c
    }
    if (this.format === 'hex' && HEX.test(c)) return this.prefix + BigInt('0x' + c).toString(10) // hex text of a decimal id
    if (this.format === 'decimal' && DEC.test(c)) return this.prefix + BigInt(c).toString(16) // decimal text of a hex id
    return this.prefix + c
  }
}
