import { Injectable } from '@nestjs/common';
import { JwksClient } from 'jwks-rsa';
import * as jwt from 'jsonwebtoken';
import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { ExternalIssuer } from '../config/external-issuers';
import { UnauthorizedError } from '../common/errors';
import { principalFromClaims } from './claims';
import { Principal } from './principal';

export const INVALID_BEARER = 'Missing, expired or invalid bearer token';
const EXTERNAL_ALGORITHMS: jwt.Algorithm[] = ['RS256', 'ES256'];
const JWKS_TIMEOUT_MS = 5000;

export interface VerifiedToken {
  principal: Principal;
  /** The surfaces (plugin keys, `core`) the token may call; null = every surface. */
  surfaces: ReadonlySet<string> | null;
  /** The token's `exp` in ms, if it has one. */
  expiresAt?: number;
}

interface KnownIssuer {
  config: ExternalIssuer;
  keys: JwksClient;
}

/**
 * Bearer JWTs: HS256 under AUTH_JWT_SECRET (tokens this gateway issues, valid on every surface),
 * and RS256/ES256 of the external issuers, chosen by the token's unverified `iss` and then
 * verified with that issuer's JWKS, `iss` and `aud`. Each key verifies only its own algorithm
 * family, so nobody can sign an HS256 token with a public key; `alg: none` is never accepted.
 */
@Injectable()
export class TokenVerifier {
  // A KeyObject made once: given a string, jsonwebtoken re-parses the key on every verify.
  private readonly ownKey: KeyObject;
  private readonly byIssuer = new Map<string, KnownIssuer>();
  /** The AUTH_JWKS_URI shorthand without AUTH_ISSUER: whatever `iss` its keys sign. */
  private readonly anyIssuer?: KnownIssuer;

  constructor(config: AppConfig) {
    this.ownKey = createSecretKey(Buffer.from(config.AUTH_JWT_SECRET!, 'utf8'));
    for (const issuer of config.externalIssuers) {
      const known = { config: issuer, keys: new JwksClient({ jwksUri: issuer.jwksUri, cache: true, rateLimit: true, jwksRequestsPerMinute: 10, timeout: JWKS_TIMEOUT_MS }) };
      if (issuer.issuer === undefined) this.anyIssuer = known;
      else this.byIssuer.set(issuer.issuer, known);
    }
  }

  async verify(token: string): Promise<VerifiedToken> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw new UnauthorizedError(INVALID_BEARER);
    if (decoded.header.alg === 'HS256') {
      const claims = verified(token, this.ownKey, { algorithms: ['HS256'] });
      return { principal: claims.sub ? principalFromClaims(claims)! : refused(), surfaces: null, expiresAt: expiry(claims) };
    }
    if (!EXTERNAL_ALGORITHMS.includes(decoded.header.alg as jwt.Algorithm)) throw new UnauthorizedError(INVALID_BEARER);
    const iss = decoded.payload.iss;
    const issuer = (iss === undefined ? undefined : this.byIssuer.get(iss)) ?? this.anyIssuer;
    if (!issuer) throw new UnauthorizedError('The token issuer is not accepted');
    const key = await issuer.keys.getSigningKey(decoded.header.kid).catch(() => refused());
    const { config } = issuer;
    const claims = verified(token, createPublicKey(key.getPublicKey()), { algorithms: EXTERNAL_ALGORITHMS, issuer: config.issuer, audience: config.audience });
    const principal = principalFromClaims(claims, config, claims.iss ?? config.jwksUri) ?? refused();
    return { principal, surfaces: config.plugins ? new Set(config.plugins) : null, expiresAt: expiry(claims) };
  }
}

function verified(token: string, key: KeyObject, options: jwt.VerifyOptions): jwt.JwtPayload {
  try {
    return jwt.verify(token, key, options) as jwt.JwtPayload;
  } catch {
    return refused();
  }
}

const refused = (): never => {
  throw new UnauthorizedError(INVALID_BEARER);
};

const expiry = (claims: jwt.JwtPayload): number | undefined => (claims.exp === undefined ? undefined : claims.exp * 1000);
