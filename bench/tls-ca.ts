import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchCa {
  /** The CA certificate (PEM): NODE_EXTRA_CA_CERTS for the gateway and the load generator. */
  caPath: string;
  keyPath: string;
  /** The receiver's certificate for 127.0.0.1, signed by the CA. */
  certPath: string;
}

/** A throwaway CA and a 127.0.0.1 server certificate it signs, made by the openssl CLI in `dir` (Node cannot sign X.509). */
export function benchCa(dir: string): BenchCa {
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', timeout: 30_000 });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('ca-key.pem'), '-out', at('ca.pem'), '-days', '1', '-subj', '/CN=hookgate bench CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('key.pem'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(at('server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca-key.pem'), '-CAcreateserial', '-out', at('cert.pem'), '-days', '1', '-extfile', at('server.ext'));
  return { caPath: at('ca.pem'), keyPath: at('key.pem'), certPath: at('cert.pem') };
}
