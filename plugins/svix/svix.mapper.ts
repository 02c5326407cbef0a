import { cursorOf, iso } from '../../src/sdk';
import type { DeliveryAttemptView, DeliveryStatus, EndpointInput, EndpointView, EventView, Page, PageQuery, PluginEvent, PluginRecord } from '../../src/sdk';
import { attemptId, messageId } from './svix.ids';
import type { ApplicationOut, EndpointHeadersOut, EndpointIn, EndpointOut, EndpointPatch, EndpointUpdate, EventTypeOut, ListQuery, ListResponse, MessageAttemptOut, MessageOut } from './svix.schemas';

/** An application as stored (PluginRecords kind `application`; its uid is the record's). */
export interface StoredApplication {
  name: string;
  metadata: Record<string, string>;
  throttleRate: number | null;
}

/** An event type as stored (PluginRecords kind `event-type`; its name is the record's uid). */
export interface StoredEventType {
  description: string;
  archived: boolean;
  deprecated: boolean;
  schemas: Record<string, Record<string, unknown>> | null;
  featureFlag: string | null;
  groupName: string | null;
}

/** What a Svix endpoint keeps in the core endpoint's `metadata` (its application is the endpoint's `group`). */
export interface SvixEndpointFields {
  uid: string | null;
  channels: string[] | null;
  version: number;
  metadata: Record<string, string>;
}

/** What a Svix message keeps in the core event's `context`. */
export interface SvixMessageContext {
  application: string;
  eventId: string | null;
  channels: string[] | null;
  tags: string[] | null;
}

export const APPLICATION = 'application';
export const EVENT_TYPE = 'event-type';

export function toApplicationOut(record: PluginRecord<StoredApplication>): ApplicationOut {
  const { name, metadata, throttleRate } = record.body;
  return { id: record.id, uid: record.uid, name, metadata, throttleRate, rateLimit: throttleRate, createdAt: iso(record.createdAt)!, updatedAt: iso(record.updatedAt)! };
}

export function toEventTypeOut(record: PluginRecord<StoredEventType>): EventTypeOut {
  return { name: record.uid!, ...record.body, createdAt: iso(record.createdAt)!, updatedAt: iso(record.updatedAt)! };
}

export function endpointFieldsOf(endpoint: EndpointView): SvixEndpointFields {
  const m = endpoint.metadata as Partial<SvixEndpointFields>;
  return { uid: m.uid ?? null, channels: m.channels ?? null, version: m.version ?? 1, metadata: m.metadata ?? {} };
}

export function toEndpointOut(endpoint: EndpointView): EndpointOut {
  const { uid, channels, version, metadata } = endpointFieldsOf(endpoint);
  const eventTypes = endpoint.eventTypes.length ? endpoint.eventTypes : null;
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description ?? '',
    disabled: !endpoint.enabled,
    eventTypes,
    filterTypes: eventTypes,
    channels,
    throttleRate: endpoint.rateLimitPerSecond,
    rateLimit: endpoint.rateLimitPerSecond,
    uid,
    metadata,
    version,
    createdAt: iso(endpoint.createdAt)!,
    updatedAt: iso(endpoint.updatedAt)!,
  };
}

/** A Svix secret without its `whsec_` prefix is the same base64 key (the core reads unprefixed secrets as text). */
export const signingSecretOf = (key: string): string => (key.startsWith('whsec_') ? key : `whsec_${key}`);

/** A whole endpoint from a create or a PUT: what the body leaves out takes Svix's default. */
export function toEndpointInput(body: EndpointIn | EndpointUpdate): EndpointInput {
  const fields: SvixEndpointFields = { uid: body.uid ?? null, channels: body.channels ?? null, version: body.version ?? 1, metadata: body.metadata ?? {} };
  return {
    url: body.url,
    description: body.description ?? '',
    enabled: !body.disabled,
    eventTypes: body.eventTypes ?? body.filterTypes ?? [],
    rateLimitPerSecond: body.throttleRate ?? body.rateLimit ?? null,
    metadata: { ...fields },
    ...('headers' in body && body.headers ? { headers: body.headers } : {}),
  };
}

/** A PATCH: only what the body names changes (null clears). */
export function toEndpointChange(current: EndpointView, body: EndpointPatch): Partial<EndpointInput> & { secret?: string } {
  const has = (key: keyof EndpointPatch) => body[key] !== undefined;
  const fields = endpointFieldsOf(current);
  if (has('uid')) fields.uid = body.uid ?? null;
  if (has('channels')) fields.channels = body.channels ?? null;
  if (has('version')) fields.version = body.version!;
  if (has('metadata')) fields.metadata = body.metadata!;
  return {
    metadata: { ...fields },
    ...(has('url') ? { url: body.url } : {}),
    ...(has('description') ? { description: body.description } : {}),
    ...(has('disabled') ? { enabled: !body.disabled } : {}),
    ...(has('eventTypes') || has('filterTypes') ? { eventTypes: (has('eventTypes') ? body.eventTypes : body.filterTypes) ?? [] } : {}),
    ...(has('throttleRate') || has('rateLimit') ? { rateLimitPerSecond: (has('throttleRate') ? body.throttleRate : body.rateLimit) ?? null } : {}),
    ...(body.secret ? { secret: signingSecretOf(body.secret) } : {}),
  };
}

export function messageContextOf(event: Pick<EventView, 'context'> | Pick<PluginEvent, 'context'>): Partial<SvixMessageContext> {
  return (event.context ?? {}) as Partial<SvixMessageContext>;
}

export function toMessageOut(event: EventView, withContent = true): MessageOut {
  const context = messageContextOf(event);
  return {
    id: messageId(event.id),
    eventType: event.type,
    eventId: context.eventId ?? null,
    payload: withContent ? (event.data as Record<string, unknown>) : {},
    channels: context.channels ?? null,
    tags: context.tags ?? null,
    timestamp: event.createdAt,
  };
}

/**
 * Fan-out: an endpoint takes its own application's messages (its group), and, when it lists
 * channels, only messages carrying one of them. An endpoint made through /v1 has no application:
 * it takes only the events published through /v1 without one, never a Svix message. Event types
 * are the core's filter.
 */
export function acceptsMessage(endpoint: EndpointView, event: PluginEvent): boolean {
  const fields = endpoint.metadata as Partial<SvixEndpointFields>;
  const context = messageContextOf(event);
  if (endpoint.group !== (context.application ?? null)) return false;
  if (!fields.channels?.length) return true;
  return (context.channels ?? []).some((c) => fields.channels!.includes(c));
}

const STATUS_TEXT = ['success', 'pending', 'fail', 'sending', 'canceled'] as const;
type SvixStatus = { status: number; statusText: (typeof STATUS_TEXT)[number] };
const svixStatus = (status: number): SvixStatus => ({ status, statusText: STATUS_TEXT[status] });

/** A delivery as Svix tells a message's state at an endpoint: retries still to come are `pending`, an exhausted one `fail`. */
export function deliveryStatusOf(status: DeliveryStatus): SvixStatus {
  return svixStatus(status === 'succeeded' ? 0 : status === 'dead' ? 2 : 1);
}

/** One HTTP attempt: 2xx is `success`, anything else `fail`. */
export function toAttemptOut(attempt: DeliveryAttemptView, url: string): MessageAttemptOut {
  const { delivery } = attempt;
  const ok = attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300;
  return {
    id: attemptId(attempt.id),
    msgId: messageId(delivery.eventId),
    endpointId: delivery.endpointId,
    url,
    response: attempt.responseBody ?? attempt.error ?? '',
    responseStatusCode: attempt.statusCode ?? 0,
    responseDurationMs: attempt.durationMs,
    ...svixStatus(ok ? 0 : 2),
    // The core does not record whether an attempt was scheduled or asked for (resend, recover).
    triggerType: 0,
    timestamp: attempt.startedAt,
  };
}

/** Where a listed item sits in its list's keyset order (creation time in epoch ms, then id). */
export interface ListKey {
  createdAt: number;
  id: string;
}

/** A Svix list request as the core pages it: the direction to read and whether it walks back. */
export interface PageRequest {
  page: PageQuery;
  backwards: boolean;
}

/**
 * Svix's iterators: `iterator` continues after the last item in the list's order; a
 * `prevIterator` (the same cursor behind a `-`) walks back from the first item, so the core reads
 * the other way and the page is turned round. `order` flips the list's default direction
 * (applications and endpoints oldest first, messages and attempts newest first, as Svix lists them).
 * A time-bounded list asked only `after` a time starts from that end, as Svix's does: the page
 * just after it, still shown newest first.
 */
export function pageRequest(query: ListQuery & { before?: number; after?: number }, defaultOrder: 'asc' | 'desc'): PageRequest {
  const forward = query.order === 'ascending' ? 'asc' : query.order === 'descending' ? 'desc' : defaultOrder;
  const fromAfter = query.iterator === undefined && query.after !== undefined && query.before === undefined;
  const backwards = fromAfter || (query.iterator?.startsWith('-') ?? false);
  const cursor = query.iterator?.startsWith('-') ? query.iterator.slice(1) : query.iterator;
  return { page: { limit: query.limit, cursor, order: backwards ? (forward === 'asc' ? 'desc' : 'asc') : forward }, backwards };
}

/** A core page as Svix's ListResponse: `done` when nothing lies further in the direction walked. */
export function toListResponse<T, U>(page: Page<T>, request: PageRequest, keyOf: (item: T) => ListKey, map: (item: T) => U): ListResponse<U> {
  const items = request.backwards ? [...page.data].reverse() : page.data;
  const first = items[0];
  const last = items[items.length - 1];
  return {
    data: items.map(map),
    iterator: last ? cursorOf(keyOf(last)) : null,
    prevIterator: first ? `-${cursorOf(keyOf(first))}` : null,
    done: page.nextCursor === null,
  };
}

/** Endpoints and records carry their keyset position as it is. */
export const ownKey = (item: ListKey): ListKey => item;

export const messageKey = (event: EventView): ListKey => ({ createdAt: Date.parse(event.createdAt), id: event.id });
export const attemptKey = (attempt: DeliveryAttemptView): ListKey => ({ createdAt: Date.parse(attempt.startedAt), id: attempt.id });
export const deliveryKey = (delivery: { createdAt: string; id: string }): ListKey => ({ createdAt: Date.parse(delivery.createdAt), id: delivery.id });

/** The headers Svix never shows back (matched case-insensitively): left out of `headers`, named in `sensitive`. */
const SENSITIVE_HEADERS = new Set(['x-auth-token', 'x-api-key', 'www-authenticate', 'authorization', 'proxy-authenticate', 'proxy-authorization']);

export function headersOut(headers: Record<string, string>): EndpointHeadersOut {
  const entries = Object.entries(headers);
  const isSensitive = ([name]: [string, string]) => SENSITIVE_HEADERS.has(name.toLowerCase());
  return { headers: Object.fromEntries(entries.filter((entry) => !isSensitive(entry))), sensitive: entries.filter(isSensitive).map(([name]) => name) };
}
