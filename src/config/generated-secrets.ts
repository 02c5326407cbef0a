import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ensurePrivateDir } from '../persistence/private-files';
import { AppConfig, ConfigError } from './app-config';

/** The folder that holds the SQLite file, or ./data when the database is elsewhere. */
export function dataDir(config: AppConfig): string {
  const sqlite = config.DATABASE_URL.match(/^sqlite:\/\/(.+)$/);
  return sqlite ? dirname(resolve(sqlite[1])) : resolve('data');
}

/**
 * Outside production a missing JWT secret or encryption key is generated once into the data
 * folder (mode 0600) so `npm start` works on a fresh clone; production must set both.
 */
export function ensureSecrets(config: AppConfig, warn: (msg: string) => void): void {
  const missing = (['AUTH_JWT_SECRET', 'HOOKGATE_ENCRYPTION_KEY'] as const).filter((k) => !config[k]);
  if (missing.length === 0) return;
  if (config.isProduction) throw new ConfigError(`Invalid configuration: ${missing[0]} is required when NODE_ENV=production`);
  const dir = dataDir(config);
  ensurePrivateDir(dir);
  for (const name of missing) {
    const file = join(dir, name === 'AUTH_JWT_SECRET' ? '.jwt-secret' : '.encryption-key');
    if (!existsSync(file)) {
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
      warn(`${name} is not set: generated one into ${file} (development only)`);
    }
    chmodSync(file, 0o600);
    config[name] = readFileSync(file, 'utf8').trim();
  }
}
