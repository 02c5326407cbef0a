import { schema, z } from '../../src/sdk';
import type { Infer } from '../../src/sdk';
import { CALIPER_DATA_VERSIONS, CALIPER_EVENT_TYPES } from './caliper.catalogue';
import { arrayOf, oneOf, text } from './caliper.zod3';
import { FILTER_OPERATIONS, FILTER_TYPES } from './filters';

/**
 * Every body and answer of the Caliper surface: each declaration validates (zod 4), documents (the
 * OpenAPI component of its name) and types it (the type of the same name). Property descriptions and examples are the seeds'.
 * Like the provider's zod schemas, bodies drop keys they do not name: a client may PUT back what
 * GET answered.
 */

const IGNORED_KEYS = 'Other keys (such as the id, createdAt, updatedAt and deletedAt a GET answers) are ignored';
const timestamp = (description: string) => z.string().meta({ format: 'date-time', description, example: '2021-01-01T00:00:00.000Z' });

export const CaliperWebhookBody = schema(
  'CaliperWebhookBody',
  z
    .object({
      sensor: text({ max: 2048 }).nullable().optional().meta({ description: 'The sensor that the webhook is associated with (absent or null: every sensor)', example: 'sensor123' }),
      name: text({ min: 1, max: 255 }).meta({ description: 'The name of the webhook', example: 'My Webhook' }),
      description: text({ max: 4096 }).nullable().meta({ description: 'The description of the webhook', example: 'This webhook is used to send data to the example.com/webhook' }),
      targetUrl: z.url().meta({ description: 'The URL that the webhook will send the data to (absolute http or https)', example: 'https://example.com/webhook' }),
      secret: text({ min: 1, max: 1024 }).meta({ description: 'The secret that signs every delivery (Standard Webhooks headers)', example: 'secret123' }),
      active: z.boolean().meta({ description: 'Whether the webhook is active', example: true }),
    })
    .meta({ description: IGNORED_KEYS }),
);
export type CaliperWebhookBody = Infer<typeof CaliperWebhookBody>;

export const CaliperWebhook = schema(
  'CaliperWebhook',
  z.object({
    id: z.string().meta({ description: 'The unique identifier for the webhook', example: '123e4567-e89b-12d3-a456-426614174000' }),
    sensor: z.string().nullable().meta({ description: 'The sensor that the webhook is associated with', example: 'sensor123' }),
    name: z.string().meta({ description: 'The name of the webhook', example: 'My Webhook' }),
    description: z.string().nullable().meta({ description: 'The description of the webhook' }),
    targetUrl: z.string().meta({ description: 'The URL that the webhook will send the data to', example: 'https://example.com/webhook' }),
    secret: z.string().meta({ description: 'The secret that the webhook will use to authenticate the data', example: 'secret123' }),
    active: z.boolean().meta({ description: 'Whether the webhook is active', example: true }),
    createdAt: timestamp('The date and time the webhook was created').nullable(),
    updatedAt: timestamp('The date and time the webhook was last updated'),
    deletedAt: timestamp('The date and time the webhook was deleted').nullable(),
  }),
  { io: 'output' },
);
export type CaliperWebhook = Infer<typeof CaliperWebhook>;
export const CaliperWebhookResponse = schema('CaliperWebhookResponse', z.object({ webhook: CaliperWebhook.zod }), { io: 'output' });
export type CaliperWebhookResponse = Infer<typeof CaliperWebhookResponse>;
export const CaliperWebhookList = schema('CaliperWebhookList', z.object({ webhooks: z.array(CaliperWebhook.zod) }), { io: 'output' });
export type CaliperWebhookList = Infer<typeof CaliperWebhookList>;

const filterFields = {
  webhookId: text({ min: 1, max: 64 }).meta({ description: 'The unique identifier for the webhook, in UUID format', example: '123e4567-e89b-12d3-a456-426614174000' }),
  filterKey: text({ min: 1, max: 256 }).meta({ description: 'Dot path into the Caliper event', example: 'actor.id' }),
  filterValue: text({ max: 4096 }).meta({ description: 'Compared after coercion to filterType; in/notIn take a comma-separated list', example: 'https://example.edu/users/554433' }),
  filterType: oneOf(FILTER_TYPES),
  filterOperation: oneOf(FILTER_OPERATIONS),
  active: z.boolean().meta({ example: true }),
};

export const CaliperFilterBody = schema('CaliperFilterBody', z.object(filterFields).meta({ description: IGNORED_KEYS }));
export type CaliperFilterBody = Infer<typeof CaliperFilterBody>;

export const CaliperFilter = schema(
  'CaliperFilter',
  z.object({
    id: z.string().meta({ description: 'The unique identifier for the filter', example: '0190f1a2-7c1e-7d4b-9a53-1f2e3d4c5b6a' }),
    ...filterFields,
    createdAt: timestamp('The date and time the filter was created'),
    updatedAt: timestamp('The date and time the filter was last updated'),
    deletedAt: timestamp('Always null: a deleted filter is gone').nullable(),
  }),
  { io: 'output' },
);
export type CaliperFilter = Infer<typeof CaliperFilter>;
export const CaliperFilterResponse = schema('CaliperFilterResponse', z.object({ filter: CaliperFilter.zod }), { io: 'output' });
export type CaliperFilterResponse = Infer<typeof CaliperFilterResponse>;
export const CaliperFilterList = schema('CaliperFilterList', z.object({ filters: z.array(CaliperFilter.zod) }), { io: 'output' });
export type CaliperFilterList = Infer<typeof CaliperFilterList>;

const statusFields = {
  status: z.enum(['success', 'error']).meta({ example: 'success' }),
  message: z.string().meta({ example: '' }),
  errors: z.record(z.string(), z.string()).nullable().meta({ description: 'For a 400: field path → what is wrong; otherwise null' }),
};

/** `{status, message, errors}`: what deletes answer. */
export const CaliperStatus = schema('CaliperStatus', z.object(statusFields), { io: 'output' });
export type CaliperStatus = Infer<typeof CaliperStatus>;

/**
 * The status envelope of an error: every 401/403/404/409/413/415/429/500, and the 400s of filter
 * routes. This and CaliperValidationError stay inline in error responses: `Error` is their `oneOf`.
 */
export const CaliperErrorStatus = schema('CaliperErrorStatus', z.object({ ...statusFields, status: z.literal('error') }), { io: 'output' });

/** The seed's 400 `{error, details[]}` (zod 3 issues; some codes carry more fields). */
export const CaliperValidationError = schema(
  'CaliperValidationError',
  z.object({
    error: z.string().meta({ description: 'The error message', example: 'Invalid request data' }),
    details: z.array(
      z.looseObject({
        code: z.string().meta({ description: 'The code of the error', example: 'invalid_type' }),
        expected: z.string().meta({ description: 'The expected value', example: 'string' }),
        received: z.string().meta({ description: 'The received value', example: 'undefined' }),
        path: z.array(z.string()).meta({ description: 'The path of the error', example: ['name'] }),
        message: z.string().meta({ description: 'The message of the error', example: 'Required' }),
      }),
    ),
  }),
  { io: 'output' },
);

/** JSON-LD allows a context IRI, an inline context object, or an array of both. */
const jsonLdContext = z
  .union([z.string(), z.looseObject({}), z.array(z.unknown())])
  .optional()
  .meta({ description: 'JSON-LD context: an IRI, an inline context object, or an array of those (its items are not checked)', example: 'http://purl.imsglobal.org/ctx/caliper/v1p1' });

/**
 * An entity named by its IRI or embedded. An empty IRI ends its branch (`abort`), so it is
 * reported, as zod 3 did, as neither a string nor an object.
 */
const entityReference = z.union([z.string().min(1, { abort: true }), z.looseObject({})]).meta({ description: 'The entity IRI, or the entity embedded' });

/** The Caliper Event properties that name an entity: each is the entity's IRI or the entity embedded. */
const CALIPER_ENTITY_REFERENCES = ['target', 'generated', 'referrer', 'edApp', 'group', 'membership', 'session', 'federatedSession'] as const;

/** The properties every event must have and the references it may have; every other property is kept. */
export const CaliperEvent = schema(
  'CaliperEvent',
  z
    .looseObject({
      '@context': jsonLdContext,
      id: text({ min: 1, max: 2048 }).meta({ example: 'urn:uuid:c51570e4-f8ed-4c18-bb3a-dfe51b2cc594' }),
      type: oneOf(CALIPER_EVENT_TYPES.map((e) => e.type) as [string, ...string[]]),
      actor: entityReference.meta({ example: { id: 'https://example.edu/users/554433', type: 'Person' } }),
      action: text({ min: 1, max: 255 }).meta({ example: 'NavigatedTo' }),
      object: entityReference.meta({ example: { id: 'https://example.edu/terms/201801/courses/7/sections/1/pages/2', type: 'WebPage' } }),
      eventTime: z.iso.datetime({ offset: true }).meta({ example: '2018-11-15T10:15:00.000Z' }),
      ...Object.fromEntries(CALIPER_ENTITY_REFERENCES.map((key) => [key, entityReference.optional()])),
    })
    .meta({ description: 'A Caliper event; every property is kept and delivered as sent (extensions and any other)' }),
);

/** Every Caliper event type ends in `Event` (`SessionEvent`, the generic `Event`); entity types never do. */
const NOT_AN_EVENT_TYPE = /^(?!.*Event$)/;

export const CaliperEntity = schema(
  'CaliperEntity',
  z
    .looseObject({
      '@context': jsonLdContext,
      id: text({ min: 1, max: 2048 }).meta({ example: 'https://example.edu/users/554433' }),
      type: text({ min: 1, max: 255 }).regex(NOT_AN_EVENT_TYPE).meta({ description: 'An entity type (never ending in Event)', example: 'Person' }),
    })
    .meta({ description: 'A Caliper entity describe (Person, SoftwareApplication, DigitalResource...): validated and counted, never delivered' }),
);

/** Whether an item of an envelope's `data` is an entity describe rather than an event. */
export function isEntityDescribe(item: unknown): boolean {
  const type = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as { type?: unknown }).type : undefined;
  return typeof type === 'string' && NOT_AN_EVENT_TYPE.test(type);
}

/**
 * An item of an envelope is checked as an event or as an entity describe, told apart by its type
 * first, so its issues are those of what it claims to be. Checked, never rewritten: the envelope's
 * `data` holds the items exactly as sent, to be delivered as sent.
 */
const eventOrEntity = z
  .unknown()
  .superRefine((item, ctx) => {
    const checked = (isEntityDescribe(item) ? CaliperEntity : CaliperEvent).zod.safeParse(item, { reportInput: true });
    for (const issue of checked.error?.issues ?? []) ctx.addIssue({ ...issue });
  })
  .meta({ oneOf: [CaliperEvent.jsonSchema, CaliperEntity.jsonSchema] });

export const MAX_ITEMS_PER_ENVELOPE = 1000;

export const CaliperSensorEnvelope = schema(
  'CaliperSensorEnvelope',
  z
    .object({
      sensor: text({ min: 1, max: 2048 }).meta({ description: 'The sensor id (an IRI); webhooks with this sensor (or none) receive the events', example: 'https://example.edu/sensors/1' }),
      sendTime: z.iso.datetime({ offset: true }).meta({ example: '2018-11-15T10:15:01.000Z' }),
      dataVersion: oneOf(CALIPER_DATA_VERSIONS),
      data: arrayOf(eventOrEntity, { min: 1, max: MAX_ITEMS_PER_ENVELOPE }).meta({ description: 'Events and entity describes, in any mix' }),
    })
    .meta({ description: 'Other keys are ignored' }),
);
export type CaliperSensorEnvelope = Infer<typeof CaliperSensorEnvelope>;

export const CaliperIngestResult = schema(
  'CaliperIngestResult',
  z.object({
    ...statusFields,
    events: z.int().nonnegative().meta({ description: 'Events accepted', example: 1 }),
    duplicates: z.int().nonnegative().meta({ description: 'Events whose id this tenant already sent within 24 h: accepted, not delivered again', example: 0 }),
    entities: z.int().nonnegative().meta({ description: 'Entity describes in the envelope: validated, not stored, not delivered', example: 0 }),
    deliveries: z.int().nonnegative().meta({ description: 'Deliveries queued (one per matching webhook and new event)', example: 2 }),
  }),
  { io: 'output' },
);
export type CaliperIngestResult = Infer<typeof CaliperIngestResult>;
/** The ingestion answer's JSON Schema, for suites that check answers against it. */
export const INGEST_RESULT_SCHEMA = CaliperIngestResult.jsonSchema;

/** The components the surface's answers and items name: published so that bodies `$ref` them. */
export const CALIPER_COMPONENTS = Object.fromEntries([CaliperWebhook, CaliperFilter, CaliperEvent, CaliperEntity].map((declared) => [declared.name, declared.jsonSchema]));
