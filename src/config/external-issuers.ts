import { plainToInstance } from 'class-transformer';
import { ArrayUnique, IsArray, IsOptional, IsString, Matches, MinLength, validateSync } from 'class-validator';
import { violationMessage } from './violation';

/**
 * Where a claim is in a token: a dot path (`https://timbrix.io/claims.org_roles`), whose segments
 * may themselves contain dots (at each level the longest key the token has wins), or an array of
 * exact segments (`["https://timbrix.io/claims", "org_roles"]`).
 */
export type ClaimPath = string | string[];

const isClaimPath = (value: unknown): boolean =>
  (typeof value === 'string' && value.length > 0) || (Array.isArray(value) && value.length > 0 && value.every((s) => typeof s === 'string' && s.length > 0));

/** One external identity provider whose RS256/ES256 access tokens the gateway accepts. */
export class ExternalIssuer {
  /** The token's `iss`, exactly; tokens are matched to their issuer by it. Unset only in the AUTH_JWKS_URI shorthand without AUTH_ISSUER. */
  @IsOptional() @IsString() @MinLength(1)
  issuer?: string;

  @Matches(/^https?:\/\/.+/, { message: 'must be an http(s) URL' })
  jwksUri: string;

  @IsOptional() @IsString() @MinLength(1)
  audience?: string;

  /** Default `tenant`; then `client_id`, then `sub`. */
  tenantClaim?: ClaimPath;

  /** Unset: both `scope` (space-separated) and `scp` (array) are read. */
  scopeClaim?: ClaimPath;

  /** Default `org_roles`: `{ "<orgId>": "OWNER" | "ADMIN" | "MEMBER" }`. */
  orgRolesClaim?: ClaimPath;

  /** The surfaces its tokens may call: plugin keys and `core` (the /v1 API); unset = every surface. */
  @IsOptional() @IsArray() @ArrayUnique() @IsString({ each: true })
  plugins?: string[];
}

const CLAIM_FIELDS = ['tenantClaim', 'scopeClaim', 'orgRolesClaim'] as const;
const FIELDS = new Set<string>(['issuer', 'jwksUri', 'audience', 'plugins', ...CLAIM_FIELDS]);

/** AUTH_ISSUERS (a JSON list), or the one-issuer shorthand; throws one line saying what is wrong (without the variable name). */
export function parseExternalIssuers(json: string | undefined, shorthand: { jwksUri?: string; issuer?: string; audience?: string }): ExternalIssuer[] {
  if (json === undefined) return shorthand.jwksUri ? [{ jwksUri: shorthand.jwksUri, issuer: shorthand.issuer, audience: shorthand.audience }] : [];
  if (shorthand.jwksUri) throw new Error('cannot be combined with AUTH_JWKS_URI: list that issuer in AUTH_ISSUERS too');
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    throw new Error('must be a JSON list of {issuer, jwksUri, audience?, tenantClaim?, scopeClaim?, orgRolesClaim?, plugins?}');
  }
  if (!Array.isArray(list) || !list.length) throw new Error('must be a non-empty JSON list of issuers');
  const issuers = list.map((entry, i) => checkedIssuer(entry, `[${i}]`));
  const twice = issuers.find((a, i) => issuers.findIndex((b) => b.issuer === a.issuer) !== i);
  if (twice) throw new Error(`lists the issuer ${twice.issuer} twice`);
  return issuers;
}

function checkedIssuer(entry: unknown, at: string): ExternalIssuer {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${at} must be an object`);
  const unknownField = Object.keys(entry).find((k) => !FIELDS.has(k));
  if (unknownField) throw new Error(`${at} has an unknown field "${unknownField}" (known: ${[...FIELDS].join(', ')})`);
  const issuer = plainToInstance(ExternalIssuer, entry);
  if (issuer.issuer === undefined) throw new Error(`${at}.issuer is required`);
  const [first] = validateSync(issuer);
  if (first) throw new Error(`${at}.${first.property} ${violationMessage(first)}`);
  const badPath = CLAIM_FIELDS.find((f) => issuer[f] !== undefined && !isClaimPath(issuer[f]));
  if (badPath) throw new Error(`${at}.${badPath} must be a claim name, a dot path or an array of path segments`);
  return issuer;
}
