import { createHash } from 'node:crypto';
import { EndpointView } from '../../endpoints/endpoint.view';
import { AttemptRow } from '../../persistence/entities';
import { SendResult } from './http-sender';
import type { WireRequest } from './wire-request';

/** What replaces a secret header value. */
export const MASKED_VALUE = '********';
/** What replaces a credential in a URL (user info, a query value). */
export const MASKED_URL_PART = '****';

/**
 * Header and query parameter names that carry credentials or signatures on any surface
 * (Authorization, X-Api-Key, X-Webhook-Signature, Set-Cookie, X-Auth-Token, ?token=, ?sig=...).
 */
const SECRET_NAME = /auth|signature|secret|token|api[-_]?key|password|passwd|credential|cookie|session|^sig$|^key$/i;
/** A known secret shorter than this is masked only where it is the whole value, so short ones do not mask unrelated text. */
const MIN_CONTAINED_SECRET = 6;

/**
 * An attempt's request as stored: secrets masked, the body by its hash. The body equals the
 * envelope the plugin builds from the event (up to 1 MiB, one copy per attempt of every
 * endpoint the event fans out to), so it is not stored again: reading an attempt rebuilds it
 * from the stored event and returns it only when its SHA-256 is the one sent (see
 * DeliveriesService.get). Measured on SQLite with a 2 KB body: 418 bytes an attempt with the
 * hash, 4150 with the body. The method is always POST (HttpSender sends nothing else).
 */
export interface RecordedRequest {
  url: string;
  headers: Record<string, string>;
  bodySha256: string;
}

/**
 * Masks what was sent, with what the gateway knows to be secret for this endpoint: its signing
 * secrets, its custom header values, its outbound credentials (e.g. generic authType), and any
 * header or query value whose name says it is a credential. Runs after the request went out, so
 * it adds nothing to the attempt's latency; it is a few string tests per header.
 */
export function recordedRequest(wire: WireRequest, endpoint: EndpointView, signingSecrets: string[]): RecordedRequest {
  const secrets = [...signingSecrets, ...Object.values(endpoint.headers), ...credentialStrings(endpoint.auth)].filter((s) => s.length > 0);
  const custom = new Set(Object.keys(endpoint.headers).map((name) => name.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(wire.headers)) {
    headers[name] = custom.has(name.toLowerCase()) || SECRET_NAME.test(name) || revealsSecret(value, secrets) ? MASKED_VALUE : value;
  }
  return { url: maskedUrl(wire.url, secrets), headers, bodySha256: wire.bodySha256() };
}

/** The detail columns of an attempt: nothing of the request when it was refused before sending (SSRF). */
export type AttemptDetail = Pick<AttemptRow, 'requestUrl' | 'requestHeaders' | 'requestBodySha256' | 'responseHeaders'>;

export const NO_ATTEMPT_DETAIL: AttemptDetail = { requestUrl: null, requestHeaders: null, requestBodySha256: null, responseHeaders: null };

export function attemptDetail(wire: WireRequest, endpoint: EndpointView, signingSecrets: string[], outcome: SendResult): AttemptDetail {
  if (outcome.denied) return NO_ATTEMPT_DETAIL;
  const request = recordedRequest(wire, endpoint, signingSecrets);
  return {
    requestUrl: request.url,
    requestHeaders: request.headers,
    requestBodySha256: request.bodySha256,
    responseHeaders: outcome.responseHeaders ? recordedResponseHeaders(outcome.responseHeaders) : null,
  };
}

/** A receiver's response headers as stored: cookies and tokens it sets are masked like ours. */
export function recordedResponseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    kept[name] = SECRET_NAME.test(name) ? MASKED_VALUE : Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The URL as sent, with user info replaced by `****:****` and secret query values by `****`; the
 * rest stays byte for byte (not re-serialised), so it still reads as what went on the wire.
 */
export function maskedUrl(url: string, secrets: string[] = []): string {
  const userInfo = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i;
  let masked = url.replace(userInfo, (_, scheme: string, info: string) => `${scheme}${info.includes(':') ? `${MASKED_URL_PART}:${MASKED_URL_PART}` : MASKED_URL_PART}@`);
  const queryAt = masked.indexOf('?');
  if (queryAt < 0) return masked;
  const hashAt = masked.indexOf('#', queryAt);
  const query = masked.slice(queryAt + 1, hashAt < 0 ? undefined : hashAt);
  const maskedQuery = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = decoded(pair.slice(0, eq));
      const value = decoded(pair.slice(eq + 1));
      return SECRET_NAME.test(name) || revealsSecret(value, secrets) ? `${pair.slice(0, eq)}=${MASKED_URL_PART}` : pair;
    })
    .join('&');
  masked = `${masked.slice(0, queryAt + 1)}${maskedQuery}${hashAt < 0 ? '' : masked.slice(hashAt)}`;
  return masked;
}

function revealsSecret(value: string, secrets: string[]): boolean {
  return secrets.some((secret) => value === secret || (secret.length >= MIN_CONTAINED_SECRET && value.includes(secret)));
}

/** Every string among an endpoint's outbound credentials (their shape is the plugin's). */
function credentialStrings(auth: Record<string, unknown> | null): string[] {
  if (!auth) return [];
  return Object.values(auth).flatMap((v) => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? credentialStrings(v as Record<string, unknown>) : []));
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
