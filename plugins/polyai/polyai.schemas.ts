/**
 * The PolyAI Webhooks API shapes as JSON Schema, copied from the provider's OpenAPI (seed 002 and
 * the reference). Each schema is both the validator (ajv) and the OpenAPI document, so the docs
 * cannot drift from what the surface accepts.
 */

export const POLYAI_PLUGIN_KEY = 'polyai';

export const POLYAI_EVENT_TYPES = ['alerts.triggered', 'alerts.resolved'] as const;
export type PolyaiEventType = (typeof POLYAI_EVENT_TYPES)[number];

export const MAX_ENDPOINTS_PER_ACCOUNT = 10;
export const DEFAULT_TIMEOUT_MS = 5000;
export const ENDPOINT_ID_PATTERN = '^whe_[A-Za-z0-9]+$';

export const WEBHOOK_EVENT_TYPE_SCHEMA = { type: 'string', enum: [...POLYAI_EVENT_TYPES] };
const headers = { type: 'object', additionalProperties: { type: 'string' } };
const timeoutMs = { type: 'integer', minimum: 1000, maximum: 30000 };

/** Writable fields; `uniqueItems` on event_types is ours (the seed is silent on duplicates). */
const writable = {
  name: { type: 'string', minLength: 1, maxLength: 255 },
  url: { type: 'string', format: 'uri', pattern: '^https://' },
  event_types: { type: 'array', items: WEBHOOK_EVENT_TYPE_SCHEMA, minItems: 1, uniqueItems: true },
  headers,
  timeout_ms: timeoutMs,
  enabled: { type: 'boolean' },
};

export const CREATE_ENDPOINT_SCHEMA = {
  type: 'object',
  required: ['name', 'url', 'event_types'],
  properties: {
    ...writable,
    timeout_ms: { ...timeoutMs, default: DEFAULT_TIMEOUT_MS },
    enabled: { type: 'boolean', default: true },
  },
  additionalProperties: false,
  example: {
    name: 'Production alerts',
    url: 'https://example.com/webhooks/polyai',
    event_types: ['alerts.triggered'],
    headers: { 'X-Custom-Header': 'my-value' },
    timeout_ms: 5000,
    enabled: true,
  },
};

/** PATCH: the same fields and constraints, all optional, no defaults. */
export const UPDATE_ENDPOINT_SCHEMA = {
  type: 'object',
  properties: writable,
  additionalProperties: false,
  example: { url: 'https://example.com/webhooks/polyai-v2', enabled: false },
};

export const LIST_QUERY_SCHEMA = {
  type: 'object',
  properties: {
    enabled: { type: 'string', enum: ['true', 'false'] },
    event_type: WEBHOOK_EVENT_TYPE_SCHEMA,
  },
};

export const WEBHOOK_ENDPOINT_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'url', 'enabled', 'event_types', 'timeout_ms', 'created_at', 'updated_at'],
  properties: {
    id: { type: 'string', pattern: ENDPOINT_ID_PATTERN, example: 'whe_9ZtRcXw3nByK5pVqMaEfJs' },
    name: { type: 'string', minLength: 1, maxLength: 255 },
    url: { type: 'string', format: 'uri' },
    enabled: { type: 'boolean', default: true },
    event_types: { type: 'array', items: WEBHOOK_EVENT_TYPE_SCHEMA },
    headers: { ...headers, default: {} },
    timeout_ms: { ...timeoutMs, default: DEFAULT_TIMEOUT_MS },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

const signingSecret = { type: 'string', description: 'Returned only once. Store it securely.', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };

export const WEBHOOK_ENDPOINT_CREATED_SCHEMA = {
  allOf: [WEBHOOK_ENDPOINT_SCHEMA, { type: 'object', required: ['signing_secret'], properties: { signing_secret: signingSecret } }],
};

export const WEBHOOK_ENDPOINT_LIST_SCHEMA = {
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'array', items: WEBHOOK_ENDPOINT_SCHEMA } },
};

export const SIGNING_SECRET_SCHEMA = {
  type: 'object',
  required: ['signing_secret'],
  properties: { signing_secret: signingSecret },
};

export const ERROR_SCHEMA = {
  type: 'object',
  required: ['message'],
  properties: { message: { type: 'string' } },
};

/**
 * The alert an internal service publishes as event data (the reference's WebhookAlert). The
 * resolved example carries `resolved_at`, which the schema omits: it is accepted, not required.
 */
export const WEBHOOK_ALERT_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'metric', 'operator', 'threshold_value', 'triggered_at'],
  properties: {
    id: { type: 'string', pattern: '^ar_[A-Za-z0-9]+$' },
    name: { type: 'string' },
    project_id: { type: ['string', 'null'] },
    metric: { type: 'string', enum: ['turn_latency_p50', 'turn_latency_p95', 'api_errors', 'function_errors', 'call_crashes', 'call_volume'] },
    operator: { type: 'string', enum: ['>', '<', '>=', '<='] },
    threshold_value: { type: 'integer' },
    current_value: { type: ['integer', 'null'] },
    previous_state: { type: ['string', 'null'], enum: ['ok', 'alert', 'no_data', 'unknown', null] },
    triggered_at: { type: 'string', format: 'date-time' },
    resolved_at: { type: 'string', format: 'date-time' },
  },
};

export interface CreateWebhookEndpointRequest {
  name: string;
  url: string;
  event_types: PolyaiEventType[];
  headers?: Record<string, string>;
  timeout_ms?: number;
  enabled?: boolean;
}

export type UpdateWebhookEndpointRequest = Partial<CreateWebhookEndpointRequest>;

export interface ListWebhookEndpointsQuery {
  enabled?: 'true' | 'false';
  event_type?: PolyaiEventType;
}

export interface WebhookEndpoint {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  event_types: string[];
  headers: Record<string, string>;
  timeout_ms: number;
  created_at: string;
  updated_at: string;
}
