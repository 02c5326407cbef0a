import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './columns';

export type DeliveryStatus = 'pending' | 'held' | 'succeeded' | 'failed' | 'dead';
export type DisabledBy = 'owner' | 'auto';

@Entity('endpoints')
@Index('idx_endpoints_group', ['tenant', 'plugin', 'group', 'createdAt'])
@Index('idx_endpoints_tenant_plugin', ['tenant', 'plugin', 'createdAt'])
@Index('idx_endpoints_updated', ['updatedAt', 'id'])
export class EndpointRow {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Column('varchar', { length: 64, nullable: true }) plugin: string | null;
  @Column('varchar', { length: 255 }) tenant: string;
  @Column('text') url: string;
  @Column('simple-json', { name: 'event_types' }) eventTypes: string[];
  @Column('simple-json', { nullable: true }) filters: unknown[] | null;
  @Column('text', { nullable: true }) description: string | null;
  @Column('simple-json', { nullable: true }) metadata: Record<string, unknown> | null;
  /** What the endpoint belongs to within its plugin (a Svix application): listed and deleted together. */
  @Column('varchar', { name: 'group_key', length: 255, nullable: true }) group: string | null;
  /** AES-256-GCM ciphertext of the secret list (see SecretBox). */
  @Column('text', { name: 'secrets_enc' }) secretsEnc: string;
  @Column('text', { name: 'headers_enc', nullable: true }) headersEnc: string | null;
  @Column('text', { name: 'auth_enc', nullable: true }) authEnc: string | null;
  @Column('integer', { name: 'timeout_ms', nullable: true }) timeoutMs: number | null;
  @Column('integer', { name: 'rate_limit_per_second', nullable: true }) rateLimitPerSecond: number | null;
  @Column('boolean') enabled: boolean;
  @Column('varchar', { name: 'disabled_by', length: 16, nullable: true }) disabledBy: DisabledBy | null;
  @Column('text', { name: 'disabled_reason', nullable: true }) disabledReason: string | null;
  /** When the current unbroken run of failed attempts began; null while the endpoint is healthy. */
  @Column('bigint', { name: 'failing_since', nullable: true, transformer: epochMs }) failingSince: number | null;
  @Column('integer', { name: 'failure_count', default: 0 }) failureCount: number;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
  @Column('bigint', { name: 'updated_at', transformer: epochMs }) updatedAt: number;
  @Column('bigint', { name: 'deleted_at', nullable: true, transformer: epochMs }) deletedAt: number | null;
}

@Entity('events')
@Index('idx_events_group', ['tenant', 'plugin', 'group', 'createdAt'])
@Index('idx_events_idempotency', ['tenant', 'idempotencyKey'], { unique: true })
@Index('idx_events_created_at', ['createdAt'])
@Index('idx_events_tenant', ['tenant', 'createdAt'])
export class EventRow {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Column('varchar', { length: 255 }) tenant: string;
  @Column('varchar', { length: 64, nullable: true }) plugin: string | null;
  @Column('varchar', { length: 255 }) type: string;
  @Column('simple-json') data: unknown;
  @Column('simple-json', { nullable: true }) context: Record<string, unknown> | null;
  /** What the event belongs to within its plugin (a Svix application), for listing by it. */
  @Column('varchar', { name: 'group_key', length: 255, nullable: true }) group: string | null;
  @Column('varchar', { name: 'idempotency_key', length: 255, nullable: true }) idempotencyKey: string | null;
  @Column('varchar', { name: 'body_hash', length: 64, nullable: true }) bodyHash: string | null;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
  /** The publisher's trace (a W3C traceparent), so every attempt, however late, joins it. */
  @Column('text', { name: 'trace_context', nullable: true }) traceContext: string | null;
}

@Entity('deliveries')
@Index('idx_deliveries_due', ['status', 'nextAttemptAt'])
@Index('idx_deliveries_endpoint', ['endpointId', 'createdAt'])
@Index('idx_deliveries_event', ['eventId'])
@Index('idx_deliveries_tenant', ['tenant', 'createdAt'])
export class DeliveryRow {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Column('varchar', { name: 'event_id', length: 64 }) eventId: string;
  @Column('varchar', { name: 'endpoint_id', length: 64 }) endpointId: string;
  @Column('varchar', { length: 255 }) tenant: string;
  @Column('varchar', { length: 64, nullable: true }) plugin: string | null;
  @Column('varchar', { length: 16 }) status: DeliveryStatus;
  @Column('integer', { name: 'attempt_count', default: 0 }) attemptCount: number;
  @Column('bigint', { name: 'next_attempt_at', nullable: true, transformer: epochMs }) nextAttemptAt: number | null;
  /** A claimed delivery belongs to its worker until then; after it, any worker may claim it again. */
  @Column('bigint', { name: 'lease_until', nullable: true, transformer: epochMs }) leaseUntil: number | null;
  @Column('integer', { name: 'last_status_code', nullable: true }) lastStatusCode: number | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
  @Column('bigint', { name: 'updated_at', transformer: epochMs }) updatedAt: number;
}

@Entity('attempts')
@Index('idx_attempts_delivery', ['deliveryId', 'startedAt'])
@Index('idx_attempts_endpoint', ['endpointId', 'startedAt', 'durationMs'])
@Index('idx_attempts_failures', ['startedAt', 'endpointId'], { where: '"error" IS NOT NULL' })
export class AttemptRow {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Column('varchar', { name: 'delivery_id', length: 64 }) deliveryId: string;
  /** The delivery's endpoint, copied so health is one index range per endpoint (null only before the column existed). */
  @Column('varchar', { name: 'endpoint_id', length: 64, nullable: true }) endpointId: string | null;
  @Column('bigint', { name: 'started_at', transformer: epochMs }) startedAt: number;
  @Column('integer', { name: 'duration_ms' }) durationMs: number;
  @Column('integer', { name: 'status_code', nullable: true }) statusCode: number | null;
  @Column('text', { name: 'response_body', nullable: true }) responseBody: string | null;
  @Column('text', { nullable: true }) error: string | null;
  /** The request as sent, secrets masked (see recordedRequest); null when nothing was sent. */
  @Column('text', { name: 'request_url', nullable: true }) requestUrl: string | null;
  @Column('simple-json', { name: 'request_headers', nullable: true }) requestHeaders: Record<string, string> | null;
  /** The body is rebuilt from the event when read, and shown only when it hashes to this. */
  @Column('varchar', { name: 'request_body_sha256', length: 64, nullable: true }) requestBodySha256: string | null;
  @Column('simple-json', { name: 'response_headers', nullable: true }) responseHeaders: Record<string, string> | null;
}

@Entity('audit_events')
@Index('idx_audit_tenant_at', ['tenant', 'at'])
@Index('idx_audit_at', ['at'])
export class AuditRow {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Column('bigint', { transformer: epochMs }) at: number;
  @Column('varchar', { length: 255 }) actor: string;
  @Column('varchar', { length: 255 }) tenant: string;
  @Column('varchar', { length: 128 }) action: string;
  @Column('varchar', { length: 255 }) target: string;
  @Column('varchar', { length: 64, nullable: true }) plugin: string | null;
  @Column('simple-json', { nullable: true }) changes: Record<string, unknown> | null;
}

@Entity('oauth_clients')
export class OAuthClientRow {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Column('varchar', { length: 255 }) name: string;
  @Column('varchar', { name: 'secret_hash', length: 128 }) secretHash: string;
  @Column('simple-json') scopes: string[];
  @Column('varchar', { length: 255 }) tenant: string;
  @Column('simple-json', { name: 'org_roles', nullable: true }) orgRoles: Record<string, string> | null;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
  @Column('bigint', { name: 'revoked_at', nullable: true, transformer: epochMs }) revokedAt: number | null;
}

@Entity('api_keys')
export class ApiKeyRow {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Column('varchar', { length: 255, nullable: true }) name: string | null;
  @Index('idx_api_keys_hash', { unique: true })
  @Column('varchar', { name: 'key_hash', length: 128 }) keyHash: string;
  @Column('varchar', { length: 255 }) tenant: string;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
  @Column('bigint', { name: 'revoked_at', nullable: true, transformer: epochMs }) revokedAt: number | null;
}

/**
 * What a plugin stores that the unified model has no table for (Svix applications, event types):
 * one JSON body per record, of a kind the plugin names, in a tenant, with an optional caller-chosen
 * `uid` unique per plugin, tenant and kind.
 */
@Entity('plugin_records')
@Index('idx_plugin_records_uid', ['plugin', 'tenant', 'kind', 'uid'], { unique: true })
@Index('idx_plugin_records_list', ['plugin', 'kind', 'tenant', 'createdAt'])
export class PluginRecordRow {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Column('varchar', { length: 64 }) plugin: string;
  @Column('varchar', { length: 255 }) tenant: string;
  @Column('varchar', { length: 64 }) kind: string;
  @Column('varchar', { length: 255, nullable: true }) uid: string | null;
  @Column('simple-json') body: Record<string, unknown>;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
  @Column('bigint', { name: 'updated_at', transformer: epochMs }) updatedAt: number;
}

/**
 * The answer to a POST sent with an idempotency-key, replayed to a repeat until `expires_at`. `key`
 * hashes the caller, the key and the request's path; `response` is sealed (SecretBox), null while
 * the first request is still being answered (`expires_at` then bounds how long that claim holds).
 */
@Entity('idempotent_responses')
export class IdempotentResponseRow {
  @PrimaryColumn('varchar', { length: 64 }) key: string;
  @Column('integer', { name: 'status_code', nullable: true }) statusCode: number | null;
  @Column('text', { nullable: true }) response: string | null;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt: number;
  @Column('bigint', { name: 'expires_at', transformer: epochMs }) expiresAt: number;
}

export const ENTITIES = [EndpointRow, EventRow, DeliveryRow, AttemptRow, AuditRow, OAuthClientRow, ApiKeyRow, PluginRecordRow, IdempotentResponseRow];
