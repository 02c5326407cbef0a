import { Infer, schema, z } from '../../src/sdk';

/**
 * Svix's request and response shapes, under the names of Svix's own OpenAPI document and with its
 * camelCase fields. Bodies strip unknown fields (newer clients send more than this subset reads).
 * Older clients' spellings are taken too: `filterTypes` for `eventTypes`, `rateLimit` for
 * `throttleRate`; answers carry both spellings so either client reads them.
 */

const NAME_PATTERN = /^[a-zA-Z0-9\-_.]+$/;
const uid = z.string().min(1).max(256).regex(NAME_PATTERN);
const eventTypeName = z.string().min(1).max(256).regex(NAME_PATTERN).meta({ example: 'user.signup' });
const channel = z.string().min(1).max(128).regex(NAME_PATTERN);
const stringMap = z.record(z.string(), z.string());
const throttleRate = z.int().min(1).max(65535);
const dateTime = z.string().meta({ format: 'date-time' });
/** Svix's secret format: base64 of random bytes, optionally `whsec_`-prefixed. */
const secretKey = z
  .string()
  .regex(/^(whsec_)?[a-zA-Z0-9+/=]{32,100}$/)
  .meta({ example: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD' });
const eventTypes = z.array(eventTypeName).min(1).nullable();
const channels = z.array(channel).min(1).max(10).nullable();

/** `?flag=true|false`, as the SDK writes booleans in a query. */
const queryFlag = z
  .enum(['true', 'false'])
  .transform((flag) => flag === 'true')
  .optional();
/** Svix caps pages at 250; the gateway's store answers at most 100 per page (`done` tells the rest). */
const listQuery = { limit: z.coerce.number().int().min(1).max(250).optional(), iterator: z.string().max(1024).optional(), order: z.enum(['ascending', 'descending']).optional() };
const isoQuery = z.iso.datetime({ offset: true }).transform((at) => Date.parse(at)).optional();
/** `a,b` (the SDK joins arrays with commas) or a repeated parameter. */
const nameList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).filter(Boolean))
  .pipe(z.array(eventTypeName))
  .optional();

export const ListQuery = schema('ListQuery', z.object(listQuery));
export type ListQuery = Infer<typeof ListQuery>;
export const ApplicationCreateQuery = schema('ApplicationCreateQuery', z.object({ get_if_exists: queryFlag }));
export const EventTypeListQuery = schema('EventTypeListQuery', z.object({ ...listQuery, include_archived: queryFlag, with_content: queryFlag }));
export type EventTypeListQuery = Infer<typeof EventTypeListQuery>;
export const EventTypeDeleteQuery = schema('EventTypeDeleteQuery', z.object({ expunge: queryFlag }));
export const WithContentQuery = schema('WithContentQuery', z.object({ with_content: queryFlag }));
export const MessageListQuery = schema(
  'MessageListQuery',
  z.object({ ...listQuery, channel: channel.optional(), before: isoQuery, after: isoQuery, with_content: queryFlag, event_types: nameList }),
);
export type MessageListQuery = Infer<typeof MessageListQuery>;
const attemptFilters = { ...listQuery, status: z.coerce.number().int().min(0).max(4).optional(), channel: channel.optional(), before: isoQuery, after: isoQuery, event_types: nameList };
export const AttemptsByEndpointQuery = schema('AttemptsByEndpointQuery', z.object(attemptFilters));
export const AttemptsByMsgQuery = schema('AttemptsByMsgQuery', z.object({ ...attemptFilters, endpoint_id: z.string().max(256).optional() }));
export type AttemptListQuery = Infer<typeof AttemptsByMsgQuery>;
export const StatsQuery = schema('StatsQuery', z.object({ since: isoQuery, until: isoQuery }));
export type StatsQuery = Infer<typeof StatsQuery>;

// Applications

const applicationFields = { name: z.string().min(1).max(256), uid: uid.nullable().optional(), metadata: stringMap.optional(), throttleRate: throttleRate.nullable().optional(), rateLimit: throttleRate.nullable().optional() };
export const ApplicationIn = schema('ApplicationIn', z.object(applicationFields).meta({ example: { name: 'My first application', uid: 'unique-app-identifier' } }));
export type ApplicationIn = Infer<typeof ApplicationIn>;
export const ApplicationPatch = schema('ApplicationPatch', z.object(applicationFields).partial());
export type ApplicationPatch = Infer<typeof ApplicationPatch>;
export const ApplicationOut = schema(
  'ApplicationOut',
  z.object({ id: z.string().meta({ example: 'app_1srOrx2ZWZBpBUvZwXKQmoEYga2' }), uid: uid.nullable(), name: z.string(), metadata: stringMap, throttleRate: throttleRate.nullable(), rateLimit: throttleRate.nullable(), createdAt: dateTime, updatedAt: dateTime }),
  { io: 'output' },
);
export type ApplicationOut = Infer<typeof ApplicationOut>;

// Event types

const eventTypeFields = {
  description: z.string().max(4096),
  archived: z.boolean().optional(),
  deprecated: z.boolean().optional(),
  schemas: z.record(z.string(), z.record(z.string(), z.unknown())).nullable().optional(),
  featureFlag: z.string().max(256).regex(NAME_PATTERN).nullable().optional(),
  groupName: z.string().max(256).regex(NAME_PATTERN).nullable().optional(),
};
export const EventTypeIn = schema('EventTypeIn', z.object({ name: eventTypeName, ...eventTypeFields }));
export type EventTypeIn = Infer<typeof EventTypeIn>;
export const EventTypeUpdate = schema('EventTypeUpdate', z.object(eventTypeFields));
export type EventTypeUpdate = Infer<typeof EventTypeUpdate>;
export const EventTypePatch = schema('EventTypePatch', z.object(eventTypeFields).partial());
export type EventTypePatch = Infer<typeof EventTypePatch>;
export const EventTypeOut = schema(
  'EventTypeOut',
  z.object({
    name: eventTypeName,
    description: z.string(),
    archived: z.boolean(),
    deprecated: z.boolean(),
    schemas: z.record(z.string(), z.record(z.string(), z.unknown())).nullable(),
    featureFlag: z.string().nullable(),
    groupName: z.string().nullable(),
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  { io: 'output' },
);
export type EventTypeOut = Infer<typeof EventTypeOut>;

// Endpoints

const endpointFields = {
  url: z.url({ protocol: /^https?$/ }).max(65536),
  description: z.string().max(4096).optional(),
  disabled: z.boolean().optional(),
  eventTypes: eventTypes.optional(),
  filterTypes: eventTypes.optional(),
  channels: channels.optional(),
  throttleRate: throttleRate.nullable().optional(),
  rateLimit: throttleRate.nullable().optional(),
  uid: uid.nullable().optional(),
  metadata: stringMap.optional(),
  version: z.int().min(1).optional(),
};
export const EndpointIn = schema('EndpointIn', z.object({ ...endpointFields, secret: secretKey.nullable().optional(), headers: stringMap.optional() }).meta({ example: { url: 'https://example.com/webhook/', eventTypes: ['user.signup'] } }));
export type EndpointIn = Infer<typeof EndpointIn>;
export const EndpointUpdate = schema('EndpointUpdate', z.object(endpointFields));
export type EndpointUpdate = Infer<typeof EndpointUpdate>;
export const EndpointPatch = schema('EndpointPatch', z.object({ ...endpointFields, secret: secretKey.nullable().optional() }).partial());
export type EndpointPatch = Infer<typeof EndpointPatch>;

const endpointOut = z.object({
  id: z.string().meta({ example: 'ep_1srOrx2ZWZBpBUvZwXKQmoEYga2' }),
  url: z.string(),
  description: z.string(),
  disabled: z.boolean(),
  eventTypes: z.array(z.string()).nullable(),
  filterTypes: z.array(z.string()).nullable(),
  channels: z.array(z.string()).nullable(),
  throttleRate: z.int().nullable(),
  rateLimit: z.int().nullable(),
  uid: z.string().nullable(),
  metadata: stringMap,
  version: z.int(),
  createdAt: dateTime,
  updatedAt: dateTime,
});
export const EndpointOut = schema('EndpointOut', endpointOut, { io: 'output' });
export type EndpointOut = Infer<typeof EndpointOut>;

export const EndpointSecretOut = schema('EndpointSecretOut', z.object({ key: z.string() }), { io: 'output' });
export const EndpointSecretRotateIn = schema('EndpointSecretRotateIn', z.object({ key: secretKey.nullable().optional(), gracePeriodSeconds: z.int().min(0).max(604800).nullable().optional() }));
export type EndpointSecretRotateIn = Infer<typeof EndpointSecretRotateIn>;
export const EndpointHeadersIn = schema('EndpointHeadersIn', z.object({ headers: stringMap }));
export type EndpointHeadersIn = Infer<typeof EndpointHeadersIn>;
export const EndpointHeadersPatchIn = schema('EndpointHeadersPatchIn', z.object({ headers: z.record(z.string(), z.string().nullable()).optional(), deleteHeaders: z.array(z.string()).optional() }));
export type EndpointHeadersPatchIn = Infer<typeof EndpointHeadersPatchIn>;
export const EndpointHeadersOut = schema('EndpointHeadersOut', z.object({ headers: stringMap, sensitive: z.array(z.string()) }), { io: 'output' });
export type EndpointHeadersOut = Infer<typeof EndpointHeadersOut>;
export const RecoverIn = schema('RecoverIn', z.object({ since: z.iso.datetime({ offset: true }), until: z.iso.datetime({ offset: true }).nullable().optional() }));
export type RecoverIn = Infer<typeof RecoverIn>;
export const RecoverOut = schema('RecoverOut', z.object({ id: z.string(), status: z.enum(['running', 'finished', 'failed']), task: z.literal('endpoint.recover'), updatedAt: dateTime }), { io: 'output' });
export type RecoverOut = Infer<typeof RecoverOut>;
export const EndpointStats = schema('EndpointStats', z.object({ success: z.int(), pending: z.int(), sending: z.int(), fail: z.int(), canceled: z.int() }), { io: 'output' });
export type EndpointStats = Infer<typeof EndpointStats>;

// Messages and attempts

export const MessageIn = schema(
  'MessageIn',
  z
    .object({
      // The gateway's own operator events are `hookgate.*`: no plugin may send one.
      eventType: eventTypeName.refine((type) => !type.startsWith('hookgate.'), 'hookgate.* event types are reserved by the gateway'),
      eventId: uid.nullable().optional(),
      payload: z.record(z.string(), z.unknown()),
      channels: z.array(channel).min(1).max(5).nullable().optional(),
      tags: z.array(z.string().min(1).max(128).regex(NAME_PATTERN)).min(1).max(5).nullable().optional(),
      application: ApplicationIn.zod.nullable().optional().describe('Creates the application (the path names its uid) when it does not exist yet'),
    })
    .meta({ example: { eventType: 'user.signup', eventId: 'evt_123', payload: { email: 'test@example.com', type: 'user.signup' } } }),
);
export type MessageIn = Infer<typeof MessageIn>;
const messageOut = z.object({
  id: z.string().meta({ example: 'msg_1srOrx2ZWZBpBUvZwXKQmoEYga2' }),
  eventType: z.string(),
  eventId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  channels: z.array(z.string()).nullable(),
  tags: z.array(z.string()).nullable(),
  timestamp: dateTime,
});
export const MessageOut = schema('MessageOut', messageOut, { io: 'output' });
export type MessageOut = Infer<typeof MessageOut>;

/** Svix's numeric MessageStatus and its text: 0 success, 1 pending, 2 fail, 3 sending, 4 canceled. */
const messageStatus = z.int().min(0).max(4).meta({ description: '0 success, 1 pending, 2 fail, 3 sending, 4 canceled' });
const messageStatusText = z.enum(['success', 'pending', 'fail', 'sending', 'canceled']);
export const MessageAttemptOut = schema(
  'MessageAttemptOut',
  z.object({
    id: z.string().meta({ example: 'atmpt_0193a5f1c2d47b3e8f1a2b3c4d5e6f70_1' }),
    msgId: z.string(),
    endpointId: z.string(),
    url: z.string(),
    response: z.string(),
    responseStatusCode: z.int(),
    responseDurationMs: z.int(),
    status: messageStatus,
    statusText: messageStatusText,
    triggerType: z.int().min(0).max(1).meta({ description: '0 scheduled, 1 manual' }),
    timestamp: dateTime,
  }),
  { io: 'output' },
);
export type MessageAttemptOut = Infer<typeof MessageAttemptOut>;
export const MessageEndpointOut = schema('MessageEndpointOut', endpointOut.extend({ status: messageStatus, statusText: messageStatusText, nextAttempt: dateTime.nullable() }), { io: 'output' });
export type MessageEndpointOut = Infer<typeof MessageEndpointOut>;

/** Svix's ListResponse: `iterator` continues the walk, `done` says there is nothing after this page. */
const listResponse = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), iterator: z.string().nullable(), prevIterator: z.string().nullable(), done: z.boolean() });
export const ListResponseApplicationOut = schema('ListResponse_ApplicationOut_', listResponse(ApplicationOut.zod), { io: 'output' });
export const ListResponseEventTypeOut = schema('ListResponse_EventTypeOut_', listResponse(EventTypeOut.zod), { io: 'output' });
export const ListResponseEndpointOut = schema('ListResponse_EndpointOut_', listResponse(EndpointOut.zod), { io: 'output' });
export const ListResponseMessageOut = schema('ListResponse_MessageOut_', listResponse(MessageOut.zod), { io: 'output' });
export const ListResponseMessageAttemptOut = schema('ListResponse_MessageAttemptOut_', listResponse(MessageAttemptOut.zod), { io: 'output' });
export const ListResponseMessageEndpointOut = schema('ListResponse_MessageEndpointOut_', listResponse(MessageEndpointOut.zod), { io: 'output' });
export interface ListResponse<T> {
  data: T[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}
export const EmptyResponse = schema('EmptyResponse', z.object({}), { io: 'output' });

/** Svix's error bodies: `{code, detail}`, and 422 `{detail: [{loc, msg, type}]}`. */
export const HttpErrorOut = z.object({ code: z.string(), detail: z.string() }).meta({ title: 'HttpError' });
export const HttpValidationError = z.object({ detail: z.array(z.object({ loc: z.array(z.string()), msg: z.string(), type: z.string() })) });
export const SvixError = schema('Error', z.union([HttpErrorOut, HttpValidationError]), { io: 'output' });
export type SvixError = Infer<typeof SvixError>;
