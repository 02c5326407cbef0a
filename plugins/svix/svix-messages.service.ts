import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { NotFoundError, PluginDeliveries, PluginEndpoints, PluginEvents } from '../../src/sdk';
import type { DeliveryView, EndpointView, EventView, NewEvent, Principal } from '../../src/sdk';
import { SvixApplications } from './svix-applications.service';
import { SvixEndpoints } from './svix-endpoints.service';
import { attemptOf, eventIdOf } from './svix.ids';
import { deliveryStatusOf, messageContextOf, pageInMemory, SvixMessageContext, toAttemptOut, toEndpointOut, toListResponse, toMessageOut } from './svix.mapper';
import type { AttemptListQuery, ListQuery, ListResponse, MessageAttemptOut, MessageEndpointOut, MessageIn, MessageListQuery, MessageOut } from './svix.schemas';

/** Deliveries read per page while walking an endpoint's or a message's attempts. */
const DELIVERY_PAGE = 100;

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
    const { id } = await this.events.publish(caller, { type: body.eventType, data: body.payload, context: { ...context }, ...dedupe });
    return toMessageOut(await this.events.get(caller, id), withContent);
  }

  async list(caller: Principal, appIdOrUid: string, query: MessageListQuery): Promise<ListResponse<MessageOut>> {
    const app = await this.apps.resolve(caller, appIdOrUid);
    const page = await this.events.list(caller, {
      limit: query.limit,
      cursor: query.iterator,
      types: query.event_types,
      before: query.before,
      after: query.after,
      matches: (event) => {
        const context = messageContextOf(event);
        return context.application === app.id && (!query.channel || (context.channels ?? []).includes(query.channel));
      },
    });
    return toListResponse(page, (event) => toMessageOut(event, query.with_content ?? true));
  }

  async get(caller: Principal, appIdOrUid: string, msgId: string, withContent = true): Promise<MessageOut> {
    return toMessageOut(await this.message(caller, appIdOrUid, msgId), withContent);
  }

  /** Every attempt at every endpoint for the message, newest first. */
  async attemptsOfMessage(caller: Principal, appIdOrUid: string, msgId: string, query: AttemptListQuery): Promise<ListResponse<MessageAttemptOut>> {
    const message = await this.message(caller, appIdOrUid, msgId);
    const endpoint = query.endpoint_id ? await this.svixEndpoints.resolve(caller, appIdOrUid, query.endpoint_id) : null;
    const deliveries = (await this.allDeliveries(caller, { eventId: message.id })).filter((d) => !endpoint || d.endpointId === endpoint.id);
    const attempts: MessageAttemptOut[] = [];
    for (const delivery of deliveries) attempts.push(...(await this.attemptsOf(caller, delivery)));
    return pageInMemory(attempts.filter(attemptFilter(query)), query.limit, query.iterator);
  }

  /**
   * The endpoint's attempts, newest first, walking its deliveries page by page until the page
   * after `iterator` is full; event type and channel filters read each delivery's message.
   */
  async attemptsOfEndpoint(caller: Principal, appIdOrUid: string, endpointIdOrUid: string, query: AttemptListQuery): Promise<ListResponse<MessageAttemptOut>> {
    const endpoint = await this.svixEndpoints.resolve(caller, appIdOrUid, endpointIdOrUid);
    const limit = Math.min(query.limit ?? 50, 250);
    const keep = attemptFilter(query);
    const kept: MessageAttemptOut[] = [];
    let passedIterator = !query.iterator;
    let cursor: string | undefined;
    do {
      const page = await this.deliveries.list(caller, { endpointId: endpoint.id, limit: DELIVERY_PAGE, cursor });
      for (const delivery of page.data) {
        if (!(await this.messageMatches(caller, delivery, query))) continue;
        for (const attempt of await this.attemptsOf(caller, delivery, endpoint)) {
          if (passedIterator && keep(attempt)) kept.push(attempt);
          if (attempt.id === query.iterator) passedIterator = true;
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor && kept.length <= limit);
    const data = kept.slice(0, limit);
    const done = kept.length <= limit;
    return { data, iterator: done ? null : data[data.length - 1].id, prevIterator: null, done };
  }

  async attempt(caller: Principal, appIdOrUid: string, msgId: string, attemptId: string): Promise<MessageAttemptOut> {
    const message = await this.message(caller, appIdOrUid, msgId);
    const parsed = attemptOf(attemptId);
    const delivery = parsed ? await this.deliveries.get(caller, parsed.deliveryId).catch(() => null) : null;
    const found = delivery && delivery.eventId === message.id ? (await this.attemptsOf(caller, delivery)).find((a) => a.id === attemptId) : undefined;
    if (!found) throw new NotFoundError(`Attempt ${attemptId} not found`);
    return found;
  }

  /** A new attempt of the message at the endpoint now, whatever its state. */
  async resend(caller: Principal, appIdOrUid: string, msgId: string, endpointIdOrUid: string): Promise<Record<string, never>> {
    const message = await this.message(caller, appIdOrUid, msgId);
    const endpoint = await this.svixEndpoints.resolve(caller, appIdOrUid, endpointIdOrUid);
    const [delivery] = (await this.deliveries.list(caller, { eventId: message.id, endpointId: endpoint.id, limit: 1 })).data;
    if (!delivery) throw new NotFoundError(`Message ${msgId} was not sent to endpoint ${endpointIdOrUid}`);
    await this.deliveries.retry(caller, delivery.id);
    return {};
  }

  /** The endpoints the message was sent to, with its state at each. */
  async destinations(caller: Principal, appIdOrUid: string, msgId: string, query: ListQuery): Promise<ListResponse<MessageEndpointOut>> {
    const message = await this.message(caller, appIdOrUid, msgId);
    const destinations: MessageEndpointOut[] = [];
    for (const delivery of await this.allDeliveries(caller, { eventId: message.id })) {
      const endpoint = await this.endpoints.get(caller, delivery.endpointId).catch(() => null);
      if (endpoint) destinations.push({ ...toEndpointOut(endpoint), ...deliveryStatusOf(delivery.status), nextAttempt: delivery.nextAttemptAt });
    }
    return pageInMemory(destinations, query.limit, query.iterator);
  }

  /** The message by its `msg_` id in the application; another application's or tenant's is a 404. */
  private async message(caller: Principal, appIdOrUid: string, msgId: string): Promise<EventView> {
    const app = await this.apps.resolve(caller, appIdOrUid);
    const eventId = eventIdOf(msgId);
    const event = eventId ? await this.events.get(caller, eventId).catch(() => null) : null;
    if (!event || messageContextOf(event).application !== app.id) throw new NotFoundError(`Message ${msgId} not found`);
    return event;
  }

  private async allDeliveries(caller: Principal, filter: { eventId: string }): Promise<DeliveryView[]> {
    const all: DeliveryView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deliveries.list(caller, { ...filter, limit: DELIVERY_PAGE, cursor });
      all.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  /** A delivery's attempts, newest first. */
  private async attemptsOf(caller: Principal, delivery: DeliveryView, endpoint?: EndpointView): Promise<MessageAttemptOut[]> {
    const { attempts } = await this.deliveries.get(caller, delivery.id);
    const url = (endpoint ?? (await this.endpoints.get(caller, delivery.endpointId).catch(() => null)))?.url ?? '';
    return attempts.map((attempt, i) => toAttemptOut(delivery, attempt, i + 1, url)).reverse();
  }

  private async messageMatches(caller: Principal, delivery: DeliveryView, query: AttemptListQuery): Promise<boolean> {
    if (!query.event_types?.length && !query.channel) return true;
    const event = await this.events.get(caller, delivery.eventId).catch(() => null);
    if (!event) return false;
    return (!query.event_types?.length || query.event_types.includes(event.type)) && (!query.channel || (messageContextOf(event).channels ?? []).includes(query.channel));
  }
}

/** The attempt filters that need no message: status and time. */
function attemptFilter(query: AttemptListQuery): (attempt: MessageAttemptOut) => boolean {
  return (attempt) => {
    const at = Date.parse(attempt.timestamp);
    return (query.status === undefined || attempt.status === query.status) && (query.before === undefined || at < query.before) && (query.after === undefined || at > query.after);
  };
}
