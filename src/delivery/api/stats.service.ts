import { Injectable } from '@nestjs/common';
import { iso } from '../../persistence/columns';
import { Database } from '../../persistence/database';
import { DeliveryStatus } from '../../persistence/entities';
import { EndpointsService, TenantScope } from '../../endpoints/endpoints.service';
import { DeliveriesService } from './deliveries.service';

const HOUR_MS = 3600_000;
const WINDOW_HOURS = 24;
const FAILING_ENDPOINTS_SHOWN = 10;

/**
 * The hourly bucket of an attempt counted from `since` (integer division on both databases).
 * `since` is the server's own integer, written into the SQL, so the expression can appear twice
 * (SELECT and GROUP BY) without SQLite's positional parameters going out of order.
 */
const hourOf = (since: number): string => `(started_at - ${Math.trunc(since)}) / ${HOUR_MS}`;

export interface HealthFigures {
  attempts: number;
  succeeded: number;
  failed: number;
}

export interface EndpointStats {
  endpointId: string;
  window: '24h';
  since: string;
  until: string;
  totals: HealthFigures & { successRate: number | null; p50LatencyMs: number | null; p95LatencyMs: number | null };
  buckets: (HealthFigures & { start: string; p95LatencyMs: number | null })[];
  enabled: boolean;
  disabledReason: string | null;
}

export interface FailingEndpoint {
  endpointId: string;
  url: string;
  tenant: string;
  plugin: string | null;
  failedAttempts24h: number;
  attempts24h: number;
  successRate: number | null;
}

export interface GatewayStats {
  deliveriesByStatus: Record<DeliveryStatus, number>;
  failingEndpoints: FailingEndpoint[];
}

/**
 * The console's health figures, computed by the database from attempts (a failed attempt is one
 * with an error: anything but a 2xx). Written once for SQLite and PostgreSQL: integer division,
 * CASE and window functions behave the same on both, and every bound is a CAST parameter.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly db: Database,
    private readonly endpoints: EndpointsService,
    private readonly deliveries: DeliveriesService,
  ) {}

  /**
   * One endpoint's last 24 hours in hourly buckets, the last one being the current hour. Reads
   * only that endpoint's attempts (idx_attempts_endpoint); latency percentiles are nearest-rank,
   * ranked by the database, so no duration list comes back to the process.
   */
  async endpoint(scope: TenantScope, id: string, now = Date.now()): Promise<EndpointStats> {
    const endpoint = await this.endpoints.get(scope, id);
    const since = Math.floor(now / HOUR_MS) * HOUR_MS - (WINDOW_HOURS - 1) * HOUR_MS;
    const { sql, param } = this.params();
    const counts = await sql<{ bucket: unknown; attempts: unknown; succeeded: unknown }>(
      `SELECT ${hourOf(since)} AS bucket, COUNT(*) AS attempts, SUM(CASE WHEN error IS NULL THEN 1 ELSE 0 END) AS succeeded
       FROM attempts WHERE endpoint_id = ${param(id, 'VARCHAR(64)')} AND started_at >= ${since} GROUP BY ${hourOf(since)}`,
    );
    const percentiles = await this.latencyPercentiles(id, since);
    const buckets = Array.from({ length: WINDOW_HOURS }, (_, i) => ({ start: iso(since + i * HOUR_MS)!, attempts: 0, succeeded: 0, failed: 0, p95LatencyMs: null as number | null }));
    for (const row of counts) {
      const b = buckets[Number(row.bucket)];
      if (!b) continue;
      b.attempts = Number(row.attempts);
      b.succeeded = Number(row.succeeded);
      b.failed = b.attempts - b.succeeded;
      b.p95LatencyMs = percentiles.bucketP95.get(Number(row.bucket)) ?? null;
    }
    const attempts = buckets.reduce((n, b) => n + b.attempts, 0);
    const succeeded = buckets.reduce((n, b) => n + b.succeeded, 0);
    return {
      endpointId: endpoint.id,
      window: '24h',
      since: iso(since)!,
      until: iso(now)!,
      totals: { attempts, succeeded, failed: attempts - succeeded, successRate: attempts ? succeeded / attempts : null, p50LatencyMs: percentiles.p50, p95LatencyMs: percentiles.p95 },
      buckets,
      enabled: endpoint.enabled,
      disabledReason: endpoint.disabledReason,
    };
  }

  /**
   * Totals by status (within retention) and the endpoints with the most failed attempts in the
   * last 24 h. The failures come from the partial index of failed attempts, so the work grows
   * with the day's failures, not with the number of endpoints or of successful attempts.
   */
  async gateway(scope: TenantScope, now = Date.now()): Promise<GatewayStats> {
    const since = now - WINDOW_HOURS * HOUR_MS;
    const tenant = scope.tenant;
    const deliveriesByStatus = await this.deliveries.countByStatus(scope, {});

    const failing = this.params();
    const failures = await failing.sql<{ endpoint_id: string; url: string; tenant: string; plugin: string | null; failed: unknown }>(
      `SELECT f.endpoint_id, e.url, e.tenant, e.plugin, f.failed FROM (
         SELECT endpoint_id, COUNT(*) AS failed FROM attempts WHERE error IS NOT NULL AND started_at >= ${failing.param(since)} GROUP BY endpoint_id
       ) f JOIN endpoints e ON e.id = f.endpoint_id
       WHERE e.deleted_at IS NULL ${tenant === null ? '' : `AND e.tenant = ${failing.param(tenant, 'VARCHAR(255)')}`}
       ORDER BY f.failed DESC, f.endpoint_id LIMIT ${FAILING_ENDPOINTS_SHOWN}`,
    );
    const totals = new Map<string, number>();
    if (failures.length) {
      const all = this.params();
      const ids = failures.map((f) => all.param(f.endpoint_id, 'VARCHAR(64)')).join(', ');
      const rows = await all.sql<{ endpoint_id: string; n: unknown }>(`SELECT endpoint_id, COUNT(*) AS n FROM attempts WHERE endpoint_id IN (${ids}) AND started_at >= ${all.param(since)} GROUP BY endpoint_id`);
      for (const row of rows) totals.set(row.endpoint_id, Number(row.n));
    }
    return {
      deliveriesByStatus,
      failingEndpoints: failures.map((f) => {
        const attempts24h = totals.get(f.endpoint_id) ?? Number(f.failed);
        const failed = Number(f.failed);
        return { endpointId: f.endpoint_id, url: f.url, tenant: f.tenant, plugin: f.plugin, failedAttempts24h: failed, attempts24h, successRate: attempts24h ? (attempts24h - failed) / attempts24h : null };
      }),
    };
  }

  /** p50 and p95 over the window, and p95 per hourly bucket (nearest rank: the ceil(p·n)-th duration). */
  private async latencyPercentiles(id: string, since: number): Promise<{ p50: number | null; p95: number | null; bucketP95: Map<number, number> }> {
    const { sql, param } = this.params();
    const bucket = hourOf(since);
    const rows = await sql<{ bucket: unknown; duration_ms: unknown; bucket_rank: unknown; bucket_n: unknown; all_rank: unknown; all_n: unknown }>(
      `SELECT bucket, duration_ms, bucket_rank, bucket_n, all_rank, all_n FROM (
         SELECT ${bucket} AS bucket, duration_ms,
           ROW_NUMBER() OVER (PARTITION BY ${bucket} ORDER BY duration_ms) AS bucket_rank, COUNT(*) OVER (PARTITION BY ${bucket}) AS bucket_n,
           ROW_NUMBER() OVER (ORDER BY duration_ms) AS all_rank, COUNT(*) OVER () AS all_n
         FROM attempts WHERE endpoint_id = ${param(id, 'VARCHAR(64)')} AND started_at >= ${since}
       ) ranked
       WHERE bucket_rank = (95 * bucket_n + 99) / 100 OR all_rank = (95 * all_n + 99) / 100 OR all_rank = (50 * all_n + 99) / 100`,
    );
    let p50: number | null = null;
    let p95: number | null = null;
    const bucketP95 = new Map<number, number>();
    for (const row of rows) {
      const n = Number(row.all_n);
      const rank = Number(row.all_rank);
      const bucketN = Number(row.bucket_n);
      if (rank === Math.ceil((50 * n) / 100)) p50 = Number(row.duration_ms);
      if (rank === Math.ceil((95 * n) / 100)) p95 = Number(row.duration_ms);
      if (Number(row.bucket_rank) === Math.ceil((95 * bucketN) / 100)) bucketP95.set(Number(row.bucket), Number(row.duration_ms));
    }
    return { p50, p95, bucketP95 };
  }

  /** Positional parameters in the driver's syntax, each CAST so both databases type them alike. */
  private params(): { param: (value: unknown, type?: string) => string; sql: <R>(text: string) => Promise<R[]> } {
    const values: unknown[] = [];
    const pg = this.db.kind === 'postgres';
    return {
      param: (value, type = 'BIGINT') => {
        values.push(value);
        return `CAST(${pg ? `$${values.length}` : '?'} AS ${type})`;
      },
      sql: (text) => this.db.manager.query(text, values),
    };
  }
}
