import { Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import { IsNull, LessThan } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { SecretBox } from '../common/secret-box';
import { Database, isUniqueViolation } from '../persistence/database';
import { IdempotentResponseRow } from '../persistence/entities';

/** How long a first request holds its key before a repeat may take it over (Svix: 5 s). */
export const CLAIM_MS = 5_000;
/** How often a repeat looks again while the first request is being answered (Svix: 200 ms). */
const POLL_MS = 200;
/** Expired answers removed per statement by the sweep: short write locks on SQLite. */
const SWEEP_BATCH = 500;

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

/** The first request with a key answers it (`claimed`); a repeat gets the stored answer. */
export type Claim = { kind: 'claimed' } | { kind: 'replay'; response: StoredResponse };

/**
 * The store behind `@Operation({ idempotent: true })`, doing what Svix's server does: the key is the
 * caller, its idempotency-key and the request's path; a success is kept for IDEMPOTENCY_KEY_TTL
 * and replayed as it was (status and body) whatever the repeat's body; a failure is not kept, so a
 * repeat runs again; a repeat that arrives while the first is still running waits for its answer
 * (at most CLAIM_MS, after which it runs itself). Answers are sealed with the SecretBox: a cached
 * body never holds a secret in clear.
 */
@Injectable()
export class IdempotentResponses {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
  ) {}

  /** Hashed, so the table holds neither the caller nor the key as sent. */
  keyOf(parts: { tenant: string; subject: string; idempotencyKey: string; method: string; url: string }): string {
    return createHash('sha256').update(JSON.stringify([parts.tenant, parts.subject, parts.idempotencyKey, parts.method, parts.url])).digest('hex');
  }

  async claim(key: string): Promise<Claim> {
    for (;;) {
      const now = Date.now();
      if (await this.insertClaim(key, now)) return { kind: 'claimed' };
      const row = await this.db.manager.findOneBy(IdempotentResponseRow, { key });
      if (!row) continue; // the first request failed and let go of the key between our two reads
      if (row.expiresAt > now && row.response !== null) return { kind: 'replay', response: { statusCode: row.statusCode!, body: this.box.open<{ body?: unknown }>(row.response).body } };
      if (row.expiresAt <= now && (await this.takeOver(key, row.expiresAt, now))) return { kind: 'claimed' };
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Keeps a success for the key's window. */
  async finish(key: string, response: StoredResponse): Promise<void> {
    await this.db.manager.update(IdempotentResponseRow, { key }, { statusCode: response.statusCode, response: this.box.seal({ body: response.body }), expiresAt: Date.now() + this.config.idempotencyKeyTtlMs });
  }

  /** Lets go of a key whose request failed: a repeat runs again, as Svix's does. */
  async release(key: string): Promise<void> {
    await this.db.manager.delete(IdempotentResponseRow, { key, response: IsNull() });
  }

  /** Removes the answers (and abandoned claims) expired before `now`; the retention sweep calls it. */
  async sweepExpired(now: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = await this.db.manager.find(IdempotentResponseRow, { select: { key: true }, where: { expiresAt: LessThan(now) }, take: SWEEP_BATCH });
      if (!batch.length) return removed;
      const result = await this.db.manager.createQueryBuilder().delete().from(IdempotentResponseRow).where('key IN (:...keys) AND expires_at < :now', { keys: batch.map((r) => r.key), now }).execute();
      removed += result.affected ?? 0;
      if (batch.length < SWEEP_BATCH) return removed;
    }
  }

  private async insertClaim(key: string, now: number): Promise<boolean> {
    try {
      await this.db.manager.insert(IdempotentResponseRow, { key, statusCode: null, response: null, createdAt: now, expiresAt: now + CLAIM_MS });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Takes an expired row (answer or abandoned claim) over, unless another repeat took it first. */
  private async takeOver(key: string, expiredAt: number, now: number): Promise<boolean> {
    const result = await this.db.manager.update(IdempotentResponseRow, { key, expiresAt: expiredAt }, { statusCode: null, response: null, createdAt: now, expiresAt: now + CLAIM_MS });
    return (result.affected ?? 0) === 1;
  }
}
