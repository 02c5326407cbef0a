import type { RegisteredPlugin } from '../../plugins-host/plugin-registry';

export interface AttemptOutcome {
  statusCode: number | null;
  /** Set when no HTTP status was received (timeout, connection error) or the destination was denied. */
  error: string | null;
  denied?: boolean;
  /** From a Retry-After header, milliseconds. */
  retryAfterMs?: number | null;
}

export const RETRY_AFTER_CAP_MS = 3600_000;

export const succeeded = (o: AttemptOutcome): boolean => o.statusCode !== null && o.statusCode >= 200 && o.statusCode < 300;

/**
 * Whether a failed attempt may be tried again: network failures, timeouts, 3xx (never followed),
 * 408, 429 and 5xx always; other 4xx as the plugin's retryOn says; a denied destination never.
 */
export function retryable(o: AttemptOutcome, retry: RegisteredPlugin['retry']): boolean {
  if (o.denied) return false;
  const status = o.statusCode;
  if (status === null || status < 400 || status >= 500 || status === 408 || status === 429) return true;
  return retry.retryOn(status);
}

/**
 * When the next try is due after `attemptCount` tries, or null when the schedule is used up.
 * The plugin's delay (scaled, ± jitter) unless the receiver asked for longer with Retry-After.
 */
export function nextAttemptAt(
  now: number,
  attemptCount: number,
  retry: RegisteredPlugin['retry'],
  scale: number,
  retryAfterMs?: number | null,
  random: () => number = Math.random,
): number | null {
  const base = retry.delaysMs[attemptCount - 1];
  if (base === undefined) return null;
  const jittered = base * scale * (1 + retry.jitter * (random() * 2 - 1));
  const asked = retryAfterMs ? Math.min(retryAfterMs, RETRY_AFTER_CAP_MS) : 0;
  return now + Math.round(Math.max(jittered, asked));
}

/** Retry-After as seconds or an HTTP date → milliseconds from now. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
