/**
 * Where committed deliveries go to be sent. The embedded driver just wakes the in-process
 * dispatcher (the database is the queue); the BullMQ driver enqueues jobs. Called only after
 * the transaction that created or re-queued the deliveries has committed.
 */
export abstract class DeliveryQueue {
  abstract enqueue(deliveries: { id: string; endpointId: string; nextAttemptAt: number | null }[]): Promise<void>;
}
