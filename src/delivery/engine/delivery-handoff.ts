import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { DeliveryRow, EndpointRow, EventRow } from '../../persistence/entities';
import { DeliveryStore, LEASE_SLACK_MS } from '../store/delivery-store';

/** A delivery leased to this process and ready to send, with the rows its attempt needs (absent: deleted). */
export interface HandedOff {
  delivery: DeliveryRow;
  event: EventRow | undefined;
  endpoint: EndpointRow | undefined;
  /** When the rows were read (performance.now()): an endpoint row older than ENDPOINT_FRESH_MS is read again. */
  at: number;
}

/** Most of this process's publishes' deliveries waiting in memory: past this, a fan-out is claimed from the database. */
export const HANDOFF_LIMIT = 20_000;

/** A FIFO of leased deliveries; taking one whose lease no longer covers an attempt drops it (its lease runs out, a claim takes it). */
class LeasedQueue {
  private items: HandedOff[] = [];
  private head = 0;

  constructor(private readonly covers: (item: HandedOff, now: number) => boolean) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(items: HandedOff[]): void {
    for (const item of items) this.items.push(item);
  }

  /** When the oldest waiting item's rows were read (items wait in the order they were read). */
  get oldestRead(): number | undefined {
    return this.items[this.head]?.at;
  }

  /** Each waiting item, not taken. */
  forEachWaiting(visit: (item: HandedOff) => void): void {
    for (let i = this.head; i < this.items.length; i++) visit(this.items[i]);
  }

  /** The next one still covered by its lease, if any. */
  next(now: number): HandedOff | undefined {
    while (this.head < this.items.length) {
      const item = this.items[this.head++];
      if (this.covers(item, now)) return item;
    }
    return undefined;
  }

  drain(): HandedOff[] {
    const left = this.items.slice(this.head);
    this.compact(true);
    return left;
  }

  /** Drops what was taken, now and then (not on every take: that would copy the queue each time). */
  compact(all = false): void {
    if (all || this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * Deliveries leased to this process's dispatcher and ready to send, from two sources:
 * - handed over by this process's own publishes, which commit their deliveries already leased
 *   (the lease a claim takes) with the event and endpoint rows they just read, so the dispatcher
 *   needs neither a claiming UPDATE nor a read for them;
 * - claimed and read ahead by the dispatcher, so a finished attempt's slot is refilled from
 *   memory at once instead of after a round of statements behind the results' writes.
 * The database stays the record: if the process dies, the leases expire and any process claims
 * the deliveries again, as after a crash mid-attempt. One whose lease no longer covers a whole
 * attempt when its turn comes is never sent from here, so nothing is sent twice at once. The two
 * sources take turns, so a busy publisher never starves retries. Open only while this process
 * dispatches (the embedded driver, ROLE all/worker).
 */
@Injectable()
export class DeliveryHandoff {
  private readonly published = new LeasedQueue((item, now) => this.covers(item, now));
  private readonly claimed = new LeasedQueue((item, now) => this.covers(item, now));
  private ready: (() => void) | null = null;
  private turn = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly store: DeliveryStore,
  ) {}

  /** Everything waiting, and what the dispatcher read ahead itself. */
  get size(): number {
    return this.published.size + this.claimed.size;
  }

  get claimedSize(): number {
    return this.claimed.size;
  }

  /** The dispatcher runs: publishes may hand over, and `ready` is called after each handover. */
  start(ready: () => void): void {
    this.ready = ready;
  }

  /** The dispatcher stops: no more handovers; returns what was never sent (its leases should be released). */
  stop(): DeliveryRow[] {
    this.ready = null;
    return [...this.published.drain(), ...this.claimed.drain()].map((h) => h.delivery);
  }

  /** How many more deliveries a publish may lease to this process now. */
  room(): number {
    return this.ready ? Math.max(0, HANDOFF_LIMIT - this.published.size) : 0;
  }

  /** A lease as a claim takes it: the endpoint's timeout plus LEASE_SLACK_MS, at least DELIVERY_LEASE_MS. */
  leaseUntil(endpoint: Pick<EndpointRow, 'timeoutMs'> | undefined, now: number): number {
    return now + Math.max(this.config.DELIVERY_LEASE_MS, this.attemptMs(endpoint));
  }

  /** A publish's deliveries, after its commit. Once the dispatcher has stopped, their leases are given up instead. */
  give(items: Omit<HandedOff, 'at'>[]): void {
    if (!items.length) return;
    if (!this.ready) {
      void this.store.release(items.map((h) => h.delivery.id)).catch(() => undefined);
      return;
    }
    const at = performance.now();
    this.published.push(items.map((item) => ({ ...item, at })));
    this.ready();
  }

  /** Deliveries the dispatcher claimed and read. */
  readAhead(items: HandedOff[]): void {
    this.claimed.push(items);
  }

  /** When the rows of the longest-waiting delivery were read (performance.now()), if any waits. */
  oldestRead(): number | undefined {
    const [a, b] = [this.published.oldestRead, this.claimed.oldestRead];
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
  }

  /**
   * The endpoint rows of waiting deliveries are current as of `readAt` (performance.now()): those
   * in `changed` replaced, the others unchanged since. Refreshing keeps them in order of `at`.
   */
  refresh(changed: Map<string, EndpointRow>, readAt: number): void {
    const renew = (item: HandedOff) => {
      if (item.at >= readAt) return;
      item.at = readAt;
      if (changed.has(item.delivery.endpointId)) item.endpoint = changed.get(item.delivery.endpointId);
    };
    this.forEachWaiting(renew);
  }

  /** The endpoints of waiting deliveries whose row was read at a version other than `versions` holds. */
  outdated(versions: Map<string, number>): string[] {
    const ids = new Set<string>();
    const check = ({ delivery, endpoint }: HandedOff) => {
      const version = versions.get(delivery.endpointId);
      if (version !== undefined && version !== endpoint?.updatedAt) ids.add(delivery.endpointId);
    };
    this.forEachWaiting(check);
    return [...ids];
  }

  private forEachWaiting(visit: (item: HandedOff) => void): void {
    this.published.forEachWaiting(visit);
    this.claimed.forEachWaiting(visit);
  }

  /** Up to n deliveries whose lease still covers an attempt at `now`, the two sources in turn, each oldest first. */
  take(n: number, now = Date.now()): HandedOff[] {
    const taken: HandedOff[] = [];
    const sources = [this.claimed, this.published];
    while (taken.length < n && this.size) {
      const item = sources[this.turn++ % 2].next(now) ?? sources[this.turn % 2].next(now);
      if (item) taken.push(item);
    }
    this.published.compact();
    this.claimed.compact();
    return taken;
  }

  private covers(item: HandedOff, now: number): boolean {
    // Half the slack may go on waiting here; the other half still covers writing the result.
    return item.delivery.leaseUntil! - now >= this.attemptMs(item.endpoint) - LEASE_SLACK_MS / 2;
  }

  private attemptMs(endpoint: Pick<EndpointRow, 'timeoutMs'> | undefined): number {
    return (endpoint?.timeoutMs ?? this.config.DELIVERY_TIMEOUT_MS) + LEASE_SLACK_MS;
  }
}
