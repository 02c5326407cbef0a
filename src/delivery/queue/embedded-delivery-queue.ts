import { DeliveryQueue } from './delivery-queue';
import { DeliveryWakeup } from '../engine/delivery-wakeup';

/** The database is the queue: a new due delivery only needs the local dispatcher woken. */
export class EmbeddedDeliveryQueue extends DeliveryQueue {
  constructor(private readonly wakeup: DeliveryWakeup) {
    super();
  }

  async enqueue(): Promise<void> {
    this.wakeup.wake();
  }
}
