import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `${id}.${timestamp}.${body}`, base64, as `v1,<sig>`; one per valid secret, space separated.
 * A `whsec_` secret's key is the base64 after the prefix; any other secret (e.g. one a Caliper
 * user chose) is used as its UTF-8 bytes — verify with `new Webhook(secret, { format: 'raw' })`.
 */
export function signingKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

export function standardSignature(secrets: string[], id: string, timestamp: number, body: string): string {
  return secrets.map((s) => `v1,${createHmac('sha256', signingKey(s)).update(`${id}.${timestamp}.${body}`).digest('base64')}`).join(' ');
}

/** Lowercase hex HMAC-SHA256, the form most providers use for their own signature headers. */
export function hexHmac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}
