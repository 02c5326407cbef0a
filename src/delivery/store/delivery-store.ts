import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../../audit/audit.service';
import { uuidv7 } from '../../common/ids';
import { Database, RowWrite } from '../../persistence/database';
import { AttemptRow, DeliveryRow, DeliveryStatus, EndpointRow, EventRow } from '../../persistence/entities';
import { claimableCondition } from './claimable-condition';

/** What one dispatch of a delivery came to, written back in a batch. */
export interface DispatchResult {
  delivery: DeliveryRow;
  /** Null when nothing was sent (endpoint deleted, disabled by its owner, or auto-disabled). */
  attempt: Omit<AttemptRow, 'id' | 'deliveryId' | 'endpointId'> | null;
  status: DeliveryStatus;
  nextAttemptAt: number | null;
  /** Whether the endpoint answered well (true), badly (false), or was not tried (null). */
  healthy: boolean | null;
  /** The attempt's trace, for its log line (not stored). */
  traceId?: string;
}

export interface AutoDisabled {
  endpoint: EndpointRow;
  reason: string;
}

/** How long a lease outlasts the attempt's timeout: loading, batching and writing its result. */
export const LEASE_SLACK_MS = 2000;

const ATTEMPT_COLUMNS = ['id', 'delivery_id', 'endpoint_id', 'started_at', 'duration_ms', 'status_code', 'response_body', 'error', 'request_url', 'request_headers', 'request_body_sha256', 'response_headers'] as const;

const COLUMNS: Record<string, keyof DeliveryRow> = {
  id: 'id',
  event_id: 'eventId',
  endpoint_id: 'endpointId',
  tenant: 'tenant',
  plugin: 'plugin',
  status: 'status',
  attempt_count: 'attemptCount',
  next_attempt_at: 'nextAttemptAt',
  lease_until: 'leaseUntil',
  last_status_code: 'lastStatusCode',
  last_error: 'lastError',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
};

/** The outbox: claims due deliveries under a lease and records what their attempts came to. */
@Injectable()
export class DeliveryStore {
  constructor(
    private readonly db: Database,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /**
   * Claims up to `limit` due deliveries for this worker until the lease ends. A worker that dies
   * holding a lease loses it when the lease expires, and another claims the deliveries again.
   * The lease outlasts the attempt (the endpoint's timeout plus slack for recording it), so an
   * attempt still in flight is never claimed a second time (DeliveryHandoff.leaseUntil is the same lease).
   * PostgreSQL: SKIP LOCKED lets many workers claim from one table without waiting on each other.
   */
  async claim(limit: number, now = Date.now(), ids?: string[]): Promise<DeliveryRow[]> {
    const pg = this.db.kind === 'postgres';
    // SQLite binds `?` in the order the placeholders appear, so each value is added where it is
    // used, inside the one template below (evaluated left to right).
    const params: unknown[] = [];
    const p = (value: unknown, type = 'BIGINT') => {
      params.push(value);
      return `CAST(${pg ? `$${params.length}` : '?'} AS ${type})`;
    };
    // Named deliveries (a queue job's): the rule as one opaque test, so the planner can only find them
    // by id. Offered the due index, PostgreSQL took it whenever its statistics lagged a growing
    // backlog (they estimated one due row), and each claim scanned every due delivery: 8-20 ms.
    const claimable = () => (ids?.length ? `(${claimableCondition(() => p(now))}) IS TRUE AND id IN (${ids.map((id) => p(id, 'VARCHAR(64)')).join(', ')})` : claimableCondition(() => p(now)));
    const sql = `WITH due AS (
        SELECT id FROM deliveries
        WHERE ${claimable()}
        ORDER BY next_attempt_at LIMIT ${p(limit, 'INTEGER')} ${pg ? 'FOR UPDATE SKIP LOCKED' : ''})
      UPDATE deliveries SET lease_until = ${p(now)} + ${pg ? 'GREATEST' : 'MAX'}(${p(this.config.DELIVERY_LEASE_MS)},
          COALESCE((SELECT e.timeout_ms FROM endpoints e WHERE e.id = deliveries.endpoint_id), ${p(this.config.DELIVERY_TIMEOUT_MS)}) + ${p(LEASE_SLACK_MS)}), status = 'pending'
      WHERE id IN (SELECT id FROM due) RETURNING *`;
    // On PostgreSQL the one statement is atomic by itself: no BEGIN/COMMIT round trips around it.
    const raw = pg ? await this.db.manager.query(sql, params) : await this.db.transaction((m) => m.query(sql, params));
    const rows: Record<string, unknown>[] = pg ? raw[0] : raw;
    return rows.map(toDelivery);
  }

  async load(deliveries: DeliveryRow[]): Promise<{ events: Map<string, EventRow>; endpoints: Map<string, EndpointRow> }> {
    const eventIds = [...new Set(deliveries.map((d) => d.eventId))];
    const [events, endpoints] = await Promise.all([this.db.findByIds(this.db.manager, EventRow, eventIds), this.endpoints(deliveries.map((d) => d.endpointId))]);
    return { events: new Map(events.map((e) => [e.id, e])), endpoints };
  }

  async endpoints(ids: string[]): Promise<Map<string, EndpointRow>> {
    const rows = await this.db.findByIds(this.db.manager, EndpointRow, [...new Set(ids)]);
    return new Map(rows.map((e) => [e.id, e]));
  }

  /**
   * The version (updated_at) of each endpoint changed at or after `since` (epoch ms): every write
   * that matters to an attempt (edit, disable, delete, secret rotation, auto-disable) sets it.
   */
  async endpointVersionsSince(since: number): Promise<Map<string, number>> {
    const rows: { id: string; updated_at: string | number }[] = await this.db.manager.query(`SELECT "id", "updated_at" FROM "endpoints" WHERE "updated_at" >= ${this.db.kind === 'postgres' ? '$1' : '?'}`, [since]);
    return new Map(rows.map((row) => [row.id, Number(row.updated_at)]));
  }

  /** Gives up leases taken but never used (handed-off deliveries at shutdown): due again at once. */
  async release(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.db.transaction((m) => this.db.write(m, { update: 'deliveries', values: { lease_until: null }, expressions: {}, ids, onlyWhere: "status IN ('pending', 'failed')" }));
  }

  /** Releases a claim without an attempt (rate limited): due again at `at`. */
  async postpone(id: string, at: number): Promise<void> {
    await this.db.transaction((m) => m.update(DeliveryRow, { id }, { nextAttemptAt: at, leaseUntil: null }));
  }

  /**
   * Writes a batch of results in one transaction: attempts, delivery states, endpoint health.
   * Returns the endpoints this batch pushed over the auto-disable threshold.
   */
  async record(results: DispatchResult[]): Promise<AutoDisabled[]> {
    if (!results.length) return [];
    const now = Date.now();
    const attempts = results.flatMap(({ delivery, attempt: a }) =>
      a ? [[uuidv7(a.startedAt), delivery.id, delivery.endpointId, a.startedAt, a.durationMs, a.statusCode, a.responseBody, a.error, a.requestUrl, json(a.requestHeaders), a.requestBodySha256, json(a.responseHeaders)]] : [],
    );
    // Results that leave a delivery in the same state are written by one UPDATE (most of a
    // batch is "succeeded, HTTP 200"); attempt_count is incremented in SQL, so it can be shared.
    const groups = new Map<string, { set: Record<string, unknown>; attempted: boolean; ids: string[] }>();
    for (const r of results) {
      const set = {
        status: r.status,
        next_attempt_at: r.nextAttemptAt,
        lease_until: null,
        ...(r.attempt ? { last_status_code: r.attempt.statusCode, last_error: r.attempt.error } : { last_error: r.delivery.lastError }),
        updated_at: now,
      };
      const key = `${r.attempt ? 1 : 0}:${JSON.stringify(set)}`;
      const group = groups.get(key) ?? { set, attempted: r.attempt !== null, ids: [] as string[] };
      group.ids.push(r.delivery.id);
      groups.set(key, group);
    }
    const health = healthByEndpoint(results);
    const healthy = [...health].filter(([, h]) => h.ok).map(([id]) => id);
    const writes: RowWrite[] = [
      { insert: 'attempts', columns: ATTEMPT_COLUMNS, rows: attempts },
      ...[...groups.values()].map(({ set, attempted, ids }) => ({ update: 'deliveries', values: set, expressions: { attempt_count: `attempt_count + ${attempted ? 1 : 0}` }, ids })),
      ...(healthy.length ? [{ update: 'endpoints', values: { failing_since: null, failure_count: 0 }, expressions: {}, ids: healthy, onlyWhere: 'failing_since IS NOT NULL' }] : []),
    ];
    // Usually every endpoint answered well: nothing to read back, so the writes go in one round trip (see Database.writeTogether).
    if ([...health.values()].every((h) => h.ok)) {
      await this.db.writeTogether(...writes);
      return [];
    }
    return this.db.transaction(async (m) => {
      await this.db.write(m, ...writes);
      return this.trackFailures(m, health, now);
    });
  }

  /**
   * An endpoint is disabled when every attempt has failed for the whole window and at least the
   * minimum number of attempts failed; its queued deliveries are held until it is enabled again.
   */
  private async trackFailures(m: EntityManager, byEndpoint: Map<string, EndpointHealth>, now: number): Promise<AutoDisabled[]> {
    const disabled: AutoDisabled[] = [];
    const window = this.config.scaled(this.config.DELIVERY_DISABLE_AFTER_MS);
    // Endpoint rows are locked in id order, so two workers recording at once cannot deadlock.
    for (const [id, h] of [...byEndpoint].sort(([a], [b]) => a.localeCompare(b))) {
      if (h.ok) continue;
      const endpoint = await m.findOne(EndpointRow, { where: { id } });
      if (!endpoint || !endpoint.enabled) continue;
      const failingSince = endpoint.failingSince ?? now;
      const failureCount = endpoint.failureCount + h.failures;
      if (now - failingSince >= window && failureCount >= this.config.DELIVERY_DISABLE_MIN_FAILURES) {
        const reason = `every delivery failed for ${Math.round((now - failingSince) / 1000)} s (${failureCount} failed attempts)`;
        // Only while still enabled: an owner's disable (or delete) between the read and here wins, and no
        // write of ours may turn the endpoint back on.
        const changed = await m
          .createQueryBuilder()
          .update(EndpointRow)
          .set({ failingSince, failureCount, enabled: false, disabledBy: 'auto', disabledReason: reason, updatedAt: now })
          .where({ id, enabled: true })
          .execute();
        if (!changed.affected) continue;
        await m.update(DeliveryRow, { endpointId: id, status: In(['pending', 'failed']) }, { status: 'held', nextAttemptAt: null, leaseUntil: null, updatedAt: now });
        await this.audit.record(m, { actor: 'hookgate', tenant: endpoint.tenant, action: 'endpoint.auto_disabled', target: id, plugin: endpoint.plugin, details: { reason } });
        disabled.push({ endpoint: { ...endpoint, failingSince, failureCount, enabled: false, disabledBy: 'auto', disabledReason: reason, updatedAt: now }, reason });
      } else {
        // The health counters only: the endpoint's enabled state is the owner's, never rewritten from a stale read.
        await m.update(EndpointRow, { id }, { failingSince, failureCount });
      }
    }
    return disabled;
  }
}

interface EndpointHealth {
  /** Some attempt succeeded: the endpoint's failure streak ends. */
  ok: boolean;
  failures: number;
}

/** Per endpoint tried in this batch: whether any attempt succeeded, and how many failed. */
function healthByEndpoint(results: DispatchResult[]): Map<string, EndpointHealth> {
  const byEndpoint = new Map<string, EndpointHealth>();
  for (const r of results) {
    if (r.healthy === null) continue;
    const h = byEndpoint.get(r.delivery.endpointId) ?? { ok: false, failures: 0 };
    if (r.healthy) h.ok = true;
    else h.failures++;
    byEndpoint.set(r.delivery.endpointId, h);
  }
  return byEndpoint;
}

/** A `simple-json` column's stored form (null stays NULL). */
const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));

function toDelivery(raw: Record<string, unknown>): DeliveryRow {
  const row = {} as Record<string, unknown>;
  for (const [column, field] of Object.entries(COLUMNS)) row[field] = raw[column];
  for (const field of ['attemptCount', 'nextAttemptAt', 'leaseUntil', 'lastStatusCode', 'createdAt', 'updatedAt'] as const) {
    if (row[field] !== null && row[field] !== undefined) row[field] = Number(row[field]);
  }
  return row as unknown as DeliveryRow;
}
