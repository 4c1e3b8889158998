/**
 * A throwaway self-signed certificate and its key, made by openssl: the TLS servers the tests start (a
 * server a Go client must refuse without CA certificates, the registry token issuer) each need one.
 */
import { execFileSync } from 'node:child_process';

/** `openssl req -x509` for two days; `subjectAltName` e.g. `IP:127.0.0.1` (none: no extension). */
export function selfSignedCert(
  keyFile: string,
  certFile: string,
  subject = '/CN=127.0.0.1',
  subjectAltName: string | null = 'IP:127.0.0.1',
): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      subject,
      ...(subjectAltName ? ['-addext', `subjectAltName=${subjectAltName}`] : []),
    ],
    { stdio: 'pipe' },
  );
}
