import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Database } from '../persistence/database';

/** Extra gauges a queue driver contributes (e.g. BullMQ's waiting jobs). */
export type QueueDepthProbe = () => Promise<Record<string, number>>;

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly attempts: Counter<'plugin' | 'status'>;
  private readonly duration: Histogram<'plugin'>;
  private readonly purgedRows: Counter<'table'>;
  private probes: QueueDepthProbe[] = [];

  constructor(db: Database) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hookgate_' });
    this.attempts = new Counter({
      name: 'hookgate_delivery_attempts_total',
      help: 'Delivery attempts by plugin and the delivery status they led to',
      labelNames: ['plugin', 'status'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'hookgate_attempt_duration_seconds',
      help: 'HTTP attempt duration',
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
    const probes = () => this.probes;
    new Gauge({
      name: 'hookgate_deliveries',
      help: 'Deliveries by plugin and status (from the database)',
      labelNames: ['plugin', 'status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows: { plugin: string | null; status: string; n: string | number }[] = await db.manager.query(
          'SELECT plugin, status, COUNT(*) AS n FROM deliveries GROUP BY plugin, status',
        );
        for (const r of rows) this.set({ plugin: r.plugin ?? 'core', status: r.status }, Number(r.n));
      },
    });
    new Gauge({
      name: 'hookgate_queue_depth',
      help: 'Deliveries waiting to be sent (pending or failed awaiting retry), plus queue driver gauges',
      labelNames: ['source'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const [row] = await db.manager.query("SELECT COUNT(*) AS n FROM deliveries WHERE status IN ('pending', 'failed')");
        this.set({ source: 'outbox' }, Number(row.n));
        for (const probe of probes()) for (const [source, n] of Object.entries(await probe())) this.set({ source }, n);
      },
    });
    new Gauge({
      name: 'hookgate_oldest_due_delivery_age_seconds',
      help: 'How long the oldest due delivery has been waiting',
      registers: [this.registry],
      async collect() {
        const [row] = await db.manager.query(`SELECT MIN(next_attempt_at) AS due FROM deliveries WHERE status IN ('pending', 'failed')`);
        this.set(row?.due ? Math.max(0, (Date.now() - Number(row.due)) / 1000) : 0);
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
}
