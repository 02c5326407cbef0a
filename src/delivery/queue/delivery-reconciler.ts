import { Injectable, Logger } from '@nestjs/common';
import { Database } from '../../persistence/database';
import { DeliveryRow } from '../../persistence/entities';
import { claimableCondition } from '../store/claimable-condition';
import { DeliveryJobs } from './delivery-jobs';

const RECONCILE_EVERY_MS = 2000;
/** Oldest first, bounded per pass: a backlog is worked through over several passes. */
const RECONCILE_BATCH = 1000;

/**
 * The database is the record; Redis only carries the work. Every few seconds each worker re-adds
 * a job for every due delivery that nobody holds (crash between commit and enqueue, Redis lost
 * its data, an endpoint enabled again releasing held deliveries). Job ids are deterministic, so a
 * delivery that still has its job keeps that one job.
 */
@Injectable()
export class DeliveryReconciler {
  private readonly log = new Logger('Reconciler');
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly jobs: DeliveryJobs,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
  }

  /** One pass at a time: the next is scheduled when this one ends. */
  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.pass = this.reconcile()
        .then(() => undefined, (err) => this.log.warn(`reconciling failed: ${err}`))
        .finally(() => {
          if (!this.stopped) this.schedule(RECONCILE_EVERY_MS);
        });
    }, delay);
  }

  /** Every claimable delivery (the rule DeliveryStore.claim applies), oldest first. */
  async reconcile(now = Date.now()): Promise<number> {
    const due = await this.db.manager
      .createQueryBuilder(DeliveryRow, 'd')
      .select(['d.id', 'd.endpointId', 'd.nextAttemptAt'])
      .where(claimableCondition(() => ':now', 'd'), { now })
      .orderBy('d.nextAttemptAt', 'ASC')
      .limit(RECONCILE_BATCH)
      .getMany();
    await this.jobs.add(due);
    return due.length;
  }
}
