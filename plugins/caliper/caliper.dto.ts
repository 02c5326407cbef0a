import { CALIPER_DATA_VERSIONS, CALIPER_EVENT_TYPES } from './caliper.catalogue';
import { array, boolean, Check, nullable, object, oneOf, optional, string, stringOrObject } from './caliper.validation';
import { FILTER_OPERATIONS, FILTER_TYPES } from './filters';

/** Request bodies of the Caliper surface, as the seeds define them (strict: unknown keys are refused). */
export const webhookBody: Check = object(
  {
    sensor: optional(nullable(string({ max: 2048 }))),
    name: string({ min: 1, max: 255 }),
    description: nullable(string({ max: 4096 })),
    targetUrl: string({ url: true }),
    secret: string({ min: 1, max: 1024 }),
    active: boolean(),
  },
  { strict: true },
);

export const filterBody: Check = object(
  {
    webhookId: string({ min: 1, max: 64 }),
    filterKey: string({ min: 1, max: 256 }),
    filterValue: string({ max: 4096 }),
    filterType: oneOf(FILTER_TYPES),
    filterOperation: oneOf(FILTER_OPERATIONS),
    active: boolean(),
  },
  { strict: true },
);

/** The Caliper Event properties every event must have; the rest (edApp, generated, extensions...) passes through. */
export const caliperEvent: Check = object(
  {
    id: string({ min: 1, max: 2048 }),
    type: oneOf(CALIPER_EVENT_TYPES.map((e) => e.type)),
    actor: stringOrObject(),
    action: string({ min: 1, max: 255 }),
    object: stringOrObject(),
    eventTime: string({ datetime: true }),
  },
  { strict: false },
);

export const MAX_EVENTS_PER_ENVELOPE = 1000;

export const sensorEnvelope: Check = object(
  {
    sensor: string({ min: 1, max: 2048 }),
    sendTime: string({ datetime: true }),
    dataVersion: oneOf(CALIPER_DATA_VERSIONS),
    data: array(caliperEvent, { min: 1, max: MAX_EVENTS_PER_ENVELOPE }),
  },
  { strict: true },
);
