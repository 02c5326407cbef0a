import { Injectable, Logger } from '@nestjs/common';
import { RateCounters, WindowCount } from './rate-counters';
import { AppConfig } from '../config/app-config';
import { DeliveryJobs, withTimeout } from '../delivery/queue/delivery-jobs';
import { runScript } from '../redis/redis-scripts';

/** A limit check must never hold a request up for long: past this, the request is let through. */
const COUNTER_TIMEOUT_MS = 500;
/** At most one warning a minute while Redis cannot count. */
const WARN_EVERY_MS = 60_000;

/**
 * The request counters in Redis (QUEUE_URL set), so every api process shares each principal's
 * budget. Keys live under `<QUEUE_PREFIX>:ratelimit:`. While Redis is unreachable the limits are
 * not enforced (fail open, with a warning): losing Redis must not take the API down with it.
 */
@Injectable()
export class RedisRateCounters extends RateCounters {
  private readonly log = new Logger('RateLimit');
  private warnedAt = 0;

  constructor(
    private readonly jobs: DeliveryJobs,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const reply = await this.run('hookgateHitWindow', key, windowMs);
    if (!reply) return { count: 0, resetInMs: windowMs };
    const [count, resetInMs] = reply as [number, number];
    return { count: Number(count), resetInMs: Number(resetInMs) };
  }

  async refund(key: string): Promise<void> {
    await this.run('hookgateRefundHit', key);
  }

  private async run(script: 'hookgateHitWindow' | 'hookgateRefundHit', key: string, ...args: number[]): Promise<unknown> {
    try {
      const counted = (async () => {
        const client = await this.jobs.redis();
        // Commands wait in the client's queue while it reconnects: do not queue behind an outage.
        if (client.status !== 'ready') throw new Error(`redis is ${client.status}`);
        return runScript(client, script, [`${this.config.QUEUE_PREFIX}:ratelimit:${key}`, ...args]);
      })();
      return await withTimeout(counted, COUNTER_TIMEOUT_MS, 'rate-limit counter');
    } catch (err) {
      if (Date.now() - this.warnedAt > WARN_EVERY_MS) {
        this.warnedAt = Date.now();
        this.log.warn(`request limits are not enforced while Redis cannot count: ${(err as Error).message}`);
      }
      return null;
    }
  }
}
