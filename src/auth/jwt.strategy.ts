import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import * as jwt from 'jsonwebtoken';
import { createSecretKey } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import { Principal } from './principal';

interface Claims {
  sub?: string;
  scope?: string;
  tenant?: string;
  org_roles?: Record<string, string>;
  iss?: string;
  aud?: string | string[];
}

/**
 * Bearer JWTs: HS256 under AUTH_JWT_SECRET (tokens this gateway issues), and, when AUTH_JWKS_URI
 * is set, RS256/ES256 from that JWKS with AUTH_ISSUER/AUTH_AUDIENCE checked. The key is chosen
 * by the token's `alg`, and each key only verifies its own algorithm family, so an attacker
 * cannot sign an HS256 token with the public key; `alg: none` is never accepted.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(config: AppConfig) {
    // A KeyObject made once: given a string, jsonwebtoken re-parses the key on every verify.
    const ownKey = createSecretKey(Buffer.from(config.AUTH_JWT_SECRET!, 'utf8'));
    const external = config.AUTH_JWKS_URI
      ? passportJwtSecret({ jwksUri: config.AUTH_JWKS_URI, cache: true, rateLimit: true, jwksRequestsPerMinute: 10 })
      : null;
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: external ? ['HS256', 'RS256', 'ES256'] : ['HS256'],
      passReqToCallback: false,
      secretOrKeyProvider: (req: unknown, rawJwt: string, done: (err: unknown, key?: string | Buffer) => void) => {
        const alg = jwt.decode(rawJwt, { complete: true })?.header.alg;
        if (alg === 'HS256') return done(null, ownKey as never);
        if (external && (alg === 'RS256' || alg === 'ES256')) return external(req as never, rawJwt, done as never);
        return done(new Error(`unsupported token algorithm ${alg}`));
      },
    });
  }

  validate(claims: Claims): Principal | false {
    if (!claims.sub) return false;
    return {
      kind: 'token',
      subject: claims.sub,
      tenant: claims.tenant ?? claims.sub,
      scopes: (claims.scope ?? '').split(' ').filter(Boolean),
      orgRoles: claims.org_roles ?? {},
      claims: claims as Record<string, unknown>,
    };
  }
}

/**
 * External-IdP tokens must carry AUTH_ISSUER / AUTH_AUDIENCE when those are set; the gateway's
 * own HS256 tokens need neither.
 */
export function externalClaimsProblem(rawJwt: string, config: AppConfig): string | null {
  const decoded = jwt.decode(rawJwt, { complete: true });
  if (!decoded || decoded.header.alg === 'HS256') return null;
  const claims = decoded.payload as Claims;
  if (config.AUTH_ISSUER && claims.iss !== config.AUTH_ISSUER) return 'token issuer is not accepted';
  const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
  if (config.AUTH_AUDIENCE && !audiences.includes(config.AUTH_AUDIENCE)) return 'token audience is not accepted';
  return null;
}
