import { CALIPER_DATA_VERSIONS, CALIPER_EVENT_TYPES } from './caliper.catalogue';
import { array, boolean, Check, nullable, object, ofTypes, oneOf, optional, string, stringOrObject, typeName } from './caliper.validation';
import { FILTER_OPERATIONS, FILTER_TYPES } from './filters';

/**
 * Request bodies of the Caliper surface, as the seeds define them. Like the provider's zod schemas,
 * keys a body does not name are dropped, not refused: a client may PUT back what GET answered.
 */
export const webhookBody: Check = object({
  sensor: optional(nullable(string({ max: 2048 }))),
  name: string({ min: 1, max: 255 }),
  description: nullable(string({ max: 4096 })),
  targetUrl: string({ url: true }),
  secret: string({ min: 1, max: 1024 }),
  active: boolean(),
});

export const filterBody: Check = object({
  webhookId: string({ min: 1, max: 64 }),
  filterKey: string({ min: 1, max: 256 }),
  filterValue: string({ max: 4096 }),
  filterType: oneOf(FILTER_TYPES),
  filterOperation: oneOf(FILTER_OPERATIONS),
  active: boolean(),
});

/** JSON-LD allows a context IRI, an inline context object, or an array of both. */
const jsonLdContext = optional(ofTypes(['string', 'object', 'array']));

/** The Caliper Event properties that name an entity: each is the entity's IRI or the entity embedded. */
export const CALIPER_ENTITY_REFERENCES = ['target', 'generated', 'referrer', 'edApp', 'group', 'membership', 'session', 'federatedSession'] as const;

/** The properties every event must have and the references it may have; the rest (extensions...) passes through. */
export const caliperEvent: Check = object({
  '@context': jsonLdContext,
  id: string({ min: 1, max: 2048 }),
  type: oneOf(CALIPER_EVENT_TYPES.map((e) => e.type)),
  actor: stringOrObject(),
  action: string({ min: 1, max: 255 }),
  object: stringOrObject(),
  eventTime: string({ datetime: true }),
  ...Object.fromEntries(CALIPER_ENTITY_REFERENCES.map((key) => [key, optional(stringOrObject())])),
});

/** An entity describe: an IRI and a type; its other properties pass through. */
export const caliperEntity: Check = object({
  '@context': jsonLdContext,
  id: string({ min: 1, max: 2048 }),
  type: string({ min: 1, max: 255 }),
});

/**
 * Whether an item of an envelope's `data` is an entity describe rather than an event: every Caliper
 * event type ends in `Event` (`SessionEvent`, and the generic `Event`); entity types never do.
 */
export function isEntityDescribe(item: unknown): boolean {
  const type = typeName(item) === 'object' ? (item as { type?: unknown }).type : undefined;
  return typeof type === 'string' && !type.endsWith('Event');
}

const eventOrEntity: Check = (value, path) => (isEntityDescribe(value) ? caliperEntity(value, path) : caliperEvent(value, path));

export const MAX_ITEMS_PER_ENVELOPE = 1000;

export const sensorEnvelope: Check = object({
  sensor: string({ min: 1, max: 2048 }),
  sendTime: string({ datetime: true }),
  dataVersion: oneOf(CALIPER_DATA_VERSIONS),
  data: array(eventOrEntity, { min: 1, max: MAX_ITEMS_PER_ENVELOPE }),
});
