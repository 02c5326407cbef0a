import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { Database } from '../../persistence/database';
import { DeliveryProcessor, ENDPOINT_FRESH_MS } from './delivery-processor';
import { DeliveryStore } from '../store/delivery-store';
import { DeliveryWakeup } from './delivery-wakeup';
import { DeliveryHandoff, HandedOff } from './delivery-handoff';

/** While the database had nothing due, it is asked again at most this often as attempts finish (a wake-up asks at once). */
const CLAIM_PROBE_MS = 100;
/**
 * How long before the rows were read a change is looked for: a write's updated_at is taken inside
 * its transaction, which may commit that much later (or on another machine's clock).
 */
const CHANGE_SLACK_MS = 2000;

/**
 * The embedded dispatcher: keeps up to DELIVERY_CONCURRENCY attempts running, each slot refilled
 * from memory (DeliveryHandoff) the moment its attempt is over: deliveries this process's
 * publishes handed over, and deliveries claimed from the database outbox and read ahead, about
 * one round of slots at a time, while the attempts run. Claiming never holds up a refill.
 * Woken at once by in-process publishes and re-queues; otherwise sleeping until the next delivery
 * is due (or the poll interval, for other processes' writes).
 */
@Injectable()
export class OutboxPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Dispatcher');
  private running = false;
  /** The claim (and read) under way, if any: one at a time. */
  private claiming: Promise<void> | null = null;
  /** The endpoint changes being read for the waiting deliveries, if so. */
  private refreshing: Promise<void> | null = null;
  /** The database may hold due deliveries: claim again as soon as there is room (a wake-up, or the last claim was full). */
  private maybeDue = true;
  private lastClaimAt = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private probe: NodeJS.Timeout | null = null;
  private unsubscribe: () => void = () => undefined;
  private idle: (() => void)[] = [];

  constructor(
    private readonly store: DeliveryStore,
    private readonly processor: DeliveryProcessor,
    private readonly wakeup: DeliveryWakeup,
    private readonly config: AppConfig,
    private readonly db: Database,
    private readonly handoff: DeliveryHandoff,
  ) {}

  get enabled(): boolean {
    return this.config.ROLE !== 'api' && !this.config.QUEUE_URL;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.running = true;
    this.handoff.start(() => this.fill());
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
    if (this.probe) clearTimeout(this.probe);
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.config.SHUTDOWN_GRACE_MS).unref());
    await Promise.all([this.claiming, this.refreshing]);
    // Deliveries leased here but never started are due again at once (for the next start), not when their leases end.
    await this.store.release(this.handoff.stop().map((d) => d.id)).catch((err) => this.log.warn(`releasing unsent deliveries failed (due again when their leases end): ${err}`));
    await Promise.race([new Promise<void>((resolve) => (this.inFlight === 0 ? resolve() : this.idle.push(resolve))), deadline]);
    await this.processor.drain();
    this.log.log(`dispatcher stopped (${this.inFlight} attempts still in flight)`);
  }

  /** Something became due in the database (a publish past the handoff's room, a retry, a re-queue), or the timer rang. */
  private tick(): void {
    this.maybeDue = true;
    this.fill();
  }

  /** Starts what is ready into the free slots, then reads ahead if the next round is short. */
  private fill(): void {
    if (!this.running) return;
    const free = this.config.DELIVERY_CONCURRENCY - this.inFlight;
    if (free > 0 && this.handoff.size) this.start(this.handoff.take(free));
    this.readAhead();
    this.refreshWaiting();
  }

  /**
   * Keeps the endpoint rows of waiting deliveries current: once the oldest was read half
   * ENDPOINT_FRESH_MS ago, one query asks which endpoints changed since (by updated_at, through its
   * index), and only the waiting deliveries' rows of a version other than the one read are read
   * again. A big fan-out waits seconds in memory: reading each delivery's endpoint again, or each
   * round's, cost a statement per delivery, or per slot's worth; this costs one while nothing
   * changes. CHANGE_SLACK_MS covers writes committed a little after their updated_at was taken.
   */
  private refreshWaiting(): void {
    if (this.refreshing || !this.running) return;
    const oldest = this.handoff.oldestRead();
    const readAt = performance.now();
    if (oldest === undefined || readAt - oldest < ENDPOINT_FRESH_MS / 2) return;
    const since = Date.now() - (readAt - oldest) - CHANGE_SLACK_MS;
    this.refreshing = this.store
      .endpointVersionsSince(since)
      .then(async (versions) => {
        const outdated = this.handoff.outdated(versions);
        this.handoff.refresh(outdated.length ? await this.store.endpoints(outdated) : new Map(), readAt);
      })
      .catch((err) => this.log.warn(`reading endpoint changes failed (rows read again as each delivery starts): ${err}`))
      .finally(() => (this.refreshing = null));
  }

  private start(items: HandedOff[]): void {
    if (!items.length) return;
    // A slot is free once its attempt is over; the result's write is batched behind it.
    this.inFlight += items.length;
    this.processor.dispatchHandedOff(items, () => this.settled()).catch((err) => {
      // Nothing was started (the endpoints could not be read): the slots come back, the leases expire, no loss.
      this.inFlight -= items.length;
      this.log.error(`starting ${items.length} deliveries failed: ${err}`);
    });
  }

  /** Claims and reads about one round of slots ahead, one claim at a time. */
  private readAhead(): void {
    if (this.claiming || !this.running) return;
    const wanted = this.config.DELIVERY_CONCURRENCY - this.handoff.claimedSize;
    if (wanted <= 0) return;
    if (!this.maybeDue && Date.now() - this.lastClaimAt < CLAIM_PROBE_MS) {
      this.probeSoon();
      return;
    }
    this.claiming = this.claim(wanted).then((full) => {
      this.claiming = null;
      this.fill();
      // Nothing more due now: wake when the next delivery is (a retry, a lease ending).
      if (!full) void this.sleep();
    });
  }

  /**
   * Asks the database again once the probe interval is over: a worker whose deliveries another
   * process publishes gets no wake-up, and its last attempts may end too soon after a claim to probe.
   */
  private probeSoon(): void {
    if (this.probe) return;
    this.probe = setTimeout(() => {
      this.probe = null;
      this.fill();
    }, CLAIM_PROBE_MS - (Date.now() - this.lastClaimAt));
  }

  /** Claims and reads up to `limit` due deliveries into the handoff; whether it got all it asked for (more may be due). */
  private async claim(limit: number): Promise<boolean> {
    this.maybeDue = false;
    this.lastClaimAt = Date.now();
    try {
      const claimed = await this.store.claim(limit);
      if (!claimed.length) return false;
      const { events, endpoints } = await this.store.load(claimed);
      const at = performance.now();
      this.handoff.readAhead(claimed.map((delivery) => ({ delivery, event: events.get(delivery.eventId), endpoint: endpoints.get(delivery.endpointId), at })));
      this.maybeDue = claimed.length === limit;
      return this.maybeDue;
    } catch (err) {
      // Claimed but not read: the leases expire and the deliveries are claimed again, no loss.
      this.log.error(`claiming deliveries failed: ${err}`);
      return false;
    }
  }

  private settled(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve());
    this.fill();
  }

  /** Until the earliest due delivery, capped by the poll interval (other processes may write). */
  private async sleep(): Promise<void> {
    // Attempts running: each one's end refills and probes (probeSoon); polling meanwhile would only spin.
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
