import { CALIPER_DATA_VERSIONS, CALIPER_EVENT_TYPES } from './caliper.catalogue';
import { CALIPER_ENTITY_REFERENCES, MAX_ITEMS_PER_ENVELOPE } from './caliper.dto';
import { FILTER_OPERATIONS, FILTER_TYPES } from './filters';

/**
 * JSON Schemas of the Caliper surface for the OpenAPI document, copied from the seeds where they
 * exist (the seeds' OpenAPI 3.1 `type: [x, 'null']` is written `nullable: true` for our 3.0 document).
 */
type Schema = Record<string, unknown>;

const nullableString = (description: string, example?: string): Schema => ({ type: 'string', nullable: true, description, ...(example ? { example } : {}) });
const timestamp = (description: string): Schema => ({ type: 'string', format: 'date-time', description, example: '2021-01-01T00:00:00.000Z' });

export const WEBHOOK_BODY_SCHEMA: Schema = {
  type: 'object',
  description: 'Other keys (such as the id, createdAt, updatedAt and deletedAt a GET answers) are ignored',
  properties: {
    sensor: nullableString('The sensor that the webhook is associated with (absent or null: every sensor)', 'sensor123'),
    name: { type: 'string', minLength: 1, maxLength: 255, description: 'The name of the webhook', example: 'My Webhook' },
    description: nullableString('The description of the webhook', 'This webhook is used to send data to the example.com/webhook'),
    targetUrl: { type: 'string', description: 'The URL that the webhook will send the data to', example: 'https://example.com/webhook' },
    secret: { type: 'string', minLength: 1, maxLength: 1024, description: 'The secret that signs every delivery (Standard Webhooks headers)', example: 'secret123' },
    active: { type: 'boolean', description: 'Whether the webhook is active', example: true },
  },
  required: ['name', 'description', 'targetUrl', 'secret', 'active'],
};

export const WEBHOOK_SCHEMA: Schema = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'The unique identifier for the webhook', example: '123e4567-e89b-12d3-a456-426614174000' },
    sensor: nullableString('The sensor that the webhook is associated with', 'sensor123'),
    name: { type: 'string', description: 'The name of the webhook', example: 'My Webhook' },
    description: nullableString('The description of the webhook'),
    targetUrl: { type: 'string', description: 'The URL that the webhook will send the data to', example: 'https://example.com/webhook' },
    secret: { type: 'string', description: 'The secret that the webhook will use to authenticate the data', example: 'secret123' },
    active: { type: 'boolean', description: 'Whether the webhook is active', example: true },
    createdAt: { ...timestamp('The date and time the webhook was created'), nullable: true },
    updatedAt: timestamp('The date and time the webhook was last updated'),
    deletedAt: { ...timestamp('The date and time the webhook was deleted'), nullable: true },
  },
  required: ['id', 'name', 'description', 'targetUrl', 'secret', 'active', 'createdAt', 'updatedAt', 'deletedAt'],
};

export const FILTER_BODY_SCHEMA: Schema = {
  type: 'object',
  description: 'Other keys (such as the id, createdAt, updatedAt and deletedAt a GET answers) are ignored',
  properties: {
    webhookId: { type: 'string', description: 'The unique identifier for the webhook, in UUID format', example: '123e4567-e89b-12d3-a456-426614174000' },
    filterKey: { type: 'string', description: 'Dot path into the Caliper event', example: 'actor.id' },
    filterValue: { type: 'string', description: 'Compared after coercion to filterType; in/notIn take a comma-separated list', example: 'https://example.edu/users/554433' },
    filterType: { type: 'string', enum: [...FILTER_TYPES] },
    filterOperation: { type: 'string', enum: [...FILTER_OPERATIONS] },
    active: { type: 'boolean', example: true },
  },
  required: ['webhookId', 'filterKey', 'filterValue', 'filterType', 'filterOperation', 'active'],
};

export const FILTER_SCHEMA: Schema = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'The unique identifier for the filter', example: '0190f1a2-7c1e-7d4b-9a53-1f2e3d4c5b6a' },
    ...(FILTER_BODY_SCHEMA.properties as Schema),
    createdAt: timestamp('The date and time the filter was created'),
    updatedAt: timestamp('The date and time the filter was last updated'),
    deletedAt: { ...timestamp('Always null: a deleted filter is gone'), nullable: true },
  },
  required: ['id', 'webhookId', 'filterKey', 'filterValue', 'filterType', 'filterOperation', 'active', 'createdAt', 'updatedAt', 'deletedAt'],
};

/** `{status, message, errors}`: deletes, ingestion, filter 400s and every 401/403/404/409/413/415/429/500. */
export const STATUS_ENVELOPE_SCHEMA: Schema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['success', 'error'], example: 'success' },
    message: { type: 'string', example: '' },
    errors: { type: 'object', nullable: true, additionalProperties: { type: 'string' }, description: 'For a 400: field path → what is wrong; otherwise null' },
  },
  required: ['status', 'message'],
};

/** The seed's 400 `{error, details[]}` (zod issues). */
export const VALIDATION_ERROR_SCHEMA: Schema = {
  type: 'object',
  properties: {
    error: { type: 'string', description: 'The error message', example: 'Invalid request data' },
    details: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string', description: 'The code of the error', example: 'invalid_type' },
          expected: { type: 'string', description: 'The expected value', example: 'string' },
          received: { type: 'string', description: 'The received value', example: 'undefined' },
          path: { type: 'array', items: { type: 'string' }, description: 'The path of the error', example: ['name'] },
          message: { type: 'string', description: 'The message of the error', example: 'Required' },
        },
        required: ['code', 'expected', 'received', 'path', 'message'],
      },
    },
  },
  required: ['error', 'details'],
};

const JSON_LD_CONTEXT: Schema = {
  description: 'JSON-LD context: an IRI, an inline context object, or an array of both',
  oneOf: [{ type: 'string' }, { type: 'object' }, { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'object' }] } }],
  example: 'http://purl.imsglobal.org/ctx/caliper/v1p1',
};
const ENTITY_REFERENCE: Schema = { description: 'The entity IRI, or the entity embedded', oneOf: [{ type: 'string' }, { type: 'object' }] };

export const CALIPER_EVENT_SCHEMA: Schema = {
  type: 'object',
  description: 'A Caliper event; every property is kept and delivered as sent (extensions and any other)',
  properties: {
    '@context': JSON_LD_CONTEXT,
    id: { type: 'string', example: 'urn:uuid:c51570e4-f8ed-4c18-bb3a-dfe51b2cc594' },
    type: { type: 'string', enum: CALIPER_EVENT_TYPES.map((e) => e.type) },
    actor: { ...ENTITY_REFERENCE, example: { id: 'https://example.edu/users/554433', type: 'Person' } },
    action: { type: 'string', example: 'NavigatedTo' },
    object: { ...ENTITY_REFERENCE, example: { id: 'https://example.edu/terms/201801/courses/7/sections/1/pages/2', type: 'WebPage' } },
    eventTime: { type: 'string', format: 'date-time', example: '2018-11-15T10:15:00.000Z' },
    ...Object.fromEntries(CALIPER_ENTITY_REFERENCES.map((key) => [key, ENTITY_REFERENCE])),
  },
  required: ['id', 'type', 'actor', 'action', 'object', 'eventTime'],
};

export const CALIPER_ENTITY_SCHEMA: Schema = {
  type: 'object',
  description: 'A Caliper entity describe (Person, SoftwareApplication, DigitalResource...): validated and counted, never delivered',
  properties: {
    '@context': JSON_LD_CONTEXT,
    id: { type: 'string', example: 'https://example.edu/users/554433' },
    type: { type: 'string', pattern: '^(?!.*Event$)', description: 'An entity type (never ending in Event)', example: 'Person' },
  },
  required: ['id', 'type'],
};

export const SENSOR_ENVELOPE_SCHEMA: Schema = {
  type: 'object',
  description: 'Other keys are ignored',
  properties: {
    sensor: { type: 'string', description: 'The sensor id (an IRI); webhooks with this sensor (or none) receive the events', example: 'https://example.edu/sensors/1' },
    sendTime: { type: 'string', format: 'date-time', example: '2018-11-15T10:15:01.000Z' },
    dataVersion: { type: 'string', enum: [...CALIPER_DATA_VERSIONS] },
    data: { type: 'array', minItems: 1, maxItems: MAX_ITEMS_PER_ENVELOPE, description: 'Events and entity describes, in any mix', items: { oneOf: [CALIPER_EVENT_SCHEMA, CALIPER_ENTITY_SCHEMA] } },
  },
  required: ['sensor', 'sendTime', 'dataVersion', 'data'],
};

export const INGEST_RESULT_SCHEMA: Schema = {
  type: 'object',
  properties: {
    ...(STATUS_ENVELOPE_SCHEMA.properties as Schema),
    events: { type: 'integer', description: 'Events accepted', example: 1 },
    duplicates: { type: 'integer', description: 'Events whose id this tenant already sent within 24 h: accepted, not delivered again', example: 0 },
    entities: { type: 'integer', description: 'Entity describes in the envelope: validated, not stored, not delivered', example: 0 },
    deliveries: { type: 'integer', description: 'Deliveries queued (one per matching webhook and new event)', example: 2 },
  },
  required: ['status', 'message', 'errors', 'events', 'duplicates', 'entities', 'deliveries'],
};

export const wrapped = (key: string, schema: Schema): Schema => ({ type: 'object', properties: { [key]: schema }, required: [key] });
export const listOf = (key: string, schema: Schema): Schema => wrapped(key, { type: 'array', items: schema });
