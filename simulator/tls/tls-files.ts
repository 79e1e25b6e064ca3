// The certificate and key files a network file names for an operator's TLS port: resolved against
// the file's folder and checked when the file is loaded, so a wrong path or a key that does not
// belong to the certificate is a config error with its path, not a failure at listen time.
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import type { Report } from '../../config/load-config.js'

export function resolveTlsFile(baseDir: string, file: string): string {
  return isAbsolute(file) ? file : resolve(baseDir, file)
}

function read(path: string): Buffer | string {
  try {
    return readFileSync(path)
  } catch (err) {
    return `${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`
  }
}

/** Reports an unreadable file, a certificate or key that is not PEM, or a key that is not the certificate's. */
export function checkTlsFiles(certFile: string, keyFile: string, baseDir: string, at: (string | number)[], report: Report): void {
  const certPath = resolveTlsFile(baseDir, certFile)
  const keyPath = resolveTlsFile(baseDir, keyFile)
  const certPem = read(certPath)
  const keyPem = read(keyPath)
  let cert: X509Certificate | undefined
  if (typeof certPem === 'string') report([...at, 'cert_file'], 'a readable PEM certificate file', certPem)
  else {
    try {
      cert = new X509Certificate(certPem)
    } catch {
      report([...at, 'cert_file'], 'a PEM certificate (-----BEGIN CERTIFICATE-----)', `${certPath}, which is not one`)
    }
  }
  if (typeof keyPem === 'string') return report([...at, 'key_file'], 'a readable PEM private key file', keyPem)
  let key
  try {
    key = createPrivateKey(keyPem)
  } catch {
    return report([...at, 'key_file'], 'an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)', `${keyPath}, which is not one`)
  }
  if (cert && !cert.checkPrivateKey(key)) report([...at, 'key_file'], `the private key of ${certPath}`, `${keyPath}, the key of another certificate`)
}
