import { createHash } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue, RedisClient } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';

export const DELIVERY_QUEUE_NAME = 'deliveries';

/** One job = one try of a few deliveries due together; the database rows say what to send. */
export interface DeliveryJob {
  deliveryIds: string[];
  /** The endpoint's rate-limit slot for this try is already reserved (a postponed delivery). */
  admitted?: boolean;
}

/**
 * Most deliveries per job: a publish's fan-out travels in a few jobs instead of one per delivery,
 * so Redis round trips, job bookkeeping, the claim and the load are shared. A job never asks for
 * more attempts than a worker runs at once (DELIVERY_CONCURRENCY).
 */
const MAX_DELIVERIES_PER_JOB = 64;

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
  private readonly deliveriesPerJob: number;

  constructor(config: AppConfig, metrics: MetricsService) {
    this.deliveriesPerJob = Math.max(1, Math.min(MAX_DELIVERIES_PER_JOB, config.DELIVERY_CONCURRENCY));
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
   * Adds jobs for due tries: deliveries due now travel together, a few dozen a job;
   * a later try (a retry, a postponement) gets a delayed job per due time. The job id names its
   * deliveries and their due time, so adding the same try twice (api and reconciler racing, a
   * re-run reconcile) keeps one job, while a later try gets a job of its own. Deliveries with no
   * due time (held) are skipped. Failures are logged, not thrown: the reconciler re-enqueues
   * whatever is missing.
   */
  async add(deliveries: { id: string; nextAttemptAt: number | null }[], options: { admitted?: boolean } = {}): Promise<void> {
    const now = Date.now();
    const byDueTime = new Map<number, { id: string; nextAttemptAt: number }[]>();
    for (const d of deliveries) {
      if (d.nextAttemptAt === null) continue;
      const dueAt = d.nextAttemptAt > now ? d.nextAttemptAt : 0; // everything due already is one group
      const group = byDueTime.get(dueAt) ?? [];
      group.push({ id: d.id, nextAttemptAt: d.nextAttemptAt });
      byDueTime.set(dueAt, group);
    }
    const jobs = [...byDueTime].flatMap(([dueAt, group]) =>
      chunks(group, this.deliveriesPerJob).map((chunk) => ({
        name: 'deliver',
        data: { deliveryIds: chunk.map((d) => d.id), ...(options.admitted ? { admitted: true } : {}) },
        opts: { jobId: jobIdOf(chunk), delay: Math.max(0, dueAt - now) },
      })),
    );
    if (!jobs.length) return;
    try {
      await withTimeout(this.queue.addBulk(jobs), ENQUEUE_TIMEOUT_MS, 'enqueue');
    } catch (err) {
      this.log.warn(`enqueuing ${deliveries.length} deliveries failed (the reconciler will retry): ${(err as Error).message}`);
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

/** One delivery: `<id>_<due>`; several: the first's, plus a digest of them all. */
function jobIdOf(chunk: { id: string; nextAttemptAt: number }[]): string {
  const first = `${chunk[0].id}_${chunk[0].nextAttemptAt}`;
  if (chunk.length === 1) return first;
  const digest = createHash('sha1').update(chunk.map((d) => `${d.id}_${d.nextAttemptAt}`).join(',')).digest('hex').slice(0, 16);
  return `${first}_${chunk.length}_${digest}`;
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
