import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ForbiddenError } from '../common/errors';
import { Scope } from './scopes';

/** Who is calling, established by the access guard from a bearer token or an API key. */
export interface Principal {
  kind: 'token' | 'apiKey';
  /** Token `sub`, or the API key id: what the audit log records as the actor. */
  subject: string;
  /** Token `tenant` claim (or the issuer's tenantClaim), else `client_id`, else `sub`; or the API key's tenant. */
  tenant: string;
  scopes: string[];
  orgRoles: Record<string, string>;
  /** The `iss` of the external identity provider that vouched for the token; unset for the gateway's own tokens and API keys. */
  issuer?: string;
  /** The token's verified claims as sent (empty for API keys), for surfaces that read more than the above. */
  claims: Record<string, unknown>;
}

export const isAdmin = (p: Principal): boolean => p.scopes.includes(Scope.Admin);

/**
 * The tenant a principal's queries are limited to; null = every tenant (admin). `requested` is a
 * list's `tenant` filter: an admin narrows to it; anyone else may name only their own tenant.
 * Naming another is refused with 403 rather than an empty list, so a mistaken console link says why.
 */
export function tenantScope(p: Principal, requested?: string): string | null {
  if (isAdmin(p)) return requested ?? null;
  if (requested !== undefined && requested !== p.tenant) throw new ForbiddenError('tenant: this token may only read its own tenant');
  return p.tenant;
}

/** Injects the authenticated principal into a handler. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal);
