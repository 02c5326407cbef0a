import { Provider } from '@nestjs/common';
import { RateCounters } from '../../auth/rate-counters';
import { DeliveryQueue } from './delivery-queue';
import { DeliveryStore } from '../store/delivery-store';
import { RateLimiter } from '../engine/rate-limiter';
import { QueueHealth } from '../../health/queue-health';
import { BullmqDeliveryQueue, RedisQueueHealth } from './bullmq-delivery-queue';
import { DeliveryJobs } from './delivery-jobs';
import { DeliveryReconciler } from './delivery-reconciler';
import { DeliveryWorker } from './delivery-worker';
import { QueuedDeliveryStore } from '../store/queued-delivery-store';
import { RedisRateCounters } from '../../auth/redis-rate-counters';
import { RedisRateLimiter, WorkerAdmittedRateLimiter } from './redis-rate-limiter';

/**
 * QUEUE_URL=redis://…: the BullMQ driver. Listed after the core providers, it replaces the
 * embedded queue, its health check, the outbox (to enqueue retries), the per-process delivery
 * limiter and request counters; the embedded poller stands down by itself when QUEUE_URL is set.
 */
export function queueDriverProviders(): Provider[] {
  return [
    DeliveryJobs,
    RedisRateLimiter,
    DeliveryReconciler,
    DeliveryWorker,
    { provide: DeliveryQueue, useClass: BullmqDeliveryQueue },
    { provide: QueueHealth, useClass: RedisQueueHealth },
    { provide: DeliveryStore, useClass: QueuedDeliveryStore },
    { provide: RateLimiter, useClass: WorkerAdmittedRateLimiter },
    { provide: RateCounters, useClass: RedisRateCounters },
  ];
}
