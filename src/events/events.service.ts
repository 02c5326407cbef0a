import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EntityManager, LessThan } from 'typeorm';
import { ConflictError, NotFoundError, ValidationFailedError, ValidationIssue } from '../common/errors';
import { uuidv7 } from '../common/ids';
import { TimeRange } from '../common/list-query.dto';
import { cursorOf, MAX_PAGE_SIZE, Page, PageQuery, pageSize, paginate, toPage, whereBetween } from '../common/pagination';
import { iso } from '../persistence/columns';
import { Database, isUniqueViolation, RowWrite } from '../persistence/database';
import { DeliveryRow, DeliveryStatus, EndpointRow, EventRow } from '../persistence/entities';
import { CORE_SURFACE, eventTypeRefusal, OPERATOR_EVENT_PREFIX, PluginRegistry, takesEventType } from '../plugins-host/plugin-registry';
import { activeTraceparent } from '../observability/trace-context';
import { inSpan } from '../observability/spans';
import { DeliveryQueue } from '../delivery/queue/delivery-queue';
import { DeliveryHandoff, HandedOff } from '../delivery/engine/delivery-handoff';
import { EndpointsService, TenantScope } from '../endpoints/endpoints.service';
import { PluginEvent } from '../sdk/plugin';
import { EndpointView } from '../endpoints/endpoint.view';

export interface PublishInput {
  tenant: string;
  plugin?: string | null;
  type: string;
  data: unknown;
  context?: Record<string, unknown> | null;
  /** What it belongs to within its plugin (a Svix application): `list` filters on it (an indexed column). */
  group?: string | null;
  idempotencyKey?: string | null;
  /**
   * What a key reused within IDEMPOTENCY_WINDOW_MS means. `request` (default): the same body is a
   * replay, another body a 409. `event`: the key alone names the event (a provider's own event
   * id, e.g. Caliper's), so any reuse is a replay.
   */
  keyNames?: 'request' | 'event';
}

export interface PublishResult {
  id: string;
  /** How many deliveries the event created (for a replayed key: the original count). */
  deliveries: number;
  /** True when the idempotency key matched an earlier publish: nothing new was sent. */
  replayed: boolean;
}

export interface EventView {
  id: string;
  tenant: string;
  plugin: string | null;
  type: string;
  data: unknown;
  context: Record<string, unknown> | null;
  idempotencyKey: string | null;
  createdAt: string;
}

export interface EventSummary {
  id: string;
  type: string;
  plugin: string | null;
  tenant: string;
  createdAt: string;
  deliveryCount: number;
}

export interface EventFilter extends PageQuery, TimeRange {
  type?: string;
  plugin?: string;
}

/** A plugin's events, newest first: a page of those its predicate keeps. */
export interface EventListQuery extends PageQuery {
  /** Only these types (empty or absent = every type). */
  types?: string[];
  /** Created strictly before / after these epoch ms. */
  before?: number;
  after?: number;
  /** Only the events of this group. */
  group?: string;
  /** The event published with this idempotency key (a key is held 24 h, then freed when reused). */
  idempotencyKey?: string;
  /** A plugin's own test on the event (e.g. its context), applied while walking the pages. */
  matches?: (event: EventView) => boolean;
}

/** Rows read per step while walking for a predicate's matches: a full page of the core's. */
const EVENT_SCAN_BATCH = MAX_PAGE_SIZE;

export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
/** Publishes committed in one transaction at most (a batch's fan-out shares its endpoint queries). */
const PUBLISH_BATCH_MAX = 256;

const EVENT_COLUMNS = ['id', 'tenant', 'plugin', 'type', 'data', 'context', 'group_key', 'idempotency_key', 'body_hash', 'created_at', 'trace_context'] as const;
const DELIVERY_COLUMNS = ['id', 'event_id', 'endpoint_id', 'tenant', 'plugin', 'status', 'attempt_count', 'next_attempt_at', 'lease_until', 'last_status_code', 'last_error', 'created_at', 'updated_at'] as const;

/** An endpoint's fan-out verdict, judged outside the transaction, and the version it judged. */
type Verdicts = Map<string, { updatedAt: number; accepted: boolean }>;

interface PreparedEvent {
  row: EventRow;
  keyNames: 'request' | 'event';
  verdicts: Verdicts | null;
}

/** Events published together: committed in one transaction, or not at all. */
interface QueuedPublish {
  events: PreparedEvent[];
  resolve: (results: PublishResult[]) => void;
  reject: (reason: unknown) => void;
}

/** The event an idempotency key stands for: stored earlier, or created by this batch. */
interface KeyedEvent {
  id: string;
  bodyHash: string | null;
  deliveries: number;
}

/** What a batch came to: per publish its results or its own refusal, and the deliveries to queue. */
interface StoredBatch {
  outcomes: (PublishResult[] | ConflictError)[];
  due: DeliveryRow[];
  /** Committed leased to this process's dispatcher, to be handed over once committed. */
  handedOff: Omit<HandedOff, 'at'>[];
}

/** Judging fan-out yields to the event loop this often, so other requests are answered meanwhile. */
const JUDGE_SLICE_MS = 5;

@Injectable()
export class EventsService {
  private waiting: QueuedPublish[] = [];
  private batchQueued = false;

  constructor(
    private readonly db: Database,
    private readonly plugins: PluginRegistry,
    private readonly endpoints: EndpointsService,
    private readonly queue: DeliveryQueue,
    private readonly handoff: DeliveryHandoff,
  ) {}

  /**
   * Stores the event and one delivery per matching endpoint, then hands the deliveries to the
   * queue. The publisher's 202 means every delivery is durable. Concurrent publishes are
   * committed together (see queueBatch); each still gets its own answer.
   */
  async publish(input: PublishInput): Promise<PublishResult> {
    const [result] = await this.publishAll([input]);
    return result;
  }

  /**
   * Publishes several events atomically: all are stored with their deliveries in one
   * transaction, or none is (a refusal of one — validation, an idempotency conflict, a failed
   * write — refuses them all). Results in input order; validation issue paths start with the index.
   */
  async publishAll(inputs: PublishInput[]): Promise<PublishResult[]> {
    const issues = inputs.flatMap((input, i) => this.problems(input).map((issue) => (inputs.length > 1 ? { ...issue, path: [String(i), ...issue.path] } : issue)));
    if (issues.length) throw new ValidationFailedError(issues);
    const attributes = { 'hookgate.tenant': inputs[0]?.tenant, 'hookgate.plugin': inputs[0]?.plugin ?? CORE_SURFACE, 'hookgate.event.count': inputs.length };
    return inSpan('hookgate.fanout', attributes, async (span) => {
      const results = await this.fanOutAll(inputs, activeTraceparent());
      span.setAttributes({ 'hookgate.deliveries': results.reduce((n, r) => n + r.deliveries, 0), 'hookgate.replayed': results.some((r) => r.replayed) });
      if (results.length === 1) span.setAttribute('hookgate.event.id', results[0].id);
      return results;
    });
  }

  /** Stores the events, each carrying the fan-out span's context for its attempts to join. */
  private async fanOutAll(inputs: PublishInput[], traceContext: string | null): Promise<PublishResult[]> {
    const now = Date.now();
    const events: PreparedEvent[] = inputs.map((input) => {
      const context = input.context ?? null;
      const keyNames = input.keyNames ?? 'request';
      const row: EventRow = {
        id: uuidv7(now),
        tenant: input.tenant,
        plugin: input.plugin ?? null,
        type: input.type,
        data: input.data,
        context,
        group: input.group ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
        bodyHash: input.idempotencyKey && keyNames === 'request' ? hashOf([input.plugin ?? null, input.type, input.data, context]) : null,
        createdAt: now,
        traceContext,
      };
      return { row, keyNames, verdicts: null };
    });
    await this.judge(events);
    return new Promise((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      if (!this.batchQueued) this.queueBatch();
    });
  }

  /** Why the gateway refuses this publish (unknown plugin or type, the plugin's own event check). */
  private problems(input: PublishInput): ValidationIssue[] {
    const plugin = input.plugin ? this.plugins.find(input.plugin) : undefined;
    if (input.plugin && !plugin) return [issue('plugin', `plugin "${input.plugin}" is not enabled on this gateway`)];
    if (!plugin) return [];
    if (!takesEventType(plugin, input.type)) return [issue('type', eventTypeRefusal(plugin, input.type))];
    return plugin.metadata.validateEvent?.({ type: input.type, data: input.data, context: input.context ?? null }) ?? [];
  }

  /**
   * A plugin's `accepts` (e.g. Caliper's filters) is judged here, before the transaction, and
   * yields to the event loop as it goes: on SQLite every writer waits on the one transaction, so
   * a slow judgement inside it would stall every tenant. The transaction reads the endpoints
   * again and judges only those created or changed since (see fanOut).
   */
  private async judge(events: PreparedEvent[]): Promise<void> {
    const candidates = new Map<string, { row: EndpointRow; view: EndpointView }[]>();
    let sliceStart = performance.now();
    for (const event of events) {
      const accepts = this.plugins.find(event.row.plugin)?.metadata.accepts;
      if (!accepts) continue;
      const group = `${event.row.tenant}\u0000${event.row.plugin}`;
      let endpoints = candidates.get(group);
      if (!endpoints) {
        const rows = await this.candidates(this.db.manager, event.row.tenant, event.row.plugin);
        candidates.set(group, (endpoints = rows.map((row) => ({ row, view: this.endpoints.view(row) }))));
      }
      const pluginEvent = pluginEventOf(event.row);
      event.verdicts = new Map();
      for (const { row, view } of endpoints.filter(({ row }) => takesType(row, event.row.type))) {
        event.verdicts.set(row.id, { updatedAt: row.updatedAt, accepted: accepts(view, pluginEvent) });
        if (performance.now() - sliceStart > JUDGE_SLICE_MS) {
          await nextTurn();
          sliceStart = performance.now();
        }
      }
    }
  }

  /** One event delivered to one endpoint only (POST /v1/webhooks/:id/test). */
  async sendTest(endpoint: EndpointView, type: string): Promise<{ id: string; deliveries: number }> {
    const now = Date.now();
    const event: EventRow = { id: uuidv7(now), tenant: endpoint.tenant, plugin: endpoint.plugin, type, data: { message: 'Test event from hookgate', endpointId: endpoint.id }, context: null, group: null, idempotencyKey: null, bodyHash: null, createdAt: now, traceContext: activeTraceparent() };
    const delivery = this.deliveryFor(event, endpoint.id, endpoint.enabled);
    await this.db.transaction(async (m) => {
      await this.db.write(m, { insert: 'events', columns: EVENT_COLUMNS, rows: [eventValues(event)] }, this.deliveryRows([delivery]));
    });
    if (delivery.status === 'pending') await this.queue.enqueue([delivery]);
    return { id: event.id, deliveries: 1 };
  }

  async get(tenant: string | null, id: string): Promise<EventView & { deliveries: number }> {
    const row = await this.db.manager.findOne(EventRow, { where: { id } });
    if (!row || (tenant !== null && row.tenant !== tenant)) throw new NotFoundError(`Event ${id} not found`);
    const deliveries = await this.db.manager.count(DeliveryRow, { where: { eventId: id } });
    return { ...eventView(row), deliveries };
  }

  /** Events newest first, without payloads; delivery counts by one grouped query over the page. */
  async summaries(tenant: string | null, filter: EventFilter): Promise<Page<EventSummary>> {
    const qb = this.db.manager
      .getRepository(EventRow)
      .createQueryBuilder('e')
      .select(['e.id', 'e.type', 'e.plugin', 'e.tenant', 'e.createdAt']);
    if (tenant !== null) qb.andWhere('e.tenant = :tenant', { tenant });
    if (filter.type) qb.andWhere('e.type = :type', { type: filter.type });
    if (filter.plugin) qb.andWhere('e.plugin = :plugin', { plugin: filter.plugin });
    whereBetween(qb, 'e.createdAt', filter);
    const rows = await paginate(qb, filter).getMany();
    const counts = new Map<string, number>();
    if (rows.length) {
      const grouped: { eventId: string; count: string | number }[] = await this.db.manager
        .getRepository(DeliveryRow)
        .createQueryBuilder('d')
        .select('d.eventId', 'eventId')
        .addSelect('COUNT(*)', 'count')
        .where('d.eventId IN (:...ids)', { ids: rows.map((r) => r.id) })
        .groupBy('d.eventId')
        .getRawMany();
      for (const g of grouped) counts.set(g.eventId, Number(g.count));
    }
    return toPage(rows, filter, (r) => ({ id: r.id, type: r.type, plugin: r.plugin, tenant: r.tenant, createdAt: iso(r.createdAt)!, deliveryCount: counts.get(r.id) ?? 0 }));
  }

  /** One event of the scope's tenant and plugin; NotFoundError otherwise. */
  async find(scope: TenantScope, id: string): Promise<EventView> {
    const row = await this.db.manager.findOne(EventRow, { where: { id } });
    if (!row || (scope.tenant !== null && row.tenant !== scope.tenant) || (scope.plugin !== null && row.plugin !== scope.plugin)) throw new NotFoundError(`Event ${id} not found`);
    return eventView(row);
  }

  /**
   * The scope's events, newest first (or oldest first), in pages of `limit` that `matches` keeps: the rows are read in
   * keyset order in batches and tested here, so a predicate over JSON columns (context) stays the
   * same on both databases; the cursor is the last kept row's.
   */
  async list(scope: TenantScope, query: EventListQuery): Promise<Page<EventView>> {
    const limit = pageSize(query.limit);
    const kept: EventRow[] = [];
    let cursor = query.cursor;
    for (;;) {
      const qb = this.db.manager.getRepository(EventRow).createQueryBuilder('e');
      if (scope.tenant !== null) qb.andWhere('e.tenant = :tenant', { tenant: scope.tenant });
      qb.andWhere(scope.plugin !== null ? 'e.plugin = :plugin' : 'e.plugin IS NULL', { plugin: scope.plugin });
      if (query.types?.length) qb.andWhere('e.type IN (:...types)', { types: query.types });
      if (query.before !== undefined) qb.andWhere('e.createdAt < :before', { before: query.before });
      if (query.after !== undefined) qb.andWhere('e.createdAt > :after', { after: query.after });
      if (query.group !== undefined) qb.andWhere('e.group = :group', { group: query.group });
      if (query.idempotencyKey !== undefined) qb.andWhere('e.idempotencyKey = :key', { key: query.idempotencyKey });
      const batch = await paginate(qb, { limit: EVENT_SCAN_BATCH, cursor, order: query.order }).getMany();
      const page = batch.slice(0, EVENT_SCAN_BATCH);
      kept.push(...page.filter((row) => !query.matches || query.matches(eventView(row))));
      if (kept.length > limit || batch.length <= EVENT_SCAN_BATCH) break;
      cursor = cursorOf(page[page.length - 1]);
    }
    return toPage(kept, { limit }, eventView);
  }

  /**
   * Group commit for publishes: the batch is taken when its transaction starts, so every publish
   * that arrived while the previous commit ran joins it, with no added wait. If the batch fails
   * as a whole (a plugin's `accepts` throwing, a key raced in by another process), each of its
   * publishes is retried alone, so one publish's failure never fails the others.
   */
  private queueBatch(): void {
    this.batchQueued = true;
    let batch: QueuedPublish[] | null = null;
    const take = (): QueuedPublish[] => {
      batch = this.waiting.splice(0, PUBLISH_BATCH_MAX);
      this.batchQueued = false;
      if (this.waiting.length) this.queueBatch();
      return batch;
    };
    this.db.transaction((m) => this.store(m, take())).then(
      (stored) => this.settle(batch!, stored),
      () => (batch ?? take()).forEach((publish) => this.publishAlone(publish)),
    );
  }

  /**
   * One publish (of one or several events) in its own transaction. On PostgreSQL two batches
   * commit concurrently, so a key can be inserted by another batch between our check and our
   * insert: the unique index refuses it, and the next try finds that event (a replay or a 409).
   */
  private publishAlone(publish: QueuedPublish, racesLeft = 3): void {
    this.db.transaction((m) => this.store(m, [publish])).then(
      (stored) => this.settle([publish], stored),
      (err: unknown) => (isUniqueViolation(err) && racesLeft > 0 ? this.publishAlone(publish, racesLeft - 1) : publish.reject(err)),
    );
  }

  /** After the commit: queue the deliveries, then answer each publisher. */
  private async settle(batch: QueuedPublish[], stored: StoredBatch): Promise<void> {
    try {
      this.handoff.give(stored.handedOff);
      if (stored.due.length) await this.queue.enqueue(stored.due);
    } catch (err) {
      batch.forEach((p) => p.reject(err));
      return;
    }
    batch.forEach((p, i) => {
      const outcome = stored.outcomes[i];
      if (outcome instanceof ConflictError) p.reject(outcome);
      else p.resolve(outcome);
    });
  }

  /**
   * Writes a batch of publishes and their deliveries: one endpoint query per (tenant, plugin),
   * multi-row inserts. A publish with an idempotency conflict writes none of its events.
   */
  private async store(m: EntityManager, batch: QueuedPublish[]): Promise<StoredBatch> {
    const keyed = await this.earlier(m, batch.flatMap((p) => p.events.map((e) => e.row)).filter((e) => e.idempotencyKey !== null));
    const fresh: { event: PreparedEvent; keyedAs: KeyedEvent }[] = [];
    const plans = batch.map((publish) => {
      const claimed = new Map<string, KeyedEvent>();
      const plan: { keyedAs: KeyedEvent; replayed: boolean; event?: PreparedEvent }[] = [];
      for (const event of publish.events) {
        const key = event.row.idempotencyKey === null ? null : idempotencyScope(event.row.tenant, event.row.idempotencyKey);
        const known = key === null ? undefined : (claimed.get(key) ?? keyed.get(key));
        if (known && event.keyNames === 'request' && known.bodyHash !== event.row.bodyHash) return new ConflictError('Idempotency-Key was already used with a different request body');
        if (known) {
          plan.push({ keyedAs: known, replayed: true });
          continue;
        }
        const keyedAs: KeyedEvent = { id: event.row.id, bodyHash: event.row.bodyHash, deliveries: 0 };
        if (key !== null) claimed.set(key, keyedAs);
        plan.push({ keyedAs, replayed: false, event });
      }
      claimed.forEach((keyedAs, key) => keyed.set(key, keyedAs));
      plan.forEach(({ keyedAs, event }) => event && fresh.push({ event, keyedAs }));
      return plan;
    });
    const deliveries: DeliveryRow[] = [];
    const handedOff: Omit<HandedOff, 'at'>[] = [];
    const candidates = new Map<string, EndpointRow[]>();
    let room = this.handoff.room();
    const now = Date.now();
    const values = fresh.map((f) => eventValues(f.event.row));
    const asRead: EventRow[] = [];
    for (const [i, { event, keyedAs }] of fresh.entries()) {
      const group = `${event.row.tenant}\u0000${event.row.plugin ?? ''}`;
      let endpoints = candidates.get(group);
      if (!endpoints) candidates.set(group, (endpoints = await this.candidates(m, event.row.tenant, event.row.plugin)));
      const targets = this.fanOut(event, endpoints);
      keyedAs.deliveries = targets.length;
      for (const endpoint of targets) {
        const delivery = this.deliveryFor(event.row, endpoint.id, endpoint.enabled);
        if (room > 0 && delivery.status === 'pending') {
          room--;
          delivery.leaseUntil = this.handoff.leaseUntil(endpoint, now);
          handedOff.push({ delivery, event: (asRead[i] ??= readBack(event.row, values[i])), endpoint });
        }
        deliveries.push(delivery);
      }
    }
    await this.db.write(m, { insert: 'events', columns: EVENT_COLUMNS, rows: values }, this.deliveryRows(deliveries));
    return {
      outcomes: plans.map((plan) => (plan instanceof ConflictError ? plan : plan.map(({ keyedAs, replayed }) => ({ id: keyedAs.id, deliveries: keyedAs.deliveries, replayed })))),
      due: deliveries.filter((d) => d.status === 'pending' && d.leaseUntil === null),
      handedOff,
    };
  }

  /**
   * Earlier events holding these publishes' keys inside the window, by idempotencyScope; an
   * expired key is released for reuse.
   */
  private async earlier(m: EntityManager, keyed: EventRow[]): Promise<Map<string, KeyedEvent>> {
    const found = new Map<string, KeyedEvent>();
    if (!keyed.length) return found;
    const now = Date.now();
    const rows = await m.find(EventRow, { where: keyed.map((e) => ({ tenant: e.tenant, idempotencyKey: e.idempotencyKey! })) });
    for (const row of rows) {
      if (row.createdAt <= now - IDEMPOTENCY_WINDOW_MS) {
        await m.update(EventRow, { id: row.id, createdAt: LessThan(now - IDEMPOTENCY_WINDOW_MS + 1) }, { idempotencyKey: null });
        continue;
      }
      const deliveries = await m.count(DeliveryRow, { where: { eventId: row.id } });
      found.set(idempotencyScope(row.tenant, row.idempotencyKey!), { id: row.id, bodyHash: row.bodyHash, deliveries });
    }
    return found;
  }

  /**
   * The endpoints that may receive a tenant's events of this plugin (null = core endpoints), by a
   * plain SELECT: each publish batch runs it, and building it through the ORM's query builder was
   * ~5% of the ingest path's CPU.
   */
  private candidates(m: EntityManager, tenant: string, plugin: string | null): Promise<EndpointRow[]> {
    return this.db.findWhere(m, EndpointRow, (bind) => `"tenant" = ${bind(tenant)} AND "deleted_at" IS NULL AND "plugin" ${plugin === null ? 'IS NULL' : `= ${bind(plugin)}`} AND ("enabled" = TRUE OR "disabled_by" = 'auto')`);
  }

  /** The endpoints that take the event: a verdict judged before the transaction stands unless the endpoint changed since. */
  private fanOut({ row: event, verdicts }: PreparedEvent, candidates: EndpointRow[]): EndpointRow[] {
    const accepts = this.plugins.find(event.plugin)?.metadata.accepts;
    const pluginEvent = pluginEventOf(event);
    const accepted = (e: EndpointRow): boolean => {
      const verdict = verdicts?.get(e.id);
      return verdict && verdict.updatedAt === e.updatedAt ? verdict.accepted : accepts!(this.endpoints.view(e), pluginEvent);
    };
    return candidates.filter((e) => takesType(e, event.type)).filter((e) => !accepts || accepted(e));
  }

  private deliveryRows(deliveries: DeliveryRow[]): RowWrite {
    return {
      insert: 'deliveries',
      columns: DELIVERY_COLUMNS,
      rows: deliveries.map((d) => [d.id, d.eventId, d.endpointId, d.tenant, d.plugin, d.status, d.attemptCount, d.nextAttemptAt, d.leaseUntil, d.lastStatusCode, d.lastError, d.createdAt, d.updatedAt]),
    };
  }

  private deliveryFor(event: EventRow, endpointId: string, enabled: boolean): DeliveryRow {
    const status: DeliveryStatus = enabled ? 'pending' : 'held';
    return {
      id: uuidv7(event.createdAt),
      eventId: event.id,
      endpointId,
      tenant: event.tenant,
      plugin: event.plugin,
      status,
      attemptCount: 0,
      nextAttemptAt: status === 'pending' ? event.createdAt : null,
      leaseUntil: null,
      lastStatusCode: null,
      lastError: null,
      createdAt: event.createdAt,
      updatedAt: event.createdAt,
    };
  }
}

export function eventView(row: EventRow): EventView {
  return { id: row.id, tenant: row.tenant, plugin: row.plugin, type: row.type, data: row.data, context: row.context, idempotencyKey: row.idempotencyKey, createdAt: iso(row.createdAt)! };
}

/** A `simple-json` column's stored form (null stays NULL, as TypeORM writes it). */
const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** An event's column values as inserted. */
const eventValues = (e: EventRow): unknown[] => [e.id, e.tenant, e.plugin, e.type, json(e.data), json(e.context), e.group, e.idempotencyKey, e.bodyHash, e.createdAt, e.traceContext];

/**
 * The event as a read of those values would return it (payloads through JSON, as stored): a
 * handed-over delivery signs exactly the bytes a claimed one would.
 */
function readBack(e: EventRow, values: unknown[]): EventRow {
  const parsed = (stored: unknown): unknown => (stored === null ? null : JSON.parse(stored as string));
  return { ...e, data: parsed(values[4]), context: parsed(values[5]) as EventRow['context'] };
}

/** Idempotency keys are unique per tenant. */
const idempotencyScope = (tenant: string, key: string): string => `${tenant}\u0000${key}`;

const issue = (field: string, message: string): ValidationIssue => ({ path: [field], code: 'invalid', message });

/** Operator events go only to endpoints that list them; other events to endpoints listing their type or none. */
function takesType(endpoint: EndpointRow, type: string): boolean {
  return (endpoint.eventTypes.length === 0 && !type.startsWith(OPERATOR_EVENT_PREFIX)) || endpoint.eventTypes.includes(type);
}

function pluginEventOf(event: EventRow): PluginEvent {
  return { id: event.id, tenant: event.tenant, type: event.type, data: event.data, context: event.context, createdAt: event.createdAt };
}

/** Stable hash of a JSON value (object keys sorted), to tell a replay from a different body. */
function hashOf(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex');
}

