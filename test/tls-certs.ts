// Throwaway certificates for TLS tests, made by openssl: self-signed (each its own CA), valid
// for 127.0.0.1 and localhost for one day.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertFiles {
  key: string;
  cert: string;
}

export function selfSignedCert(name = 'localhost', dir = mkdtempSync(join(tmpdir(), 'falcoc-tls-'))): CertFiles {
  const files = { key: join(dir, `${name}.key`), cert: join(dir, `${name}.crt`) };
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', files.key, '-out', files.cert,
    '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-days', '1',
  ]);
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${String(made.stderr)}`);
  return files;
}
