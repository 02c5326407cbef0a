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
    if (err || !user) throw new UnauthorizedError('Missing, expired or invalid bearer token');
    return user;
  }
}

interface GuardedRequest {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string>;
  principal?: Principal;
}

/** How long a verified token is trusted without verifying it again (never past its `exp`). */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

/** Enforces each route's @Access rule; a route without one is refused (start-up also checks). */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly bearer = new BearerGuard();
  /**
   * Bearer tokens already verified, by their exact text (signature included), so a client
   * reusing its token skips the signature check and passport on every request: on a small
   * publish that check is the largest single cost.
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

  private async bearerPrincipal(ctx: ExecutionContext, req: GuardedRequest): Promise<Principal> {
    const raw = String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const now = Date.now();
    const known = this.verified.get(raw);
    if (known && known.until > now) return known.principal;
    await this.bearer.canActivate(ctx);
    const principal = (req as { user?: Principal }).user!;
    const problem = externalClaimsProblem(raw, this.config);
    if (problem) throw new UnauthorizedError(problem);
    const exp = (jwt.decode(raw) as { exp?: number } | null)?.exp;
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    this.verified.set(raw, { principal, until: Math.min(now + VERIFIED_TTL_MS, exp === undefined ? Infinity : exp * 1000) });
    return principal;
  }
}
