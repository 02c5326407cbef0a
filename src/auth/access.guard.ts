import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
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

/** Enforces each route's @Access rule; a route without one is refused (start-up also checks). */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly bearer = new BearerGuard();

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

    await this.bearer.canActivate(ctx);
    const principal = (req as { user?: Principal }).user!;
    const raw = String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const problem = externalClaimsProblem(raw, this.config);
    if (problem) throw new UnauthorizedError(problem);
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
}
