import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { IdempotentResponses } from '../idempotency/idempotent-responses.service';
import { Database } from '../persistence/database';
import { PurgeCounts, RetentionService } from './retention.service';

/** Any stable number: the PostgreSQL advisory lock that elects the one process sweeping. */
const SWEEP_LOCK = `hashtext('hookgate:retention')`;

/**
 * Purges by RETENTION_PERIOD / AUDIT_RETENTION_PERIOD, and idempotency-key answers past their
 * window, every RETENTION_SWEEP_INTERVAL, in the
 * processes that dispatch (ROLE worker or all): api processes keep their time for publishing, and
 * the CLI (which runs as api) never sweeps behind an operator's back. On PostgreSQL with several
 * workers, a session advisory lock lets one of them sweep and the others skip that round.
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Retention');
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly db: Database,
    private readonly retention: RetentionService,
    private readonly idempotentResponses: IdempotentResponses,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.ROLE === 'api') return;
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.sweeping;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.sweeping = this.sweepOnce()
        .catch((err) => this.log.error(`retention sweep failed: ${(err as Error).message}`))
        .finally(() => {
          this.sweeping = null;
          if (!this.stopping) this.schedule();
        });
    }, this.config.retentionSweepIntervalMs);
    this.timer.unref();
  }

  private async sweepOnce(): Promise<void> {
    const now = Date.now();
    const audit = this.config.auditRetentionPeriodMs;
    const run = async () => ({
      removed: await this.retention.purge({ eventsBefore: now - this.config.retentionPeriodMs, auditBefore: audit === null ? null : now - audit, shouldStop: () => this.stopping }),
      // Expired idempotency-key answers go whatever RETENTION_PERIOD says: they are dead after their window.
      answers: await this.idempotentResponses.sweepExpired(now),
    });
    const swept = this.db.kind === 'postgres' ? await this.underLock(run) : await run();
    if (!swept) return;
    if (Object.values(swept.removed).some(Boolean)) this.log.log(`purged ${describePurge(swept.removed)}`);
    if (swept.answers) this.log.log(`purged ${swept.answers} expired idempotent responses`);
  }

  /** Runs `work` if this process wins the sweep lock; null when another process holds it. */
  private async underLock<T>(work: () => Promise<T>): Promise<T | null> {
    const session = this.db.dataSource.createQueryRunner();
    try {
      const [{ won }] = await session.query(`SELECT pg_try_advisory_lock(${SWEEP_LOCK}) AS won`);
      if (!won) return null;
      try {
        return await work();
      } finally {
        await session.query(`SELECT pg_advisory_unlock(${SWEEP_LOCK})`);
      }
    } finally {
      await session.release();
    }
  }
}

export function describePurge(counts: PurgeCounts): string {
  return Object.entries(counts).map(([table, n]) => `${n} ${table}`).join(', ');
}
