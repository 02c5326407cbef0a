import * as jwt from 'jsonwebtoken';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface LocalIdentityProvider {
  /** The `iss` its tokens carry (just a string: the provider itself listens on 127.0.0.1). */
  issuer: string;
  /** http://127.0.0.1:<port>/.well-known/jwks.json */
  jwksUri: string;
  /** A token signed with the provider's key (kid in its JWKS), `iss` set, valid 10 minutes; options override. */
  mint(claims: Record<string, unknown>, options?: jwt.SignOptions & { key?: KeyObject }): string;
  close(): Promise<void>;
}

/**
 * An identity provider on 127.0.0.1 serving its public key at /.well-known/jwks.json, as Cognito,
 * Supabase or Auth0 do, and minting access tokens with the private key.
 */
export async function startIdentityProvider(issuer: string, algorithm: 'RS256' | 'ES256' = 'RS256'): Promise<LocalIdentityProvider> {
  const { publicKey, privateKey } = algorithm === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `${algorithm.toLowerCase()}-1`;
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: algorithm }] });
  const server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    issuer,
    jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    mint: (claims, { key = privateKey, ...options } = {}) => jwt.sign(claims, key, { algorithm, keyid: kid, issuer, expiresIn: 600, ...options }),
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
