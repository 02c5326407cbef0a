import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { Database } from '../../persistence/database';
import { DeliveryProcessor } from './delivery-processor';
import { DeliveryStore } from '../store/delivery-store';
import { DeliveryWakeup } from './delivery-wakeup';

/**
 * The embedded dispatcher: claims due deliveries from the database outbox up to
 * DELIVERY_CONCURRENCY in flight, woken at once by in-process publishes and otherwise sleeping
 * until the next delivery is due (or the poll interval, for other processes' writes).
 */
@Injectable()
export class OutboxPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Dispatcher');
  private running = false;
  /** The claiming pass under way, if any (shutdown waits for it: it may still claim). */
  private claiming: Promise<void> | null = null;
  private again = false;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: () => void = () => undefined;
  private idle: (() => void)[] = [];

  constructor(
    private readonly store: DeliveryStore,
    private readonly processor: DeliveryProcessor,
    private readonly wakeup: DeliveryWakeup,
    private readonly config: AppConfig,
    private readonly db: Database,
  ) {}

  get enabled(): boolean {
    return this.config.ROLE !== 'api' && !this.config.QUEUE_URL;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.running = true;
    this.unsubscribe = this.wakeup.onWake(() => this.tick());
    this.tick();
    this.log.log(`embedded dispatcher started (concurrency ${this.config.DELIVERY_CONCURRENCY})`);
  }

  /** SIGTERM: stop claiming, let in-flight attempts finish (bounded), write their results. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.config.SHUTDOWN_GRACE_MS).unref());
    await this.claiming;
    await Promise.race([new Promise<void>((resolve) => (this.inFlight === 0 ? resolve() : this.idle.push(resolve))), deadline]);
    await this.processor.drain();
    this.log.log(`dispatcher stopped (${this.inFlight} attempts still in flight)`);
  }

  private tick(): void {
    if (!this.running) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.claimAndSend().finally(() => (this.claiming = null));
    void this.claiming.then(() => this.sleep());
  }

  private async claimAndSend(): Promise<void> {
    try {
      do {
        this.again = false;
        const capacity = this.config.DELIVERY_CONCURRENCY - this.inFlight;
        if (capacity <= 0) break;
        const claimed = await this.store.claim(capacity);
        this.inFlight += claimed.length;
        // A slot is free once its attempt is over; the result's write is batched behind it.
        // If loading fails nothing was started: give the slots back (the leases expire, no loss).
        await this.processor.dispatch(claimed, () => this.settled()).catch((err) => {
          this.inFlight -= claimed.length;
          throw err;
        });
        if (claimed.length === capacity) this.again = true;
      } while (this.again && this.running);
    } catch (err) {
      this.log.error(`claiming deliveries failed: ${err}`);
    }
  }

  private settled(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve());
    if (this.running) this.tick();
  }

  /** Until the earliest due delivery, capped by the poll interval (other processes may write). */
  private async sleep(): Promise<void> {
    // At capacity every finished attempt claims again; polling meanwhile would only spin.
    if (!this.running || this.inFlight >= this.config.DELIVERY_CONCURRENCY) return;
    let wait = this.config.DELIVERY_POLL_INTERVAL_MS;
    try {
      // A leased delivery is not due before its lease ends, or the loop would spin on in-flight work.
      const now = this.db.kind === 'postgres' ? '$1' : '?';
      const [row] = await this.db.manager.query(
        `SELECT MIN(CASE WHEN lease_until > ${now} THEN lease_until ELSE next_attempt_at END) AS due FROM deliveries WHERE status IN ('pending', 'failed')`,
        [Date.now()],
      );
      if (row?.due !== null && row?.due !== undefined) wait = Math.max(5, Math.min(wait, Number(row.due) - Date.now()));
    } catch (err) {
      this.log.error(`reading the next due delivery failed: ${err}`);
    }
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), wait);
  }
}
