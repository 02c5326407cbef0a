import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager, LessThan } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
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
const INSERT_CHUNK = 500;

@Injectable()
export class EventsService {
  constructor(
    private readonly db: Database,
    private readonly plugins: PluginRegistry,
    private readonly endpoints: EndpointsService,
    private readonly queue: DeliveryQueue,
  ) {}

  /**
   * Stores the event and one delivery per matching endpoint in one transaction, then hands the
   * deliveries to the queue. The publisher's 202 means every delivery is durable.
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
    const bodyHash = input.idempotencyKey ? hashOf([input.plugin ?? null, input.type, input.data, context]) : null;
    const now = Date.now();
    const event: EventRow = {
      id: uuidv7(now),
      tenant: input.tenant,
      plugin: input.plugin ?? null,
      type: input.type,
      data: input.data,
      context,
      idempotencyKey: input.idempotencyKey ?? null,
      bodyHash,
      createdAt: now,
    };
    const outcome = await this.db.transaction(async (m) => {
      if (input.idempotencyKey) {
        const earlier = await this.earlier(m, input.tenant, input.idempotencyKey, now);
        if (earlier) {
          if (earlier.bodyHash !== bodyHash) throw new ConflictError('Idempotency-Key was already used with a different request body');
          return { id: earlier.id, deliveries: await m.count(DeliveryRow, { where: { eventId: earlier.id } }), replayed: true, rows: [] as DeliveryRow[] };
        }
      }
      const rows = await this.fanOut(m, event);
      await m.insert(EventRow, event as QueryDeepPartialEntity<EventRow>);
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await m.insert(DeliveryRow, rows.slice(i, i + INSERT_CHUNK));
      return { id: event.id, deliveries: rows.length, replayed: false, rows };
    });
    const due = outcome.rows.filter((r) => r.status === 'pending');
    if (due.length) await this.queue.enqueue(due);
    return { id: outcome.id, deliveries: outcome.deliveries, replayed: outcome.replayed };
  }

  /** One event delivered to one endpoint only (POST /v1/webhooks/:id/test). */
  async sendTest(endpoint: EndpointView, type: string): Promise<{ id: string; deliveries: number }> {
    const now = Date.now();
    const event: EventRow = { id: uuidv7(now), tenant: endpoint.tenant, plugin: endpoint.plugin, type, data: { message: 'Test event from hookgate', endpointId: endpoint.id }, context: null, idempotencyKey: null, bodyHash: null, createdAt: now };
    const delivery = this.deliveryFor(event, endpoint.id, endpoint.enabled);
    await this.db.transaction(async (m) => {
      await m.insert(EventRow, event as QueryDeepPartialEntity<EventRow>);
      await m.insert(DeliveryRow, delivery);
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

  /** An earlier event with this key inside the window; an expired key is released for reuse. */
  private async earlier(m: EntityManager, tenant: string, key: string, now: number): Promise<EventRow | null> {
    const row = await m.findOne(EventRow, { where: { tenant, idempotencyKey: key } });
    if (row && row.createdAt <= now - IDEMPOTENCY_WINDOW_MS) {
      await m.update(EventRow, { id: row.id, createdAt: LessThan(now - IDEMPOTENCY_WINDOW_MS + 1) }, { idempotencyKey: null });
      return null;
    }
    return row;
  }

  private async fanOut(m: EntityManager, event: EventRow): Promise<DeliveryRow[]> {
    const candidates = await m
      .getRepository(EndpointRow)
      .createQueryBuilder('e')
      .where('e.tenant = :tenant AND e.deletedAt IS NULL', { tenant: event.tenant })
      .andWhere(event.plugin ? 'e.plugin = :plugin' : 'e.plugin IS NULL', { plugin: event.plugin })
      .andWhere("(e.enabled = :yes OR e.disabledBy = 'auto')", { yes: true })
      .getMany();
    const plugin = this.plugins.find(event.plugin);
    const pluginEvent: PluginEvent = { id: event.id, tenant: event.tenant, type: event.type, data: event.data, context: event.context, createdAt: event.createdAt };
    const operator = event.type.startsWith(OPERATOR_EVENT_PREFIX);
    return candidates
      .filter((e) => (e.eventTypes.length === 0 && !operator) || e.eventTypes.includes(event.type))
      .filter((e) => !plugin?.metadata.accepts || plugin.metadata.accepts(this.endpoints.view(e), pluginEvent))
      .map((e) => this.deliveryFor(event, e.id, e.enabled));
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

function invalid(field: string, message: string): ValidationFailedError {
  return new ValidationFailedError([{ path: [field], code: 'invalid', message }]);
}

/** Stable hash of a JSON value (object keys sorted), to tell a replay from a different body. */
function hashOf(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex');
}

