import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useGateway } from '../support/fixture';
import { eventually, holdWriteLock } from '../support/gateway';

/** The built entry point (`npm test` builds it first); HOOKGATE_MAIN points at another build. */
const MAIN = resolve(process.env.HOOKGATE_MAIN ?? 'dist/src/main.js');
const ROOT = resolve(__dirname, '../..');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts the built gateway with exactly this environment (nothing inherited but PATH). */
function runMain(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NODE_PATH: join(ROOT, 'node_modules'), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

const stderrLines = (run: Run) => run.stderr().split('\n').filter(Boolean);

describe('operations', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hookgate-ops-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('health', () => {
    const gw = useGateway();

    it('GET /health is 200 with the database up, without credentials', async () => {
      const res = await gw.request('GET', '/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', checks: { database: 'up', queue: expect.any(String) } });
    });

    it('GET /metrics serves Prometheus text', async () => {
      const res = await gw.request('GET', '/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
    });
  });

  describe('a database another process keeps locked', () => {
    const gw = useGateway({ env: { DATABASE_BUSY_TIMEOUT_MS: '1000' } });

    it('answers a write 503 with Retry-After in the surface\'s shape, and writes once it is free', async () => {
      const token = gw.token({ scope: 'webhooks:write' });
      const release = await holdWriteLock(gw.databaseUrl);
      try {
        const busy = await gw.request('POST', '/v1/webhooks', { url: 'https://example.com/hook' }, { token });
        expect(busy.status).toBe(503);
        expect(busy.headers['retry-after']).toBe('5');
        expect(busy.headers['content-type']).toContain('application/problem+json');
        expect(busy.body).toMatchObject({ status: 503, title: 'Service unavailable', detail: expect.stringMatching(/^the database stayed busy/) });
      } finally {
        await release();
      }
      expect((await gw.request('POST', '/v1/webhooks', { url: 'https://example.com/hook' }, { token })).status).toBe(201);
    });
  });

  describe('configuration fails fast with one line naming the variable', () => {
    beforeAll(() => {
      if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build (or set HOOKGATE_MAIN)`);
    });

    it('PORT=abc exits 1 with one stderr line naming PORT', async () => {
      const run = runMain({ PORT: 'abc', DATABASE_URL: `sqlite://${join(dir, 'port', 'db.sqlite')}` });
      expect(await run.exited).toBe(1);
      expect(stderrLines(run)).toEqual([expect.stringContaining('PORT')]);
    });

    it('production without HOOKGATE_ENCRYPTION_KEY exits 1 with one stderr line naming it', async () => {
      const run = runMain({
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite://${join(dir, 'prod', 'db.sqlite')}`,
        AUTH_JWT_SECRET: randomBytes(32).toString('base64'),
      });
      expect(await run.exited).toBe(1);
      expect(stderrLines(run)).toEqual([expect.stringContaining('HOOKGATE_ENCRYPTION_KEY')]);
    });

    it('in development a missing key is generated into the data dir with mode 0600', async () => {
      const data = join(dir, 'dev');
      const run = runMain({
        NODE_ENV: 'development',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        DATABASE_URL: `sqlite://${join(data, 'hookgate.sqlite')}`,
        AUTH_JWT_SECRET: randomBytes(32).toString('base64'),
      });
      try {
        await eventually(async () => run.stdout().includes('listening on') || undefined, 20000);
        const keyFile = join(data, '.encryption-key');
        expect(statSync(keyFile).mode & 0o777).toBe(0o600);
        expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
      } finally {
        run.child.kill('SIGTERM');
        await run.exited;
      }
    }, 30000);
  });
});
