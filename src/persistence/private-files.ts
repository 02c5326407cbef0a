import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

const OWNER_ONLY_DIR = 0o700;
const OWNER_ONLY_FILE = 0o600;
const STICKY = 0o1000;
/** What SQLite writes beside a database file in WAL (and rollback) mode. */
const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'];

/**
 * The gateway's data folder (database, generated keys) readable by its owner only: created 0700,
 * and tightened on start-up when it exists with a looser mode. chmod ignores the umask, so the
 * result does not depend on it. A shared folder (sticky, such as /tmp) or one another user owns is
 * left alone: the files in it are still 0600.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR });
  const stat = statSync(dir);
  if (stat.mode & STICKY || (process.getuid && stat.uid !== process.getuid())) return;
  if ((stat.mode & 0o777) !== OWNER_ONLY_DIR) chmodSync(dir, OWNER_ONLY_DIR);
}

/**
 * A SQLite database and its WAL/SHM/journal files readable by the owner only. The database file
 * is created 0600 before SQLite opens it, since SQLite gives its companions the database's mode.
 */
export function ensurePrivateDatabaseFiles(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', OWNER_ONLY_FILE));
  for (const path of [file, ...SQLITE_COMPANIONS.map((suffix) => file + suffix)]) {
    if (existsSync(path) && (statSync(path).mode & 0o777) !== OWNER_ONLY_FILE) chmodSync(path, OWNER_ONLY_FILE);
  }
}
