import { Injectable, Logger } from '@nestjs/common';
import { Between, In, MoreThanOrEqual } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { ConflictError, NotFoundError } from '../../common/errors';
import { TimeRange } from '../../common/list-query.dto';
import { Page, PageQuery, paginate, toPage, whereBetween } from '../../common/pagination';
import { DeliveryQueue } from '../queue/delivery-queue';
import { sha256 } from '../http/recorded-request';
import { toPluginEvent, wireBody } from '../http/wire-request';
import { PluginRegistry } from '../../plugins-host/plugin-registry';
import { iso } from '../../persistence/columns';
import { Database } from '../../persistence/database';
import { AttemptRow, DeliveryRow, DeliveryStatus, EndpointRow, EventRow } from '../../persistence/entities';
import { EndpointsService, TenantScope } from '../../endpoints/endpoints.service';

export interface DeliveryView {
  id: string;
  eventId: string;
  /** The event's type, so a list can be read without fetching each event. */
  eventType: string;
  endpointId: string;
  tenant: string;
  plugin: string | null;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AttemptView {
  id: string;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  /** Kept for clients older than `response` (the same text as response.body). */
  responseBody: string | null;
  /** Null when nothing was sent (refused by the SSRF guard, not buildable, or recorded before requests were kept). */
  request: AttemptRequestView | null;
  /** Null when no response came (timeout, connection error, refused). */
  response: AttemptResponseView | null;
}

export interface AttemptRequestView {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  /** Null when the body can no longer be rebuilt exactly as sent (the plugin's envelope changed since). */
  body: string | null;
}

export interface AttemptResponseView {
  statusCode: number;
  headers: Record<string, string>;
  body: string | null;
}

/** One attempt with its delivery, as attempt lists across deliveries show it. */
export interface DeliveryAttemptView extends AttemptView {
  delivery: DeliveryView;
}

/** Attempts across deliveries: of an endpoint, of an event, one by id; by event type, outcome and time. */
export interface AttemptFilter extends PageQuery {
  endpointId?: string;
  eventId?: string;
  id?: string;
  eventTypes?: string[];
  /** `succeeded`: a 2xx answer; `failed`: anything else. */
  outcome?: 'succeeded' | 'failed';
  /** Started strictly before / after these epoch ms. */
  before?: number;
  after?: number;
}

export interface DeliveryFilter extends PageQuery, TimeRange {
  endpointId?: string;
  eventId?: string;
  eventType?: string;
  plugin?: string;
  status?: DeliveryStatus;
}

@Injectable()
export class DeliveriesService {
  private readonly log = new Logger('Deliveries');

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly endpoints: EndpointsService,
    private readonly queue: DeliveryQueue,
    private readonly plugins: PluginRegistry,
  ) {}

  async list(scope: TenantScope, filter: DeliveryFilter): Promise<Page<DeliveryView>> {
    const qb = this.db.manager.getRepository(DeliveryRow).createQueryBuilder('d');
    if (scope.tenant !== null) qb.andWhere('d.tenant = :tenant', { tenant: scope.tenant });
    if (scope.plugin !== null) qb.andWhere('d.plugin = :plugin', { plugin: scope.plugin });
    if (filter.endpointId) qb.andWhere('d.endpointId = :endpointId', { endpointId: filter.endpointId });
    if (filter.eventId) qb.andWhere('d.eventId = :eventId', { eventId: filter.eventId });
    if (filter.status) qb.andWhere('d.status = :status', { status: filter.status });
    if (filter.plugin) qb.andWhere('d.plugin = :pluginFilter', { pluginFilter: filter.plugin });
    // Deliveries do not copy their event's type: each candidate probes the events primary key.
    if (filter.eventType) qb.andWhere('EXISTS (SELECT 1 FROM events ev WHERE ev.id = d.eventId AND ev.type = :eventType)', { eventType: filter.eventType });
    whereBetween(qb, 'd.createdAt', filter);
    const rows = await paginate(qb, filter).getMany();
    const types = await this.eventTypes(rows);
    return toPage(rows, filter, (row) => deliveryView(row, types.get(row.eventId) ?? ''));
  }

  async get(scope: TenantScope, id: string): Promise<DeliveryView & { attempts: AttemptView[] }> {
    const row = await this.row(scope, id);
    const m = this.db.manager;
    const [attempts, event, endpoint] = await Promise.all([
      m.find(AttemptRow, { where: { deliveryId: id }, order: { startedAt: 'ASC', id: 'ASC' } }),
      m.findOne(EventRow, { where: { id: row.eventId } }),
      m.findOne(EndpointRow, { where: { id: row.endpointId } }),
    ]);
    const body = event && endpoint ? this.sentBody(event, endpoint) : null;
    return { ...deliveryView(row, event?.type ?? ''), attempts: attempts.map((a) => attemptView(a, body)) };
  }

  /**
   * The body every attempt sent, rebuilt from the stored event (attempts keep only its hash, see
   * RecordedRequest); attemptView shows it only for attempts whose hash it matches.
   */
  private sentBody(event: EventRow, endpoint: EndpointRow): { text: string; sha256: string } | null {
    try {
      const text = wireBody(toPluginEvent(event), this.endpoints.view(endpoint), this.plugins.find(endpoint.plugin));
      return { text, sha256: sha256(text) };
    } catch {
      // A plugin whose envelope throws for this event now: the attempt detail shows no body.
      return null;
    }
  }

  /** Attempts keyset-paged on (startedAt, id) in SQL, newest first unless `order` is `asc`. */
  async attempts(scope: TenantScope, filter: AttemptFilter): Promise<Page<DeliveryAttemptView>> {
    const qb = this.db.manager.getRepository(AttemptRow).createQueryBuilder('a').innerJoin(DeliveryRow, 'd', 'd.id = a.deliveryId');
    if (scope.tenant !== null) qb.andWhere('d.tenant = :tenant', { tenant: scope.tenant });
    if (scope.plugin !== null) qb.andWhere('d.plugin = :plugin', { plugin: scope.plugin });
    if (filter.endpointId) qb.andWhere('d.endpointId = :endpointId', { endpointId: filter.endpointId });
    if (filter.eventId) qb.andWhere('d.eventId = :eventId', { eventId: filter.eventId });
    if (filter.id) qb.andWhere('a.id = :id', { id: filter.id });
    if (filter.eventTypes?.length) qb.innerJoin(EventRow, 'e', 'e.id = d.eventId').andWhere('e.type IN (:...types)', { types: filter.eventTypes });
    if (filter.outcome === 'succeeded') qb.andWhere('a.statusCode >= 200 AND a.statusCode < 300');
    if (filter.outcome === 'failed') qb.andWhere('(a.statusCode IS NULL OR a.statusCode < 200 OR a.statusCode >= 300)');
    if (filter.before !== undefined) qb.andWhere('a.startedAt < :before', { before: filter.before });
    if (filter.after !== undefined) qb.andWhere('a.startedAt > :after', { after: filter.after });
    const rows = await paginate(qb, filter, { createdAt: 'a.startedAt', id: 'a.id' }).getMany();
    const deliveries = rows.length ? await this.db.manager.find(DeliveryRow, { where: { id: In([...new Set(rows.map((a) => a.deliveryId))]) } }) : [];
    const types = await this.eventTypes(deliveries);
    const byId = new Map(deliveries.map((d) => [d.id, deliveryView(d, types.get(d.eventId) ?? '')]));
    return toPage(
      rows.map((a) => ({ ...a, createdAt: Number(a.startedAt) })),
      filter,
      (a) => ({ ...attemptView(a, null), delivery: byId.get(a.deliveryId)! }),
    );
  }

  /** How many of the filter's deliveries are in each status (statuses with none are 0). */
  async countByStatus(scope: TenantScope, filter: Omit<DeliveryFilter, keyof PageQuery | 'status'> & { since?: number; until?: number }): Promise<Record<DeliveryStatus, number>> {
    const qb = this.db.manager.getRepository(DeliveryRow).createQueryBuilder('d').select('d.status', 'status').addSelect('COUNT(*)', 'count').groupBy('d.status');
    if (scope.tenant !== null) qb.andWhere('d.tenant = :tenant', { tenant: scope.tenant });
    if (scope.plugin !== null) qb.andWhere('d.plugin = :plugin', { plugin: scope.plugin });
    if (filter.endpointId) qb.andWhere('d.endpointId = :endpointId', { endpointId: filter.endpointId });
    if (filter.eventId) qb.andWhere('d.eventId = :eventId', { eventId: filter.eventId });
    if (filter.since !== undefined) qb.andWhere('d.createdAt >= :since', { since: filter.since });
    if (filter.until !== undefined) qb.andWhere('d.createdAt < :until', { until: filter.until });
    const counts: Record<DeliveryStatus, number> = { pending: 0, held: 0, succeeded: 0, failed: 0, dead: 0 };
    for (const { status, count } of await qb.getRawMany<{ status: DeliveryStatus; count: string | number }>()) counts[status] = Number(count);
    return counts;
  }

  /** A new attempt now, whatever the delivery's state (a succeeded one is sent again). */
  async retry(scope: TenantScope, id: string): Promise<DeliveryView> {
    const row = await this.db.transaction(async (m) => {
      const row = await this.row(scope, id);
      const endpoint = await m.findOne(EndpointRow, { where: { id: row.endpointId } });
      if (!endpoint || endpoint.deletedAt !== null) throw new ConflictError('The endpoint of this delivery was deleted');
      if (row.status === 'pending' && row.leaseUntil && row.leaseUntil > Date.now()) throw new ConflictError('This delivery is being sent right now');
      Object.assign(row, { status: endpoint.enabled ? 'pending' : 'held', nextAttemptAt: endpoint.enabled ? Date.now() : null, leaseUntil: null, updatedAt: Date.now() });
      await m.update(DeliveryRow, { id }, { status: row.status, nextAttemptAt: row.nextAttemptAt, leaseUntil: null, updatedAt: row.updatedAt });
      await this.audit.record(m, { actor: scope.actor, tenant: row.tenant, action: 'delivery.retried', target: id, plugin: row.plugin });
      return row;
    });
    this.log.log({ msg: 'delivery retried', deliveryId: row.id, endpointId: row.endpointId, eventId: row.eventId, tenant: row.tenant, plugin: row.plugin, status: row.status, actor: scope.actor });
    if (row.status === 'pending') await this.queue.enqueue([row]);
    return deliveryView(row, (await this.eventTypes([row])).get(row.eventId) ?? '');
  }

  /** Re-queues the endpoint's failed and dead deliveries created in [since, until); returns how many. */
  async recover(scope: TenantScope, endpointId: string, since: number, until?: number): Promise<number> {
    const { endpoint, queued } = await this.db.transaction(async (m) => {
      const endpoint = await this.endpoints.row(m, scope, endpointId);
      const rows = await m.find(DeliveryRow, { where: { endpointId, status: In(['failed', 'dead']), createdAt: until === undefined ? MoreThanOrEqual(since) : Between(since, until - 1) } });
      const now = Date.now();
      const status: DeliveryStatus = endpoint.enabled ? 'pending' : 'held';
      for (let i = 0; i < rows.length; i += 500) {
        await m.update(DeliveryRow, { id: In(rows.slice(i, i + 500).map((r) => r.id)) }, { status, nextAttemptAt: endpoint.enabled ? now : null, leaseUntil: null, updatedAt: now });
      }
      await this.audit.record(m, { actor: scope.actor, tenant: endpoint.tenant, action: 'endpoint.recovered', target: endpointId, plugin: endpoint.plugin, details: { since: new Date(since).toISOString(), ...(until !== undefined ? { until: new Date(until).toISOString() } : {}), deliveries: rows.length } });
      return { endpoint, queued: rows.map((r) => ({ ...r, status, nextAttemptAt: now })) };
    });
    this.log.log({ msg: 'endpoint recovered', endpointId, tenant: endpoint.tenant, plugin: endpoint.plugin, deliveries: queued.length, held: !endpoint.enabled, since: new Date(since).toISOString(), actor: scope.actor });
    const due = queued.filter((r) => r.status === 'pending');
    if (due.length) await this.queue.enqueue(due);
    return queued.length;
  }

  /** The types of these deliveries' events, by event id, in one query. */
  private async eventTypes(rows: DeliveryRow[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((r) => r.eventId))];
    if (!ids.length) return new Map();
    const events = await this.db.manager.find(EventRow, { select: { id: true, type: true }, where: { id: In(ids) } });
    return new Map(events.map((e) => [e.id, e.type]));
  }

  private async row(scope: TenantScope, id: string): Promise<DeliveryRow> {
    const row = await this.db.manager.findOne(DeliveryRow, { where: { id } });
    if (!row || (scope.tenant !== null && row.tenant !== scope.tenant) || (scope.plugin !== null && row.plugin !== scope.plugin)) {
      throw new NotFoundError(`Delivery ${id} not found`);
    }
    return row;
  }
}

export function deliveryView(row: DeliveryRow, eventType: string): DeliveryView {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType,
    endpointId: row.endpointId,
    tenant: row.tenant,
    plugin: row.plugin,
    status: row.status,
    attemptCount: row.attemptCount,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
  };
}

function attemptView(a: AttemptRow, body: { text: string; sha256: string } | null): AttemptView {
  return {
    id: a.id,
    startedAt: iso(a.startedAt)!,
    durationMs: a.durationMs,
    statusCode: a.statusCode,
    error: a.error,
    responseBody: a.responseBody,
    request:
      a.requestUrl === null
        ? null
        : { method: 'POST', url: a.requestUrl, headers: a.requestHeaders ?? {}, body: body !== null && body.sha256 === a.requestBodySha256 ? body.text : null },
    response: a.statusCode === null ? null : { statusCode: a.statusCode, headers: a.responseHeaders ?? {}, body: a.responseBody },
  };
}
