import { eventually, Gateway } from './gateway';

/** Every scope the delivery-engine suites use through the core /v1 API. */
export const DELIVERY_SCOPES = 'webhooks:write events:publish deliveries:read deliveries:write audit:read';

export interface AttemptBody {
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
}

export interface DeliveryBody {
  id: string;
  eventId: string;
  endpointId: string;
  status: 'pending' | 'failed' | 'succeeded' | 'dead' | 'held';
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  attempts: AttemptBody[];
}

/** `POST /v1/webhooks` (core profile); returns the endpoint with its signing secret. */
export async function createEndpoint(gw: Gateway, token: string, body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const created = await gw.request('POST', '/v1/webhooks', body, { token });
  if (created.status !== 201) throw new Error(`creating an endpoint failed: ${created.status} ${created.text}`);
  return created.body;
}

/** `POST /v1/events`; returns the event id. */
export async function publishEvent(gw: Gateway, token: string, type: string, data: unknown = {}): Promise<string> {
  const published = await gw.request('POST', '/v1/events', { type, data }, { token });
  if (published.status !== 202) throw new Error(`publishing failed: ${published.status} ${published.text}`);
  return published.body.id;
}

/** The delivery of an event to an endpoint, with its attempts. */
export async function deliveryOf(gw: Gateway, token: string, eventId: string, endpointId: string): Promise<DeliveryBody> {
  const list = await gw.request('GET', `/v1/deliveries?eventId=${eventId}&endpointId=${endpointId}`, undefined, { token });
  const [row] = list.body.data;
  if (!row) throw new Error(`no delivery of ${eventId} to ${endpointId}`);
  return (await gw.request('GET', `/v1/deliveries/${row.id}`, undefined, { token })).body;
}

/** Polls the delivery (bounded) until `reached` holds. */
export function deliveryWhen(
  gw: Gateway,
  token: string,
  eventId: string,
  endpointId: string,
  reached: (d: DeliveryBody) => boolean,
  timeoutMs = 10000,
): Promise<DeliveryBody> {
  return eventually(async () => {
    const delivery = await deliveryOf(gw, token, eventId, endpointId);
    return reached(delivery) && delivery;
  }, timeoutMs);
}

/** One sample of a Prometheus text exposition, e.g. `hookgate_queue_depth{source="outbox"}`. */
export function metricSample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
