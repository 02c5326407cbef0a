import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { uuidv7 } from '../common/ids';
import { TimeRange } from '../common/list-query.dto';
import { Page, PageQuery, paginate, toPage, whereBetween } from '../common/pagination';
import { iso } from '../persistence/columns';
import { AuditRow } from '../persistence/entities';

export interface Actor {
  /** Token subject or API key id. */
  actor: string;
}

export interface AuditEntry {
  actor: string;
  tenant: string;
  action: string;
  target: string;
  plugin?: string | null;
  /** Names of the fields that changed; values are never stored, so no secret can leak here. */
  fields?: string[];
  details?: Record<string, string | number | boolean | null>;
}

export interface AuditFilter extends TimeRange {
  tenant: string | null;
  action?: string;
  target?: string;
  plugin?: string;
  actor?: string;
}

export interface AuditEventView {
  id: string;
  at: string;
  actor: string;
  tenant: string;
  action: string;
  target: string;
  plugin: string | null;
  changes: Record<string, unknown> | null;
}

@Injectable()
export class AuditService {
  constructor(private readonly db: DataSource) {}

  /** Writes inside the caller's transaction, so the record exists exactly when the change does. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const changes = entry.fields || entry.details ? { ...(entry.fields ? { fields: entry.fields } : {}), ...(entry.details ?? {}) } : null;
    await manager.insert(AuditRow, {
      id: uuidv7(),
      at: Date.now(),
      actor: entry.actor,
      tenant: entry.tenant,
      action: entry.action,
      target: entry.target,
      plugin: entry.plugin ?? null,
      changes,
    });
  }

  async list(filter: AuditFilter, query: PageQuery): Promise<Page<AuditEventView>> {
    const qb = this.db.getRepository(AuditRow).createQueryBuilder('a');
    if (filter.tenant !== null) qb.andWhere('a.tenant = :tenant', { tenant: filter.tenant });
    for (const key of ['action', 'target', 'plugin', 'actor'] as const) {
      if (filter[key]) qb.andWhere(`a.${key} = :${key}`, { [key]: filter[key] });
    }
    whereBetween(qb, 'a.at', filter);
    const rows = await paginate(qb, query, { createdAt: 'a.at', id: 'a.id' }).getMany();
    return toPage(
      rows.map((r) => ({ ...r, createdAt: r.at })),
      query,
      (r) => ({ id: r.id, at: iso(r.at)!, actor: r.actor, tenant: r.tenant, action: r.action, target: r.target, plugin: r.plugin, changes: r.changes }),
    );
  }
}
