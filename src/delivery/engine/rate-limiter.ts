/**
 * Per-endpoint rate limit for this process: a token bucket of `perSecond` tokens. Deliveries above
 * the rate are postponed, never failed or dropped. (Across workers, the Redis limiter applies.)
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes a token, or says how many ms until one is free (and takes nothing). */
  reserve(key: string, perSecond: number | null, now = Date.now()): number {
    if (!perSecond) return 0;
    const bucket = this.buckets.get(key) ?? { tokens: perSecond, at: now };
    bucket.tokens = Math.min(perSecond, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / perSecond) * 1000);
  }
}
