import { currentTenant, queryString } from './router';
import type { components, paths } from './wire.gen';

// The /v1 API as the console uses it. The token lives in sessionStorage: this tab only, no cookie.
const TOKEN_KEY = 'hookgate.console.token';

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value: string | null) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** What the token says about its holder, read from the JWT payload (the API still decides). */
export function tokenClaims(token: string): { sub?: string; tenant?: string; scopes: string[] } {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return { sub: payload.sub, tenant: payload.tenant ?? payload.sub, scopes: String(payload.scope ?? '').split(' ').filter(Boolean) };
  } catch {
    return { scopes: [] };
  }
}

export const isAdmin = (): boolean => tokenClaims(session.token ?? '').scopes.includes('admin');

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined | null>;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${session.token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const data = text ? parseJson(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, describeError(res, data));
  return data as T;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeError(res: Response, data: unknown): string {
  if (res.status === 401) return 'Your token was refused (expired or invalid): sign in again.';
  const problem = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const detail = problem.detail ?? problem.error_description ?? problem.message;
  if (res.status === 403) return `Not allowed: ${detail ?? 'your token lacks the scope for this'} (docs/console.md lists the scopes).`;
  return `${res.status} ${detail ?? res.statusText}`;
}

/** List and stats calls carry the tenant filter of the URL. */
const listed = (params: Query): string => queryString({ tenant: currentTenant(), ...params });
const id = encodeURIComponent;

/** client_credentials grant: form-encoded, as RFC 6749 has it. */
export async function tokenFromClient(clientId: string, clientSecret: string): Promise<string> {
  const res = await fetch('/oauth2/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  const data = parseJson(await res.text()) as { access_token?: string; error_description?: string };
  if (!res.ok || !data.access_token) throw new ApiError(res.status, data.error_description ?? `sign-in failed (${res.status})`);
  return data.access_token;
}

/** The API's wire types, generated from openapi/openapi.json (scripts/console-wire-types.js). */
type Schemas = components['schemas'];

/** Every console list: newest first, `nextCursor` = older page, `prevCursor` = newer page. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  prevCursor: string | null;
}

export type Endpoint = Schemas['WebhookDto'];
export type EndpointInput = Schemas['CreateWebhookDto'];
export type Delivery = Schemas['DeliveryDto'];
export type DeliveryStatus = Delivery['status'];
export type DeliveryDetail = Schemas['DeliveryWithAttemptsDto'];
export type EventSummary = Schemas['EventSummaryDto'];
export type EventDetail = Schemas['EventDto'];
export type AuditEvent = Schemas['AuditEventDto'];
export type EndpointStats = Schemas['EndpointStatsDto'];
export type Overview = Schemas['GatewayStatsDto'];
export type CatalogueType = Schemas['EventTypeDto'];
type TestEventSent = paths['/v1/webhooks/{id}/test']['post']['responses'][202]['content']['application/json'];

export const api = {
  overview: () => call<Overview>('GET', `/v1/stats${listed({})}`),
  endpoints: (params: Query) => call<Page<Endpoint>>('GET', `/v1/webhooks${listed({ limit: 25, ...params })}`),
  eventTypes: () => call<{ data: CatalogueType[] }>('GET', '/v1/event-types'),
  endpoint: (endpointId: string) => call<Endpoint>('GET', `/v1/webhooks/${id(endpointId)}`),
  endpointStats: (endpointId: string) => call<EndpointStats>('GET', `/v1/webhooks/${id(endpointId)}/stats`),
  createEndpoint: (input: EndpointInput) => call<Schemas['CreatedWebhookDto']>('POST', '/v1/webhooks', input),
  updateEndpoint: (endpointId: string, input: Partial<EndpointInput>) => call<Endpoint>('PATCH', `/v1/webhooks/${id(endpointId)}`, input),
  deleteEndpoint: (endpointId: string) => call<void>('DELETE', `/v1/webhooks/${id(endpointId)}`),
  enable: (endpointId: string) => call<Endpoint>('POST', `/v1/webhooks/${id(endpointId)}/enable`),
  disable: (endpointId: string) => call<Endpoint>('POST', `/v1/webhooks/${id(endpointId)}/disable`),
  rotateSecret: (endpointId: string) => call<Schemas['RotatedSecretDto']>('POST', `/v1/webhooks/${id(endpointId)}/rotate-secret`),
  sendTest: (endpointId: string) => call<TestEventSent>('POST', `/v1/webhooks/${id(endpointId)}/test`, {}),
  recover: (endpointId: string, since: string) => call<Schemas['RecoverResultDto']>('POST', `/v1/webhooks/${id(endpointId)}/recover`, { since }),
  deliveries: (params: Query) => call<Page<Delivery>>('GET', `/v1/deliveries${listed({ limit: 25, ...params })}`),
  delivery: (deliveryId: string) => call<DeliveryDetail>('GET', `/v1/deliveries/${id(deliveryId)}`),
  retry: (deliveryId: string) => call<Delivery>('POST', `/v1/deliveries/${id(deliveryId)}/retry`),
  events: (params: Query) => call<Page<EventSummary>>('GET', `/v1/events${listed({ limit: 25, ...params })}`),
  event: (eventId: string) => call<EventDetail>('GET', `/v1/events/${id(eventId)}`),
  audit: (params: Query) => call<Page<AuditEvent>>('GET', `/v1/audit-events${listed({ limit: 25, ...params })}`),
};
