import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Worker } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { DeliveryStore } from '../delivery/delivery-store';
import { DeliveryProcessor } from '../delivery/dispatcher';
import { bullmqConnection, DELIVERY_QUEUE_NAME, DeliveryJob, DeliveryJobs } from './delivery-jobs';
import { DeliveryReconciler } from './delivery-reconciler';
import { RedisRateLimiter } from './redis-rate-limiter';

/**
 * The queue driver's dispatcher (ROLE worker or all): a BullMQ worker whose job is "try this
 * delivery". The job only names the delivery; claiming it in the database decides whether this
 * worker sends it, so a stale or duplicate job is a no-op and the lease still guards against two
 * workers sending at once.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('DeliveryWorker');
  private worker: Worker<DeliveryJob> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly store: DeliveryStore,
    private readonly processor: DeliveryProcessor,
    private readonly limiter: RedisRateLimiter,
    private readonly jobs: DeliveryJobs,
    private readonly reconciler: DeliveryReconciler,
  ) {}

  get enabled(): boolean {
    return this.config.ROLE !== 'api';
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.worker = new Worker<DeliveryJob>(DELIVERY_QUEUE_NAME, (job) => this.process(job.data), {
      connection: bullmqConnection(this.config),
      prefix: this.config.QUEUE_PREFIX,
      concurrency: this.config.DELIVERY_CONCURRENCY,
      // A worker that dies mid-job gives its job back on the same clock as its delivery lease.
      lockDuration: this.config.DELIVERY_LEASE_MS,
      stalledInterval: this.config.DELIVERY_LEASE_MS,
    });
    this.worker.on('error', (err) => this.log.warn(`redis: ${err.message}`));
    this.worker.on('failed', (job, err) => this.log.warn(`job ${job?.id} failed (the reconciler will re-enqueue it): ${err.message}`));
    this.reconciler.start();
    this.log.log(`queue worker started (concurrency ${this.config.DELIVERY_CONCURRENCY}, prefix ${this.config.QUEUE_PREFIX})`);
  }

  /** SIGTERM: stop taking jobs, let running attempts finish (bounded), write their results. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.worker) return;
    await this.reconciler.stop();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.config.SHUTDOWN_GRACE_MS).unref());
    await Promise.race([this.worker.close().catch((err) => this.log.warn(`closing the worker: ${err.message}`)), deadline]);
    await this.processor.drain();
    this.worker = null;
    this.log.log('queue worker stopped');
  }

  private async process(job: DeliveryJob): Promise<void> {
    const [delivery] = await this.store.claim(1, Date.now(), [job.deliveryId]);
    if (!delivery) return; // sent already, not due, or leased by another worker
    const wait = job.admitted ? 0 : await this.limiter.reserve(delivery.endpointId);
    if (wait > 0) {
      const at = Date.now() + wait;
      await this.store.postpone(delivery.id, at);
      await this.jobs.add([{ ...delivery, nextAttemptAt: at }], { admitted: true });
      return;
    }
    // The job ends with the attempt; the delivery's lease covers it until its result is written
    // (a worker dying in between leaves it leased, and the reconciler sends it again).
    let attempted!: () => void;
    const attemptOver = new Promise<void>((resolve) => (attempted = resolve));
    const [recorded] = await this.processor.dispatch([delivery], attempted);
    await Promise.race([attemptOver, recorded]);
  }
}
