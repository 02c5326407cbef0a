import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as semver from 'semver';

/** What `npm ci` installs is decided here: the lockfile as npm writes it, and package.json's rules. */
const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));

interface LockEntry {
  version?: string;
  link?: boolean;
  integrity?: string;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
}

/** Every installed package of the lock (the root project itself and links to workspaces aside). */
const entries = (Object.entries(lock.packages) as [string, LockEntry][]).filter(([path, entry]) => path !== '' && !entry.link);
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('a clean install', () => {
  it('the lockfile is npm\'s: every package entry has its integrity', () => {
    expect(entries.length).toBeGreaterThan(100);
    expect(entries.filter(([, e]) => !e.integrity).map(([path]) => path)).toEqual([]);
  });

  it('every dependency supports the oldest Node version package.json accepts (no EBADENGINE)', () => {
    const oldest = semver.minVersion(pkg.engines.node)!.version;
    const refusing = entries
      .map(([path, e]) => ({ path, range: !Array.isArray(e.engines) ? e.engines?.node : undefined }))
      .filter(({ range }) => range && !semver.satisfies(oldest, range))
      .map(({ path, range }) => `${path} needs node ${range}`);
    expect(refusing).toEqual([]);
  });

  it('every package with an install script is explicitly allowed or denied in allowScripts', () => {
    const decided = Object.keys(pkg.allowScripts ?? {}).map((key) => key.replace(/(.)@.*$/, '$1'));
    const undecided = entries.filter(([path, e]) => e.hasInstallScript && !decided.includes(nameOf(path))).map(([path]) => path);
    expect(undecided).toEqual([]);
    // sqlite3 compiles its native binding; nothing else may run code at install time.
    expect(Object.entries(pkg.allowScripts).filter(([, allowed]) => allowed === true).map(([name]) => name)).toEqual(['sqlite3']);
  });

  it('the override hands @nestjs/swagger the same @fastify/static as the app', () => {
    expect(pkg.overrides['@nestjs/swagger']['@fastify/static']).toBe(pkg.dependencies['@fastify/static']);
    expect(entries.filter(([path]) => nameOf(path) === '@fastify/static').map(([, e]) => e.version)).toEqual([pkg.dependencies['@fastify/static']]);
  });
});
