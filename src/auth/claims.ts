import type { ClaimPath } from '../config/external-issuers';
import { Principal } from './principal';

/** Where an issuer puts what a principal needs; unset fields take the gateway's own claim names. */
export interface ClaimMapping {
  tenantClaim?: ClaimPath;
  scopeClaim?: ClaimPath;
  orgRolesClaim?: ClaimPath;
}

type Claims = Record<string, unknown>;

const isRecord = (value: unknown): value is Claims => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmptyString = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/**
 * The value at `path` in the claims. A string path is split on dots, but a key may itself contain
 * dots (`https://timbrix.io/claims`): at each level the longest run of segments naming a key wins.
 */
export function claimAt(claims: Claims, path: ClaimPath): unknown {
  if (Array.isArray(path)) return path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), claims);
  if (path in claims) return claims[path];
  const segments = path.split('.');
  for (let take = segments.length - 1; take > 0; take--) {
    const head = segments.slice(0, take).join('.');
    if (isRecord(claims[head])) return claimAt(claims[head], segments.slice(take).join('.'));
  }
  return undefined;
}

/** Scopes as a space-separated string (`scope`) or an array (`scp`). */
const scopeList = (value: unknown): string[] =>
  typeof value === 'string' ? value.split(' ').filter(Boolean) : Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string' && s.length > 0) : [];

/** Only `{ orgId: role }` entries whose role is a string count. */
const orgRoles = (value: unknown): Record<string, string> =>
  isRecord(value) ? Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) : {};

/**
 * The principal a verified token stands for, or null when it names no subject (`sub`, else the
 * OAuth `client_id` of a client-credentials token). Tenant: the mapped claim, else `client_id`,
 * else `sub`.
 */
export function principalFromClaims(claims: Claims, mapping: ClaimMapping = {}, issuer?: string): Principal | null {
  const subject = nonEmptyString(claims.sub) ?? nonEmptyString(claims.client_id);
  if (!subject) return null;
  const scopes = mapping.scopeClaim ? scopeList(claimAt(claims, mapping.scopeClaim)) : [...new Set([...scopeList(claims.scope), ...scopeList(claims.scp)])];
  return {
    kind: 'token',
    subject,
    tenant: nonEmptyString(claimAt(claims, mapping.tenantClaim ?? 'tenant')) ?? nonEmptyString(claims.client_id) ?? subject,
    scopes,
    orgRoles: orgRoles(claimAt(claims, mapping.orgRolesClaim ?? 'org_roles')),
    ...(issuer === undefined ? {} : { issuer }),
    claims,
  };
}
