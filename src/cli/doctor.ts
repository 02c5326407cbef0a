import { existsSync, readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config';
import { dataDir } from '../config/generated-secrets';
import { databaseKind, dataSourceOptions } from '../persistence/data-source';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do about it, when not ok. */
  fix?: string;
}

const pass = (name: string, detail: string): Check => ({ name, ok: true, detail });
const fail = (name: string, detail: string, fix: string): Check => ({ name, ok: false, detail, fix });

/** Everything the gateway needs to start and deliver, checked from the same environment it reads. */
export async function runDoctor(env: Record<string, string | undefined>): Promise<Check[]> {
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [fail('configuration', err.message, 'correct that variable (docs/cli.md lists them)')];
  }
  return [
    pass('configuration', `valid (NODE_ENV=${config.NODE_ENV}, ROLE=${config.ROLE})`),
    secretCheck(config, 'AUTH_JWT_SECRET', '.jwt-secret', (v) => v.length >= 32, 'at least 32 characters'),
    secretCheck(config, 'HOOKGATE_ENCRYPTION_KEY', '.encryption-key', (v) => Buffer.from(v, 'base64').length === 32, '32 bytes, base64 encoded'),
    await databaseCheck(config.DATABASE_URL),
    await queueCheck(config.QUEUE_URL),
    tlsTrustCheck(env.NODE_EXTRA_CA_CERTS),
  ];
}

/** Set, or (outside production) generated into the data folder on first start. */
function secretCheck(config: AppConfig, name: 'AUTH_JWT_SECRET' | 'HOOKGATE_ENCRYPTION_KEY', file: string, valid: (value: string) => boolean, rule: string): Check {
  const value = config[name];
  if (value) return valid(value) ? pass(name, 'set') : fail(name, `is not ${rule}`, `set ${name} to ${rule} (e.g. openssl rand -base64 32)`);
  const issuers = config.externalIssuers;
  if (name === 'AUTH_JWT_SECRET' && issuers.length) return pass(name, `not set: tokens are checked against ${issuers.map((i) => i.jwksUri).join(', ')}`);
  if (config.isProduction) return fail(name, 'is not set', `set ${name} (${rule}); production never generates it`);
  const generated = join(dataDir(config), file);
  if (!existsSync(generated)) return pass(name, `not set: will be generated into ${generated} at first start (development only)`);
  return valid(readFileSync(generated, 'utf8').trim())
    ? pass(name, `not set: using the one generated into ${generated} (development only)`)
    : fail(name, `the generated ${generated} is not ${rule}`, `delete ${generated} or set ${name}`);
}

async function databaseCheck(url: string): Promise<Check> {
  const where = url.replace(/\/\/[^@/]*@/, '//***@');
  const ds = new DataSource(dataSourceOptions(url));
  try {
    await ds.initialize();
    const pending = await ds.showMigrations();
    return pass('database', `connected to ${where} (${databaseKind(url)}); ${pending ? 'migrations pending: they run when the gateway starts' : 'schema up to date'}`);
  } catch (err) {
    return fail('database', `cannot use ${where}: ${(err as Error).message}`, 'check DATABASE_URL, that the server is up and the user may connect (SQLite: that the folder is writable)');
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}

async function queueCheck(url: string | undefined): Promise<Check> {
  if (!url) return pass('queue', 'embedded (the database is the queue); set QUEUE_URL to use Redis');
  const where = url.replace(/\/\/[^@/]*@/, '//***@');
  try {
    await redisPing(url);
    return pass('queue', `Redis at ${where} answered PING`);
  } catch (err) {
    return fail('queue', `Redis at ${where} did not answer PING: ${(err as Error).message}`, 'start Redis or correct QUEUE_URL (redis://[:password@]host:port[/db])');
  }
}

/** NODE_EXTRA_CA_CERTS is read by Node at start; a wrong path only prints a warning, so say it here. */
function tlsTrustCheck(file: string | undefined): Check {
  if (!file) return pass('tls trust', 'system CA store only (set NODE_EXTRA_CA_CERTS to trust a private CA)');
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    return fail('tls trust', `NODE_EXTRA_CA_CERTS=${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'point NODE_EXTRA_CA_CERTS at a readable PEM file');
  }
  const count = pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  return count ? pass('tls trust', `NODE_EXTRA_CA_CERTS adds ${count} certificate(s) from ${file}`) : fail('tls trust', `${file} holds no PEM certificate`, 'NODE_EXTRA_CA_CERTS must name a PEM file of CA certificates');
}

/** AUTH (when the URL has a password) then PING over RESP: no client library needed for a probe. */
export function redisPing(url: string, timeoutMs = 3000): Promise<void> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || 6379);
  const auth = u.password ? [['AUTH', ...(u.username ? [decodeURIComponent(u.username)] : []), decodeURIComponent(u.password)]] : [];
  const payload = [...auth, ['PING']].map((args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`).join('');
  return new Promise((resolve, reject) => {
    const secure = u.protocol === 'rediss:';
    const socket = secure ? tlsConnect({ host, port, servername: host }) : tcpConnect({ host, port });
    let received = '';
    const finish = (err?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(payload));
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const lines = received.split('\r\n');
      const error = lines.find((l) => l.startsWith('-'));
      if (error) finish(new Error(error.slice(1)));
      else if (lines.includes('+PONG')) finish();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(new Error(err.code ?? err.message)));
    socket.on('close', () => finish(new Error('connection closed')));
  });
}

export function describeChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.flatMap((c) => [`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}`, ...(c.fix ? [`      ${' '.repeat(width)}  fix: ${c.fix}`] : [])]);
  const failed = checks.filter((c) => !c.ok).length;
  return [...lines, '', failed ? `${failed} problem(s) found.` : 'Everything looks right.'].join('\n');
}
