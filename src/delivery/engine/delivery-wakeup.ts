import { EventEmitter } from 'node:events';

/**
 * Tells this process's dispatcher that deliveries became due (after a commit), so an in-process
 * publish is sent at once instead of at the next poll.
 */
export class DeliveryWakeup {
  private readonly emitter = new EventEmitter();

  wake(): void {
    this.emitter.emit('wake');
  }

  onWake(listener: () => void): () => void {
    this.emitter.on('wake', listener);
    return () => this.emitter.off('wake', listener);
  }
}
