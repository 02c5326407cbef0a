import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { AppConfig } from '../../config/app-config';
import { AutoDisabled, DeliveryStore, DispatchResult } from './delivery-store';
import { Database } from '../../persistence/database';
import { DeliveryJobs } from '../queue/delivery-jobs';

/**
 * The outbox for the queue driver: once a batch of results is committed, every delivery that
 * failed with a retry scheduled gets a delayed job for that retry. Hooking the write (rather than
 * re-reading each row after its attempt) costs one bulk enqueue per batch, and the retry time is
 * exactly the one committed. If the enqueue is lost, the reconciler re-adds the job when it is due.
 */
@Injectable()
export class QueuedDeliveryStore extends DeliveryStore {
  constructor(
    db: Database,
    config: AppConfig,
    audit: AuditService,
    private readonly jobs: DeliveryJobs,
  ) {
    super(db, config, audit);
  }

  override async record(results: DispatchResult[]): Promise<AutoDisabled[]> {
    const disabled = await super.record(results);
    const retries = results.filter((r) => r.status === 'failed' && r.nextAttemptAt !== null);
    await this.jobs.add(retries.map((r) => ({ id: r.delivery.id, endpointId: r.delivery.endpointId, nextAttemptAt: r.nextAttemptAt })));
    return disabled;
  }
}
