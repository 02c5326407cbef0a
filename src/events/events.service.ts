import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager, LessThan } from 'typeorm';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { uuidv7 } from '../common/ids';
import { iso } from '../persistence/columns';
import { Database } from '../persistence/database';
import { DeliveryRow, DeliveryStatus, EndpointRow, EventRow } from '../persistence/entities';
import { PluginRegistry } from '../plugins-host/plugin-registry';
import { DeliveryQueue } from '../delivery/delivery-queue';
import { EndpointsService } from '../endpoints/endpoints.service';
import { PluginEvent } from '../sdk/plugin';
import { EndpointView } from '../endpoints/endpoint.view';

export interface PublishInput {
  tenant: string;
  plugin?: string | null;
  type: string;
  data: unknown;
  context?: Record<string, unknown> | null;
  idempotencyKey?: string | null;
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

/** Types the gateway itself emits; delivered only to endpoints that list them explicitly. */
export const OPERATOR_EVENT_PREFIX = 'hookgate.';
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
/** Publishes committed in one transaction at most (a batch's fan-out shares its endpoint queries). */
const PUBLISH_BATCH_MAX = 256;

const EVENT_COLUMNS = ['id', 'tenant', 'plugin', 'type', 'data', 'context', 'idempotency_key', 'body_hash', 'created_at'] as const;
const DELIVERY_COLUMNS = ['id', 'event_id', 'endpoint_id', 'tenant', 'plugin', 'status', 'attempt_count', 'next_attempt_at', 'lease_until', 'last_status_code', 'last_error', 'created_at', 'updated_at'] as const;

interface QueuedPublish {
  event: EventRow;
  resolve: (result: PublishResult) => void;
  reject: (reason: unknown) => void;
}

/** The event an idempotency key stands for: stored earlier, or created by this batch. */
interface KeyedEvent {
  id: string;
  bodyHash: string | null;
  deliveries: number;
}

/** What a batch came to: per publish a result or its own refusal, and the deliveries to queue. */
interface StoredBatch {
  outcomes: (PublishResult | ConflictError)[];
  due: DeliveryRow[];
}

@Injectable()
export class EventsService {
  private waiting: QueuedPublish[] = [];
  private batchQueued = false;

  constructor(
    private readonly db: Database,
    private readonly plugins: PluginRegistry,
    private readonly endpoints: EndpointsService,
    private readonly queue: DeliveryQueue,
  ) {}

  /**
   * Stores the event and one delivery per matching endpoint, then hands the deliveries to the
   * queue. The publisher's 202 means every delivery is durable. Concurrent publishes are
   * committed together (see queueBatch); each still gets its own answer.
   */
  async publish(input: PublishInput): Promise<PublishResult> {
    const plugin = input.plugin ? this.plugins.find(input.plugin) : undefined;
    if (input.plugin && !plugin) throw invalid('plugin', `plugin "${input.plugin}" is not enabled on this gateway`);
    const context = input.context ?? null;
    if (plugin) {
      if (!plugin.eventTypes.has(input.type)) {
        throw invalid('type', `type must be one of the ${plugin.metadata.key} event types: ${[...plugin.eventTypes].join(', ')}`);
      }
      const issues = plugin.metadata.validateEvent?.({ type: input.type, data: input.data, context }) ?? [];
      if (issues.length) throw new ValidationFailedError(issues);
    }
    const now = Date.now();
    const event: EventRow = {
      id: uuidv7(now),
      tenant: input.tenant,
      plugin: input.plugin ?? null,
      type: input.type,
      data: input.data,
      context,
      idempotencyKey: input.idempotencyKey ?? null,
      bodyHash: input.idempotencyKey ? hashOf([input.plugin ?? null, input.type, input.data, context]) : null,
      createdAt: now,
    };
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      if (!this.batchQueued) this.queueBatch();
    });
  }

  /** One event delivered to one endpoint only (POST /v1/webhooks/:id/test). */
  async sendTest(endpoint: EndpointView, type: string): Promise<{ id: string; deliveries: number }> {
    const now = Date.now();
    const event: EventRow = { id: uuidv7(now), tenant: endpoint.tenant, plugin: endpoint.plugin, type, data: { message: 'Test event from hookgate', endpointId: endpoint.id }, context: null, idempotencyKey: null, bodyHash: null, createdAt: now };
    const delivery = this.deliveryFor(event, endpoint.id, endpoint.enabled);
    await this.db.transaction(async (m) => {
      await this.insertEvents(m, [event]);
      await this.insertDeliveries(m, [delivery]);
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
    this.db.transaction((m) => this.store(m, take().map((p) => p.event))).then(
      (stored) => this.settle(batch!, stored),
      () => (batch ?? take()).forEach((publish) => this.publishAlone(publish)),
    );
  }

  /**
   * One publish in its own transaction. On PostgreSQL two batches commit concurrently, so a key
   * can be inserted by another batch between our check and our insert: the unique index refuses
   * it, and the next try finds that event (a replay or a 409) instead of failing.
   */
  private publishAlone(publish: QueuedPublish, racesLeft = 3): void {
    this.db.transaction((m) => this.store(m, [publish.event])).then(
      (stored) => this.settle([publish], stored),
      (err: unknown) => (isUniqueViolation(err) && racesLeft > 0 ? this.publishAlone(publish, racesLeft - 1) : publish.reject(err)),
    );
  }

  /** After the commit: queue the deliveries, then answer each publisher. */
  private async settle(batch: QueuedPublish[], stored: StoredBatch): Promise<void> {
    try {
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

  /** Writes a batch of events and their deliveries: one endpoint query per (tenant, plugin), multi-row inserts. */
  private async store(m: EntityManager, events: EventRow[]): Promise<StoredBatch> {
    const keyed = await this.earlier(m, events.filter((e) => e.idempotencyKey !== null));
    const fresh: { event: EventRow; keyedAs: KeyedEvent }[] = [];
    const plan = events.map((event) => {
      const key = event.idempotencyKey === null ? null : idempotencyScope(event.tenant, event.idempotencyKey);
      const known = key === null ? undefined : keyed.get(key);
      if (known) return known.bodyHash === event.bodyHash ? { keyedAs: known, replayed: true } : new ConflictError('Idempotency-Key was already used with a different request body');
      const keyedAs: KeyedEvent = { id: event.id, bodyHash: event.bodyHash, deliveries: 0 };
      if (key !== null) keyed.set(key, keyedAs);
      fresh.push({ event, keyedAs });
      return { keyedAs, replayed: false };
    });
    const deliveries: DeliveryRow[] = [];
    const candidates = new Map<string, EndpointRow[]>();
    for (const { event, keyedAs } of fresh) {
      const group = `${event.tenant}\u0000${event.plugin ?? ''}`;
      let endpoints = candidates.get(group);
      if (!endpoints) candidates.set(group, (endpoints = await this.candidates(m, event.tenant, event.plugin)));
      const rows = this.fanOut(event, endpoints);
      keyedAs.deliveries = rows.length;
      deliveries.push(...rows);
    }
    await this.insertEvents(m, fresh.map((f) => f.event));
    await this.insertDeliveries(m, deliveries);
    return {
      outcomes: plan.map((p) => (p instanceof ConflictError ? p : { id: p.keyedAs.id, deliveries: p.keyedAs.deliveries, replayed: p.replayed })),
      due: deliveries.filter((d) => d.status === 'pending'),
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

  /** The endpoints that may receive a tenant's events of this plugin (null = core endpoints). */
  private candidates(m: EntityManager, tenant: string, plugin: string | null): Promise<EndpointRow[]> {
    return m
      .getRepository(EndpointRow)
      .createQueryBuilder('e')
      .where('e.tenant = :tenant AND e.deletedAt IS NULL', { tenant })
      .andWhere(plugin ? 'e.plugin = :plugin' : 'e.plugin IS NULL', { plugin })
      .andWhere("(e.enabled = :yes OR e.disabledBy = 'auto')", { yes: true })
      .getMany();
  }

  private fanOut(event: EventRow, candidates: EndpointRow[]): DeliveryRow[] {
    const plugin = this.plugins.find(event.plugin);
    const pluginEvent: PluginEvent = { id: event.id, tenant: event.tenant, type: event.type, data: event.data, context: event.context, createdAt: event.createdAt };
    const operator = event.type.startsWith(OPERATOR_EVENT_PREFIX);
    return candidates
      .filter((e) => (e.eventTypes.length === 0 && !operator) || e.eventTypes.includes(event.type))
      .filter((e) => !plugin?.metadata.accepts || plugin.metadata.accepts(this.endpoints.view(e), pluginEvent))
      .map((e) => this.deliveryFor(event, e.id, e.enabled));
  }

  private insertEvents(m: EntityManager, events: EventRow[]): Promise<void> {
    return this.db.insertRows(m, 'events', EVENT_COLUMNS, events.map((e) => [e.id, e.tenant, e.plugin, e.type, json(e.data), json(e.context), e.idempotencyKey, e.bodyHash, e.createdAt]));
  }

  private insertDeliveries(m: EntityManager, deliveries: DeliveryRow[]): Promise<void> {
    return this.db.insertRows(
      m,
      'deliveries',
      DELIVERY_COLUMNS,
      deliveries.map((d) => [d.id, d.eventId, d.endpointId, d.tenant, d.plugin, d.status, d.attemptCount, d.nextAttemptAt, d.leaseUntil, d.lastStatusCode, d.lastError, d.createdAt, d.updatedAt]),
    );
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

/** Idempotency keys are unique per tenant. */
const idempotencyScope = (tenant: string, key: string): string => `${tenant}\u0000${key}`;

function invalid(field: string, message: string): ValidationFailedError {
  return new ValidationFailedError([{ path: [field], code: 'invalid', message }]);
}

/** Stable hash of a JSON value (object keys sorted), to tell a replay from a different body. */
function hashOf(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex');
}


/** A unique index refused the insert (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE). */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
