import { OAuthError } from './oauth-error';

/** A client_credentials token request, read from the body (form or JSON) and the Authorization header. */
export interface ClientCredentialsRequest {
  clientId?: string;
  clientSecret?: string;
  /** The scopes asked for (`scope`, space separated); absent or empty = all of the client's. */
  scopes?: string[];
}

/**
 * Reads a token request: `grant_type` must be client_credentials; the client authenticates
 * either with HTTP Basic (client_secret_basic) or with body fields (client_secret_post), not both.
 */
export function parseClientCredentials(body: unknown, authorization: string | undefined): ClientCredentialsRequest {
  const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const field = (name: string): string | undefined => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
  const grant = field('grant_type');
  if (!grant) throw new OAuthError('invalid_request', 'grant_type is required');
  if (grant !== 'client_credentials') throw new OAuthError('unsupported_grant_type', 'only client_credentials is supported');

  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  let clientId = field('client_id');
  let clientSecret = field('client_secret');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || (clientId && clientSecret)) throw new OAuthError('invalid_request', 'use either HTTP Basic or client_id/client_secret in the body, not both');
    clientId = basicCredential(decoded.slice(0, colon));
    clientSecret = basicCredential(decoded.slice(colon + 1));
  }
  return { clientId, clientSecret, scopes: field('scope')?.split(' ').filter(Boolean) };
}

/** RFC 6749 §2.3.1: the id and secret are form-encoded inside Basic; a malformed %-escape is a failed authentication. */
function basicCredential(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new OAuthError('invalid_client', 'client authentication failed: malformed %-escape in the Basic credentials');
  }
}
