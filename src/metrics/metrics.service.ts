import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { Database } from '../persistence/database';
import { ExporterLease } from './exporter-lease';

/** Extra gauges a queue driver contributes (e.g. BullMQ's waiting jobs). */
export type QueueDepthProbe = () => Promise<Record<string, number>>;

/** What the database and the queue hold, read by the exporting process once per METRICS_CACHE_MS. */
interface SharedState {
  deliveries: { plugin: string; status: string; count: number }[];
  /** The earliest next attempt time of a pending or failed delivery, epoch ms. */
  oldestDueAt: number | null;
  disabledEndpoints: { plugin: string; disabledBy: string; count: number }[];
  queueDepth: Record<string, number>;
}

const WAITING_STATUSES = ['pending', 'failed'];

/**
 * Per-process counters and histograms (attempts are counted by the process that made them, so
 * summing over processes is right), and gauges of the shared database and queue, which only the
 * process holding the exporter lease reports: one read, cached, however many processes and
 * scrapers there are.
 */
@Injectable()
export class MetricsService implements BeforeApplicationShutdown {
  private readonly log = new Logger('Metrics');
  readonly registry = new Registry();
  private readonly attempts: Counter<'plugin' | 'status'>;
  private readonly duration: Histogram<'plugin'>;
  private readonly purgedRows: Counter<'table'>;
  private readonly lease: ExporterLease;
  private probes: QueueDepthProbe[] = [];
  private cached: { readAt: number; done: boolean; state: Promise<SharedState | null> } | null = null;

  constructor(
    private readonly db: Database,
    private readonly config: AppConfig,
  ) {
    this.lease = new ExporterLease(db);
    collectDefaultMetrics({ register: this.registry, prefix: 'hookgate_' });
    this.attempts = new Counter({
      name: 'hookgate_delivery_attempts_total',
      help: 'Delivery attempts made by this process, by plugin and the delivery status they led to',
      labelNames: ['plugin', 'status'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'hookgate_attempt_duration_seconds',
      help: 'HTTP attempt duration (attempts made by this process)',
      labelNames: ['plugin'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.purgedRows = new Counter({
      name: 'hookgate_retention_purged_rows_total',
      help: 'Rows removed by retention (the sweep and hookgate purge run in this process), by table',
      labelNames: ['table'],
      registers: [this.registry],
    });
    const shared = () => this.sharedState();
    new Gauge({
      name: 'hookgate_database_gauges_exporter',
      help: '1 in the one process that exports the database and queue gauges (hookgate_deliveries, hookgate_queue_depth, ...), 0 elsewhere',
      registers: [this.registry],
      async collect() {
        this.set((await shared()) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'hookgate_deliveries',
      help: 'Deliveries by plugin and status (from the database; exported by one process)',
      labelNames: ['plugin', 'status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const d of (await shared())?.deliveries ?? []) this.set({ plugin: d.plugin, status: d.status }, d.count);
      },
    });
    new Gauge({
      name: 'hookgate_queue_depth',
      help: 'Deliveries waiting to be sent (outbox: pending or failed awaiting retry), plus queue driver gauges (exported by one process)',
      labelNames: ['source'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [source, n] of Object.entries((await shared())?.queueDepth ?? {})) this.set({ source }, n);
      },
    });
    new Gauge({
      name: 'hookgate_oldest_due_delivery_age_seconds',
      help: 'How long the oldest due delivery has been waiting (0 in processes that do not export the database gauges: use max())',
      registers: [this.registry],
      async collect() {
        const due = (await shared())?.oldestDueAt ?? null;
        this.set(due === null ? 0 : Math.max(0, (Date.now() - due) / 1000));
      },
    });
    new Gauge({
      name: 'hookgate_endpoints_disabled',
      help: 'Disabled endpoints (not deleted) by plugin and who disabled them: owner or auto (from the database; exported by one process)',
      labelNames: ['plugin', 'disabled_by'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const e of (await shared())?.disabledEndpoints ?? []) this.set({ plugin: e.plugin, disabled_by: e.disabledBy }, e.count);
      },
    });
  }

  attempt(plugin: string | null, status: string, durationMs: number): void {
    this.attempts.inc({ plugin: plugin ?? 'core', status });
    this.duration.observe({ plugin: plugin ?? 'core' }, durationMs / 1000);
  }

  purged(table: string, rows: number): void {
    this.purgedRows.inc({ table }, rows);
  }

  addQueueProbe(probe: QueueDepthProbe): void {
    this.probes.push(probe);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.lease.release();
  }

  /** The shared state if this process exports it; the gauges of one scrape (and concurrent scrapes) share one read. */
  private sharedState(): Promise<SharedState | null> {
    const now = Date.now();
    const cached = this.cached;
    if (cached && (!cached.done || now - cached.readAt < this.config.METRICS_CACHE_MS)) return cached.state;
    const next = { readAt: now, done: false, state: this.readSharedState() };
    void next.state.finally(() => (next.done = true));
    this.cached = next;
    return next.state;
  }

  /** Null when another process exports, or when the database cannot be read (the per-process metrics still answer). */
  private async readSharedState(): Promise<SharedState | null> {
    try {
      if (!(await this.lease.held())) return null;
      const deliveries: { plugin: string | null; status: string; n: string | number; first_due: string | number | null }[] = await this.db.manager.query(
        'SELECT plugin, status, COUNT(*) AS n, MIN(next_attempt_at) AS first_due FROM deliveries GROUP BY plugin, status',
      );
      const disabled: { plugin: string | null; disabled_by: string | null; n: string | number }[] = await this.db.manager.query(
        'SELECT plugin, disabled_by, COUNT(*) AS n FROM endpoints WHERE NOT enabled AND deleted_at IS NULL GROUP BY plugin, disabled_by',
      );
      const waiting = deliveries.filter((d) => WAITING_STATUSES.includes(d.status));
      const dueTimes = waiting.filter((d) => d.first_due !== null).map((d) => Number(d.first_due));
      const queueDepth: Record<string, number> = { outbox: waiting.reduce((sum, d) => sum + Number(d.n), 0) };
      for (const probe of this.probes) Object.assign(queueDepth, await probe());
      return {
        deliveries: deliveries.map((d) => ({ plugin: d.plugin ?? 'core', status: d.status, count: Number(d.n) })),
        oldestDueAt: dueTimes.length ? Math.min(...dueTimes) : null,
        disabledEndpoints: disabled.map((e) => ({ plugin: e.plugin ?? 'core', disabledBy: e.disabled_by ?? 'owner', count: Number(e.n) })),
        queueDepth,
      };
    } catch (err) {
      this.log.warn(`reading the database gauges failed: ${(err as Error).message}`);
      return null;
    }
  }
}
