import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiOAuth2, ApiSecurity } from '@nestjs/swagger';
import { OrgRole } from './scopes';

export type AccessRule =
  | { public: true }
  /** A bearer token with any one of these scopes (`admin` always passes). */
  | { scopes: string[] }
  /** A bearer token whose `org_roles[<path param>]` is one of these roles. */
  | { orgRoles: OrgRole[]; orgParam: string }
  /** An `x-api-key` header. */
  | { apiKey: true };

export const ACCESS_RULE = 'hookgate:access';
export const SECURITY_SCHEMES = { oauth2: 'oauth2', bearer: 'bearer', apiKey: 'apiKey' } as const;

/**
 * The one declaration of who may call a route (Immich-style). The global AccessGuard enforces it,
 * and the same decorator writes the OpenAPI `security` and `x-required-*` so docs cannot disagree
 * with the code. A route without one makes start-up fail.
 */
export function Access(rule: AccessRule): MethodDecorator & ClassDecorator {
  const decorators: (ClassDecorator | MethodDecorator)[] = [SetMetadata(ACCESS_RULE, rule)];
  if ('scopes' in rule) {
    decorators.push(ApiOAuth2(rule.scopes, SECURITY_SCHEMES.oauth2), ApiExtension('x-required-scopes', rule.scopes));
  } else if ('orgRoles' in rule) {
    decorators.push(ApiBearerAuth(SECURITY_SCHEMES.bearer), ApiExtension('x-required-roles', rule.orgRoles));
  } else if ('apiKey' in rule) {
    decorators.push(ApiSecurity(SECURITY_SCHEMES.apiKey), ApiExtension('x-required-api-key', true));
  } else {
    decorators.push(ApiExtension('x-public', true));
  }
  return applyDecorators(...decorators);
}
