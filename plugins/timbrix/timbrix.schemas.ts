import type { Infer } from '../../src/sdk';
import { schema, z } from '../../src/sdk';
import { TIMBRIX_EVENT_TYPES } from './timbrix.catalogue';

/*
 * Bodies and answers under the seed's component names (Timbrix's own OpenAPI), so generated
 * clients share their types. timbrixErrors words zod's own checks the class-validator way Timbrix
 * answers; the url's sentence (the seed's) and the uniqueness refinement's are declared here.
 */

/*
 * The URLs Timbrix has always taken (class-validator's isURL): https, optional user info, a host
 * name without TLD or an IP address, a port from 1, nothing WHATWG parsing would quietly repair
 * (`https:/x`, `https://ex%41mple.com`, `https://0x7f.1`, surrounding spaces). zod's url check
 * then adds what the pattern cannot say (IPv6 syntax, ports up to 65535).
 */
const LABEL = '(?!-)[0-9A-Za-z\\u00a1-\\uff00\\uff5f-\\uffff-]{1,63}(?<!-)';
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const HOST = [`${OCTET}(?:\\.${OCTET}){3}`, `(?:${LABEL}\\.)*(?![0-9]+(?:[:/?#]|$))${LABEL}`, '\\[[0-9A-Fa-f:.]+\\]'].join('|');
const USER_INFO = '(?:[^\\s<>/?#@:]+(?::[^\\s<>/?#@:]*)?|:[^\\s<>/?#@:]+)@';
const HTTPS_URL = new RegExp(`^[hH][tT][tT][pP][sS]:(?://|(?![0-9/\\\\]))(?:${USER_INFO})?(?:${HOST})(?::(?:0*[1-9][0-9]{0,4})?)?(?:[/?#][^\\s<>]*)?$`);
/** The gateway's limit on every surface. */
const MAX_URL_LENGTH = 2048;
const INVALID_URL = 'url must be a valid URL';

const webhookUrl = z
  .string({ error: INVALID_URL })
  .regex(HTTPS_URL)
  .max(MAX_URL_LENGTH, { error: `url must be at most ${MAX_URL_LENGTH} characters` })
  .pipe(z.url({ error: INVALID_URL }))
  .meta({ format: 'uri', example: 'https://example.com/webhooks', description: 'Webhook endpoint URL (must be a valid HTTPS URL)' });

const EVENTS_EXAMPLE = ['organization.created', 'member.added'];

const subscribedEvents = z
  .array(z.enum(TIMBRIX_EVENT_TYPES))
  .min(1)
  // Run even when an element is unknown: class-validator checks uniqueness before each value.
  .refine((events) => new Set(events).size === events.length, { error: "All events's elements must be unique", when: ({ value }) => Array.isArray(value) })
  .meta({ uniqueItems: true, example: EVENTS_EXAMPLE, description: 'Events to subscribe to' });

/** A body that is not a JSON object has none of the fields: Timbrix reports them as missing. */
const fieldsOf = (body: unknown): unknown => (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {});

export const CreateWebhook = schema('CreateWebhookDto', z.preprocess(fieldsOf, z.strictObject({ url: webhookUrl, events: subscribedEvents })));
export type CreateWebhook = Infer<typeof CreateWebhook>;

/** PUT is partial: a field may be left out, but not sent as null. */
export const UpdateWebhook = schema(
  'UpdateWebhookDto',
  z.preprocess(
    fieldsOf,
    z.strictObject({
      url: webhookUrl.optional(),
      events: subscribedEvents.meta({ description: 'Replaces the subscribed events' }).optional(),
      isActive: z.boolean().meta({ description: 'false stops deliveries until set to true again', example: false }).optional(),
    }),
  ),
);
export type UpdateWebhook = Infer<typeof UpdateWebhook>;

const webhookFields = z.object({
  id: z.guid().meta({ example: '123e4567-e89b-12d3-a456-426614174000' }),
  organizationId: z.guid().meta({ example: '550e8400-e29b-41d4-a716-446655440000' }),
  url: z.string().meta({ format: 'uri', example: 'https://example.com/webhooks' }),
  events: z.array(z.string().meta({ enum: TIMBRIX_EVENT_TYPES })).meta({ example: EVENTS_EXAMPLE }),
  isActive: z.boolean().meta({ example: true }),
  createdAt: z.iso.datetime().meta({ example: '2025-01-26T10:00:00.000Z' }),
  updatedAt: z.iso.datetime().meta({ example: '2025-01-26T10:00:00.000Z' }),
});

/** A webhook as Timbrix shows it (list, get, update): never with its secret. */
export const Webhook = schema('Webhook', webhookFields, { io: 'output' });
export type Webhook = Infer<typeof Webhook>;

/** The create answer: the only time the signing secret is shown. */
export const WebhookWithSecret = schema(
  'WebhookWithSecret',
  webhookFields.extend({ secret: z.string().meta({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Signing secret; returned only here' }) }),
  { io: 'output' },
);
export type WebhookWithSecret = Infer<typeof WebhookWithSecret>;

/** The list answer: a bare array, as Timbrix documents no pagination. */
export const WebhookList = schema('WebhookList', z.array(webhookFields), { io: 'output' });
