// Reads bearerbox's admin page `status.txt`. The format is Kannel 1.4.5's (see the sample in
// test/gateways/kannel/status.test.ts); lines this parser does not know are ignored rather than fatal, so a
// newer Kannel degrades to fewer fields instead of a failed start.

export type SmscState = 'online' | 're-connecting' | 'connecting' | 'disconnected' | 'dead' | 'unknown' | string

export interface KannelSmscStatus {
  adminId: string
  smscId: string
  state: SmscState
  /** Seconds online, when online. */
  onlineSeconds?: number
  received: { sms: number; dlr: number }
  sent: { sms: number; dlr: number }
  failed: number
  queued: number
}

export interface KannelStatus {
  /** running, suspended, isolated, full, shutdown. */
  state: string
  sms: { received: number; receivedQueued: number; sent: number; sentQueued: number }
  dlr: { received: number; sent: number; queued: number }
  /** smsbox connections to bearerbox. */
  boxes: number
  smscs: KannelSmscStatus[]
}

const STATUS = /^Status: (\S+?),/m
const SMS = /^SMS: received (\d+) \((\d+) queued\), sent (\d+) \((\d+) queued\)/m
const DLR_COUNTS = /^DLR: received (\d+), sent (\d+)/m
const DLR_QUEUED = /^DLR: (\d+) queued/m
const BOX = /^\s+smsbox:/
// `    op1[op1]    SMPP:127.0.0.1:27750/27750:sys1: (online 6s, rcvd: sms 0 (...) / dlr 0 (...), sent: sms 0 (...) / dlr 0 (...), failed 0, queued 0 msgs)`
const SMSC =
  /^\s+(\S+?)\[(\S*?)\]\s+.*\((\S+?)(?: (\d+)s)?, rcvd: sms (\d+) \([^)]*\) \/ dlr (\d+) \([^)]*\), sent: sms (\d+) \([^)]*\) \/ dlr (\d+) \([^)]*\), failed (\d+), queued (\d+) msgs\)/

const num = (s: string | undefined) => (s === undefined ? 0 : Number(s))

export function parseKannelStatus(text: string): KannelStatus {
  const sms = SMS.exec(text)
  const dlr = DLR_COUNTS.exec(text)
  const status: KannelStatus = {
    state: STATUS.exec(text)?.[1] ?? 'unknown',
    sms: { received: num(sms?.[1]), receivedQueued: num(sms?.[2]), sent: num(sms?.[3]), sentQueued: num(sms?.[4]) },
    dlr: { received: num(dlr?.[1]), sent: num(dlr?.[2]), queued: num(DLR_QUEUED.exec(text)?.[1]) },
    boxes: 0,
    smscs: [],
  }
  let section: 'boxes' | 'smscs' | undefined
  for (const line of text.split('\n')) {
    if (line.startsWith('Box connections:')) section = 'boxes'
    else if (line.startsWith('SMSC connections:')) section = 'smscs'
    else if (section === 'boxes' && BOX.test(line)) status.boxes++
    else if (section === 'smscs') {
      const m = SMSC.exec(line)
      if (!m) continue
      status.smscs.push({
        adminId: m[1],
        smscId: m[2] || m[1],
        state: m[3],
        onlineSeconds: m[4] === undefined ? undefined : Number(m[4]),
        received: { sms: num(m[5]), dlr: num(m[6]) },
        sent: { sms: num(m[7]), dlr: num(m[8]) },
        failed: num(m[9]),
        queued: num(m[10]),
      })
    }
  }
  return status
}

/** What still keeps Kannel from being ready, in words; empty when every smsc is online and smsbox is connected. */
export function notReady(status: KannelStatus, smscIds: readonly string[], needSmsbox: boolean): string[] {
  const waiting: string[] = []
  if (status.state !== 'running') waiting.push(`bearerbox is ${status.state}`)
  if (needSmsbox && status.boxes < 1) waiting.push('smsbox is not connected to bearerbox')
  for (const id of smscIds) {
    const s = status.smscs.filter((x) => x.smscId === id)
    if (!s.length) waiting.push(`smsc ${id} is not listed`)
    // A transmitter+receiver account shows as two lines; both must be online.
    else if (s.some((x) => x.state !== 'online')) waiting.push(`smsc ${id} is ${s.map((x) => x.state).join('/')}`)
  }
  return waiting
}
