/**
 * The plugin SDK: the only module a plugin may import (a test enforces it). Everything a
 * provider surface needs — its declaration, access rules, typed errors, and the facades over
 * endpoints, events and deliveries — comes from here, never from core internals.
 */
export { PLUGIN_ERROR_SCHEMA_REF } from './plugin';
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
export { WebhookPlugin } from './webhook-plugin';
export { Operation, ERROR_STATUS_TEXT } from './operation';
export type { OperationDoc } from './operation';
export { schema, z } from './schema';
export type { Schema, Infer } from './schema';
export { PluginEndpoints, PluginEvents, PluginDeliveries, PluginSettings } from './facades';
export type { NewEndpoint, NewEvent } from './facades';

export { Access } from '../auth/access.decorator';
export type { AccessRule } from '../auth/access.decorator';
export { CurrentPrincipal, isAdmin, tenantScope } from '../auth/principal';
export type { Principal } from '../auth/principal';
export { claimAt } from '../auth/claims';
export type { OrgRole } from '../auth/scopes';

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
export { issuesFrom } from '../common/validation';

export { EndpointsService } from '../endpoints/endpoints.service';
export type { TenantScope, CreateEndpointInput, EndpointInput, EndpointListQuery } from '../endpoints/endpoints.service';
export type { EndpointView } from '../endpoints/endpoint.view';
export { urlProblem } from '../endpoints/url-policy';
export { EventsService } from '../events/events.service';
export type { PublishInput, PublishResult } from '../events/events.service';
export { DeliveriesService } from '../delivery/api/deliveries.service';
export type { Page, PageQuery } from '../common/pagination';

export { hexHmac, signingKeyProblem } from '../delivery/http/signer';
export { GATEWAY_HEADERS } from '../delivery/http/wire-request';
export { customHeaderIssues } from '../delivery/http/custom-headers';
export { parseDuration } from '../common/durations';
export { isUuid, prefixedToken, uuidv7 } from '../common/ids';
export { iso } from '../persistence/columns';
export { AppConfig } from '../config/app-config';
