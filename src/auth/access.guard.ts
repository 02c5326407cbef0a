import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ForbiddenError, UnauthorizedError } from '../common/errors';
import { PluginRegistry } from '../plugins-host/plugin-registry';
import { ACCESS_RULE, AccessRule } from './access.decorator';
import { isAdmin, Principal } from './principal';
import { Scope } from './scopes';
import { PrincipalsService } from './principals.service';
import { bearerToken, INVALID_BEARER, VerifiedToken } from './jwt.strategy';

/** Runs passport's `jwt` strategy; a refusal keeps the strategy's own reason when it gave one. */
class BearerGuard extends AuthGuard('jwt') {
  override handleRequest<T>(err: unknown, verified: T | false, info: unknown): T {
    if (err) throw err;
    if (!verified) throw info instanceof UnauthorizedError ? info : new UnauthorizedError(INVALID_BEARER);
    return verified;
  }
}

interface GuardedRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string>;
  principal?: Principal;
  /** Where passport puts what JwtStrategy.validate returned. */
  user?: VerifiedToken;
}

/** How long a verified token is trusted without verifying its signature again (never past its `exp`). */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

/** Enforces each route's @Access rule; a route without one is refused (start-up also checks). */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly bearer = new BearerGuard();
  /**
   * Bearer tokens already verified, by the token itself (signature included), so a client
   * reusing its token skips passport and the signature check on every request: on a small
   * publish that check is the largest single cost. An entry never outlives the token's `exp`.
   */
  private readonly verified = new Map<string, { token: VerifiedToken; until: number }>();

  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalsService,
    private readonly plugins: PluginRegistry,
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
    if ('orgRoles' in rule) {
      const organization = req.params?.[rule.orgParam] ?? '';
      const role = principal.orgRoles[organization];
      if (!isAdmin(principal) && (!role || !(rule.orgRoles as string[]).includes(role))) {
        throw new ForbiddenError(`This operation requires the role ${rule.orgRoles.join(' or ')} in the organization`);
      }
      req.principal = actingInOrganization(principal, organization);
      return true;
    }
    if (isAdmin(principal)) return true;
    if ('scopes' in rule && !rule.scopes.some((s) => principal.scopes.includes(s))) {
      throw new ForbiddenError(`This operation requires one of the scopes: ${rule.scopes.join(', ')}`);
    }
    return true;
  }

  /**
   * The token's principal; refused when the header is malformed, the token invalid or expired,
   * its issuer not allowed on this surface, or (the gateway's own tokens) its client revoked.
   */
  private async bearerPrincipal(ctx: ExecutionContext, req: GuardedRequest): Promise<Principal> {
    const token = bearerToken(req);
    if (!token) throw new UnauthorizedError(INVALID_BEARER);
    const { principal, surfaces } = this.recentlyVerified(token) ?? (await this.verify(ctx, req, token));
    if (surfaces && !surfaces.has(this.plugins.surfaceFor(req.url))) throw new UnauthorizedError('Tokens of this issuer are not accepted on this API');
    // External subjects are the identity provider's, not clients of this gateway.
    if (principal.issuer === undefined && (await this.principals.isRevokedClient(principal.subject))) throw new UnauthorizedError('The client of this token has been revoked');
    return principal;
  }

  private recentlyVerified(token: string): VerifiedToken | undefined {
    const known = this.verified.get(token);
    if (!known) return undefined;
    if (known.until > Date.now()) return known.token;
    this.verified.delete(token);
    return undefined;
  }

  /** First sight of a token: passport-jwt verifies it (the strategy reads the same header). */
  private async verify(ctx: ExecutionContext, req: GuardedRequest, token: string): Promise<VerifiedToken> {
    await this.bearer.canActivate(ctx);
    const verified = req.user!;
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    this.verified.set(token, { token: verified, until: Math.min(Date.now() + VERIFIED_TTL_MS, verified.expiresAt ?? Infinity) });
    return verified;
  }
}

/**
 * On an `orgRoles` route the caller acts in the organization its path names, admins too: that
 * organization is the tenant the plugin facades scope every read and write to.
 */
function actingInOrganization(principal: Principal, organization: string): Principal {
  return { ...principal, tenant: organization, scopes: principal.scopes.filter((scope) => scope !== Scope.Admin) };
}
