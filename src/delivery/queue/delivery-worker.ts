import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Worker } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { DeliveryStore } from '../store/delivery-store';
import { DeliveryProcessor } from '../engine/delivery-processor';
import { DeliveryRow } from '../../persistence/entities';
import { bullmqConnection, DELIVERY_QUEUE_NAME, DeliveryJob, DeliveryJobs } from './delivery-jobs';
import { DeliveryReconciler } from './delivery-reconciler';
import { RedisRateLimiter } from './redis-rate-limiter';

/** Jobs claimed at once: enough to keep the claims ahead of the attempts. */
const JOBS_IN_FLIGHT = 4;

/**
 * The queue driver's dispatcher (ROLE worker or all): a BullMQ worker whose job is "try these
 * deliveries". The job only names them; claiming them in the database decides whether this worker
 * sends them, so a stale or duplicate job is a no-op and the lease still guards against two
 * workers sending at once. A job ends once its attempts are under way: from then on the lease
 * covers them (a worker dying mid-attempt leaves them leased, and the reconciler re-enqueues them
 * when the lease ends). At most DELIVERY_CONCURRENCY attempts run at once; a job waits for room
 * before claiming, so work this worker cannot start stays in Redis for the others.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('DeliveryWorker');
  private worker: Worker<DeliveryJob> | null = null;
  private readonly attempts = new AttemptSlots();

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
      concurrency: JOBS_IN_FLIGHT,
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
    const stopped = this.worker.close().catch((err) => this.log.warn(`closing the worker: ${err.message}`));
    await Promise.race([stopped.then(() => this.attempts.idle()), deadline]);
    await this.processor.drain();
    this.worker = null;
    this.log.log('queue worker stopped');
  }

  private async process(job: DeliveryJob): Promise<void> {
    const ids = [...new Set(job.deliveryIds)];
    await this.attempts.take(ids.length, this.config.DELIVERY_CONCURRENCY);
    let dispatched = 0; // their slots are given back by the attempts themselves
    try {
      const claimed = await this.store.claim(ids.length, Date.now(), ids);
      const admitted = await Promise.all(claimed.map((d) => this.admit(job, d)));
      const send = claimed.filter((_, i) => admitted[i]);
      await this.processor.dispatch(send, () => this.attempts.give(1));
      dispatched = send.length;
    } finally {
      this.attempts.give(ids.length - dispatched);
    }
  }

  /** Takes the endpoint's rate-limit slot; a delivery whose slot is later is postponed to it. */
  private async admit(job: DeliveryJob, delivery: DeliveryRow): Promise<boolean> {
    const wait = job.admitted ? 0 : await this.limiter.reserve(delivery.endpointId);
    if (wait <= 0) return true;
    const at = Date.now() + wait;
    await this.store.postpone(delivery.id, at);
    await this.jobs.add([{ ...delivery, nextAttemptAt: at }], { admitted: true });
    return false;
  }
}

/** Counts running attempts against a bound; takers wait in line for room. */
class AttemptSlots {
  private running = 0;
  private waiting: { n: number; bound: number; resume: () => void }[] = [];
  private idleWaiters: (() => void)[] = [];

  /** Waits for room for n attempts (a job larger than the bound runs alone). */
  take(n: number, bound: number): Promise<void> {
    return new Promise((resume) => {
      this.waiting.push({ n, bound, resume });
      this.admitWaiting();
    });
  }

  give(n: number): void {
    this.running -= n;
    this.admitWaiting();
    if (this.running === 0) this.idleWaiters.splice(0).forEach((resume) => resume());
  }

  /** Resolves once no attempt runs. */
  idle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resume) => this.idleWaiters.push(resume));
  }

  private admitWaiting(): void {
    while (this.waiting.length) {
      const next = this.waiting[0];
      if (this.running > 0 && this.running + next.n > next.bound) return;
      this.waiting.shift();
      this.running += next.n;
      next.resume();
    }
  }
}
