import { ExecutionContext, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ThrottlerGuard, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import { RateLimitedError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { PluginRegistry } from '../plugins-host/plugin-registry';
import { Principal } from './principal';
import { CountersThrottlerStorage, RateCounters } from './rate-counters';

const MINUTE_MS = 60_000;

interface LimitedRequest {
  url: string;
  principal?: Principal;
}

const requestOf = (ctx: ExecutionContext): LimitedRequest => ctx.switchToHttp().getRequest<LimitedRequest>();

/**
 * API_RATE_LIMIT_PER_MINUTE, or a plugin's own `rateLimitPerMinute`, per principal (token
 * subject or API key) and surface: each surface has its own budget, shared by all its routes.
 * Only authenticated requests count (the access guard runs first), so a flood of bad credentials
 * cannot spend another principal's budget; public routes are not limited here.
 */
export function requestThrottlerOptions(config: AppConfig, plugins: PluginRegistry, counters: RateCounters): ThrottlerModuleOptions {
  const limits = new Map(plugins.all().map((p) => [p.metadata.key, p.metadata.rateLimitPerMinute?.(p.settings) ?? config.API_RATE_LIMIT_PER_MINUTE]));
  const surfaceOf = (req: LimitedRequest): string => plugins.surfaceFor(req.url);
  const limitOf = (req: LimitedRequest): number => limits.get(surfaceOf(req)) ?? config.API_RATE_LIMIT_PER_MINUTE;
  return {
    throttlers: [{ ttl: MINUTE_MS, limit: (ctx) => limitOf(requestOf(ctx)) }],
    skipIf: (ctx) => {
      const req = requestOf(ctx);
      return !req.principal || limitOf(req) === 0;
    },
    getTracker: (req) => trackerOf((req as LimitedRequest).principal!),
    generateKey: (ctx, tracker) => `requests:${surfaceOf(requestOf(ctx))}:${tracker}`,
    storage: new CountersThrottlerStorage(counters),
  };
}

/**
 * Whose budget a request spends. Two identity providers may both have a user `42`, so an
 * external subject is counted under its issuer (digested: an issuer is a long URL).
 */
function trackerOf(principal: Principal): string {
  const issuer = principal.issuer === undefined ? '' : `${createHash('sha256').update(principal.issuer).digest('hex').slice(0, 16)}:`;
  return `${principal.kind}:${issuer}${principal.subject}`;
}

/** @nestjs/throttler's guard, answering 429 with Retry-After in the surface's error shape. */
@Injectable()
export class RequestRateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(_context: ExecutionContext, limit: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimitedError(limit.timeToBlockExpire);
  }
}
