import 'reflect-metadata';
import { CoreError, ValidationIssue } from '../common/errors';
import type { EndpointView } from '../endpoints/endpoint.view';

/** An event as a plugin sees it when it builds a delivery. */
export interface PluginEvent {
  id: string;
  tenant: string;
  type: string;
  data: unknown;
  context: Record<string, unknown> | null;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** What a plugin's `headers` hook gets for one HTTP attempt. */
export interface DeliveryContext {
  deliveryId: string;
  /** 1 for the first try. */
  attempt: number;
  event: PluginEvent;
  endpoint: EndpointView;
  /** The exact bytes sent, as a string (sign these). */
  body: string;
  /** Unix seconds, the same value as the `webhook-timestamp` header. */
  timestamp: number;
  /** Secrets that currently sign, newest first. */
  secrets: string[];
}

export interface RetryProfile {
  /**
   * Waits before each retry, e.g. ['1s', '5s', '30s'] = three retries after the first try.
   * Durations: '250ms', '5s', '5m', '2h', '1d'. Scaled by DELIVERY_TIME_SCALE.
   */
  schedule: string[];
  /**
   * Whether a 4xx other than 408/429 is retried (timeouts, network errors, 408, 429 and 5xx
   * always are). Default: retried, as Svix does.
   */
  retryOn?: (status: number) => boolean;
  /** ± fraction of each wait, default 0.1, so receivers coming back are not stampeded. */
  jitter?: number;
}

export interface DeliveryProfile {
  /** The JSON body for one event and endpoint. Default: `{id, type, timestamp, data}`. */
  envelope?(event: PluginEvent, endpoint: EndpointView): unknown;
  /** Provider headers (signatures, credentials); added after the Standard Webhooks headers. */
  headers?(ctx: DeliveryContext): Record<string, string>;
  /** The URL to POST to, when it is not the endpoint's url as stored (e.g. a query credential). */
  target?(endpoint: EndpointView): string;
  /** Retry schedule; default the core's (5s, 5m, 30m, 2h, 5h, 10h, 10h). */
  retry?: RetryProfile;
  /** Makes a new signing secret; default `whsec_` + base64 of 24 random bytes. */
  generateSecret?(): string;
}

/** The request that failed, for wording that depends on the route (path without the query). */
export interface FailedRequest {
  method: string;
  path: string;
}

/** How this surface renders an error: the body, and optionally another status. */
export interface ErrorShape {
  render(error: CoreError, request?: FailedRequest): { body: unknown; status?: number };
  /** JSON Schema of every error body on this surface (the docs and the contract suite use it). */
  schema: Record<string, unknown>;
  /**
   * How the docs describe an error status an `@Operation` declares: its description, and an example
   * or a narrower schema where the provider documents one (default: the core's wording, `schema`).
   */
  describe?(status: number, operation: DocumentedOperation): ErrorDoc | undefined;
}

/** An operation as the docs see it, for an error shape that words its responses per route. */
export interface DocumentedOperation {
  operationId: string;
  method: string;
  /** The OpenAPI path, e.g. `/caliper/webhooks/{id}`. */
  path: string;
}

export interface ErrorDoc {
  description?: string;
  schema?: Record<string, unknown>;
  example?: unknown;
}

/** One environment variable a plugin reads, validated at start-up like the core's own. */
export type PluginSetting = { description: string } & (
  | { type: 'int'; default: number; min?: number; max?: number }
  | { type: 'boolean'; default: boolean }
  | { type: 'string'; default: string; minLength?: number; maxLength?: number; oneOf?: string[] }
);

/** Variable name (UPPER_SNAKE_CASE, prefixed with the plugin's name by convention) → its declaration. */
export type PluginSettingsDeclaration = Record<string, PluginSetting>;

/** One create or change of a plugin's endpoint, as the core is about to store it. */
export interface EndpointChange {
  /** The endpoint as it will be stored. */
  endpoint: EndpointView;
  /** The endpoint as stored before an update; absent on create. */
  previous?: EndpointView;
  /** The tenant's other live endpoints of this plugin, read under a per-tenant lock. */
  siblings: EndpointView[];
}

export interface PluginEventType {
  type: string;
  description: string;
}

export interface WebhookPluginMetadata {
  /** Unique key: the `plugin` of its endpoints and events. Lowercase letters, digits, dashes. */
  key: string;
  title: string;
  description?: string;
  /** Every route of the plugin lives under `/<routePrefix>`. */
  routePrefix: string;
  /** The catalogue: listed by /v1/event-types and /v1/plugins. Closed (only these types) unless `acceptsEventType` opens it. */
  eventTypes: PluginEventType[];
  /**
   * Opens the catalogue: a type `eventTypes` does not list is taken when this answers true, on
   * publish and in an endpoint's `eventTypes`; `eventTypes` then lists examples. Without it any
   * other type is refused with 400. The gateway's own `hookgate.*` types are never a plugin's.
   */
  acceptsEventType?(type: string): boolean;
  /** The plugin's own OAuth2 scopes (name → description), added to the token endpoint's catalogue. */
  scopes?: Record<string, string>;
  delivery?: DeliveryProfile;
  /**
   * Named OpenAPI components, as the provider's own spec names them: in the plugin's documents an
   * inline schema or response equal to one becomes a `$ref` to it, so generated clients get the
   * provider's type names. `errors.schema` is always published as `Error`.
   */
  openApiComponents?: { schemas?: Record<string, object>; responses?: Record<string, object> };
  errors: ErrorShape;
  /** Checks an event published for this plugin; issues make the publish fail with 400. */
  validateEvent?(event: { type: string; data: unknown; context: Record<string, unknown> | null }): ValidationIssue[];
  /**
   * A valid event of this plugin for `tenant`: the contract suite publishes it to prove that the
   * envelope is delivered and its signature verifies, and the docs show it as an example.
   */
  sampleEvent(tenant: string): { type: string; data: unknown; context?: Record<string, unknown> };
  /**
   * The plugin's own environment variables: read and validated by the core at start-up (a bad value
   * stops the process with a one-line error naming it); the plugin reads them with `PluginSettings`.
   */
  config?: PluginSettingsDeclaration;
  /**
   * Requests per minute and principal on this surface, when it is not API_RATE_LIMIT_PER_MINUTE
   * (0 = no limit), from the plugin's own `config` values. The core enforces it and answers 429
   * with Retry-After in `errors`' shape.
   */
  rateLimitPerMinute?(settings: Record<string, string | number | boolean>): number;
  /**
   * The plugin's rules over its endpoints (limits, one per kind, reserved headers...). The core
   * calls it on every create and update of this plugin's endpoints, whatever the route: the
   * plugin's own, `/v1` (`plugin: '<key>'`) or the CLI; inside the write transaction, under a
   * per-tenant lock. Throw a CoreError (e.g. ConflictError, ValidationFailedError) to refuse: the
   * caller gets it in its own surface's error shape and nothing is written.
   */
  endpointRules?(change: EndpointChange): void;
  /** An id for a new endpoint in the provider's format (e.g. PolyAI's `whe_…`); default a UUIDv7. */
  newEndpointId?(): string;
  /** Fan-out test beyond tenant and event type (sensors, filters...). Must be fast and pure. */
  accepts?(endpoint: EndpointView, event: PluginEvent): boolean;
}

/** Where a plugin's documents publish `errors.schema`, for its operation docs to `$ref`. */
export const PLUGIN_ERROR_SCHEMA_REF = '#/components/schemas/Error';

export const WEBHOOK_PLUGIN = Symbol.for('hookgate.webhook-plugin');

export function pluginMetadataOf(moduleClass: Function): WebhookPluginMetadata | undefined {
  return Reflect.getMetadata(WEBHOOK_PLUGIN, moduleClass);
}
