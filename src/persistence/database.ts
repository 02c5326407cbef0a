import { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryRunner } from 'typeorm';
import { Batcher } from '../common/batcher';
import { ServiceUnavailableError } from '../common/errors';
import { DatabaseKind } from './data-source';

/**
 * The write lock stayed with another process (a CLI, a second gateway) for the whole busy timeout:
 * the CLI prints it and exits 1; an HTTP caller gets a 503 with Retry-After in its surface's shape.
 */
export class DatabaseBusyError extends ServiceUnavailableError {
  constructor(busyTimeoutMs: number) {
    super(`the database stayed busy: another process held its write lock for ${busyTimeoutMs / 1000} s (DATABASE_BUSY_TIMEOUT_MS); try again, or find the process holding it`, 5);
  }
}

interface QueuedWork {
  work: (manager: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** Enough to amortise one commit (fsync) over many writers, small enough to keep latency low. */
const GROUP_COMMIT_MAX = 128;
/** Bound values per statement, under both limits (SQLite 32766 since 3.32, PostgreSQL 65535). */
const MAX_BOUND_VALUES = 30_000;

/**
 * The one way to write. TypeORM's sqlite driver runs every query on one shared connection, so
 * two transactions at once would interleave their statements; on SQLite writers are therefore
 * queued here, and the writers that queued up while a commit was running are committed together
 * in the next transaction (group commit), each inside its own savepoint so one writer's failure
 * rolls back only its own changes. A writer's promise settles only after its commit.
 * PostgreSQL gets real concurrent transactions from its pool.
 *
 * Other processes (the CLI, a second tool) may write the same SQLite file, so each transaction takes
 * the write lock up front (BEGIN IMMEDIATE, waiting up to the busy timeout). A deferred
 * transaction would read first and then fail to upgrade to a writer once another process had
 * committed, and no retry inside it can ever succeed.
 */
export class Database {
  readonly kind: DatabaseKind;
  /** SQLite's writers, committed together (see commitTogether). */
  private readonly writers = new Batcher<QueuedWork>({ maxBatch: GROUP_COMMIT_MAX, flush: (batch) => this.commitTogether(batch) });
  /** Each table's PostgreSQL column types, for binding a column's values as one array (pgArrayTypes). */
  private readonly arrayTypes = new Map<string, Map<string, string>>();

  constructor(
    readonly dataSource: DataSource,
    private readonly busyTimeoutMs: number,
  ) {
    this.kind = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind === 'postgres') {
      return this.dataSource.transaction(work).catch((err: unknown) => {
        throw isBusy(err) ? new DatabaseBusyError(this.busyTimeoutMs) : err;
      });
    }
    return new Promise<T>((resolve, reject) => {
      this.writers.add({ work, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  /** Serialises concurrent writers that must see each other (e.g. per-tenant limits) inside a transaction. */
  async lock(manager: EntityManager, key: string): Promise<void> {
    if (this.kind === 'postgres') await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Writes whose results nobody reads: multi-row INSERTs of values already in column form, and
   * UPDATEs setting the same values on rows by id. The hot paths (publish, results) skip the ORM's
   * query building this way (~1.5% of a delivery's CPU), in as few statements as the bound-value
   * limit allows; a null is the NULL literal (a new delivery row is a third nulls). On SQLite the
   * statements go as one script, values written as SQL literals (sqlite3's exec takes no bound
   * values): each statement is a round trip through the event loop to the sqlite thread, and
   * under load a turn of the loop takes milliseconds, so a transaction's length is counted in
   * statements. PostgreSQL runs them in turn with bound values, an INSERT as one array per column
   * (pgInsert).
   */
  async write(m: EntityManager, ...writes: RowWrite[]): Promise<void> {
    if (this.kind === 'postgres') {
      for (const write of writes) {
        if ('insert' in write) {
          const params: unknown[] = [];
          const sql = this.pgStatement(m, write, params);
          if (sql) await m.query(sql, params);
          continue;
        }
        for (const statement of this.render(write, (params, value) => this.bind(params, value))) await m.query(statement.sql, statement.params);
      }
      return;
    }
    const script = writes.flatMap((write) => this.render(write, (_params, value) => sqliteLiteral(value)).map((statement) => statement.sql));
    if (!script.length) return;
    const connection = (m.connection.driver as unknown as { databaseConnection: { exec(sql: string, done: (err: Error | null) => void): void } }).databaseConnection;
    await new Promise<void>((resolve, reject) => connection.exec(script.join(';\n'), (err) => (err ? reject(err) : resolve())));
  }

  /**
   * A multi-row INSERT on PostgreSQL as one statement whatever the number of rows: each column's
   * values bound as one array and unnested. Its text and plan stay the same, where a VALUES list's
   * placeholders (13 a delivery) cost PostgreSQL more to parse and bind than the insert itself.
   */
  private pgInsert(m: EntityManager, write: Extract<RowWrite, { insert: string }>, params: unknown[]): string {
    const types = this.pgArrayTypes(m, write.insert);
    const arrays = write.columns.map((column, i) => `CAST(${this.bind(params, write.rows.map((row) => row[i] ?? null))} AS ${types.get(column) ?? 'text'}[])`);
    return `INSERT INTO "${write.insert}" (${write.columns.map((c) => `"${c}"`).join(', ')}) SELECT * FROM unnest(${arrays.join(', ')})`;
  }

  /** A write as one PostgreSQL statement binding into `params` (an UPDATE of every id at once), or null when it writes nothing. */
  private pgStatement(m: EntityManager, write: RowWrite, params: unknown[]): string | null {
    if ('insert' in write) return write.rows.length ? this.pgInsert(m, write, params) : null;
    return write.ids.length ? this.updateSql(write, write.ids, (value) => this.bind(params, value)) : null;
  }

  /**
   * Blind writes (as write() takes them) committed together, outside any other transaction. On
   * PostgreSQL they go as one statement, each write a data-modifying CTE: atomic by itself, one
   * round trip where BEGIN, a statement per write and COMMIT were five for a results batch. On
   * SQLite, one transaction of one script (write()).
   */
  async writeTogether(...writes: RowWrite[]): Promise<void> {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (this.kind === 'postgres') {
      for (const write of writes) {
        const sql = this.pgStatement(this.manager, write, params);
        if (sql) parts.push(sql);
      }
    }
    // SQLite, or more values than one statement binds: a transaction of the writes.
    if (this.kind !== 'postgres' || params.length > MAX_BOUND_VALUES) return this.transaction((m) => this.write(m, ...writes));
    if (!parts.length) return;
    const sql = parts.length === 1 ? parts[0] : `WITH ${parts.map((part, i) => `write_${i} AS (${part})`).join(', ')} SELECT 1`;
    await this.manager.query(sql, params).catch((err: unknown) => {
      throw isBusy(err) ? new DatabaseBusyError(this.busyTimeoutMs) : err;
    });
  }

  /** Each column's PostgreSQL type, by table, from TypeORM's metadata (JSON columns are text). */
  private pgArrayTypes(m: EntityManager, table: string): Map<string, string> {
    let types = this.arrayTypes.get(table);
    if (!types) {
      const metadata = m.connection.entityMetadatas.find((entity) => entity.tableName === table);
      if (!metadata) throw new Error(`no entity for table ${table}`);
      const pgType: Record<string, string> = { bigint: 'bigint', integer: 'integer', boolean: 'boolean' };
      types = new Map(metadata.columns.map((column) => [column.databaseName, pgType[String(column.type)] ?? 'text']));
      this.arrayTypes.set(table, types);
    }
    return types;
  }

  /** A write's statements, each value placed by `place` (a placeholder whose value goes to params, or a literal). */
  private render(write: RowWrite, place: (params: unknown[], value: unknown) => string): { sql: string; params: unknown[] }[] {
    const statements: { sql: string; params: unknown[] }[] = [];
    if ('insert' in write) {
      const perStatement = Math.floor(MAX_BOUND_VALUES / write.columns.length);
      const head = `INSERT INTO "${write.insert}" (${write.columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
      for (let start = 0; start < write.rows.length; start += perStatement) {
        const params: unknown[] = [];
        const tuples = write.rows.slice(start, start + perStatement).map((row) => `(${row.map((value) => place(params, value)).join(', ')})`);
        statements.push({ sql: head + tuples.join(', '), params });
      }
      return statements;
    }
    const perStatement = MAX_BOUND_VALUES - Object.keys(write.values).length;
    for (let start = 0; start < write.ids.length; start += perStatement) {
      const params: unknown[] = [];
      statements.push({ sql: this.updateSql(write, write.ids.slice(start, start + perStatement), (value) => place(params, value)), params });
    }
    return statements;
  }

  private updateSql({ update, values, expressions, onlyWhere }: Extract<RowWrite, { update: string }>, ids: string[], place: (value: unknown) => string): string {
    const set = [...Object.entries(values).map(([column, value]) => `"${column}" = ${place(value)}`), ...Object.entries(expressions).map(([column, sql]) => `"${column}" = ${sql}`)];
    return `UPDATE "${update}" SET ${set.join(', ')} WHERE "id" IN (${ids.map(place).join(', ')})${onlyWhere ? ` AND ${onlyWhere}` : ''}`;
  }

  /**
   * The rows of `entity` with these ids, hydrated as TypeORM hydrates them (column names, JSON
   * columns, transformers) but by plain SELECTs: the dispatcher loads each batch's events and
   * endpoints this way, where building the query through the ORM was ~2% of a delivery's CPU.
   */
  async findByIds<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, ids: string[]): Promise<T[]> {
    const found: T[] = [];
    for (let start = 0; start < ids.length; start += MAX_BOUND_VALUES) {
      const chunk = ids.slice(start, start + MAX_BOUND_VALUES);
      found.push(...(await this.findWhere(m, entity, (bind) => `"id" IN (${chunk.map(bind).join(', ')})`)));
    }
    return found;
  }

  /**
   * The rows of `entity` matching a WHERE clause, by one plain SELECT, hydrated as findByIds does;
   * `where` places each value with `bind` (in order), which returns its placeholder.
   */
  async findWhere<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, where: (bind: (value: unknown) => string) => string): Promise<T[]> {
    const metadata = m.connection.getMetadata(entity);
    const driver = m.connection.driver;
    const params: unknown[] = [];
    const rows: Record<string, unknown>[] = await m.query(`SELECT * FROM "${metadata.tableName}" WHERE ${where((value) => this.bind(params, value))}`, params);
    return rows.map((row) => {
      const hydrated = metadata.create(undefined, { fromDeserializer: true }) as T;
      for (const column of metadata.columns) {
        const value = row[column.databaseName];
        if (value !== undefined) column.setEntityValue(hydrated, driver.prepareHydratedValue(value, column));
      }
      return hydrated;
    });
  }

  /** A value's placeholder in a statement being built (its value appended to params), or NULL. */
  private bind(params: unknown[], value: unknown): string {
    if (value === null || value === undefined) return 'NULL';
    params.push(value);
    return this.kind === 'postgres' ? `$${params.length}` : '?';
  }

  private async commitTogether(batch: QueuedWork[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await this.immediateTransaction(async (m) => {
        if (batch.length === 1) {
          outcomes.push({ ok: true, value: await batch[0].work(m) });
          return;
        }
        // Savepoints are never released: each statement costs a round trip to the sqlite thread,
        // and ROLLBACK TO names the newest savepoint of that name, so the stack stays correct
        // until COMMIT releases them all.
        for (const item of batch) {
          await m.query('SAVEPOINT writer');
          try {
            outcomes.push({ ok: true, value: await item.work(m) });
          } catch (err) {
            await m.query('ROLLBACK TO SAVEPOINT writer');
            outcomes.push({ ok: false, value: err });
          }
        }
      });
    } catch (err) {
      batch.forEach((item) => item.reject(err));
      return;
    }
    batch.forEach((item, i) => (outcomes[i].ok ? item.resolve(outcomes[i].value) : item.reject(outcomes[i].value)));
  }

  /** TypeORM's sqlite driver only opens deferred transactions, hence BEGIN IMMEDIATE by hand. */
  private async immediateTransaction(work: (manager: EntityManager) => Promise<void>): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.query('BEGIN IMMEDIATE');
    } catch (err) {
      throw isBusy(err) ? new DatabaseBusyError(this.busyTimeoutMs) : err;
    }
    // Marked active so that TypeORM's own save() runs inside this transaction instead of opening one.
    const active = runner as { -readonly [K in keyof QueryRunner]: QueryRunner[K] };
    active.isTransactionActive = true;
    try {
      await work(runner.manager);
      await runner.query('COMMIT');
    } catch (err) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      active.isTransactionActive = false;
    }
  }
}

/**
 * A multi-row INSERT of values in column order, or an UPDATE of the same values on the rows with
 * these ids (`expressions` are SQL, e.g. `attempt_count + 1`; `onlyWhere`, SQL, narrows the rows).
 */
export type RowWrite =
  | { insert: string; columns: readonly string[]; rows: unknown[][] }
  | { update: string; values: Record<string, unknown>; expressions: Record<string, string>; ids: string[]; onlyWhere?: string };

/**
 * A value as an SQLite literal, exactly as binding it would store it. Strings are quoted (quotes
 * doubled), or hex when they hold a NUL (which would end the script's text); only the types the
 * write paths bind are accepted.
 */
export function sqliteLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value.includes('\0') ? `CAST(X'${Buffer.from(value, 'utf8').toString('hex')}' AS TEXT)` : `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  throw new TypeError(`no SQL literal for a ${typeof value}`);
}

function isBusy(err: unknown): boolean {
  const driverError = (err as { driverError?: { code?: string } }).driverError;
  // SQLite's busy_timeout ran out; PostgreSQL's lock_timeout did (lock_not_available).
  return driverError?.code === 'SQLITE_BUSY' || driverError?.code === '55P03';
}

/** A unique index refused the insert (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
