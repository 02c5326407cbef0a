import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import * as jwt from 'jsonwebtoken';
import { AppConfig } from '../config/app-config';
import { ForbiddenError, UnauthorizedError } from '../common/errors';
import { ACCESS_RULE, AccessRule } from './access.decorator';
import { externalClaimsProblem } from './jwt.strategy';
import { isAdmin, Principal } from './principal';
import { PrincipalsService } from './principals.service';

class BearerGuard extends AuthGuard('jwt') {
  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new UnauthorizedError(INVALID_BEARER);
    return user;
  }
}

interface GuardedRequest {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string>;
  principal?: Principal;
}

/** How long a verified token is trusted without verifying its signature again (never past its `exp`). */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

/** RFC 6750 §2.1: `Bearer` SP b64token, and nothing else on the line. */
const BEARER_HEADER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

const INVALID_BEARER = 'Missing, expired or invalid bearer token';

/** Enforces each route's @Access rule; a route without one is refused (start-up also checks). */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly bearer = new BearerGuard();
  /**
   * Bearer tokens already verified, by the token itself (signature included), so a client
   * reusing its token skips the signature check and passport on every request: on a small
   * publish that check is the largest single cost. An entry never outlives the token's `exp`.
   */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalsService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [ctx.getHandler(), ctx.getClass()]);
    if (!rule) throw new ForbiddenError('This route declares no access rule');
    if ('public' in rule) return true;
    const req = ctx.switchToHttp().getRequest<GuardedRequest>();

    if ('apiKey' in rule) {
      const key = req.headers['x-api-key'];
      const principal = typeof key === 'string' && key ? await this.principals.principalForApiKey(key) : null;
      if (!principal) throw new UnauthorizedError('Missing or invalid API key');
      req.principal = principal;
      return true;
    }

    const principal = await this.bearerPrincipal(ctx, req);
    req.principal = principal;
    if (isAdmin(principal)) return true;

    if ('scopes' in rule && !rule.scopes.some((s) => principal.scopes.includes(s))) {
      throw new ForbiddenError(`This operation requires one of the scopes: ${rule.scopes.join(', ')}`);
    }
    if ('orgRoles' in rule) {
      const role = principal.orgRoles[req.params?.[rule.orgParam] ?? ''];
      if (!role || !(rule.orgRoles as string[]).includes(role)) {
        throw new ForbiddenError(`This operation requires the role ${rule.orgRoles.join(' or ')} in the organization`);
      }
    }
    return true;
  }

  /** The token's principal; refused when the header is malformed, the token invalid or expired, or its client revoked. */
  private async bearerPrincipal(ctx: ExecutionContext, req: GuardedRequest): Promise<Principal> {
    const header = req.headers.authorization;
    const token = typeof header === 'string' ? BEARER_HEADER.exec(header)?.[1] : undefined;
    if (!token) throw new UnauthorizedError(INVALID_BEARER);
    const principal = this.verifiedPrincipal(token) ?? (await this.verify(ctx, token));
    if (await this.principals.isRevokedClient(principal.subject)) throw new UnauthorizedError('The client of this token has been revoked');
    return principal;
  }

  private verifiedPrincipal(token: string): Principal | undefined {
    const known = this.verified.get(token);
    if (!known) return undefined;
    if (known.until > Date.now()) return known.principal;
    this.verified.delete(token);
    return undefined;
  }

  private async verify(ctx: ExecutionContext, token: string): Promise<Principal> {
    await this.bearer.canActivate(ctx);
    const principal = (ctx.switchToHttp().getRequest() as { user?: Principal }).user!;
    const problem = externalClaimsProblem(token, this.config);
    if (problem) throw new UnauthorizedError(problem);
    const exp = (jwt.decode(token) as { exp?: number } | null)?.exp;
    const now = Date.now();
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    this.verified.set(token, { principal, until: Math.min(now + VERIFIED_TTL_MS, exp === undefined ? Infinity : exp * 1000) });
    return principal;
  }
}
