import { dirname, resolve } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { ensurePrivateDatabaseFiles, ensurePrivateDir } from './private-files';

export type DatabaseKind = 'sqlite' | 'postgres';

const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

export function databaseKind(url: string): DatabaseKind {
  return url.startsWith('sqlite://') ? 'sqlite' : 'postgres';
}

function sqliteFile(url: string): string {
  return resolve(url.slice('sqlite://'.length));
}

/**
 * TypeORM options for DATABASE_URL; migrations run at start, never `synchronize`. `busyTimeoutMs`
 * bounds how long a write waits for another process's lock (SQLite busy_timeout, PostgreSQL lock_timeout).
 */
export function dataSourceOptions(url: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: false, synchronize: false, logging: false };
  if (databaseKind(url) === 'sqlite') {
    const file = sqliteFile(url);
    ensurePrivateDir(dirname(file));
    ensurePrivateDatabaseFiles(file);
    return {
      ...common,
      type: 'sqlite',
      database: file,
      // TypeORM always calls driver.verbose(), which makes sqlite3 record a stack trace on every
      // call; this driver answers verbose() with the plain module.
      driver: plainSqlite3(),
      // WAL lets readers run beside the single writer; busy_timeout waits out other processes'
      // write locks. No busyErrorRetry: TypeORM would retry a statement forever, inside a
      // transaction that can never commit.
      enableWAL: true,
      busyTimeout: busyTimeoutMs,
    };
  }
  return { ...common, type: 'postgres', url, extra: { max: 20, options: `-c lock_timeout=${busyTimeoutMs}` } };
}

/**
 * Applied once the connection is open (the sqlite driver has no hook for it). In WAL mode,
 * synchronous=NORMAL makes a commit durable once it is in the log, with no fsync per commit:
 * a killed process loses nothing committed; a power cut may lose the last commits before the
 * next checkpoint.
 */
const SQLITE_TUNING = 'PRAGMA synchronous = NORMAL';

export async function openDataSource(url: string, busyTimeoutMs?: number): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(url, busyTimeoutMs));
  await ds.initialize();
  if (ds.options.type === 'sqlite') {
    await ds.query(SQLITE_TUNING);
    // The WAL and SHM files SQLite has just created.
    ensurePrivateDatabaseFiles(sqliteFile(url));
  }
  await migrate(ds);
  return ds;
}

/** Several processes may start together on one PostgreSQL database: one migrates, the others wait. */
async function migrate(ds: DataSource): Promise<void> {
  if (ds.options.type !== 'postgres') {
    await ds.runMigrations({ transaction: 'each' });
    return;
  }
  const runner = ds.createQueryRunner();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext('hookgate:migrations'))`);
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query(`SELECT pg_advisory_unlock(hashtext('hookgate:migrations'))`).catch(() => undefined);
    await runner.release();
  }
}

function plainSqlite3(): unknown {
  const sqlite3 = require('sqlite3');
  return Object.assign(Object.create(sqlite3), { verbose: () => sqlite3 });
}
