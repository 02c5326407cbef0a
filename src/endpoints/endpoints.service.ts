import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager, In, IsNull } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AppConfig } from '../config/app-config';
import { AuditService } from '../audit/audit.service';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import { customHeaderIssues } from '../delivery/http/custom-headers';
import { uuidv7, whsecSecret } from '../common/ids';
import { Page, PageQuery, paginate, toPage } from '../common/pagination';
import { SecretBox } from '../common/secret-box';
import { Database } from '../persistence/database';
import { DeliveryRow, EndpointRow } from '../persistence/entities';
import { PluginRegistry } from '../plugins-host/plugin-registry';
import { signingKeyProblem } from '../delivery/http/signer';
import { DeliveryWakeup } from '../delivery/engine/delivery-wakeup';
import { EndpointView, SigningSecret } from './endpoint.view';
import { checkEndpointUrl } from './url-policy';

/** Who does something and in which tenant; `tenant: null` is an admin who sees every tenant. */
export interface TenantScope {
  actor: string;
  tenant: string | null;
  /** The surface acting: a plugin key, or null for the core /v1 API (which sees every plugin). */
  plugin: string | null;
}

export interface EndpointInput {
  url: string;
  eventTypes?: string[];
  filters?: unknown[];
  description?: string | null;
  metadata?: Record<string, unknown>;
  headers?: Record<string, string>;
  auth?: Record<string, unknown> | null;
  timeoutMs?: number | null;
  rateLimitPerSecond?: number | null;
  enabled?: boolean;
}

export interface CreateEndpointInput extends EndpointInput {
  tenant: string;
  /** The plugin the endpoint belongs to; defaults to the scope's plugin (null = core profile). */
  plugin?: string | null;
  /** A provider-format id (e.g. PolyAI's `whe_…`); default a UUID. */
  id?: string;
  /** What it belongs to within its plugin (a Svix application); fixed for its life. */
  group?: string | null;
  /** A caller-chosen signing secret (Caliper); default the plugin's generator or `whsec_…`. */
  secret?: string;
}

export interface EndpointPatch extends Partial<EndpointInput> {
  /** A caller-chosen signing secret that replaces the current one at once (Caliper's full-replace PUT). */
  secret?: string;
}

export interface EndpointListQuery extends PageQuery {
  enabled?: boolean;
  /** Only the endpoints of this group (an indexed column: pages stay bounded). */
  group?: string;
  eventType?: string;
  /** Exact match on metadata fields (e.g. `{ isAlertHook: true }`). */
  metadata?: Record<string, unknown>;
}

/** A soft-deleted endpoint and how many of its queued deliveries were stopped. */
export interface RemovedEndpoint {
  row: EndpointRow;
  deadLettered: number;
}

/** Opened signing secrets kept for the dispatcher (a few hundred bytes each). */
const OPENED_SECRETS_MAX = 4096;

const ENDPOINT_FIELDS: (keyof EndpointInput)[] = ['url', 'eventTypes', 'filters', 'description', 'metadata', 'headers', 'auth', 'timeoutMs', 'rateLimitPerSecond', 'enabled'];

@Injectable()
export class EndpointsService {
  private readonly log = new Logger('Endpoints');
  /**
   * Signing secrets opened by the dispatcher, by their sealed form (a rotation or a new secret
   * seals anew, so a changed secret is never found here): every attempt signs, and opening
   * (AES-GCM) for each one was ~3% of a delivery's CPU. Bounded, oldest out first.
   */
  private readonly openedSecrets = new Map<string, readonly SigningSecret[]>();

  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
    private readonly plugins: PluginRegistry,
    private readonly config: AppConfig,
    @Inject(DeliveryWakeup) private readonly wakeup: DeliveryWakeup,
  ) {}

  async create(scope: TenantScope, input: CreateEndpointInput): Promise<{ endpoint: EndpointView; secret: string }> {
    const plugin = input.plugin === undefined ? scope.plugin : input.plugin;
    checkEndpointInput(input, this.config);
    const metadata = this.plugins.find(plugin)?.metadata;
    const secret = input.secret ?? metadata?.delivery?.generateSecret?.() ?? whsecSecret();
    const now = Date.now();
    const row: EndpointRow = {
      id: input.id ?? metadata?.newEndpointId?.() ?? uuidv7(now),
      plugin,
      tenant: input.tenant,
      url: input.url,
      eventTypes: input.eventTypes ?? [],
      filters: input.filters ?? [],
      description: input.description ?? null,
      metadata: input.metadata ?? {},
      group: input.group ?? null,
      secretsEnc: this.box.seal([{ secret, expiresAt: null }] satisfies SigningSecret[]),
      headersEnc: input.headers && Object.keys(input.headers).length ? this.box.seal(input.headers) : null,
      authEnc: input.auth ? this.box.seal(input.auth) : null,
      timeoutMs: input.timeoutMs ?? null,
      rateLimitPerSecond: input.rateLimitPerSecond ?? null,
      enabled: input.enabled ?? true,
      disabledBy: input.enabled === false ? 'owner' : null,
      disabledReason: null,
      failingSince: null,
      failureCount: 0,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await this.db.transaction(async (m) => {
      await this.applyPluginRules(m, row);
      await m.insert(EndpointRow, row as QueryDeepPartialEntity<EndpointRow>);
      await this.audit.record(m, { actor: scope.actor, tenant: row.tenant, action: 'endpoint.created', target: row.id, plugin, fields: presentFields(input) });
    });
    return { endpoint: this.view(row), secret };
  }

  async list(scope: TenantScope, query: EndpointListQuery = {}): Promise<Page<EndpointView>> {
    const qb = this.db.manager.getRepository(EndpointRow).createQueryBuilder('e').where('e.deletedAt IS NULL');
    if (scope.tenant !== null) qb.andWhere('e.tenant = :tenant', { tenant: scope.tenant });
    if (scope.plugin !== null) qb.andWhere('e.plugin = :plugin', { plugin: scope.plugin });
    if (query.enabled !== undefined) qb.andWhere('e.enabled = :enabled', { enabled: query.enabled });
    if (query.group !== undefined) qb.andWhere('e.group = :group', { group: query.group });
    const needsScan = query.eventType !== undefined || query.metadata !== undefined;
    if (!needsScan) {
      const rows = await paginate(qb, query).getMany();
      return toPage(rows, query, (r) => this.view(r));
    }
    // JSON columns are filtered here, not in SQL, so the query stays the same on both databases.
    const rows = (await qb.orderBy('e.createdAt', 'DESC').addOrderBy('e.id', 'DESC').getMany())
      .map((r) => this.view(r))
      .filter((e) => query.eventType === undefined || e.eventTypes.length === 0 || e.eventTypes.includes(query.eventType))
      .filter((e) => Object.entries(query.metadata ?? {}).every(([k, v]) => e.metadata[k] === v));
    return { data: rows, nextCursor: null, prevCursor: null };
  }

  async get(scope: TenantScope, id: string): Promise<EndpointView> {
    return this.view(await this.row(this.db.manager, scope, id));
  }

  async update(scope: TenantScope, id: string, patch: EndpointPatch): Promise<EndpointView> {
    checkEndpointInput(patch, this.config);
    let released = 0;
    const updated = await this.db.transaction(async (m) => {
      const row = await this.row(m, scope, id);
      const previous = this.view(row);
      const fields = presentFields(patch);
      for (const field of fields) {
        const value = patch[field];
        if (field === 'headers') row.headersEnc = value && Object.keys(value).length ? this.box.seal(value) : null;
        else if (field === 'auth') row.authEnc = value ? this.box.seal(value) : null;
        else if (field !== 'enabled') (row as unknown as Record<string, unknown>)[field] = value ?? defaultOf(field);
      }
      if (patch.enabled !== undefined) released = await this.applyEnabled(m, row, patch.enabled);
      const newSecret = patch.secret !== undefined && patch.secret !== this.box.open<SigningSecret[]>(row.secretsEnc)[0].secret;
      if (newSecret) row.secretsEnc = this.box.seal([{ secret: patch.secret!, expiresAt: null }] satisfies SigningSecret[]);
      row.updatedAt = Date.now();
      await this.applyPluginRules(m, row, previous);
      await m.save(EndpointRow, row);
      await this.audit.record(m, { actor: scope.actor, tenant: row.tenant, action: 'endpoint.updated', target: row.id, plugin: row.plugin, fields: newSecret ? [...fields, 'secret'] : fields });
      return row;
    });
    if (released) this.wakeup.wake();
    return this.view(updated);
  }

  async setEnabled(scope: TenantScope, id: string, enabled: boolean): Promise<EndpointView> {
    let released = 0;
    const row = await this.db.transaction(async (m) => {
      const row = await this.row(m, scope, id);
      released = await this.applyEnabled(m, row, enabled);
      row.updatedAt = Date.now();
      await m.save(EndpointRow, row);
      await this.audit.record(m, { actor: scope.actor, tenant: row.tenant, action: enabled ? 'endpoint.enabled' : 'endpoint.disabled', target: row.id, plugin: row.plugin, details: released ? { releasedDeliveries: released } : undefined });
      return row;
    });
    if (released) this.wakeup.wake();
    return this.view(row);
  }

  /** Soft delete: the row stays for the audit trail; its queued deliveries stop at once. */
  async remove(scope: TenantScope, id: string): Promise<void> {
    const removed = await this.db.transaction(async (m) => this.removeRow(m, scope, await this.row(m, scope, id)));
    this.logRemoved(scope, [removed]);
  }

  /**
   * Soft-deletes every live endpoint of a plugin's group in the tenant, inside the caller's
   * transaction (a plugin record and the endpoints grouped under it go together). The caller logs
   * the result with `logRemoved` once the transaction has committed.
   */
  async removeGroup(m: EntityManager, scope: TenantScope, tenant: string, plugin: string, group: string): Promise<RemovedEndpoint[]> {
    const rows = await m.find(EndpointRow, { where: { tenant, plugin, group, deletedAt: IsNull() } });
    const removed: RemovedEndpoint[] = [];
    for (const row of rows) removed.push(await this.removeRow(m, scope, row));
    return removed;
  }

  /** One line per deleted endpoint for its queued deliveries, not one per delivery: a deletion may stop thousands. */
  logRemoved(scope: TenantScope, removed: RemovedEndpoint[]): void {
    for (const { row, deadLettered } of removed) {
      this.log.log({ msg: 'endpoint deleted', endpointId: row.id, tenant: row.tenant, plugin: row.plugin, deadLettered, actor: scope.actor });
    }
  }

  private async removeRow(m: EntityManager, scope: TenantScope, row: EndpointRow): Promise<RemovedEndpoint> {
    const now = Date.now();
    await m.update(EndpointRow, { id: row.id }, { deletedAt: now, updatedAt: now, enabled: false });
    const stopped = await m.update(
      DeliveryRow,
      { endpointId: row.id, status: In(['pending', 'failed', 'held']) },
      { status: 'dead', nextAttemptAt: null, lastError: 'endpoint deleted', updatedAt: now },
    );
    await this.audit.record(m, { actor: scope.actor, tenant: row.tenant, action: 'endpoint.deleted', target: row.id, plugin: row.plugin });
    return { row, deadLettered: stopped.affected ?? 0 };
  }

  /**
   * A new signing secret (`chosen`, or a generated one). The previous one keeps signing for
   * `graceMs` (0 = it stops at once), so receivers can switch without dropping deliveries.
   */
  async rotateSecret(scope: TenantScope, id: string, graceMs = this.config.SECRET_ROTATION_GRACE_MS, chosen?: string): Promise<{ secret: string; previousSecretExpiresAt: string | null }> {
    if (chosen !== undefined) checkEndpointInput({ secret: chosen }, this.config);
    return this.db.transaction(async (m) => {
      const row = await this.row(m, scope, id);
      const now = Date.now();
      const secret = chosen ?? this.plugins.find(row.plugin)?.metadata.delivery?.generateSecret?.() ?? whsecSecret();
      const [current] = this.box.open<SigningSecret[]>(row.secretsEnc);
      const expiresAt = graceMs > 0 ? now + graceMs : null;
      const secrets: SigningSecret[] = [{ secret, expiresAt: null }, ...(expiresAt ? [{ secret: current.secret, expiresAt }] : [])];
      await m.update(EndpointRow, { id: row.id }, { secretsEnc: this.box.seal(secrets), updatedAt: now });
      await this.audit.record(m, { actor: scope.actor, tenant: row.tenant, action: 'endpoint.secret_rotated', target: row.id, plugin: row.plugin, details: { graceMs } });
      return { secret, previousSecretExpiresAt: expiresAt ? new Date(expiresAt).toISOString() : null };
    });
  }

  async currentSecret(scope: TenantScope, id: string): Promise<string> {
    const row = await this.row(this.db.manager, scope, id);
    return this.box.open<SigningSecret[]>(row.secretsEnc)[0].secret;
  }

  /** Secrets that sign now, newest first (the dispatcher's view; expired ones are dropped). */
  signingSecrets(row: Pick<EndpointRow, 'secretsEnc'>, now = Date.now()): string[] {
    let secrets = this.openedSecrets.get(row.secretsEnc);
    if (!secrets) {
      secrets = this.box.open<SigningSecret[]>(row.secretsEnc);
      if (this.openedSecrets.size >= OPENED_SECRETS_MAX) this.openedSecrets.delete(this.openedSecrets.keys().next().value!);
      this.openedSecrets.set(row.secretsEnc, secrets);
    }
    return secrets.filter((s) => s.expiresAt === null || s.expiresAt > now).map((s) => s.secret);
  }

  view(row: EndpointRow): EndpointView {
    return {
      id: row.id,
      plugin: row.plugin,
      tenant: row.tenant,
      url: row.url,
      eventTypes: row.eventTypes ?? [],
      filters: row.filters ?? [],
      description: row.description,
      metadata: row.metadata ?? {},
      group: row.group,
      headers: row.headersEnc ? this.box.open(row.headersEnc) : {},
      auth: row.authEnc ? this.box.open(row.authEnc) : null,
      timeoutMs: row.timeoutMs,
      rateLimitPerSecond: row.rateLimitPerSecond,
      enabled: row.enabled,
      disabledBy: row.disabledBy,
      disabledReason: row.disabledReason,
      createdAt: Number(row.createdAt),
      updatedAt: Number(row.updatedAt),
      deletedAt: row.deletedAt,
    };
  }

  /** Loads a live endpoint the scope may see; anything else is 404 (never 403, never its data). */
  async row(m: EntityManager, scope: TenantScope, id: string): Promise<EndpointRow> {
    const row = await m.findOne(EndpointRow, { where: { id } });
    if (!row || row.deletedAt !== null || (scope.tenant !== null && row.tenant !== scope.tenant) || (scope.plugin !== null && row.plugin !== scope.plugin)) {
      throw new NotFoundError(`Endpoint ${id} not found`);
    }
    return row;
  }

  /**
   * The endpoint's plugin's own rules (SDK `endpointRules`), whichever surface writes: under a
   * per-tenant lock, with the tenant's other live endpoints of that plugin. Throws to refuse.
   */
  private async applyPluginRules(m: EntityManager, row: EndpointRow, previous?: EndpointView): Promise<void> {
    const rules = this.plugins.find(row.plugin)?.metadata.endpointRules;
    if (!rules) return;
    await this.db.lock(m, `endpoints:${row.tenant}:${row.plugin}`);
    const rows = await m.find(EndpointRow, { where: { tenant: row.tenant, plugin: row.plugin!, deletedAt: IsNull() } });
    rules({ endpoint: this.view(row), previous, siblings: rows.filter((s) => s.id !== row.id).map((s) => this.view(s)) });
  }

  /**
   * Enabling releases every delivery held while the engine had disabled it; returns how many.
   * Disabling an endpoint that is already disabled changes nothing: an owner's disable of an
   * auto-disabled endpoint keeps the engine's reason, and its held deliveries stay held for the enable.
   */
  private async applyEnabled(m: EntityManager, row: EndpointRow, enabled: boolean): Promise<number> {
    if (!enabled) {
      if (row.enabled) Object.assign(row, { enabled: false, disabledBy: 'owner', disabledReason: null });
      return 0;
    }
    Object.assign(row, { enabled: true, disabledBy: null, disabledReason: null, failingSince: null, failureCount: 0 });
    const result = await m.update(DeliveryRow, { endpointId: row.id, status: 'held' }, { status: 'pending', nextAttemptAt: Date.now(), updatedAt: Date.now() });
    return result.affected ?? 0;
  }
}

/** Rules every surface shares: a URL the gateway may deliver to, custom headers it can send, a secret that makes a usable signing key. */
function checkEndpointInput(input: EndpointPatch, config: AppConfig): void {
  if (input.url !== undefined) checkEndpointUrl(input.url, config);
  const issues = customHeaderIssues(input.headers);
  if (issues.length) throw new ValidationFailedError(issues);
  const problem = input.secret === undefined ? null : signingKeyProblem(input.secret);
  if (problem) throw new ValidationFailedError([{ path: ['secret'], code: 'invalid_string', message: problem }]);
}

function presentFields(input: Partial<EndpointInput>): (keyof EndpointInput)[] {
  return ENDPOINT_FIELDS.filter((f) => input[f] !== undefined);
}

function defaultOf(field: keyof EndpointInput): unknown {
  return field === 'eventTypes' || field === 'filters' ? [] : field === 'metadata' ? {} : null;
}
