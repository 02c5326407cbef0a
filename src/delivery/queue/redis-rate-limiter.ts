import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { RateLimiter } from '../engine/rate-limiter';
import { Database } from '../../persistence/database';
import { EndpointRow } from '../../persistence/entities';
import { DeliveryJobs } from './delivery-jobs';
import { runScript } from '../../redis/redis-scripts';

/** An endpoint's limit may change; re-reading it once a second per endpoint is plenty. */
const LIMIT_CACHE_MS = 1000;
const LIMIT_CACHE_MAX = 10000;

/**
 * The per-endpoint rate limit across every worker: one token bucket per endpoint in Redis. The
 * worker reserves a slot before sending; a delivery whose slot is later is postponed to it (and
 * sent then without asking again), never failed or dropped.
 */
@Injectable()
export class RedisRateLimiter {
  private readonly limits = new Map<string, { perSecond: Promise<number | null>; until: number }>();

  constructor(
    private readonly jobs: DeliveryJobs,
    private readonly db: Database,
    private readonly config: AppConfig,
  ) {}

  /** Reserves the endpoint's next slot: how many ms from now it is (0 = send now). */
  async reserve(endpointId: string): Promise<number> {
    const perSecond = await this.limitOf(endpointId);
    if (!perSecond) return 0;
    const key = `${this.config.QUEUE_PREFIX}:rate:${endpointId}`;
    return Number(await runScript(await this.jobs.redis(), 'hookgateTakeToken', [key, perSecond]));
  }

  /** Concurrent lookups of one endpoint share one query (the cache holds the pending answer). */
  private limitOf(endpointId: string): Promise<number | null> {
    const now = Date.now();
    const cached = this.limits.get(endpointId);
    if (cached && cached.until > now) return cached.perSecond;
    const perSecond = this.db.manager
      .findOne(EndpointRow, { where: { id: endpointId }, select: { id: true, rateLimitPerSecond: true } })
      .then((row) => row?.rateLimitPerSecond ?? null);
    if (this.limits.size >= LIMIT_CACHE_MAX) this.limits.clear();
    this.limits.set(endpointId, { perSecond, until: now + LIMIT_CACHE_MS });
    // A failed lookup is not kept: the next delivery asks again.
    perSecond.catch(() => this.limits.get(endpointId)?.perSecond === perSecond && this.limits.delete(endpointId));
    return perSecond;
  }
}

/**
 * Replaces the in-process limiter when the queue driver runs: the worker has already taken the
 * endpoint's token from Redis, and a second, per-process bucket would count the delivery twice.
 */
export class WorkerAdmittedRateLimiter extends RateLimiter {
  override reserve(): number {
    return 0;
  }
}
