import type { DisabledBy } from '../persistence/entities';

/** An endpoint with its secrets-at-rest opened: what services and plugins work with. */
export interface EndpointView {
  id: string;
  plugin: string | null;
  tenant: string;
  url: string;
  /** Empty = every event type of the plugin (or every core event). */
  eventTypes: string[];
  filters: unknown[];
  description: string | null;
  /** Provider fields the unified model has no column for (Caliper name/sensor, generic kind...). */
  metadata: Record<string, unknown>;
  /** What it belongs to within its plugin (e.g. a Svix application id), or null; fixed at creation. */
  group: string | null;
  headers: Record<string, string>;
  /** Outbound credentials (generic authType), never shown unmasked. */
  auth: Record<string, unknown> | null;
  timeoutMs: number | null;
  rateLimitPerSecond: number | null;
  enabled: boolean;
  disabledBy: DisabledBy | null;
  disabledReason: string | null;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

export interface SigningSecret {
  secret: string;
  /** Epoch ms after which it no longer signs; null for the current secret. */
  expiresAt: number | null;
}
