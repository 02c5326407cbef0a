import { randomBytes, randomUUID } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): time-ordered, so ids sort by creation and index inserts stay append-only.
 * Built on randomUUID (whose entropy is drawn from a pooled buffer, unlike one randomBytes call
 * per id): its 74 random bits and variant stay, the first 48 bits become the timestamp and the
 * version nibble becomes 7.
 */
export function uuidv7(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

/** A random token with a recognisable prefix (e.g. `hgk_…` for API keys). */
export function prefixedToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

export function whsecSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}
