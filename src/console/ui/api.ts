import { currentTenant, queryString } from './router';

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

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  prevCursor?: string | null;
}

export type DeliveryStatus = 'pending' | 'held' | 'succeeded' | 'failed' | 'dead';

export interface Endpoint {
  id: string;
  plugin: string | null;
  tenant: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  headers: Record<string, string>;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EndpointInput {
  url: string;
  plugin?: string;
  eventTypes: string[];
  description?: string;
  headers?: Record<string, string>;
}

export interface Delivery {
  id: string;
  eventId: string;
  endpointId: string;
  eventType?: string;
  tenant?: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
}

export interface Attempt {
  id?: string;
  startedAt: string;
  durationMs: number | null;
  statusCode: number | null;
  error: string | null;
  responseBody?: string | null;
  request?: { method: string; url: string; headers: Record<string, string>; body: string | null } | null;
  response?: { statusCode: number; headers: Record<string, string>; body: string | null } | null;
}

export interface DeliveryDetail extends Delivery {
  attempts: Attempt[];
}

export interface EventSummary {
  id: string;
  type: string;
  plugin: string | null;
  tenant: string;
  createdAt: string;
  deliveryCount: number;
}

export interface EventDetail extends EventSummary {
  data: unknown;
  context?: unknown;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  tenant: string;
  action: string;
  target: string;
  plugin: string | null;
  changes: Record<string, unknown> | null;
}

export interface HealthBucket {
  start: string;
  attempts: number;
  succeeded: number;
  failed: number;
  p95LatencyMs: number | null;
}

export interface EndpointStats {
  endpointId: string;
  since: string;
  until: string;
  totals: { attempts: number; succeeded: number; failed: number; successRate: number | null; p50LatencyMs: number | null; p95LatencyMs: number | null };
  buckets: HealthBucket[];
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

/** An event type of the plugins' catalogue. */
export interface CatalogueType {
  type: string;
  description: string;
  plugin: string;
}

export interface Overview {
  deliveriesByStatus: Record<DeliveryStatus, number>;
  failingEndpoints: FailingEndpoint[];
}

export const api = {
  overview: () => call<Overview>('GET', `/v1/stats${listed({})}`),
  endpoints: (params: Query) => call<Page<Endpoint>>('GET', `/v1/webhooks${listed({ limit: 25, ...params })}`),
  eventTypes: () => call<{ data: CatalogueType[] }>('GET', '/v1/event-types'),
  endpoint: (endpointId: string) => call<Endpoint>('GET', `/v1/webhooks/${id(endpointId)}`),
  endpointStats: (endpointId: string) => call<EndpointStats>('GET', `/v1/webhooks/${id(endpointId)}/stats`),
  createEndpoint: (input: EndpointInput) => call<Endpoint & { secret: string }>('POST', '/v1/webhooks', input),
  updateEndpoint: (endpointId: string, input: Partial<EndpointInput>) => call<Endpoint>('PATCH', `/v1/webhooks/${id(endpointId)}`, input),
  deleteEndpoint: (endpointId: string) => call<void>('DELETE', `/v1/webhooks/${id(endpointId)}`),
  enable: (endpointId: string) => call<Endpoint>('POST', `/v1/webhooks/${id(endpointId)}/enable`),
  disable: (endpointId: string) => call<Endpoint>('POST', `/v1/webhooks/${id(endpointId)}/disable`),
  rotateSecret: (endpointId: string) => call<{ secret: string; previousSecretExpiresAt: string | null }>('POST', `/v1/webhooks/${id(endpointId)}/rotate-secret`),
  sendTest: (endpointId: string) => call<{ id: string }>('POST', `/v1/webhooks/${id(endpointId)}/test`, {}),
  recover: (endpointId: string, since: string) => call<{ recovered: number }>('POST', `/v1/webhooks/${id(endpointId)}/recover`, { since }),
  deliveries: (params: Query) => call<Page<Delivery>>('GET', `/v1/deliveries${listed({ limit: 25, ...params })}`),
  delivery: (deliveryId: string) => call<DeliveryDetail>('GET', `/v1/deliveries/${id(deliveryId)}`),
  retry: (deliveryId: string) => call<Delivery>('POST', `/v1/deliveries/${id(deliveryId)}/retry`),
  events: (params: Query) => call<Page<EventSummary>>('GET', `/v1/events${listed({ limit: 25, ...params })}`),
  event: (eventId: string) => call<EventDetail>('GET', `/v1/events/${id(eventId)}`),
  audit: (params: Query) => call<Page<AuditEvent>>('GET', `/v1/audit-events${listed({ limit: 25, ...params })}`),
};
