import { DataSource, EntityManager } from 'typeorm';
import { DatabaseKind } from './data-source';

/**
 * The one way to write. TypeORM's sqlite driver runs every query on one shared connection, so
 * two transactions at once would interleave their statements; on SQLite writes are therefore
 * queued here (SQLite has a single writer anyway). PostgreSQL gets real concurrent transactions.
 */
export class Database {
  readonly kind: DatabaseKind;
  private writeQueue: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {
    this.kind = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind === 'postgres') return this.dataSource.transaction(work);
    const run = this.writeQueue.then(() => this.dataSource.transaction(work));
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  /** Serialises concurrent writers that must see each other (e.g. per-tenant limits) inside a transaction. */
  async lock(manager: EntityManager, key: string): Promise<void> {
    if (this.kind === 'postgres') await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }
}
