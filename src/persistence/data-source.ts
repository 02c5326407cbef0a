import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type DatabaseKind = 'sqlite' | 'postgres';

export function databaseKind(url: string): DatabaseKind {
  return url.startsWith('sqlite://') ? 'sqlite' : 'postgres';
}

/** TypeORM options for DATABASE_URL; migrations run at start, never `synchronize`. */
export function dataSourceOptions(url: string): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: false, synchronize: false, logging: false };
  if (databaseKind(url) === 'sqlite') {
    const file = resolve(url.slice('sqlite://'.length));
    mkdirSync(dirname(file), { recursive: true });
    return {
      ...common,
      type: 'sqlite',
      database: file,
      // TypeORM always calls driver.verbose(), which makes sqlite3 record a stack trace on every
      // call; this driver answers verbose() with the plain module.
      driver: plainSqlite3(),
      // WAL lets readers run beside the single writer; busy_timeout waits out short write locks.
      enableWAL: true,
      busyErrorRetry: 50,
      prepareDatabase: (db: { run(sql: string): void }) => {
        db.run('PRAGMA busy_timeout = 5000');
        db.run('PRAGMA synchronous = NORMAL');
        db.run('PRAGMA foreign_keys = ON');
      },
    } as DataSourceOptions;
  }
  return { ...common, type: 'postgres', url, extra: { max: 20 } };
}

export async function openDataSource(url: string): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

function plainSqlite3(): unknown {
  const sqlite3 = require('sqlite3');
  return Object.assign(Object.create(sqlite3), { verbose: () => sqlite3 });
}
