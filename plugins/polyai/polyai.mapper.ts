import { EndpointInput, EndpointListQuery, EndpointView, NewEndpoint, PluginEvent } from '../../src/sdk';
import { CreateWebhookEndpointRequest, DEFAULT_TIMEOUT_MS, ListWebhookEndpointsQuery, UpdateWebhookEndpointRequest, WebhookEndpoint } from './polyai.schemas';

/**
 * PolyAI shapes ↔ the unified endpoint. The endpoint's `name` is the unified `description`
 * (its human label); `timeout_ms` is the unified `timeoutMs`, which the core uses as the
 * request timeout of every delivery.
 */

export function toWebhookEndpoint(endpoint: EndpointView): WebhookEndpoint {
  return {
    id: endpoint.id,
    name: endpoint.description ?? '',
    url: endpoint.url,
    enabled: endpoint.enabled,
    // The plugin's catalogue is closed: its endpoints carry only its own event types.
    event_types: endpoint.eventTypes as WebhookEndpoint['event_types'],
    headers: endpoint.headers,
    timeout_ms: endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    created_at: new Date(endpoint.createdAt).toISOString(),
    updated_at: new Date(endpoint.updatedAt).toISOString(),
  };
}

/** The create body, its defaults (timeout_ms 5000, enabled true) already applied by the schema. */
export function toNewEndpoint(body: CreateWebhookEndpointRequest): NewEndpoint {
  return {
    url: body.url,
    description: body.name,
    eventTypes: body.event_types,
    headers: body.headers ?? {},
    timeoutMs: body.timeout_ms,
    enabled: body.enabled,
  };
}

/** Only the fields present in the PATCH body; absent ones stay as they are (no defaults). */
export function toEndpointPatch(body: UpdateWebhookEndpointRequest): Partial<EndpointInput> {
  const patch: Partial<EndpointInput> = {};
  if (body.name !== undefined) patch.description = body.name;
  if (body.url !== undefined) patch.url = body.url;
  if (body.event_types !== undefined) patch.eventTypes = body.event_types;
  if (body.headers !== undefined) patch.headers = body.headers;
  if (body.timeout_ms !== undefined) patch.timeoutMs = body.timeout_ms;
  if (body.enabled !== undefined) patch.enabled = body.enabled;
  return patch;
}

export function toListQuery(query: ListWebhookEndpointsQuery): Pick<EndpointListQuery, 'enabled' | 'eventType'> {
  return { enabled: query.enabled, eventType: query.event_type };
}

/** The delivery body: the reference's WebhookEvent (`{event_type, alert}`). */
export function toWebhookEvent(event: PluginEvent): { event_type: string; alert: unknown } {
  return { event_type: event.type, alert: event.data };
}
