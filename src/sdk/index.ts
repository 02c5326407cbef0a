/**
 * The plugin SDK: the only module a plugin may import (a test enforces it). Everything a
 * provider surface needs — its declaration, access rules, typed errors, and the facades over
 * endpoints, events and deliveries — comes from here, never from core internals.
 */
export type {
  WebhookPluginMetadata,
  EndpointChange,
  DeliveryProfile,
  DeliveryContext,
  RetryProfile,
  ErrorShape,
  ErrorDoc,
  DocumentedOperation,
  FailedRequest,
  PluginEvent,
  PluginEventType,
  PluginSetting,
  PluginSettingsDeclaration,
} from './plugin';

// Declaring a plugin, its routes and its bodies.
export { WebhookPlugin } from './webhook-plugin';
export { Operation, ERROR_STATUS_TEXT } from './operation';
export type { OperationDoc } from './operation';
export { schema, z } from './schema';
export type { Schema, Infer } from './schema';
export { Access } from '../auth/access.decorator';
export type { AccessRule } from '../auth/access.decorator';
export { CurrentPrincipal } from '../auth/principal';
export type { Principal } from '../auth/principal';
export { claimAt } from '../auth/claims';
export type { OrgRole } from '../auth/scopes';

// The core, as this plugin may use it: bound to its key, scoped by the caller. Views, never rows.
export { PluginEndpoints, PluginEvents, PluginDeliveries, PluginRecords, PluginSettings } from './facades';
export type { NewEndpoint, NewEvent } from './facades';
export type { EndpointInput, EndpointListQuery, EndpointPatch } from '../endpoints/endpoints.service';
export type { EndpointView } from '../endpoints/endpoint.view';
export type { PublishResult, EventView, EventListQuery } from '../events/events.service';
export type { PluginRecord, NewPluginRecord, PluginRecordChange } from '../plugin-records/plugin-records.service';
export type { DeliveryStatus } from '../persistence/entities';
export type { DeliveryView, AttemptView, DeliveryFilter, DeliveryAttemptView, AttemptFilter } from '../delivery/api/deliveries.service';
export type { Page, PageQuery } from '../common/pagination';
export { cursorOf } from '../common/pagination';

// Errors each surface renders in its own shape.
export {
  CoreError,
  ValidationFailedError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  UnprocessableError,
  RateLimitedError,
} from '../common/errors';
export type { ValidationIssue, ErrorCode } from '../common/errors';

// Helpers for delivery profiles and provider formats.
export { hexHmac, standardSignature } from '../delivery/http/signer';
export { GATEWAY_HEADERS } from '../delivery/http/wire-request';
export { MASKED_VALUE } from '../delivery/http/recorded-request';
export { customHeaderIssues } from '../delivery/http/custom-headers';
export { parseDuration } from '../common/durations';
export { isUuid, prefixedToken, uuidv7 } from '../common/ids';
export { iso } from '../persistence/columns';
