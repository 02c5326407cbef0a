import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerGuard, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import { RateLimitedError } from '../../src/sdk';
import type { Principal } from '../../src/sdk';

/** Requests per minute and client on /generic when the configuration sets no other limit. */
export const DEFAULT_GENERIC_RATE_LIMIT_PER_MINUTE = 120;

/**
 * The limit comes from the validated configuration (`GENERIC_RATE_LIMIT_PER_MINUTE`, exposed by
 * the core under the `hookgate` namespace) and falls back to the default while it declares none.
 * A client is the authenticated principal (the access guard runs first), so callers behind one
 * proxy address do not share a budget; the budget covers every /generic route together.
 */
export function genericThrottlerOptions(config: ConfigService): ThrottlerModuleOptions {
  const limit = Number(config.get('hookgate.GENERIC_RATE_LIMIT_PER_MINUTE') ?? DEFAULT_GENERIC_RATE_LIMIT_PER_MINUTE);
  return {
    throttlers: [{ ttl: 60_000, limit }],
    getTracker: (req: { principal?: Principal; ip?: string }) =>
      req.principal ? `${req.principal.kind}:${req.principal.tenant}:${req.principal.subject}` : `ip:${req.ip ?? 'unknown'}`,
    generateKey: (_context, tracker) => `generic:${tracker}`,
  };
}

/** @nestjs/throttler's guard, answering in this surface's shape: 429 `{message}` with Retry-After. */
@Injectable()
export class GenericRateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(_context: unknown, limit: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimitedError(Math.max(1, limit.timeToBlockExpire));
  }
}
