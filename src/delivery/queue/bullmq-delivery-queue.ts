import { Injectable } from '@nestjs/common';
import { DeliveryQueue } from './delivery-queue';
import { QueueHealth } from '../../health/queue-health';
import { DeliveryJobs, withTimeout } from './delivery-jobs';
import { runScript } from '../../redis/redis-scripts';

const PING_TIMEOUT_MS = 1000;

/** QUEUE_URL set: committed deliveries become BullMQ jobs (the database stays the record). */
@Injectable()
export class BullmqDeliveryQueue extends DeliveryQueue {
  constructor(private readonly jobs: DeliveryJobs) {
    super();
  }

  enqueue(deliveries: { id: string; endpointId: string; nextAttemptAt: number | null }[]): Promise<void> {
    return this.jobs.add(deliveries);
  }
}

/** /health: Redis answers PING (bounded, so a hung connection reads as down, not as a hang). */
@Injectable()
export class RedisQueueHealth extends QueueHealth {
  constructor(private readonly jobs: DeliveryJobs) {
    super();
  }

  async check(): Promise<{ ok: boolean; status: string }> {
    try {
      const reply = await withTimeout(this.jobs.redis().then((client) => runScript(client, 'hookgatePing', [])), PING_TIMEOUT_MS, 'PING');
      return reply === 'PONG' ? { ok: true, status: 'redis up' } : { ok: false, status: `redis answered ${String(reply)}` };
    } catch (err) {
      return { ok: false, status: `redis down: ${(err as Error).message}` };
    }
  }
}
