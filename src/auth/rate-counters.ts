import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero. */
  resetInMs: number;
}

/**
 * Fixed-window hit counters behind every request limit: a window starts at its key's first hit
 * and lasts `windowMs`. In process by default; with QUEUE_URL, in Redis (shared by every process).
 */
export abstract class RateCounters {
  /** Adds a hit to `key`'s window. */
  abstract hit(key: string, windowMs: number): Promise<WindowCount>;
  /** Takes one hit back (a reserved attempt that turned out not to count). */
  abstract refund(key: string): Promise<void>;
}

/** Above this many keys, ended windows are swept before a new key is added. */
const SWEEP_ABOVE = 10_000;

@Injectable()
export class MemoryRateCounters extends RateCounters {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      if (this.windows.size >= SWEEP_ABOVE) this.sweep(now);
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return { count: window.count, resetInMs: window.endsAt - now };
  }

  async refund(key: string): Promise<void> {
    const window = this.windows.get(key);
    if (window && window.count > 0) window.count--;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

/**
 * @nestjs/throttler's storage over the counters: a key past its limit is blocked until its
 * window ends (the `blockDuration` of the throttler is the window itself).
 */
export class CountersThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly counters: RateCounters) {}

  async increment(key: string, ttl: number, limit: number): ReturnType<ThrottlerStorage['increment']> {
    const { count, resetInMs } = await this.counters.hit(key, ttl);
    const seconds = Math.max(1, Math.ceil(resetInMs / 1000));
    const isBlocked = count > limit;
    return { totalHits: count, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
  }
}
