import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';
import { Database } from '../persistence/database';
import { AttemptRow, AuditRow, DeliveryRow, EventRow } from '../persistence/entities';

/** Rows removed (or, on a dry run, that would be removed) per table. */
export interface PurgeCounts {
  events: number;
  deliveries: number;
  attempts: number;
  audit_events: number;
}

export interface PurgeOptions {
  /** Events created before this (epoch ms) whose every delivery is final. */
  eventsBefore: number;
  /** Audit events before this (epoch ms); null keeps them. */
  auditBefore: number | null;
  /** Called after each batch with the events and audit events removed so far. */
  onProgress?: (removed: { events: number; audit_events: number }) => void;
  /** Checked between batches: a sweep stops early on shutdown. */
  shouldStop?: () => boolean;
}

/** Small enough that one batch's transaction holds the (SQLite) write lock for milliseconds only. */
export const PURGE_BATCH = 500;
const FINAL = ['succeeded', 'dead'];

/**
 * Removes old events with their deliveries and attempts, and old audit events. An event goes only
 * when every delivery of it is final (succeeded or dead): never one that is pending, held or
 * waiting for a retry. Each batch is its own short transaction, with a yield between batches, so
 * publishing goes on during a purge.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly db: Database,
    private readonly metrics: MetricsService,
  ) {}

  /** What a purge with these options would remove now. */
  async count({ eventsBefore, auditBefore }: Pick<PurgeOptions, 'eventsBefore' | 'auditBefore'>): Promise<PurgeCounts> {
    const m = this.db.manager;
    const purgeable = `SELECT e.id FROM events e WHERE e.created_at < ${this.param(1)} AND ${this.allFinal('e')}`;
    const n = async (sql: string, params: unknown[]) => Number((await m.query(sql, params))[0].n);
    return {
      events: await n(`SELECT COUNT(*) AS n FROM (${purgeable}) p`, [eventsBefore]),
      deliveries: await n(`SELECT COUNT(*) AS n FROM deliveries WHERE event_id IN (${purgeable})`, [eventsBefore]),
      attempts: await n(`SELECT COUNT(*) AS n FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id IN (${purgeable}))`, [eventsBefore]),
      audit_events: auditBefore === null ? 0 : await n(`SELECT COUNT(*) AS n FROM audit_events WHERE at < ${this.param(1)}`, [auditBefore]),
    };
  }

  async purge(options: PurgeOptions): Promise<PurgeCounts> {
    const removed: PurgeCounts = { events: 0, deliveries: 0, attempts: 0, audit_events: 0 };
    const stop = options.shouldStop ?? (() => false);
    for (;;) {
      const batch = await this.db.transaction((m) => this.purgeEventBatch(m, options.eventsBefore));
      this.add(removed, batch);
      options.onProgress?.(removed);
      if (batch.found < PURGE_BATCH || stop()) break;
      await yieldToOthers();
    }
    while (options.auditBefore !== null && !stop()) {
      const before = options.auditBefore;
      const n = await this.db.transaction((m) => this.purgeAuditBatch(m, before));
      this.add(removed, { audit_events: n });
      options.onProgress?.(removed);
      if (n < PURGE_BATCH) break;
      await yieldToOthers();
    }
    return removed;
  }

  private async purgeEventBatch(m: EntityManager, before: number): Promise<Partial<PurgeCounts> & { found: number }> {
    const candidates: { id: string }[] = await m.query(
      `SELECT e.id FROM events e WHERE e.created_at < ${this.param(1)} AND ${this.allFinal('e')} ORDER BY e.created_at LIMIT ${PURGE_BATCH}`,
      [before],
    );
    let ids = candidates.map((c) => c.id);
    if (!ids.length) return { found: 0 };
    if (this.db.kind === 'postgres') {
      // A retry may have re-opened a delivery since the SELECT: lock them and look again.
      const deliveries: { event_id: string; status: string }[] = await m.query('SELECT event_id, status FROM deliveries WHERE event_id = ANY($1) FOR UPDATE', [ids]);
      const reopened = new Set(deliveries.filter((d) => !FINAL.includes(d.status)).map((d) => d.event_id));
      ids = ids.filter((id) => !reopened.has(id));
    }
    if (!ids.length) return { found: candidates.length };
    const attempts = await this.deleteWhere(m, AttemptRow, 'delivery_id IN (SELECT id FROM deliveries WHERE event_id IN (:...ids))', ids);
    const deliveries = await this.deleteWhere(m, DeliveryRow, 'event_id IN (:...ids)', ids);
    const events = await this.deleteWhere(m, EventRow, 'id IN (:...ids)', ids);
    return { found: candidates.length, events, deliveries, attempts };
  }

  private async purgeAuditBatch(m: EntityManager, before: number): Promise<number> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM audit_events WHERE at < ${this.param(1)} ORDER BY at LIMIT ${PURGE_BATCH}`, [before]);
    return rows.length ? this.deleteWhere(m, AuditRow, 'id IN (:...ids)', rows.map((r) => r.id)) : 0;
  }

  /** DELETE with a condition on column names and the list `:...ids`; answers the rows removed. */
  private async deleteWhere(m: EntityManager, entity: typeof EventRow | typeof DeliveryRow | typeof AttemptRow | typeof AuditRow, condition: string, ids: string[]): Promise<number> {
    const result = await m.createQueryBuilder().delete().from(entity).where(condition, { ids }).execute();
    return result.affected ?? 0;
  }

  private add(total: PurgeCounts, batch: Partial<PurgeCounts>): void {
    for (const table of Object.keys(total) as (keyof PurgeCounts)[]) {
      const n = batch[table] ?? 0;
      total[table] += n;
      if (n) this.metrics.purged(table, n);
    }
  }

  /** No delivery of event `alias` is still to be sent (pending, held, or failed awaiting a retry). */
  private allFinal(alias: string): string {
    return `NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = ${alias}.id AND d.status NOT IN ('succeeded', 'dead'))`;
  }

  private param(n: number): string {
    return this.db.kind === 'postgres' ? `$${n}` : '?';
  }
}

/** Lets queued publishes and deliveries take the write lock between two batches. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));
