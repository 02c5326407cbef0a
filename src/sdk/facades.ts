import type { Principal } from '../auth/principal';
import { tenantScope } from '../auth/principal';
import { NotFoundError } from '../common/errors';
import { whsecSecret } from '../common/ids';
import type { Page, PageQuery } from '../common/pagination';
import { AppConfig } from '../config/app-config';
import { AttemptFilter, DeliveriesService, DeliveryAttemptView, DeliveryFilter } from '../delivery/api/deliveries.service';
import { signingKeyProblem } from '../delivery/http/signer';
import type { EndpointView } from '../endpoints/endpoint.view';
import { EndpointInput, EndpointListQuery, EndpointPatch, EndpointsService, TenantScope } from '../endpoints/endpoints.service';
import { urlProblem } from '../endpoints/url-policy';
import { EventListQuery, EventsService, EventView, PublishInput, PublishResult } from '../events/events.service';
import { NewPluginRecord, PluginRecord, PluginRecordChange, PluginRecordsService } from '../plugin-records/plugin-records.service';
import type { DeliveryStatus } from '../persistence/entities';
import type { PluginSettingsValues } from '../plugins-host/plugin-settings';

/** A new endpoint as a plugin asks for it: the tenant comes from the caller, the plugin from the facade. */
export interface NewEndpoint extends EndpointInput {
  /** A provider-format id; default the plugin's `newEndpointId` or a UUIDv7. */
  id?: string;
  /** A caller-chosen signing secret (Caliper); default the plugin's generator or `whsec_…`. */
  secret?: string;
  /** What it belongs to within the plugin (a Svix application): `list` filters on it, and removing the plugin record of that id removes it. */
  group?: string | null;
}

/** An event as a plugin publishes it: the tenant comes from the caller, the plugin from the facade. */
export type NewEvent = Omit<PublishInput, 'tenant' | 'plugin'>;

/** The core caps a page at 100; `listAll` walks the pages for surfaces that answer one array. */
const PAGE_LIMIT = 100;

/**
 * The scope of a plugin's call: the caller's tenant (null for an admin, who sees every tenant; on an
 * `orgRoles` route the organization in the path), the plugin's own endpoints only.
 */
function scopeOf(caller: Principal, plugin: string): TenantScope & { plugin: string } {
  return { actor: caller.subject, tenant: tenantScope(caller), plugin };
}

/** The plugin's endpoints, bound to its key: a plugin never sees or changes another surface's. */
export class PluginEndpoints {
  constructor(
    private readonly core: EndpointsService,
    private readonly config: AppConfig,
    readonly plugin: string,
  ) {}

  /** Created in the caller's own tenant (an admin's too); audited; the plugin's `endpointRules` apply. */
  create(caller: Principal, input: NewEndpoint): Promise<{ endpoint: EndpointView; secret: string }> {
    return this.core.create(scopeOf(caller, this.plugin), { ...input, tenant: caller.tenant });
  }

  /** NotFoundError when the id is unknown, another tenant's or another plugin's. */
  get(caller: Principal, id: string): Promise<EndpointView> {
    return this.core.get(scopeOf(caller, this.plugin), id);
  }

  list(caller: Principal, query: EndpointListQuery = {}): Promise<Page<EndpointView>> {
    return this.core.list(scopeOf(caller, this.plugin), query);
  }

  /** Every matching endpoint, newest first (as `list` pages them), for surfaces without pagination. */
  async listAll(caller: Principal, query: Omit<EndpointListQuery, keyof PageQuery> = {}): Promise<EndpointView[]> {
    const all: EndpointView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list(caller, { ...query, limit: PAGE_LIMIT, cursor });
      all.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  update(caller: Principal, id: string, patch: EndpointPatch): Promise<EndpointView> {
    return this.core.update(scopeOf(caller, this.plugin), id, patch);
  }

  /** Enabling recovers nothing by itself; disabling holds new deliveries and drops queued ones. */
  setEnabled(caller: Principal, id: string, enabled: boolean): Promise<EndpointView> {
    return this.core.setEnabled(scopeOf(caller, this.plugin), id, enabled);
  }

  /** Soft delete: queued deliveries stop at once. (A plugin record's removal also removes the endpoints grouped under it.) */
  remove(caller: Principal, id: string): Promise<void> {
    return this.core.remove(scopeOf(caller, this.plugin), id);
  }

  /**
   * A new signing secret (`secret`, caller-chosen, or a generated one); the previous one keeps
   * signing for `graceMs` (default SECRET_ROTATION_GRACE_MS; 0 = at once).
   */
  rotateSecret(caller: Principal, id: string, graceMs?: number, secret?: string): Promise<{ secret: string; previousSecretExpiresAt: string | null }> {
    return this.core.rotateSecret(scopeOf(caller, this.plugin), id, graceMs, secret);
  }

  /** The secret that signs now (for surfaces that show it on read). */
  currentSecret(caller: Principal, id: string): Promise<string> {
    return this.core.currentSecret(scopeOf(caller, this.plugin), id);
  }

  /** Why this URL cannot be an endpoint's (length, scheme, SSRF literal), or null: for a provider's own wording. */
  urlProblem(url: string): string | null {
    return urlProblem(url, this.config);
  }

  /** Why a caller-chosen secret cannot sign (empty, or a `whsec_` prefix without base64), or null. */
  signingKeyProblem(secret: string): string | null {
    return signingKeyProblem(secret);
  }

  /** A new Standard Webhooks secret (`whsec_` + base64 of 24 random bytes). */
  newSecret(): string {
    return whsecSecret();
  }
}

/** Publishing as the plugin: events land in the caller's tenant, fanned out to the plugin's endpoints. */
export class PluginEvents {
  constructor(
    private readonly core: EventsService,
    readonly plugin: string,
  ) {}

  publish(caller: Principal, event: NewEvent): Promise<PublishResult> {
    return this.core.publish({ ...event, tenant: caller.tenant, plugin: this.plugin });
  }

  /** Several events in one transaction: stored whole or not at all. */
  publishAll(caller: Principal, events: NewEvent[]): Promise<PublishResult[]> {
    return this.core.publishAll(events.map((event) => ({ ...event, tenant: caller.tenant, plugin: this.plugin })));
  }

  /** One of the plugin's events in the caller's tenant; NotFoundError otherwise. */
  get(caller: Principal, id: string): Promise<EventView> {
    return this.core.find(scopeOf(caller, this.plugin), id);
  }

  /** The plugin's events in the caller's tenant, newest first, filtered by type, time and `matches`. */
  list(caller: Principal, query: EventListQuery = {}): Promise<Page<EventView>> {
    return this.core.list(scopeOf(caller, this.plugin), query);
  }
}

/** The deliveries of the plugin's endpoints, in the caller's tenant. */
export class PluginDeliveries {
  constructor(
    private readonly core: DeliveriesService,
    readonly plugin: string,
  ) {}

  list(caller: Principal, filter: DeliveryFilter = {}) {
    return this.core.list(scopeOf(caller, this.plugin), filter);
  }

  /** A delivery with its attempts. */
  get(caller: Principal, id: string) {
    return this.core.get(scopeOf(caller, this.plugin), id);
  }

  /** Sends a delivery again now, whatever its state. */
  retry(caller: Principal, id: string) {
    return this.core.retry(scopeOf(caller, this.plugin), id);
  }

  /** How many deliveries (of an endpoint, an event, created in [since, until)) are in each status. */
  countByStatus(caller: Principal, filter: { endpointId?: string; eventId?: string; since?: number; until?: number }): Promise<Record<DeliveryStatus, number>> {
    return this.core.countByStatus(scopeOf(caller, this.plugin), filter);
  }

  /** Attempts across deliveries (an endpoint's, an event's, one by id), keyset-paged in SQL. */
  attempts(caller: Principal, filter: AttemptFilter): Promise<Page<DeliveryAttemptView>> {
    return this.core.attempts(scopeOf(caller, this.plugin), filter);
  }

  /** Re-sends every failed delivery of an endpoint created in [since, until) (epoch ms; until default now); answers how many were queued. */
  recover(caller: Principal, endpointId: string, since: number, until?: number): Promise<number> {
    return this.core.recover(scopeOf(caller, this.plugin), endpointId, since, until);
  }
}

/**
 * What the plugin stores beyond endpoints and events (a provider's applications, event types...):
 * records of a `kind` it names, each a JSON body with an optional `uid` unique per tenant and kind.
 * Created in the caller's tenant; read and changed in it (an admin: every tenant); every change
 * audited as `<kind>.created|updated|deleted`. Anything addressed by id also takes the uid.
 */
export class PluginRecords {
  constructor(
    private readonly core: PluginRecordsService,
    readonly plugin: string,
  ) {}

  /** ConflictError when the uid is taken. */
  create<T extends object>(caller: Principal, kind: string, record: NewPluginRecord<T>): Promise<PluginRecord<T>> {
    return this.core.create(scopeOf(caller, this.plugin), caller.tenant, kind, record);
  }

  /** NotFoundError when no record of this kind has that id or uid in the caller's reach. */
  async get<T extends object>(caller: Principal, kind: string, idOrUid: string): Promise<PluginRecord<T>> {
    const record = await this.find<T>(caller, kind, idOrUid);
    if (!record) throw new NotFoundError(`${kind} ${idOrUid} not found`);
    return record;
  }

  find<T extends object>(caller: Principal, kind: string, idOrUid: string): Promise<PluginRecord<T> | null> {
    return this.core.find(scopeOf(caller, this.plugin), kind, idOrUid);
  }

  /** Newest first (`order: 'asc'`: oldest first), keyset-paged like every core list. */
  list<T extends object>(caller: Principal, kind: string, query: PageQuery = {}): Promise<Page<PluginRecord<T>>> {
    return this.core.list(scopeOf(caller, this.plugin), kind, query);
  }

  /** Replaces the body (and the uid when given). */
  update<T extends object>(caller: Principal, kind: string, idOrUid: string, change: PluginRecordChange<T>): Promise<PluginRecord<T>> {
    return this.core.update(scopeOf(caller, this.plugin), kind, idOrUid, change);
  }

  /** Removes the record and, in the same transaction, the plugin's endpoints whose `group` is its id. */
  remove(caller: Principal, kind: string, idOrUid: string): Promise<void> {
    return this.core.remove(scopeOf(caller, this.plugin), kind, idOrUid);
  }
}

/** The plugin's own settings (its `config` declaration), read and validated at start-up. */
export class PluginSettings<T extends PluginSettingsValues = PluginSettingsValues> {
  constructor(readonly values: Readonly<T>) {}

  get<K extends keyof T>(name: K): T[K] {
    return this.values[name];
  }
}
