import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue, RedisClient } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';

export const DELIVERY_QUEUE_NAME = 'deliveries';

/** One job = one try of one delivery; the database row says what to send. */
export interface DeliveryJob {
  deliveryId: string;
  endpointId: string;
  /** The endpoint's rate-limit slot for this try is already reserved (a postponed delivery). */
  admitted?: boolean;
}

export interface JobCounts {
  waiting: number;
  delayed: number;
  active: number;
}

/** Enqueuing must never hold up (or fail) a request whose deliveries are already committed. */
const ENQUEUE_TIMEOUT_MS = 2000;
/** /metrics must answer even while Redis does not. */
const PROBE_TIMEOUT_MS = 1000;

/** BullMQ connection options for QUEUE_URL: the URL's database number and credentials apply. */
export function bullmqConnection(config: AppConfig): { url: string } {
  return { url: config.QUEUE_URL! };
}

/**
 * The BullMQ queue of delivery jobs (producer side) and the Redis client the rest of the driver
 * borrows. Every key lives under QUEUE_PREFIX. Its job counts are the queue depth in /metrics.
 */
@Injectable()
export class DeliveryJobs implements OnApplicationShutdown {
  private readonly log = new Logger('DeliveryJobs');
  readonly queue: Queue<DeliveryJob>;

  constructor(config: AppConfig, metrics: MetricsService) {
    this.queue = new Queue<DeliveryJob>(DELIVERY_QUEUE_NAME, {
      connection: bullmqConnection(config),
      prefix: config.QUEUE_PREFIX,
      // A finished job must not linger: its id would block re-enqueuing the same try.
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
    });
    this.queue.on('error', (err) => this.log.warn(`redis: ${err.message}`));
    metrics.addQueueProbe(async (): Promise<Record<string, number>> => {
      const counts = await withTimeout(this.counts(), PROBE_TIMEOUT_MS, 'queue depth').catch(() => null);
      return counts ? { bullmq_waiting: counts.waiting, bullmq_delayed: counts.delayed, bullmq_active: counts.active } : {};
    });
  }

  /**
   * Adds one job per due try. The job id names the delivery and the time its try is due, so adding
   * the same try twice (api and reconciler racing, a re-run reconcile) keeps one job, while a later
   * try (a retry, a postponement) gets a job of its own. Deliveries with no due time (held) are
   * skipped. Failures are logged, not thrown: the reconciler re-enqueues whatever is missing.
   */
  async add(deliveries: { id: string; endpointId: string; nextAttemptAt: number | null }[], options: { admitted?: boolean } = {}): Promise<void> {
    const now = Date.now();
    const jobs = deliveries
      .filter((d) => d.nextAttemptAt !== null)
      .map((d) => ({
        name: 'deliver',
        data: { deliveryId: d.id, endpointId: d.endpointId, ...(options.admitted ? { admitted: true } : {}) },
        opts: { jobId: `${d.id}_${d.nextAttemptAt}`, delay: Math.max(0, d.nextAttemptAt! - now) },
      }));
    if (!jobs.length) return;
    try {
      await withTimeout(this.queue.addBulk(jobs), ENQUEUE_TIMEOUT_MS, 'enqueue');
    } catch (err) {
      this.log.warn(`enqueuing ${jobs.length} deliveries failed (the reconciler will retry): ${(err as Error).message}`);
    }
  }

  async counts(): Promise<JobCounts> {
    const c = await this.queue.getJobCounts('waiting', 'delayed', 'active');
    return { waiting: c.waiting ?? 0, delayed: c.delayed ?? 0, active: c.active ?? 0 };
  }

  /** The queue's Redis connection, for the driver's own scripts (rate limit, ping). */
  redis(): Promise<RedisClient> {
    return this.queue.getBackend().client;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch((err) => this.log.warn(`closing the queue: ${err.message}`));
  }
}

export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
