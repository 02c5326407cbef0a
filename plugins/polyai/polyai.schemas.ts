import { Infer, schema, z } from '../../src/sdk';
import { ENDPOINT_ID } from './polyai.endpoint-id';
import { headerIssues } from './polyai.rules';

/**
 * The PolyAI Webhooks API shapes, under the names the provider's OpenAPI gives them (seed 002 and
 * the reference). Each declaration validates what the surface takes, documents it and types it, so
 * the docs cannot drift from what the surface accepts.
 */

export const DEFAULT_TIMEOUT_MS = 5000;

export const WebhookEventType = schema('WebhookEventType', z.enum(['alerts.triggered', 'alerts.resolved']));

const name = z.string().min(1).max(255);
const headers = z.record(z.string(), z.string());
const timeoutMs = z.int().min(1000).max(30000);
// zod documents a prefix check as a format of its own; the seed words it as a uri with a pattern.
const httpsUrl = z.url().startsWith('https://').meta({ format: 'uri', pattern: '^https://' });

/** The first later item equal to an earlier one; `uniqueItems` is ours (the seed is silent on duplicates). */
const eventTypes = z
  .array(WebhookEventType.zod)
  .min(1)
  .superRefine((items, ctx) => {
    const later = items.findIndex((item, i) => items.indexOf(item) < i);
    if (later >= 0) ctx.addIssue({ code: 'custom', message: `event_types must not contain duplicates (items ${items.indexOf(items[later])} and ${later} are the same)` });
  })
  .meta({ uniqueItems: true });

const writable = { name, url: httpsUrl, event_types: eventTypes, headers, timeout_ms: timeoutMs, enabled: z.boolean() };

/** Custom delivery headers, checked as the endpoint rules check them. */
function reservedHeaders(body: { headers?: Record<string, string> }, ctx: z.RefinementCtx): void {
  for (const issue of headerIssues(body.headers)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}

/** Only once the rest of the body is valid: its problems are told first, alone. */
const onceValid = { when: (payload: { issues: unknown[] }) => payload.issues.length === 0 };

export const CreateWebhookEndpointRequest = schema(
  'CreateWebhookEndpointRequest',
  z
    .strictObject({ ...writable, headers: headers.optional(), timeout_ms: timeoutMs.default(DEFAULT_TIMEOUT_MS), enabled: z.boolean().default(true) })
    .superRefine(reservedHeaders, onceValid)
    .meta({
      example: {
        name: 'Production alerts',
        url: 'https://example.com/webhooks/polyai',
        event_types: ['alerts.triggered'],
        headers: { 'X-Custom-Header': 'my-value' },
        timeout_ms: DEFAULT_TIMEOUT_MS,
        enabled: true,
      },
    }),
);
export type CreateWebhookEndpointRequest = Infer<typeof CreateWebhookEndpointRequest>;

/** PATCH: the same fields and constraints, all optional, no defaults. */
export const UpdateWebhookEndpointRequest = schema(
  'UpdateWebhookEndpointRequest',
  z
    .strictObject(writable)
    .partial()
    .superRefine(reservedHeaders, onceValid)
    .meta({ example: { url: 'https://example.com/webhooks/polyai-v2', enabled: false } }),
);
export type UpdateWebhookEndpointRequest = Infer<typeof UpdateWebhookEndpointRequest>;

/** The list filters; `enabled` arrives as the query string's text. */
export const ListWebhookEndpointsQuery = schema(
  'ListWebhookEndpointsQuery',
  z.object({
    enabled: z
      .enum(['true', 'false'])
      .transform((flag) => flag === 'true')
      .optional(),
    event_type: WebhookEventType.zod.optional(),
  }),
);
export type ListWebhookEndpointsQuery = Infer<typeof ListWebhookEndpointsQuery>;

/**
 * Responses are documented, not validated, and stay open as the seed's are (no
 * `additionalProperties: false`, so a field added later breaks no strict client). `default` is the
 * seed's note of what a create fills in; `required` is what every answer carries.
 */
const dateTime = z.string().meta({ format: 'date-time' });

export const WebhookEndpoint = schema(
  'WebhookEndpoint',
  z.object({
    id: z.string().regex(ENDPOINT_ID).meta({ example: 'whe_9ZtRcXw3nByK5pVqMaEfJs' }),
    name,
    url: z.url(),
    enabled: z.boolean().meta({ default: true }),
    event_types: z.array(WebhookEventType.zod),
    headers: headers.optional().meta({ default: {} }),
    timeout_ms: timeoutMs.meta({ default: DEFAULT_TIMEOUT_MS }),
    created_at: dateTime,
    updated_at: dateTime,
  }),
);
export type WebhookEndpoint = Infer<typeof WebhookEndpoint>;

const signingSecret = z.string().meta({ description: 'Returned only once. Store it securely.', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });

export const WebhookEndpointCreateResponse = schema('WebhookEndpointCreateResponse', WebhookEndpoint.zod.extend({ signing_secret: signingSecret }));
export const ListWebhookEndpointsResponse = schema('ListWebhookEndpointsResponse', z.object({ data: z.array(WebhookEndpoint.zod) }));
export const RotateSigningSecretResponse = schema('RotateSigningSecretResponse', z.object({ signing_secret: signingSecret }));

/** The seed's `Error`: every error body on this surface. */
export const PolyaiError = schema('Error', z.object({ message: z.string() }));

const dateTimeWithOffset = z.iso.datetime({ offset: true });

/**
 * The alert an internal service publishes as event data (the reference's WebhookAlert). Other
 * properties pass through: the resolved example carries `resolved_at`, which the schema omits.
 */
export const WebhookAlert = schema(
  'WebhookAlert',
  z.looseObject({
    id: z.string().regex(/^ar_[A-Za-z0-9]+$/),
    name: z.string(),
    project_id: z.string().nullable().optional(),
    metric: z.enum(['turn_latency_p50', 'turn_latency_p95', 'api_errors', 'function_errors', 'call_crashes', 'call_volume']),
    operator: z.enum(['>', '<', '>=', '<=']),
    threshold_value: z.int(),
    current_value: z.int().nullable().optional(),
    previous_state: z.enum(['ok', 'alert', 'no_data', 'unknown']).nullable().optional(),
    triggered_at: dateTimeWithOffset,
    resolved_at: dateTimeWithOffset.optional(),
  }),
);
