import { DeliveryContext, DeliveryProfile, hexHmac } from '../../src/sdk';
import { toWebhookEvent } from './polyai.mapper';

/**
 * PolyAI's signature: lowercase hex HMAC-SHA256 of `"{timestamp}.{raw_body}"`, keyed by the
 * endpoint's signing secret string as UTF-8 (the whole string, `whsec_` prefix included).
 * Only the newest secret signs: the header carries one bare digest.
 */
export function polyaiSignature(secret: string, timestamp: number, body: string): string {
  return hexHmac(secret, `${timestamp}.${body}`);
}

export const polyaiDelivery: DeliveryProfile = {
  envelope: (event) => toWebhookEvent(event),
  headers: (ctx: DeliveryContext) => ({
    'X-PolyAI-Timestamp': String(ctx.timestamp),
    'X-PolyAI-Signature': polyaiSignature(ctx.secrets[0], ctx.timestamp, ctx.body),
    // The event id: the same on every retry and for every endpoint of the account, so receivers can dedupe.
    'X-PolyAI-Event-ID': ctx.event.id,
  }),
  // 6 attempts: immediately, then +1 min, +5 min, +15 min, +1 h, +4 h. Timeouts, network errors,
  // 408, 429 and 5xx are retried by the core; every other 4xx is final.
  retry: { schedule: ['1m', '5m', '15m', '1h', '4h'], retryOn: () => false },
};
