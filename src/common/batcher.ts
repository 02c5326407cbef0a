export interface BatcherOptions<T> {
  /** Writes one batch and settles its items. Throwing puts them back in front, flushed again after retryAfterMs. */
  flush: (items: T[]) => Promise<void>;
  /** How long an item waits for company; 0 (default): it is flushed as soon as no flush is running. */
  waitMs?: number;
  /** With a wait: this many waiting items are flushed without waiting it out. */
  flushAt?: number;
  /** Most items per flush (default: every item waiting). */
  maxBatch?: number;
  retryAfterMs?: number;
}

/**
 * Collects items and flushes them in batches, one flush at a time: items that arrive while a
 * flush runs go in the next one, so one write (a transaction, a commit) is shared by many callers.
 */
export class Batcher<T> {
  private waiting: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  /** More is due once the running flush ends. */
  private again = false;
  private running: Promise<boolean> = Promise.resolve(true);
  private readonly waitMs: number;
  private readonly flushAt: number;
  private readonly maxBatch: number;
  private readonly retryAfterMs: number;

  constructor(private readonly options: BatcherOptions<T>) {
    this.waitMs = options.waitMs ?? 0;
    this.flushAt = options.flushAt ?? 1;
    this.maxBatch = options.maxBatch ?? Infinity;
    this.retryAfterMs = options.retryAfterMs ?? 1000;
  }

  add(item: T): void {
    this.waiting.push(item);
    if (this.waitMs === 0 || this.waiting.length >= this.flushAt) this.due();
    else this.timer ??= setTimeout(() => this.due(), this.waitMs);
  }

  /**
   * Flushes everything waiting without waiting out the delay. Gives up at a failed flush rather
   * than retrying (at shutdown): its items stay unflushed.
   */
  async drain(): Promise<void> {
    while (this.busy || this.waiting.length) {
      if (!this.busy) this.due();
      if (!(await this.running)) break;
    }
    this.cancelTimer();
  }

  private due(): void {
    this.cancelTimer();
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.running = this.run();
  }

  /** Flushes until nothing is due; false when a flush failed (its items are back in front). */
  private async run(): Promise<boolean> {
    try {
      do {
        const batch = this.waiting.splice(0, this.maxBatch);
        this.again = this.waiting.length > 0;
        if (!batch.length) continue;
        try {
          await this.options.flush(batch);
        } catch {
          this.waiting.unshift(...batch);
          this.timer ??= setTimeout(() => this.due(), this.retryAfterMs);
          return false;
        }
      } while (this.again);
      return true;
    } finally {
      this.busy = false;
    }
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
