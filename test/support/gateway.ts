import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as jwt from 'jsonwebtoken';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PLUGIN_MODULES } from '../../plugins';
import { createApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { CoreOverrides } from '../../src/core.module';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface HttpResult<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Sent verbatim (with its own content-type header). */
  raw?: string;
}

export interface Claims {
  sub?: string;
  scope?: string;
  tenant?: string;
  org_roles?: Record<string, string>;
}

export interface Gateway {
  url: string;
  app: NestFastifyApplication;
  config: AppConfig;
  databaseUrl: string;
  /** A bearer token signed with the gateway's secret: testToken. */
  token(claims?: Claims, options?: jwt.SignOptions): string;
  adminToken(): string;
  request<T = any>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<HttpResult<T>>;
  close(): Promise<void>;
}

/**
 * A throwaway database for one gateway: a temp SQLite file, or — when TEST_DATABASE=postgres
 * and TEST_POSTGRES_URL are set — a fresh PostgreSQL database dropped on close.
 */
export async function throwawayDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.TEST_DATABASE === 'postgres') {
    const admin = process.env.TEST_POSTGRES_URL;
    if (!admin) throw new Error('TEST_DATABASE=postgres needs TEST_POSTGRES_URL');
    return createPgDatabase(admin, 'hookgate_test');
  }
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-test-'));
  return { url: `sqlite://${join(dir, 'hookgate.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** CREATE DATABASE <prefix>_<random> on the server of `adminUrl`; drop() removes it. */
export async function createPgDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withPg(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => withPg(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

export async function withPg<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Holds the database's write lock from another connection, as a stuck tool would: SQLite
 * `BEGIN EXCLUSIVE`; PostgreSQL `LOCK TABLE … IN EXCLUSIVE MODE` (plain reads still pass, as on SQLite
 * in WAL mode). Resolves with the function that lets go.
 */
export async function holdWriteLock(databaseUrl: string, tables = ['endpoints', 'events', 'deliveries']): Promise<() => Promise<void>> {
  if (databaseUrl.startsWith('postgres')) {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`BEGIN; LOCK TABLE ${tables.join(', ')} IN EXCLUSIVE MODE`);
    return async () => {
      await client.query('ROLLBACK');
      await client.end();
    };
  }
  const sqlite3 = require('sqlite3') as typeof import('sqlite3');
  const holder = new sqlite3.Database(databaseUrl.slice('sqlite://'.length));
  const exec = (sql: string) => new Promise<void>((done, fail) => holder.exec(sql, (err) => (err ? fail(err) : done())));
  await exec('BEGIN EXCLUSIVE');
  return async () => {
    await exec('ROLLBACK');
    await new Promise((done) => holder.close(done));
  };
}

export interface StartOptions {
  env?: Record<string, string>;
  plugins?: Type[];
  overrides?: CoreOverrides;
  /** Reuse a database (e.g. to restart on the same data); otherwise a throwaway one. */
  databaseUrl?: string;
}

/**
 * A bearer token every test gateway accepts (signed with TEST_JWT_SECRET; default: sub 'tester',
 * tenant 'acme', no scope), valid 10 minutes; needs no running gateway, so a suite can mint it up front.
 */
export function testToken(claims: Claims = {}, signOptions: jwt.SignOptions = {}): string {
  const { sub, ...payload } = claims;
  return jwt.sign({ scope: '', tenant: 'acme', ...payload }, TEST_JWT_SECRET, { algorithm: 'HS256', subject: sub ?? 'tester', expiresIn: 600, ...signOptions });
}

/** What every test gateway runs with, in this process or as a child process: loopback receivers allowed, time shrunk 1000×. */
export function testGatewayEnv(databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    HOOKGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
    DELIVERY_TIME_SCALE: '0.001',
  };
}

/** Boots the real app on a throwaway database and listens on 127.0.0.1 (random port). */
export async function startGateway(options: StartOptions = {}): Promise<Gateway> {
  const db = options.databaseUrl ? { url: options.databaseUrl, drop: async () => undefined } : await throwawayDatabase();
  const config = loadConfig({
    ...testGatewayEnv(db.url),
    // Every scrape reads the database gauges afresh: tests publish and scrape at once.
    METRICS_CACHE_MS: '0',
    DELIVERY_POLL_INTERVAL_MS: '100',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...options.env,
  });
  const app = await createApp(config, options.plugins ?? PLUGIN_MODULES, options.overrides);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    app,
    config,
    databaseUrl: db.url,
    token: testToken,
    adminToken: () => testToken({ scope: 'admin', tenant: 'hookgate' }, { subject: 'admin' }),
    request: (method, path, body, opts) => httpRequest(url, method, path, body, opts),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

export async function httpRequest<T = any>(base: string, method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.form) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(options.form).toString();
  } else if (options.raw !== undefined) {
    payload = options.raw;
  } else if (body !== undefined) {
    headers['content-type'] ??= 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${base}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: parsed as T, text };
}

/** Polls until `check` returns a truthy value (bounded), for state the dispatcher reaches later. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${last}` : ''}`);
}
