import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { RateCounters } from './rate-counters';
import { RateLimitedError } from '../common/errors';

/** Failed client authentications per minute, per client id and per source address. */
export const TOKEN_FAILURES_PER_MINUTE = 100;
const MINUTE_MS = 60_000;

/** An attempt in progress: it counts as a failure unless it ends in `succeeded()`. */
export interface TokenAttempt {
  succeeded(): Promise<void>;
}

/**
 * Limits guessing at /oauth2/token. Every attempt reserves a failure on its client id and on its
 * source address first (so concurrent guesses cannot overshoot the limit), and a successful one
 * takes both back. Past the limit, every attempt of that client id or address is refused with
 * 429 until its minute is over, a correct secret included: otherwise a 200 would tell a guesser
 * that it has found the secret while others get 429.
 */
@Injectable()
export class TokenFailureLimit {
  constructor(private readonly counters: RateCounters) {}

  async begin(clientId: string | undefined, address: string): Promise<TokenAttempt> {
    // Client ids come from the caller: a digest keeps keys short whatever was sent.
    const keys = [`token-failures:address:${address}`, ...(clientId ? [`token-failures:client:${createHash('sha256').update(clientId).digest('hex').slice(0, 32)}`] : [])];
    const windows = await Promise.all(keys.map((key) => this.counters.hit(key, MINUTE_MS)));
    const over = windows.filter((w) => w.count > TOKEN_FAILURES_PER_MINUTE);
    if (over.length) {
      const retryAfter = Math.max(1, Math.ceil(Math.max(...over.map((w) => w.resetInMs)) / 1000));
      throw new RateLimitedError(retryAfter, `Too many failed attempts: retry after ${retryAfter} s`);
    }
    return { succeeded: async () => void (await Promise.all(keys.map((key) => this.counters.refund(key)))) };
  }
}
