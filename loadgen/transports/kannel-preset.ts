// Kannel's side of the `http` target with `preset: kannel` at run time. The request shape
// (sendsms query, dlr-mask=31, dlr-url with %d/%A/%i/%F and our id) is expanded by
// loadgen/scenario/gateway-config.ts; this file reads Kannel's answers:
//
// sendsms reply (Kannel user guide, "Sending SMS" / sendsms status codes):
//   202 "0: Accepted for delivery"       -> accepted, status KANNEL_ACCEPTED
//   202 "3: Queued for later delivery"   -> accepted, status KANNEL_QUEUED (every route down; Kannel
//                                           keeps it and retries, so it is counted as accepted)
//   403 "Not routable. Do not try again." -> rejected, KANNEL_NOT_ROUTABLE
//   403 "Authorization failed ..."        -> rejected, KANNEL_AUTH_FAILED
//   anything else                         -> rejected, HTTP_<code>
//
// dlr-url callback, %d (one bit per callback with dlr-mask 31):
//   1  delivered      -> DELIVRD, final
//   2  failed         -> UNDELIV, final; but when %A holds a receipt whose stat is another final
//                        failure (EXPIRED, REJECTD, DELETED, UNKNOWN) that stat is used, with its err
//   4  buffered       -> ENROUTE, intermediate
//   8  SMSC ack       -> ACCEPTD, intermediate (arrives a few ms after submit_sm_resp)
//   16 SMSC reject    -> REJECTD, final; err = the command_status in %A "NACK/0x0000000b/..."
//   34 failed+expired -> EXPIRED, final (Kannel 1.4.5 adds bit 32 for a receipt with stat:EXPIRED;
//                        with only 1..16 mapped those callbacks were unusable and counted missing)
// Values come from the webhook's status_map (gateway-config.ts: KANNEL_STATUS_MAP) so a scenario can
// override them; the refinement from %A is applied here.

import { bug } from '../../lib/errors.js'
import { parseReceipt } from '../../smpp/index.js'
import { normalizeGateway, type HttpGateway } from '../scenario/gateway-config.js'

/** The query parameter of the dlr-url that carries %A (gateway-config.ts KANNEL_URL_QUERY). */
export const KANNEL_ANSWER_PARAM = 'answer'

/** Status of an accepted sendsms reply: queued ("3:") is told apart from accepted ("0:"). */
export function kannelAcceptedStatus(body: string): string {
  return body.startsWith('3:') ? 'KANNEL_QUEUED' : 'KANNEL_ACCEPTED'
}

/** Status of a refused sendsms reply. */
export function kannelRejectedStatus(httpStatus: number, body: string): string {
  if (/not routable/i.test(body)) return 'KANNEL_NOT_ROUTABLE'
  if (/authori[sz]ation failed/i.test(body)) return 'KANNEL_AUTH_FAILED'
  return `HTTP_${httpStatus}`
}

const FAILURE_STATS = new Set(['EXPIRED', 'REJECTD', 'DELETED', 'UNKNOWN', 'UNDELIV'])

/**
 * Refines the state status_map gave a callback, using %A. Returns the stat and err to report.
 * `answer` is the decoded %A value (receipt text, or NACK/0x.../text for an SMSC reject).
 */
export function kannelRefine(statusValue: string, mapped: string, answer: string | undefined): { stat: string; err: string } {
  if (answer === undefined || answer === '') return { stat: mapped, err: '' }
  if (statusValue === '16') {
    const nack = /^NACK\/(0x[0-9a-f]+)/i.exec(answer)
    return { stat: mapped, err: nack ? nack[1]!.toLowerCase() : '' }
  }
  const r = parseReceipt(answer)
  if (!r) return { stat: mapped, err: '' }
  if ((statusValue === '2' || statusValue === '34') && FAILURE_STATS.has(r.stat)) return { stat: r.stat, err: r.err }
  return { stat: mapped, err: r.err }
}

/**
 * The http target for a Kannel smsbox mtsim started itself (or any Kannel): sendsms at `sendsmsUrl`
 * (like "http://127.0.0.1:13013/cgi-bin/sendsms") with the preset's query, success rule and dlr-url;
 * `webhookPort` fixes the receipt webhook's port when Kannel must know it in advance (MO: kannel.conf's sms-service).
 */
export function kannelHttpGateway(sendsmsUrl: string, username: string, password: string, connections = 50, webhookPort?: number): HttpGateway {
  const webhook = webhookPort === undefined ? {} : { webhook: { port: webhookPort } }
  const g = normalizeGateway({ kind: 'http', preset: 'kannel', url: sendsmsUrl, query: { username, password }, connections, ...webhook }, [])
  if (g.kind !== 'http') return bug('normalizeGateway changed kind') // keeps the type honest
  return g
}
