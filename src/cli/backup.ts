import { Command } from 'commander';
import { chmodSync, closeSync, existsSync, openSync, statSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as Sqlite3 from 'sqlite3';
import type { Check } from './doctor';
import { CliError } from './errors';
import type { CommandAction } from './main';
import { Output } from './output';

type Run = (work: (ctx: { out: Output }, file: string, opts: { force?: boolean }) => Promise<void>) => CommandAction;

/**
 * `hookgate backup FILE`: a consistent copy of the SQLite database, taken while the gateway runs.
 * VACUUM INTO reads one snapshot (WAL readers never block the writer, nor it them) and writes a
 * compact database with the WAL folded in. PostgreSQL has pg_dump for this (see the README).
 */
export function registerBackup(program: Command, run: Run): void {
  program
    .command('backup <file>')
    .description('write a consistent copy of the SQLite database to FILE (mode 0600), safe while the gateway runs')
    .option('--force', 'overwrite FILE if it exists')
    .action(
      run(async (ctx, file, opts) => {
        // Loaded here, not at start: the other commands (and HTTP mode) stay quick.
        const [{ loadConfig }, sqlite3] = await Promise.all([import('../config/app-config'), import('sqlite3')]);
        const { DATABASE_URL, DATABASE_BUSY_TIMEOUT_MS } = loadConfig(process.env);
        if (!DATABASE_URL.startsWith('sqlite://')) throw new CliError('backup copies a SQLite database; for PostgreSQL use pg_dump -Fc (see "Backups and restore" in the README)');
        const source = resolve(DATABASE_URL.slice('sqlite://'.length));
        if (!existsSync(source)) throw new CliError(`no database at ${source} (DATABASE_URL)`);
        const target = resolve(file);
        if (existsSync(target)) {
          if (!opts.force) throw new CliError(`${target} exists; pass --force to overwrite it`);
          unlinkSync(target);
        }
        // Created empty and private first: the copy holds every endpoint's encrypted secrets.
        closeSync(openSync(target, 'wx', 0o600));
        try {
          await withSqlite(source, sqlite3.OPEN_READWRITE, async (db) => {
            await all(db, `PRAGMA busy_timeout = ${DATABASE_BUSY_TIMEOUT_MS}`);
            await all(db, 'VACUUM INTO ?', [target]);
          });
        } catch (err) {
          unlinkSync(target);
          throw new CliError(`backup of ${source} failed: ${(err as Error).message}`);
        }
        chmodSync(target, 0o600);
        const bytes = statSync(target).size;
        ctx.out.result({ source, file: target, bytes }, () => `Copied ${source} to ${target} (${bytes} bytes, mode 0600).\nCheck it with: hookgate doctor --backup ${file}`);
      }),
    );
}

/** `hookgate doctor --backup FILE`: the file opens read-only, is intact, and holds hookgate's schema. */
export async function checkBackup(file: string): Promise<Check[]> {
  const [sqlite3, { getMetadataArgsStorage }, { ENTITIES }, { MIGRATIONS }] = await Promise.all([import('sqlite3'), import('typeorm'), import('../persistence/entities'), import('../persistence/migrations')]);
  const path = resolve(file);
  if (!existsSync(path)) return [{ name: 'backup', ok: false, detail: `${path} does not exist`, fix: 'name the file hookgate backup wrote' }];
  try {
    return await withSqlite(path, sqlite3.OPEN_READONLY, async (db) => {
      const checks: Check[] = [];
      const integrity = (await all<{ integrity_check: string }>(db, 'PRAGMA integrity_check')).map((r) => r.integrity_check);
      const intact = integrity.length === 1 && integrity[0] === 'ok';
      checks.push(intact ? { name: 'integrity', ok: true, detail: `${path} opens read-only; integrity_check ok` } : { name: 'integrity', ok: false, detail: integrity.slice(0, 3).join('; '), fix: 'take a new backup; this copy is damaged' });
      const tables = new Set((await all<{ name: string }>(db, "SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r.name));
      const applied = tables.has('migrations') ? (await all<{ name: string }>(db, 'SELECT name FROM migrations')).map((r) => r.name) : [];
      const missing = MIGRATIONS.map((m) => new m().name).filter((name) => name && !applied.includes(name));
      checks.push(
        !applied.length
          ? { name: 'migrations', ok: false, detail: 'no migrations table: not a hookgate database', fix: 'name the file hookgate backup wrote' }
          : { name: 'migrations', ok: true, detail: `${applied.length} applied${missing.length ? `; ${missing.join(', ')} will run when a gateway starts on it` : ', schema up to date'}` },
      );
      const entityTables = getMetadataArgsStorage().tables.filter((t) => ENTITIES.includes(t.target as (typeof ENTITIES)[number])).map((t) => t.name!);
      const absent = entityTables.filter((t) => !tables.has(t));
      if (absent.length) {
        checks.push({ name: 'tables', ok: false, detail: `missing ${absent.join(', ')}`, fix: 'take a new backup with hookgate backup' });
      } else {
        const counts = await Promise.all(entityTables.map(async (t) => `${t} ${(await all<{ n: number }>(db, `SELECT COUNT(*) AS n FROM "${t}"`))[0].n}`));
        checks.push({ name: 'tables', ok: true, detail: counts.join(', ') });
      }
      return checks;
    });
  } catch (err) {
    return [{ name: 'backup', ok: false, detail: `${path} cannot be read as a SQLite database: ${(err as Error).message}`, fix: 'name the file hookgate backup wrote; take a new backup if it is damaged' }];
  }
}

async function withSqlite<T>(file: string, mode: number, work: (db: Sqlite3.Database) => Promise<T>): Promise<T> {
  const sqlite3 = await import('sqlite3');
  const db = await new Promise<Sqlite3.Database>((done, fail) => {
    const opened = new sqlite3.Database(file, mode, (err) => (err ? fail(err) : done(opened)));
  });
  try {
    return await work(db);
  } finally {
    await new Promise((done) => db.close(done));
  }
}

function all<T = unknown>(db: Sqlite3.Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((done, fail) => db.all(sql, params, (err, rows) => (err ? fail(err) : done(rows as T[]))));
}
