import { createHmac } from 'node:crypto';

const WHSEC_PREFIX = 'whsec_';
/** Standard base64 with its padding, nothing else (Buffer.from(…, 'base64') silently skips junk). */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * How a secret becomes the HMAC key, the one rule for every plugin:
 * - `whsec_<base64>` (what the gateway generates): the base64 decoding of what follows the
 *   prefix, which must be standard padded base64 of at least one byte;
 * - any other secret (e.g. one a Caliper user chose): its UTF-8 bytes, so it must not be empty.
 * Why a secret breaks the rule (it would sign with an empty or silently truncated key), or null.
 */
export function signingKeyProblem(secret: string): string | null {
  if (!secret.startsWith(WHSEC_PREFIX)) return secret.length ? null : 'a signing secret must not be empty';
  const encoded = secret.slice(WHSEC_PREFIX.length);
  if (!encoded.length || !STRICT_BASE64.test(encoded)) return `a secret starting with ${WHSEC_PREFIX} must continue with standard base64 (A-Z a-z 0-9 + /, = padding) of at least one byte`;
  return null;
}

/** The HMAC key of a secret (see signingKeyProblem); throws rather than sign with a weak key. */
export function signingKey(secret: string): Buffer {
  const problem = signingKeyProblem(secret);
  if (problem) throw new Error(`the endpoint's signing secret cannot sign: ${problem}`);
  return secret.startsWith(WHSEC_PREFIX) ? Buffer.from(secret.slice(WHSEC_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');
}

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `${id}.${timestamp}.${body}`, base64, as `v1,<sig>`; one per valid secret, space separated.
 * Verify a `whsec_` secret with `new Webhook(secret)`, any other with
 * `new Webhook(new TextEncoder().encode(secret), { format: 'raw' })` (an ASCII secret may be passed as is).
 */
export function standardSignature(secrets: string[], id: string, timestamp: number, body: string): string {
  // The body is fed as it is: concatenating it to the prefix would copy and flatten ~1 KiB per signature.
  return secrets.map((s) => `v1,${createHmac('sha256', signingKey(s)).update(`${id}.${timestamp}.`).update(body).digest('base64')}`).join(' ');
}

/** Lowercase hex HMAC-SHA256, the form most providers use for their own signature headers. */
export function hexHmac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}
