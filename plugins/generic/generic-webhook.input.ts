import { AppConfig, customHeaderIssues, GATEWAY_HEADERS, urlProblem, ValidationFailedError } from '../../src/sdk';

export const AUTH_TYPES = ['none', 'basic', 'querystring', 'authheader', 'header', 'bearer'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];
export type TokenAuthType = Exclude<AuthType, 'none' | 'basic'>;

export const DEFAULT_HEADER_NAME = 'X-Api-Key';
export const DEFAULT_QUERY_PARAM = 'token';

/** The outbound credentials of a hook, as stored (encrypted) in the endpoint's `auth` field. */
export type GenericAuth =
  | { authType: 'none' }
  | { authType: 'basic'; userName: string; password: string }
  | { authType: 'bearer' | 'authheader'; token: string }
  | { authType: 'header'; token: string; headerName: string }
  | { authType: 'querystring'; token: string; queryParam: string };

/** A validated `POST`/`PUT /generic/webhooks` body. */
export interface GenericWebhookInput {
  isAlertHook: boolean;
  endpoint: string;
  auth: GenericAuth;
}

const FIELDS = ['isAlertHook', 'endpoint', 'authType', 'userName', 'password', 'token', 'headerName', 'queryParam'] as const;
type Field = (typeof FIELDS)[number];
type OptionalString = 'userName' | 'password' | 'token' | 'headerName' | 'queryParam';

/** CR, LF, NUL and other controls would break the header (or the URL) they are written into. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
/** RFC 3986 unreserved characters: a parameter name that needs no encoding. */
const QUERY_PARAM = /^[A-Za-z0-9._~-]+$/;

function fail(field: Field | null, message: string): never {
  throw new ValidationFailedError([{ path: field ? [field] : [], code: 'invalid', message }]);
}

/**
 * Checks a body against the provider's rules (seed 003) and returns it typed. The first rule
 * that fails becomes the 400 message, in this order: shape, unknown fields, field types,
 * endpoint, authType, credentials-vs-token, then the authType's own requirements.
 */
export function parseGenericWebhook(body: unknown, config: AppConfig): GenericWebhookInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(null, 'body must be a JSON object');
  const raw = body as Record<string, unknown>;
  const unknownField = Object.keys(raw).find((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknownField !== undefined) fail(null, `property ${unknownField} should not exist`);
  // A JSON null counts as "not provided", as most clients send null for unused fields.
  const given = (field: Field): boolean => raw[field] !== undefined && raw[field] !== null;

  if (given('isAlertHook') && typeof raw.isAlertHook !== 'boolean') fail('isAlertHook', 'isAlertHook must be a boolean');
  for (const field of ['userName', 'password', 'token', 'headerName', 'queryParam'] as const) {
    if (given(field) && typeof raw[field] !== 'string') fail(field, `${field} must be a string`);
  }
  const text = (field: OptionalString): string | undefined => (given(field) ? (raw[field] as string) : undefined);

  const endpoint = checkEndpoint(raw.endpoint, config);
  if (!given('authType')) fail('authType', 'authType is required');
  if (!(AUTH_TYPES as readonly unknown[]).includes(raw.authType)) fail('authType', `authType must be one of ${AUTH_TYPES.join(', ')}`);
  const authType = raw.authType as AuthType;
  const isAlertHook = raw.isAlertHook === true;

  const credentialFields = (['userName', 'password', 'token'] as const).filter(given);
  if (authType === 'none') {
    if (credentialFields.length) fail(credentialFields[0], `${credentialFields[0]} must not be provided when authType is none`);
  } else if (given('token') && (given('userName') || given('password'))) {
    fail(null, 'provide either userName and password or token, not both');
  }
  if (given('headerName') && authType !== 'header') fail('headerName', 'headerName must only be provided when authType is header');
  if (given('queryParam') && authType !== 'querystring') fail('queryParam', 'queryParam must only be provided when authType is querystring');

  switch (authType) {
    case 'none':
      return { isAlertHook, endpoint, auth: { authType } };
    case 'basic': {
      const userName = required(text('userName'), 'userName', authType);
      const password = required(text('password'), 'password', authType);
      if (userName.includes(':')) fail('userName', 'userName must not contain a colon (HTTP Basic joins userName and password with one)');
      return { isAlertHook, endpoint, auth: { authType, userName, password } };
    }
    default: {
      for (const field of ['userName', 'password'] as const) if (given(field)) fail(field, `${field} must not be provided when authType is ${authType}`);
      const token = required(text('token'), 'token', authType);
      if (authType === 'header') return { isAlertHook, endpoint, auth: { authType, token, headerName: checkHeaderName(text('headerName')) } };
      if (authType === 'querystring') {
        const queryParam = checkQueryParam(text('queryParam'));
        if (new URL(endpoint).searchParams.has(queryParam)) fail('endpoint', `endpoint must not already contain the query parameter ${queryParam} when authType is querystring`);
        return { isAlertHook, endpoint, auth: { authType, token, queryParam } };
      }
      return { isAlertHook, endpoint, auth: { authType, token } };
    }
  }
}

function checkEndpoint(value: unknown, config: AppConfig): string {
  if (value === undefined || value === null) return fail('endpoint', 'endpoint is required');
  if (typeof value !== 'string') return fail('endpoint', 'endpoint must be a string');
  const problem = urlProblem(value, config);
  if (problem === null) return value;
  // The core speaks of `url`; this surface's field is `endpoint`.
  return fail('endpoint', problem === 'url must be an absolute http(s) URL' ? 'endpoint must be a valid URL' : problem.replace(/^url /, 'endpoint '));
}

function required(value: string | undefined, field: OptionalString, authType: AuthType): string {
  if (value === undefined) return fail(field, `${field} is required when authType is ${authType}`);
  if (value === '') return fail(field, `${field} must not be empty`);
  // A token travels verbatim in a header or (encoded) in the URL: printable ASCII is what both carry safely.
  if (field === 'token' && !PRINTABLE_ASCII.test(value)) return fail(field, 'token must contain only printable ASCII characters');
  if (CONTROL_CHARACTER.test(value)) return fail(field, `${field} must not contain control characters`);
  return value;
}

/** The SDK's custom-header rule, in this surface's words. */
function checkHeaderName(value: string | undefined): string {
  if (value === undefined) return DEFAULT_HEADER_NAME;
  const [issue] = customHeaderIssues({ [value]: '' });
  if (issue?.code === 'header_name') return fail('headerName', 'headerName must be a valid HTTP header name');
  if (GATEWAY_HEADERS.includes(value.toLowerCase())) return fail('headerName', `headerName must not be one of ${GATEWAY_HEADERS.join(', ')}`);
  if (issue) return fail('headerName', 'headerName must not be a hop-by-hop header or a webhook-* header');
  return value;
}

function checkQueryParam(value: string | undefined): string {
  if (value === undefined) return DEFAULT_QUERY_PARAM;
  if (!QUERY_PARAM.test(value)) return fail('queryParam', 'queryParam must contain only letters, digits and . _ ~ -');
  return value;
}

/** `DELETE /generic/webhooks?isAlertHook=true|false` (absent = the data hook, as in the body). */
export function parseIsAlertHookQuery(value: unknown): boolean {
  if (value === undefined) return false;
  if (value === 'true' || value === 'false') return value === 'true';
  return fail('isAlertHook', 'isAlertHook must be true or false');
}
