import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService } from '../audit/audit.service';
import { ConflictError, NotFoundError } from '../common/errors';
import { uuidv7 } from '../common/ids';
import { Page, PageQuery, paginate, toPage } from '../common/pagination';
import { Database, isUniqueViolation } from '../persistence/database';
import { PluginRecordRow } from '../persistence/entities';
import { EndpointsService, TenantScope } from '../endpoints/endpoints.service';

/** One stored record of a plugin, as the plugin sees it. */
export interface PluginRecord<T extends object = Record<string, unknown>> {
  id: string;
  kind: string;
  tenant: string;
  uid: string | null;
  body: T;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

export interface NewPluginRecord<T extends object> {
  /** A provider-format id (e.g. `app_…`); default a UUIDv7. */
  id?: string;
  /** The caller's own name for it, unique per plugin, tenant and kind. */
  uid?: string | null;
  body: T;
}

/** A record's new uid (null clears it; absent keeps it) and body (replaces the stored one). */
export interface PluginRecordChange<T extends object> {
  uid?: string | null;
  body: T;
}

/**
 * Storage for what a plugin keeps beyond endpoints and events, in one generic table: each change
 * is written with its audit record in one transaction; a duplicate uid is a ConflictError; a record
 * of another tenant or plugin is a NotFoundError, never its data.
 */
@Injectable()
export class PluginRecordsService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly endpoints: EndpointsService,
  ) {}

  async create<T extends object>(scope: TenantScope & { plugin: string }, tenant: string, kind: string, input: NewPluginRecord<T>): Promise<PluginRecord<T>> {
    const now = Date.now();
    const row: PluginRecordRow = { id: input.id ?? uuidv7(now), plugin: scope.plugin, tenant, kind, uid: input.uid ?? null, body: input.body as Record<string, unknown>, createdAt: now, updatedAt: now };
    await this.db
      .transaction(async (m) => {
        await this.checkUid(m, row);
        await m.insert(PluginRecordRow, row as QueryDeepPartialEntity<PluginRecordRow>);
        await this.audit.record(m, { actor: scope.actor, tenant, action: `${kind}.created`, target: row.id, plugin: scope.plugin, fields: Object.keys(input.body) });
      })
      .catch(uidTaken(row));
    return view<T>(row);
  }

  /** By id, or by uid when no record has that id. */
  async find<T extends object>(scope: TenantScope & { plugin: string }, kind: string, idOrUid: string): Promise<PluginRecord<T> | null> {
    const row = await this.lookup(this.db.manager, scope, kind, idOrUid);
    return row ? view<T>(row) : null;
  }

  async list<T extends object>(scope: TenantScope & { plugin: string }, kind: string, query: PageQuery): Promise<Page<PluginRecord<T>>> {
    const qb = this.db.manager.getRepository(PluginRecordRow).createQueryBuilder('r').where('r.plugin = :plugin AND r.kind = :kind', { plugin: scope.plugin, kind });
    if (scope.tenant !== null) qb.andWhere('r.tenant = :tenant', { tenant: scope.tenant });
    return toPage(await paginate(qb, query).getMany(), query, (row) => view<T>(row));
  }

  async update<T extends object>(scope: TenantScope & { plugin: string }, kind: string, idOrUid: string, change: PluginRecordChange<T>): Promise<PluginRecord<T>> {
    const row = await this.db.transaction(async (m) => {
      const row = await this.lookup(m, scope, kind, idOrUid);
      if (!row) throw notFound(kind, idOrUid);
      if (change.uid !== undefined) row.uid = change.uid;
      row.body = change.body as Record<string, unknown>;
      row.updatedAt = Date.now();
      await this.checkUid(m, row);
      await m.save(PluginRecordRow, row);
      await this.audit.record(m, { actor: scope.actor, tenant: row.tenant, action: `${kind}.updated`, target: row.id, plugin: scope.plugin, fields: Object.keys(change.body) });
      return row;
    }).catch(uidTaken({ kind, uid: change.uid ?? null }));
    return view<T>(row);
  }

  /** The record and the plugin's endpoints grouped under it (group = the record's id), in one transaction. */
  async remove(scope: TenantScope & { plugin: string }, kind: string, idOrUid: string): Promise<void> {
    const removedEndpoints = await this.db.transaction(async (m) => {
      const row = await this.lookup(m, scope, kind, idOrUid);
      if (!row) throw notFound(kind, idOrUid);
      const removed = await this.endpoints.removeGroup(m, scope, row.tenant, scope.plugin, row.id);
      await m.delete(PluginRecordRow, { id: row.id });
      await this.audit.record(m, { actor: scope.actor, tenant: row.tenant, action: `${kind}.deleted`, target: row.id, plugin: scope.plugin });
      return removed;
    });
    this.endpoints.logRemoved(scope, removedEndpoints);
  }

  private async lookup(m: EntityManager, scope: TenantScope & { plugin: string }, kind: string, idOrUid: string): Promise<PluginRecordRow | null> {
    const visible = (row: PluginRecordRow | null) => (row && row.plugin === scope.plugin && row.kind === kind && (scope.tenant === null || row.tenant === scope.tenant) ? row : null);
    const byId = visible(await m.findOne(PluginRecordRow, { where: { id: idOrUid } }));
    if (byId || scope.tenant === null) return byId;
    return visible(await m.findOne(PluginRecordRow, { where: { plugin: scope.plugin, tenant: scope.tenant, kind, uid: idOrUid } }));
  }

  /** A readable 409 rather than the unique index's error (the index still guards concurrent writers). */
  private async checkUid(m: EntityManager, row: PluginRecordRow): Promise<void> {
    if (row.uid === null) return;
    const holder = await m.findOne(PluginRecordRow, { where: { plugin: row.plugin, tenant: row.tenant, kind: row.kind, uid: row.uid } });
    if (holder && holder.id !== row.id) throw new ConflictError(`${row.kind} uid ${row.uid} is already taken`);
  }
}

/** A concurrent writer that took the uid between checkUid and the write: the same 409, not the index's error. */
const uidTaken =
  (row: { kind: string; uid: string | null }) =>
  (err: unknown): never => {
    if (isUniqueViolation(err)) throw new ConflictError(`${row.kind} uid ${row.uid} is already taken`);
    throw err;
  };

const notFound = (kind: string, idOrUid: string) => new NotFoundError(`${kind} ${idOrUid} not found`);

function view<T extends object>(row: PluginRecordRow): PluginRecord<T> {
  return { id: row.id, kind: row.kind, tenant: row.tenant, uid: row.uid, body: row.body as T, createdAt: Number(row.createdAt), updatedAt: Number(row.updatedAt) };
}
