import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { NotFoundError, PluginDeliveries, PluginEndpoints, PluginEvents } from '../../src/sdk';
import type { DeliveryAttemptView, EndpointView, EventView, NewEvent, Principal } from '../../src/sdk';
import { SvixApplications } from './svix-applications.service';
import { SvixEndpoints } from './svix-endpoints.service';
import { missingAsNull } from './svix.errors';
import { coreAttemptIdOf, eventIdOf } from './svix.ids';
import { attemptKey, deliveryKey, deliveryStatusOf, messageContextOf, messageKey, pageRequest, SvixMessageContext, toAttemptOut, toEndpointOut, toListResponse, toMessageOut } from './svix.mapper';
import type { AttemptListQuery, ListQuery, ListResponse, MessageAttemptOut, MessageEndpointOut, MessageIn, MessageListQuery, MessageOut } from './svix.schemas';

/**
 * An idempotency key of the core (unique per tenant, at most 255 characters) for a key of one
 * application: hashed, since an application id plus Svix's 256-character eventId would not fit.
 */
const scopedKey = (application: string, kind: 'event' | 'request', key: string): string =>
  `svix:${kind}:${createHash('sha256').update(`${application}\u0000${key}`).digest('base64url')}`;

/** Messages are core events of this plugin (context: application, eventId, channels, tags); attempts are the core's. */
@Injectable()
export class SvixMessages {
  constructor(
    private readonly apps: SvixApplications,
    private readonly svixEndpoints: SvixEndpoints,
    private readonly events: PluginEvents,
    private readonly endpoints: PluginEndpoints,
    private readonly deliveries: PluginDeliveries,
  ) {}

  /**
   * Publishes the message to the application's endpoints. `eventId` de-duplicates within the
   * application (a repeat answers the first message, sending nothing); otherwise the
   * `idempotency-key` header does, and a different body under the same key is a 409.
   */
  async create(caller: Principal, appIdOrUid: string, body: MessageIn, withContent: boolean, idempotencyKey?: string): Promise<MessageOut> {
    const missingIsNull = (err: unknown) => (err instanceof NotFoundError && body.application ? null : Promise.reject(err));
    const app = await this.apps.resolve(caller, appIdOrUid).catch(missingIsNull);
    const appId = app?.id ?? (await this.apps.create(caller, { ...body.application!, uid: body.application!.uid ?? appIdOrUid })).app.id;
    const context: SvixMessageContext = { application: appId, eventId: body.eventId ?? null, channels: body.channels ?? null, tags: body.tags ?? null };
    const dedupe: Pick<NewEvent, 'idempotencyKey' | 'keyNames'> = body.eventId
      ? { idempotencyKey: scopedKey(appId, 'event', body.eventId), keyNames: 'event' }
      : idempotencyKey
        ? { idempotencyKey: scopedKey(appId, 'request', idempotencyKey), keyNames: 'request' }
        : {};
    const { id } = await this.events.publish(caller, { type: body.eventType, data: body.payload, context: { ...context }, group: appId, ...dedupe });
    return toMessageOut(await this.events.get(caller, id), withContent);
  }

  /**
   * Newest first unless `order=ascending`, read by the application's indexed group; a channel is
   * matched on each message read (it lives in the message's context).
   */
  async list(caller: Principal, appIdOrUid: string, query: MessageListQuery): Promise<ListResponse<MessageOut>> {
    const app = await this.apps.resolve(caller, appIdOrUid);
    const request = pageRequest(query, 'desc');
    const channel = query.channel;
    const page = await this.events.list(caller, {
      ...request.page,
      group: app.id,
      types: query.event_types,
      before: query.before,
      after: query.after,
      ...(channel ? { matches: (event: EventView) => (messageContextOf(event).channels ?? []).includes(channel) } : {}),
    });
    return toListResponse(page, request, messageKey, (event) => toMessageOut(event, query.with_content ?? true));
  }

  async get(caller: Principal, appIdOrUid: string, msgIdOrEventId: string, withContent = true): Promise<MessageOut> {
    return toMessageOut(await this.message(caller, appIdOrUid, msgIdOrEventId), withContent);
  }

  /** Every attempt at every endpoint (or one) for the message, newest first unless `order=ascending`. */
  async attemptsOfMessage(caller: Principal, appIdOrUid: string, msgIdOrEventId: string, query: AttemptListQuery): Promise<ListResponse<MessageAttemptOut>> {
    const message = await this.message(caller, appIdOrUid, msgIdOrEventId);
    const endpoint = query.endpoint_id ? await this.svixEndpoints.resolve(caller, appIdOrUid, query.endpoint_id) : null;
    return this.attempts(caller, query, { eventId: message.id, ...(endpoint ? { endpointId: endpoint.id } : {}) });
  }

  /** The endpoint's attempts, newest first unless `order=ascending`. */
  async attemptsOfEndpoint(caller: Principal, appIdOrUid: string, endpointIdOrUid: string, query: AttemptListQuery): Promise<ListResponse<MessageAttemptOut>> {
    const endpoint = await this.svixEndpoints.resolve(caller, appIdOrUid, endpointIdOrUid);
    return this.attempts(caller, query, { endpointId: endpoint.id }, endpoint);
  }

  async attempt(caller: Principal, appIdOrUid: string, msgIdOrEventId: string, attemptId: string): Promise<MessageAttemptOut> {
    const message = await this.message(caller, appIdOrUid, msgIdOrEventId);
    const id = coreAttemptIdOf(attemptId);
    const [found] = id ? (await this.deliveries.attempts(caller, { id, eventId: message.id })).data : [];
    if (!found) throw new NotFoundError(`Attempt ${attemptId} not found`);
    return toAttemptOut(found, await this.urlOf(caller, found.delivery.endpointId));
  }

  /** A new attempt of the message at the endpoint now, whatever its state. */
  async resend(caller: Principal, appIdOrUid: string, msgIdOrEventId: string, endpointIdOrUid: string): Promise<Record<string, never>> {
    const message = await this.message(caller, appIdOrUid, msgIdOrEventId);
    const endpoint = await this.svixEndpoints.resolve(caller, appIdOrUid, endpointIdOrUid);
    const [delivery] = (await this.deliveries.list(caller, { eventId: message.id, endpointId: endpoint.id, limit: 1 })).data;
    if (!delivery) throw new NotFoundError(`Message ${msgIdOrEventId} was not sent to endpoint ${endpointIdOrUid}`);
    await this.deliveries.retry(caller, delivery.id);
    return {};
  }

  /** The endpoints the message was sent to, with its state at each, in the order it was fanned out to them. */
  async destinations(caller: Principal, appIdOrUid: string, msgIdOrEventId: string, query: ListQuery): Promise<ListResponse<MessageEndpointOut>> {
    const message = await this.message(caller, appIdOrUid, msgIdOrEventId);
    const request = pageRequest(query, 'asc');
    const page = await this.deliveries.list(caller, { eventId: message.id, ...request.page });
    const endpoints = new Map((await Promise.all(page.data.map((d) => this.endpoints.get(caller, d.endpointId).catch(missingAsNull)))).flatMap((e) => (e ? [[e.id, e] as const] : [])));
    const response = toListResponse(page, request, deliveryKey, (delivery) => delivery);
    return {
      ...response,
      // A deleted endpoint is no longer a destination to show.
      data: response.data.flatMap((delivery) => {
        const endpoint = endpoints.get(delivery.endpointId);
        return endpoint ? [{ ...toEndpointOut(endpoint), ...deliveryStatusOf(delivery.status), nextAttempt: delivery.nextAttemptAt }] : [];
      }),
    };
  }

  /**
   * The message by its `msg_` id or its `eventId` in the application, as Svix takes either;
   * another application's or tenant's is a 404.
   */
  private async message(caller: Principal, appIdOrUid: string, msgIdOrEventId: string): Promise<EventView> {
    const app = await this.apps.resolve(caller, appIdOrUid);
    const eventId = eventIdOf(msgIdOrEventId);
    const event = eventId
      ? await this.events.get(caller, eventId).catch(missingAsNull)
      : (await this.events.list(caller, { group: app.id, idempotencyKey: scopedKey(app.id, 'event', msgIdOrEventId), limit: 1 })).data[0];
    if (!event || messageContextOf(event).application !== app.id) throw new NotFoundError(`Message ${msgIdOrEventId} not found`);
    return event;
  }

  /**
   * Attempts paged in SQL. Svix's status 1 (pending) and 3 (sending) name no finished attempt, so
   * they match none; a channel filter is applied to each page read (a page may hold fewer).
   */
  private async attempts(caller: Principal, query: AttemptListQuery, scope: { endpointId?: string; eventId?: string }, endpoint?: EndpointView): Promise<ListResponse<MessageAttemptOut>> {
    if (query.status !== undefined && query.status !== 0 && query.status !== 2) return { data: [], iterator: null, prevIterator: null, done: true };
    const request = pageRequest(query, 'desc');
    const page = await this.deliveries.attempts(caller, {
      ...scope,
      ...request.page,
      eventTypes: query.event_types,
      outcome: query.status === undefined ? undefined : query.status === 0 ? 'succeeded' : 'failed',
      before: query.before,
      after: query.after,
    });
    const response = toListResponse(page, request, attemptKey, (attempt) => attempt);
    const kept = query.channel ? await this.inChannel(caller, response.data, query.channel) : response.data;
    const urls = new Map<string, string>(endpoint ? [[endpoint.id, endpoint.url]] : []);
    for (const attempt of kept) if (!urls.has(attempt.delivery.endpointId)) urls.set(attempt.delivery.endpointId, await this.urlOf(caller, attempt.delivery.endpointId));
    return { ...response, data: kept.map((attempt) => toAttemptOut(attempt, urls.get(attempt.delivery.endpointId)!)) };
  }

  private async inChannel(caller: Principal, attempts: DeliveryAttemptView[], channel: string): Promise<DeliveryAttemptView[]> {
    const channels = new Map<string, string[]>();
    for (const eventId of new Set(attempts.map((a) => a.delivery.eventId))) {
      const event = await this.events.get(caller, eventId).catch(missingAsNull);
      channels.set(eventId, (event && messageContextOf(event).channels) || []);
    }
    return attempts.filter((a) => channels.get(a.delivery.eventId)!.includes(channel));
  }

  private async urlOf(caller: Principal, endpointId: string): Promise<string> {
    return (await this.endpoints.get(caller, endpointId).catch(missingAsNull))?.url ?? '';
  }
}
