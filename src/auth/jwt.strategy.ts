import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { JwksClient } from 'jwks-rsa';
import * as jwt from 'jsonwebtoken';
import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import { ExternalIssuer } from '../config/external-issuers';
import { UnauthorizedError } from '../common/errors';
import { principalFromClaims } from './claims';
import { Principal } from './principal';

export const INVALID_BEARER = 'Missing, expired or invalid bearer token';
const EXTERNAL_ALGORITHMS: jwt.Algorithm[] = ['RS256', 'ES256'];
const JWKS_TIMEOUT_MS = 5000;

/** RFC 6750 §2.1: `Bearer` SP b64token, and nothing else on the line. */
const BEARER_HEADER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** The bearer token of a well-formed `Authorization` header, else null. */
export function bearerToken(req: { headers: Record<string, string | string[] | undefined> }): string | null {
  const header = req.headers.authorization;
  return (typeof header === 'string' ? BEARER_HEADER.exec(header)?.[1] : undefined) ?? null;
}

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
 * The key a token must be signed with: AUTH_JWT_SECRET for HS256 (the gateway's own tokens), and
 * for RS256/ES256 the JWKS key (`kid`) of the external issuer named by the token's unverified
 * `iss`. Each key is handed out only for its own algorithm family, so nobody can sign an HS256
 * token with a public key; `alg: none` is never accepted.
 */
class SigningKeys {
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

  issuerOf(iss: string | undefined): KnownIssuer | undefined {
    return (iss === undefined ? undefined : this.byIssuer.get(iss)) ?? this.anyIssuer;
  }

  async keyFor(rawJwt: string): Promise<KeyObject> {
    const decoded = jwt.decode(rawJwt, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') return refused();
    if (decoded.header.alg === 'HS256') return this.ownKey;
    if (!EXTERNAL_ALGORITHMS.includes(decoded.header.alg as jwt.Algorithm)) return refused();
    const issuer = this.issuerOf(decoded.payload.iss);
    if (!issuer) throw new UnauthorizedError('The token issuer is not accepted');
    const key = await issuer.keys.getSigningKey(decoded.header.kid).catch(refused);
    return createPublicKey(key.getPublicKey());
  }
}

/**
 * Bearer JWTs, verified by passport-jwt (signature, `exp`, `nbf`) with the key SigningKeys picks;
 * `validate` then applies the issuer's own rules: `iss` and `aud`, the surfaces it may call, and
 * its claim mapping. The gateway's own HS256 tokens are valid on every surface.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly keys: SigningKeys;

  constructor(config: AppConfig) {
    const keys = new SigningKeys(config);
    super({
      jwtFromRequest: bearerToken,
      secretOrKeyProvider: (_req, rawJwt: string, done) => {
        // jsonwebtoken takes a KeyObject; passport-jwt's types only list string | Buffer.
        keys.keyFor(rawJwt).then((key) => done(null, key as unknown as Buffer), done);
      },
      algorithms: ['HS256', ...EXTERNAL_ALGORITHMS],
      // The verified header too: its `alg` tells the gateway's own tokens from external ones.
      jsonWebTokenOptions: { complete: true },
    });
    this.keys = keys;
  }

  validate({ header, payload: claims }: jwt.Jwt): VerifiedToken {
    if (typeof claims === 'string') return refused();
    if (header.alg === 'HS256') return { principal: claims.sub ? principalFromClaims(claims)! : refused(), surfaces: null, expiresAt: expiry(claims) };
    // keyFor found this issuer for this very token, or the signature would not have been checked.
    const { config } = this.keys.issuerOf(claims.iss)!;
    if (config.issuer !== undefined && claims.iss !== config.issuer) return refused();
    if (config.audience !== undefined && ![claims.aud ?? []].flat().includes(config.audience)) return refused();
    const principal = principalFromClaims(claims, config, claims.iss ?? config.jwksUri) ?? refused();
    return { principal, surfaces: config.plugins ? new Set(config.plugins) : null, expiresAt: expiry(claims) };
  }
}

const refused = (): never => {
  throw new UnauthorizedError(INVALID_BEARER);
};

const expiry = (claims: jwt.JwtPayload): number | undefined => (claims.exp === undefined ? undefined : claims.exp * 1000);
