import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { isPostgres } from '../fixtures/raw-db';
import { hookgate, requireBuiltCli } from '../support/cli';
import { Gateway, startGateway, TEST_JWT_SECRET } from '../support/gateway';
import { Receiver } from '../support/receiver';

// PostgreSQL is backed up with pg_dump (README); this drill is the SQLite one.
const sqliteOnly = isPostgres() ? describe.skip : describe;
if (isPostgres()) console.warn('backup.e2e-spec: SKIPPED on PostgreSQL (hookgate backup copies SQLite; PostgreSQL uses pg_dump)');

sqliteOnly('backup and restore drill (SQLite)', () => {
  const encryptionKey = randomBytes(32).toString('base64');
  let dir: string;
  let dbFile: string;
  let env: Record<string, string>;
  let receiver: Receiver;
  let gw: Gateway | undefined;

  const start = () => startGateway({ databaseUrl: `sqlite://${dbFile}`, env: { HOOKGATE_ENCRYPTION_KEY: encryptionKey } });

  beforeAll(async () => {
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'hookgate-backup-'));
    dbFile = join(dir, 'hookgate.sqlite');
    env = { NODE_ENV: 'test', DATABASE_URL: `sqlite://${dbFile}`, HOOKGATE_ENCRYPTION_KEY: encryptionKey, AUTH_JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' };
    receiver = await Receiver.start();
    receiver.respond = () => ({ status: 200, body: 'ok', delayMs: 2 });
  });

  afterAll(async () => {
    await gw?.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a backup taken while the gateway delivers restores in place of the database, and delivery goes on', async () => {
    gw = await start();
    const token = gw.token({ scope: 'webhooks:write webhooks:read events:publish deliveries:read', tenant: 'drill' });
    const endpoint = (await gw.request('POST', '/v1/webhooks', { url: receiver.url, headers: { 'x-team': 'ops' } }, { token })).body;
    const publish = async (n: number) => (await gw!.request('POST', '/v1/events', { type: 'drill.tick', data: { n } }, { token })).body.id as string;
    const before = await publish(0);

    // The backup runs while 300 events are being published and delivered.
    const backup = join(dir, 'backup.sqlite');
    const load = Promise.all(Array.from({ length: 300 }, (_, i) => publish(i + 1)));
    const copied = await hookgate(['--json', 'backup', backup], env);
    await load;
    expect({ code: copied.code, stderr: copied.stderr }).toEqual({ code: 0, stderr: '' });
    expect(copied.json()).toMatchObject({ file: backup, bytes: statSync(backup).size });
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    const after = await publish(-1);

    const again = await hookgate(['backup', backup], env);
    expect(again).toMatchObject({ code: 1, stderr: `hookgate: ${backup} exists; pass --force to overwrite it\n` });

    const checked = await hookgate(['--json', 'doctor', '--backup', backup], env);
    expect(checked.code).toBe(0);
    const checks = Object.fromEntries(checked.json().checks.map((c: { name: string; ok: boolean; detail: string }) => [c.name, c]));
    expect(checks.integrity).toMatchObject({ ok: true, detail: expect.stringContaining('integrity_check ok') });
    expect(checks.migrations).toMatchObject({ ok: true, detail: expect.stringContaining('schema up to date') });
    expect(checks.tables.detail).toMatch(/^endpoints 1, events \d+, deliveries \d+, attempts \d+, audit_events \d+, oauth_clients 0, api_keys 0, plugin_records 0, idempotent_responses 0$/);
    const eventsInBackup = Number(/events (\d+)/.exec(checks.tables.detail)![1]);
    expect(eventsInBackup).toBeGreaterThanOrEqual(1);
    expect(eventsInBackup).toBeLessThanOrEqual(301);

    // The drill: stop the gateway, put the copy in place of the database (its WAL files go too), start again.
    await gw.close();
    gw = undefined;
    for (const suffix of ['-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
    copyFileSync(backup, dbFile);
    gw = await start();

    const restored = await gw.request('GET', `/v1/webhooks/${endpoint.id}`, undefined, { token });
    expect(restored.body).toMatchObject({ id: endpoint.id, url: receiver.url, headers: { 'x-team': '********' } });
    expect((await gw.request('GET', `/v1/events/${before}`, undefined, { token })).status).toBe(200);
    expect((await gw.request('GET', `/v1/events/${after}`, undefined, { token })).status).toBe(404);
    const [row] = await gw.app.get(DataSource).query('SELECT COUNT(*) AS n FROM events');
    expect(Number(row.n)).toBe(eventsInBackup);

    // A new event still goes out, signed with the endpoint's secret and carrying its header.
    const fresh = await publish(1000);
    const got = await (async () => {
      for (let i = 0; i < 200; i++) {
        const match = receiver.received.find((r) => r.json().id === fresh);
        if (match) return match;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`event ${fresh} was not delivered after the restore`);
    })();
    expect(() => new Webhook(endpoint.secret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    expect(got.headers['x-team']).toBe('ops');
  }, 120_000);

  it('doctor --backup names a file that is not a hookgate backup, and exits 1', async () => {
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'not a database at all, just text that is long enough to have a header');
    const run = await hookgate(['doctor', '--backup', junk], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL\s+backup\s+.*cannot be read as a SQLite database: SQLITE_NOTADB: file is not a database$/m);
  });
});

describe('hookgate backup on PostgreSQL', () => {
  it('points to pg_dump instead', async () => {
    requireBuiltCli();
    const run = await hookgate(['backup', join(tmpdir(), 'never-written.sqlite')], { NODE_ENV: 'test', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/none', LOG_LEVEL: 'silent' });
    expect(run).toMatchObject({ code: 1, stderr: 'hookgate: backup copies a SQLite database; for PostgreSQL use pg_dump -Fc (see "Backups and restore" in the README)\n' });
  });
});
