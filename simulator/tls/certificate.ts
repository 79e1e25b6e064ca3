// The certificate an operator's TLS port presents: the files the network file names, or one made
// at start. Made with the `selfsigned` package: Node's crypto makes keys but no X.509
// certificates, and calling the openssl binary would tie the simulator to one being installed.
// The made certificate names the operator's host, 127.0.0.1, ::1 and localhost, so a client that
// verifies it (trusting this very certificate, e.g. through a CA file) also checks the name.
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { generate } from 'selfsigned'

export interface TlsCredentials {
  /** PEM. Also what a client trusts to verify a made certificate (it is its own CA). */
  cert: string
  key: string
  /** True when made at start (no files given). */
  selfSigned: boolean
}

/** Reads the given files, or makes a self-signed certificate valid for `days` (default 30). */
export async function operatorCredentials(
  tls: { certFile?: string; keyFile?: string },
  host: string,
  commonName: string,
  days = 30,
): Promise<TlsCredentials> {
  if (tls.certFile && tls.keyFile) {
    return { cert: readFileSync(tls.certFile, 'utf8'), key: readFileSync(tls.keyFile, 'utf8'), selfSigned: false }
  }
  return selfSignedCredentials(host, commonName, days)
}

export async function selfSignedCredentials(host: string, commonName: string, days = 30): Promise<TlsCredentials> {
  const names = new Set(['localhost'])
  const ips = new Set(['127.0.0.1', '::1'])
  if (host && host !== '0.0.0.0' && host !== '::') (isIP(host) ? ips : names).add(host)
  const now = Date.now()
  const pems = await generate([{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'mtsim simulated operator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    // A minute back, so a client whose clock is slightly behind still accepts it.
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + days * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...[...names].map((value) => ({ type: 2 as const, value })), ...[...ips].map((ip) => ({ type: 7 as const, ip }))] },
    ],
  })
  return { cert: pems.cert, key: pems.private, selfSigned: true }
}
