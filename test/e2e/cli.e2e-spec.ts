import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NEXT_STEP } from '../../src/cli/plugin-generator';
import { hookgate, requireBuiltCli, ROOT, run } from '../support/cli';
import { useGateway, useReceiver } from '../support/fixture';
import { freePort } from '../support/free-port';
import { eventually, holdWriteLock, httpRequest, TEST_JWT_SECRET } from '../support/gateway';

const ENCRYPTION_KEY = randomBytes(32).toString('base64');

// Each command is a fresh Node process that boots the gateway's modules (about a second).
jest.setTimeout(90_000);

beforeAll(() => requireBuiltCli());
// Dead deliveries within a second: the whole retry schedule shrinks to milliseconds (and no
// endpoint fails long enough, in attempts, to be auto-disabled).
const gw = useGateway({ env: { HOOKGATE_ENCRYPTION_KEY: ENCRYPTION_KEY, DELIVERY_TIME_SCALE: '0.00001', DELIVERY_DISABLE_MIN_FAILURES: '1000000', API_RATE_LIMIT_PER_MINUTE: '0' } });
let localEnv: Record<string, string>;

beforeAll(() => {
  localEnv = { NODE_ENV: 'test', DATABASE_URL: gw.databaseUrl, HOOKGATE_ENCRYPTION_KEY: ENCRYPTION_KEY, AUTH_JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' };
});

/** The same commands in both modes: on the gateway's database, and over HTTP to it. */
const MODES: [string, () => string[]][] = [
  ['on the local database', () => []],
  ['against a running gateway', () => ['--url', gw.url, '--token', gw.adminToken()]],
];

describe.each(MODES)('hookgate %s', (_mode, connection) => {
  const cli = (...args: string[]) => hookgate([...connection(), ...args], localEnv);

  it('client create prints the secret once; the client gets tokens until it is revoked', async () => {
    const created = await cli('--json', 'client', 'create', '--name', 'billing', '--scopes', 'webhooks:read events:publish', '--tenant', 'acme', '--org-roles', '{"org_1":"OWNER"}');
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('');
    const client = created.json();
    expect(client).toMatchObject({ name: 'billing', scopes: ['webhooks:read', 'events:publish'], tenant: 'acme', orgRoles: { org_1: 'OWNER' } });
    expect(client.clientSecret).toMatch(/^hgcs_/);
    const form = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret };
    const issued = await gw.request('POST', '/oauth2/token', undefined, { form });
    expect(issued.status).toBe(200);
    const listWebhooks = () => gw.request('GET', '/v1/webhooks', undefined, { token: issued.body.access_token });
    expect((await listWebhooks()).status).toBe(200);

    const human = await cli('client', 'create', '--name', 'ops', '--scopes', 'admin');
    expect(human.stdout).toMatch(/client secret: hgcs_\S+\nStore the secret now: it is shown only once/);

    const list = await cli('--json', 'client', 'list');
    const listed = list.json<Record<string, unknown>[]>().find((c) => c.clientId === client.clientId);
    expect(listed).toMatchObject({ name: 'billing', revokedAt: null });
    expect(list.stdout).not.toContain(client.clientSecret);
    expect((await cli('client', 'list')).stdout).toMatch(new RegExp(`^CLIENT ID\\s+NAME[\\s\\S]*${client.clientId}\\s+billing`, 'm'));

    const revoked = await cli('client', 'revoke', client.clientId);
    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked client ${client.clientId}.\n` });
    expect((await gw.request('POST', '/oauth2/token', undefined, { form })).status).toBe(401);
    // The running gateway refuses the token it issued before, within 5 s of the CLI's revocation.
    await eventually(async () => (await listWebhooks()).status === 401, 5000);
  });

  it('usage errors exit 2; failures exit 1 with one line', async () => {
    const missing = await cli('client', 'create', '--name', 'x');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--scopes <scopes>' not specified");
    const badRoles = await cli('client', 'create', '--name', 'x', '--scopes', 'admin', '--org-roles', 'OWNER');
    expect(badRoles).toMatchObject({ code: 2, stderr: `hookgate: --org-roles must be a JSON object like '{"org_1":"OWNER"}'\n` });
    expect((await cli('recover', '--endpoint', 'e', '--since', 'yesterday-ish')).code).toBe(2);
    expect((await cli('deliveries', 'list', '--status', 'lost')).code).toBe(2);

    const unknownScope = await cli('client', 'create', '--name', 'x', '--scopes', 'bogus');
    expect(unknownScope.code).toBe(1);
    expect(unknownScope.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknownScope.stderr).toContain('unknown scope: bogus');
    const notFound = await cli('deliveries', 'show', 'no-such-delivery');
    expect(notFound.code).toBe(1);
    expect(notFound.stderr.trim().split('\n')).toEqual([expect.stringContaining('Delivery no-such-delivery not found')]);
  });

  it('apikey create shows the key once; apikey revoke revokes it', async () => {
    const created = await cli('--json', 'apikey', 'create', '--tenant', 'acme', '--name', 'PolyAI prod');
    expect(created.code).toBe(0);
    const key = created.json();
    expect(key).toMatchObject({ tenant: 'acme', name: 'PolyAI prod', revokedAt: null });
    expect(key.key).toMatch(/^hgk_/);
    expect((await cli('apikey', 'revoke', key.id)).stdout).toBe(`Revoked API key ${key.id}.\n`);
    const again = await cli('apikey', 'revoke', key.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`API key ${key.id} not found`);
    const keys = await gw.request('GET', '/v1/api-keys', undefined, { token: gw.adminToken() });
    expect(keys.body.data.find((k: { id: string }) => k.id === key.id).revokedAt).not.toBeNull();
  });

  it('endpoints list shows one tenant with header values masked', async () => {
    const tenant = `t-${randomBytes(4).toString('hex')}`;
    const mine = await gw.request('POST', '/v1/webhooks', { url: 'https://example.com/mine', headers: { 'x-api-token': 'very-secret' } }, { token: gw.token({ scope: 'webhooks:write', tenant }) });
    await gw.request('POST', '/v1/webhooks', { url: 'https://example.com/theirs' }, { token: gw.token({ scope: 'webhooks:write', tenant: `${tenant}-other` }) });
    const listed = await cli('--json', 'endpoints', 'list', '--tenant', tenant);
    expect(listed.code).toBe(0);
    expect(listed.json()).toEqual([expect.objectContaining({ id: mine.body.id, tenant, url: 'https://example.com/mine', headers: { 'x-api-token': '********' } })]);
    const table = await cli('endpoints', 'list', '--tenant', tenant);
    expect(table.stdout).toMatch(new RegExp(`${mine.body.id}\\s+${tenant}\\s+core\\s+yes\\s+https://example.com/mine`));
  });

  describe('deliveries', () => {
    const receiver = useReceiver();
    let receiverUp: boolean;
    let endpointId: string;
    const tenant = `cli-${randomBytes(4).toString('hex')}`;
    const token = () => gw.token({ scope: 'webhooks:write events:publish deliveries:read', tenant });

    beforeAll(async () => {
      receiverUp = false;
      receiver.respond = () => (receiverUp ? { status: 200, body: 'ok' } : { status: 503, body: 'down for maintenance' });
      const created = await gw.request('POST', '/v1/webhooks', { url: receiver.url, eventTypes: ['order.paid'] }, { token: token() });
      endpointId = created.body.id;
    });

    /** Publishes an event while the receiver is down and waits until its delivery is dead. */
    async function deadDelivery(): Promise<string> {
      receiverUp = false;
      const event = await gw.request('POST', '/v1/events', { type: 'order.paid', data: { n: 1 } }, { token: token() });
      return eventually(async () => {
        const list = await gw.request('GET', `/v1/deliveries?eventId=${event.body.id}`, undefined, { token: token() });
        return list.body.data[0]?.status === 'dead' && list.body.data[0].id;
      });
    }

    const statusOf = async (id: string) => (await gw.request('GET', `/v1/deliveries/${id}`, undefined, { token: token() })).body.status;

    it('deliveries list, show and retry', async () => {
      const id = await deadDelivery();
      const listed = await cli('--json', 'deliveries', 'list', '--endpoint', endpointId, '--status', 'dead');
      expect(listed.json()).toEqual(expect.arrayContaining([expect.objectContaining({ id, status: 'dead', attemptCount: 8, lastStatusCode: 503 })]));
      expect((await cli('deliveries', 'list', '--endpoint', endpointId, '--limit', '1')).stdout.trim().split('\n')).toHaveLength(2);

      const shown = await cli('deliveries', 'show', id);
      expect(shown.stdout).toMatch(/^status:\s+dead$/m);
      expect(shown.stdout).toMatch(/^#8 .* 503 .*\n\s+down for maintenance$/m);
      expect((await cli('--json', 'deliveries', 'show', id)).json().attempts).toHaveLength(8);

      receiverUp = true;
      const retried = await cli('deliveries', 'retry', id);
      expect(retried.stdout).toBe(`Delivery ${id} is pending: a worker sends it now.\n`);
      await eventually(async () => (await statusOf(id)) === 'succeeded');
    });

    it("recover re-sends the endpoint's dead deliveries since a time, with a summary", async () => {
      const id = await deadDelivery();
      receiverUp = true;
      const none = await cli('--json', 'recover', '--endpoint', endpointId, '--since', new Date(Date.now() + 60_000).toISOString());
      expect(none.json()).toEqual({ matched: 0, retried: 0, failed: [] });
      const recovered = await cli('--json', 'recover', '--endpoint', endpointId, '--since', '10m');
      expect(recovered.code).toBe(0);
      expect(recovered.stderr).toBe('');
      expect(recovered.json()).toEqual({ matched: 1, retried: 1, failed: [] });
      await eventually(async () => (await statusOf(id)) === 'succeeded');
    });

    it('replay-dead re-sends dead deliveries and says what it did', async () => {
      const id = await deadDelivery();
      receiverUp = true;
      const replayed = await cli('replay-dead', '--endpoint', endpointId, '--since', '1h');
      expect(replayed).toMatchObject({ code: 0, stdout: 'Re-sent 1 of 1 dead deliveries (a worker delivers them now).\n' });
      await eventually(async () => (await statusOf(id)) === 'succeeded');
      expect((await cli('replay-dead', '--endpoint', endpointId)).stdout).toBe('No dead deliveries to re-send.\n');
    });
  });
});

describe('hookgate next to a gateway that is delivering', () => {
  const tenant = `busy-${randomBytes(4).toString('hex')}`;
  const token = () => gw.token({ scope: 'webhooks:write events:publish deliveries:read', tenant });
  const failing = useReceiver();
  const healthy = useReceiver();
  let deadEndpoint: string;
  let liveEndpoint: string;

  const deliveriesOf = async (endpointId: string, status: string) => {
    const [row] = await gw.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM deliveries WHERE endpoint_id = '${endpointId}' AND status = '${status}'`);
    return Number(row.n);
  };

  /** `count` events of `type`, published `parallel` at a time over HTTP. */
  async function publish(type: string, count: number, parallel = 16): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < count) {
          next++;
          const res = await gw.request('POST', '/v1/events', { type, data: { n: next } }, { token: token() });
          if (res.status !== 202) throw new Error(`publish answered ${res.status}: ${res.text}`);
        }
      }),
    );
  }

  beforeAll(async () => {
    failing.respond = () => ({ status: 503, body: 'down' });
    healthy.respond = () => ({ status: 200, body: 'ok', delayMs: 5 });
    deadEndpoint = (await gw.request('POST', '/v1/webhooks', { url: failing.url, eventTypes: ['stock.lost'] }, { token: token() })).body.id;
    liveEndpoint = (await gw.request('POST', '/v1/webhooks', { url: healthy.url, eventTypes: ['stock.moved'] }, { token: token() })).body.id;
    await publish('stock.lost', 300);
    await eventually(async () => (await deliveriesOf(deadEndpoint, 'dead')) === 300, 60_000, 200);
  }, 120_000);

  // Each run is bounded by the CLI's 60 s kill; the durations are printed for the operator's note.
  it('replay-dead of 300 dead deliveries finishes five runs in a row while 1,000 others are delivered', async () => {
    const durations: number[] = [];
    for (let run = 1; run <= 5; run++) {
      const started = Date.now();
      const [replayed] = await Promise.all([hookgate(['--json', 'replay-dead', '--endpoint', deadEndpoint], localEnv), publish('stock.moved', 1000)]);
      durations.push(Date.now() - started);
      expect({ run, code: replayed.code, stderr: replayed.stderr }).toEqual({ run, code: 0, stderr: '' });
      expect(replayed.json()).toEqual({ matched: 300, retried: 300, failed: [] });
      // The replayed deliveries fail again and die again: the next run finds the same 300.
      await eventually(async () => (await deliveriesOf(deadEndpoint, 'dead')) === 300 && (await deliveriesOf(liveEndpoint, 'succeeded')) === run * 1000, 60_000, 200);
    }
    console.log(`replay-dead next to a delivering gateway, 5 runs (ms): ${durations.join(', ')}`);
  }, 600_000);

  it('a database another process keeps locked makes a write fail with one clear line and exit 1', async () => {
    // Another connection holds the write lock the whole time (as a stuck tool would).
    const release = await holdWriteLock(gw.databaseUrl);
    try {
      const stuck = await hookgate(['replay-dead', '--endpoint', deadEndpoint], { ...localEnv, DATABASE_BUSY_TIMEOUT_MS: '1500' }, ROOT, 30_000);
      expect(stuck).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'hookgate: the database stayed busy: another process held its write lock for 1.5 s (DATABASE_BUSY_TIMEOUT_MS); try again, or find the process holding it\n',
      });
    } finally {
      await release();
    }
    expect(await deliveriesOf(deadEndpoint, 'dead')).toBe(300);
  });
});

describe('hookgate over HTTP', () => {
  it('a refused token is one line and exit 1; --url without --token is a usage error', async () => {
    const refused = await hookgate(['--url', gw.url, '--token', 'nope', 'client', 'list']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^hookgate: GET \/v1\/clients failed: 401 .+\n$/);
    expect((await hookgate(['--url', gw.url, 'client', 'list'])).code).toBe(2);
    const closed = await freePort();
    const unreachable = await hookgate(['--url', `http://127.0.0.1:${closed}`, '--token', 't', 'client', 'list']);
    expect(unreachable).toMatchObject({ code: 1, stderr: `hookgate: cannot reach http://127.0.0.1:${closed}: ECONNREFUSED\n` });
  });

  it('reads HOOKGATE_URL and HOOKGATE_TOKEN', async () => {
    const listed = await hookgate(['--json', 'client', 'list'], { HOOKGATE_URL: gw.url, HOOKGATE_TOKEN: gw.adminToken() });
    expect(listed.code).toBe(0);
    expect(Array.isArray(listed.json())).toBe(true);
  });
});

describe('hookgate doctor', () => {
  let fakeRedis: Server;
  let redisPort: number;

  beforeAll(async () => {
    // Just enough RESP to answer a PING.
    fakeRedis = createServer((socket) => socket.on('data', (d) => socket.write(d.toString().includes('PING') ? '+PONG\r\n' : '-ERR unknown\r\n')));
    await new Promise<void>((r) => fakeRedis.listen(0, '127.0.0.1', r));
    redisPort = (fakeRedis.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((r) => fakeRedis.close(r));
  });

  it('says everything looks right when it does', async () => {
    const ok = await hookgate(['doctor'], { ...localEnv, QUEUE_URL: `redis://127.0.0.1:${redisPort}` });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok\s+database\s+connected to (sqlite|postgres):\/\/.* schema up to date$/m);
    expect(ok.stdout).toMatch(/^ok\s+queue\s+Redis at redis:\/\/127.0.0.1:\d+ answered PING$/m);
    expect(ok.stdout).toContain('Everything looks right.');
  });

  it('names each problem and how to fix it, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookgate-doctor-'));
    try {
      const notPem = join(dir, 'ca.pem');
      writeFileSync(notPem, 'not a certificate');
      const { AUTH_JWT_SECRET: _unset, ...withoutJwtSecret } = localEnv;
      const bad = await hookgate(['--json', 'doctor'], { ...withoutJwtSecret, NODE_ENV: 'production', QUEUE_URL: `redis://127.0.0.1:${await freePort()}`, NODE_EXTRA_CA_CERTS: notPem });
      expect(bad.code).toBe(1);
      const report = bad.json();
      expect(report.ok).toBe(false);
      const failed = Object.fromEntries(report.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { name: string; detail: string; fix: string }) => [c.name, c]));
      expect(Object.keys(failed).sort()).toEqual(['AUTH_JWT_SECRET', 'queue', 'tls trust']);
      expect(failed.queue.detail).toContain('did not answer PING: ECONNREFUSED');
      expect(failed['AUTH_JWT_SECRET'].fix).toContain('production never generates it');
      expect(failed['tls trust'].detail).toContain('holds no PEM certificate');

      const invalid = await hookgate(['doctor'], { ...localEnv, HOOKGATE_ENCRYPTION_KEY: 'short' });
      expect(invalid.code).toBe(1);
      expect(invalid.stdout).toMatch(/^FAIL\s+configuration\s+Invalid configuration: HOOKGATE_ENCRYPTION_KEY must be 32 bytes, base64 encoded\n\s+fix: /m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hookgate openapi export', () => {
  it('writes the full document, one per plugin, and the permission matrix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookgate-openapi-out-'));
    try {
      const run = await hookgate(['openapi', 'export', '--out', join(dir, 'openapi'), '--docs', join(dir, 'docs')]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`wrote ${join(dir, 'openapi', 'openapi.json')}`);
      const doc = JSON.parse(readFileSync(join(dir, 'openapi', 'openapi.json'), 'utf8'));
      expect(doc.paths['/v1/deliveries/{id}/retry']).toBeDefined();
      expect(existsSync(join(dir, 'docs', 'permissions.md'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** SDK exports that plugins stop using with SDK v2 (they leave the SDK once every plugin has migrated). */
const V1_SDK_NAMES = ['EndpointsService', 'EventsService', 'DeliveriesService', 'AppConfig', 'TenantScope', 'tenantScope', 'urlProblem', 'signingKeyProblem', 'issuesFrom', 'CreateEndpointInput', 'PLUGIN_ERROR_SCHEMA_REF'];

describe('hookgate plugin new', () => {
  let project: string;

  beforeAll(() => {
    // A copy of the project, so the generated plugin never lands in the real plugins/.
    project = mkdtempSync(join(tmpdir(), 'hookgate-plugin-'));
    for (const entry of ['src', 'plugins', 'scripts', 'test', 'openapi', 'docs', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'jest.config.js']) cpSync(join(ROOT, entry), join(project, entry), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  });

  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
  });

  it('refuses a bad key (exit 2) and a plugin that exists (exit 1)', async () => {
    expect((await hookgate(['plugin', 'new', 'Bad_Key', '--cwd', project])).code).toBe(2);
    expect((await hookgate(['plugin', 'new', 'console', '--cwd', project])).code).toBe(2);
    const exists = await hookgate(['plugin', 'new', 'generic', '--cwd', project]);
    expect(exists).toMatchObject({ code: 1, stderr: 'hookgate: plugins/generic already exists\n' });
    expect((await hookgate(['plugin', 'new', 'acme'], {}, tmpdir())).stderr).toContain('no plugins/index.ts under');
  });

  it('scaffolds a v2 plugin that, after the one step it prints, builds, serves its routes and passes the contract suite, the drift test and its spec', async () => {
    const before = readFileSync(join(project, 'plugins', 'index.ts'), 'utf8');
    const generated = await hookgate(['plugin', 'new', 'acme-pay', '--cwd', project]);
    expect(generated.code).toBe(0);
    expect(generated.stdout).toContain('created plugins/acme-pay/acme-pay.plugin.ts');
    expect(generated.stdout).toContain(`Next: ${NEXT_STEP} `);
    const index = readFileSync(join(project, 'plugins', 'index.ts'), 'utf8');
    expect(index).toContain("import { AcmePayPlugin } from './acme-pay/acme-pay.plugin';");
    expect(index.replace(/\s/g, '')).toMatch(/PLUGIN_MODULES:Type\[\]=\[.*AcmePayPlugin,?\];/);
    expect(index.split('\n').length - before.split('\n').length).toBeLessThanOrEqual(2);

    // Only the v2 surface: none of the SDK exports that are on their way out.
    const sources = readdirSync(join(project, 'plugins', 'acme-pay')).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(project, 'plugins', 'acme-pay', f), 'utf8'));
    const sdkNames = sources.flatMap((source) => [...source.matchAll(/import (?:type )?\{([^}]*)\} from '\.\.\/\.\.\/src\/sdk'/g)].flatMap((m) => m[1].split(',').map((name) => name.trim())));
    expect(sdkNames).toEqual(expect.arrayContaining(['WebhookPlugin', 'Access', 'Operation', 'schema', 'z', 'PluginEndpoints', 'PluginEvents', 'ErrorShape']));
    expect(sdkNames.filter((name) => V1_SDK_NAMES.includes(name))).toEqual([]);

    // The step the generator printed, as printed: it builds the copy and writes its OpenAPI documents.
    const step = await run('npm', ['run', NEXT_STEP.replace(/^npm run /, '')], {}, project, 240_000);
    expect({ code: step.code, output: step.code === 0 ? '' : step.stdout + step.stderr }).toEqual({ code: 0, output: '' });
    expect(JSON.parse(readFileSync(join(project, 'openapi', 'acme-pay.json'), 'utf8')).components.schemas).toHaveProperty('CreateAcmePayWebhook');

    // Everything from the copy (core included), so the plugin's SDK classes are the app's own.
    const { createApp } = require(join(project, 'src', 'bootstrap')) as typeof import('../../src/bootstrap');
    const { loadConfig } = require(join(project, 'src', 'config', 'app-config')) as typeof import('../../src/config/app-config');
    const { PLUGIN_MODULES } = require(join(project, 'plugins')) as { PLUGIN_MODULES: Type[] };
    const { buildDocuments } = require(join(project, 'src', 'openapi', 'document')) as typeof import('../../src/openapi/document');
    const dbDir = mkdtempSync(join(tmpdir(), 'hookgate-plugin-db-'));
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: `sqlite://${join(dbDir, 'db.sqlite')}`, AUTH_JWT_SECRET: TEST_JWT_SECRET, HOOKGATE_ENCRYPTION_KEY: ENCRYPTION_KEY, LOG_LEVEL: 'silent' });
    const app = await createApp(config, PLUGIN_MODULES);
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
      const anonymous = await httpRequest(url, 'GET', '/acme-pay/webhooks');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });

      const token = gw.token({ scope: 'webhooks:write events:publish', tenant: 'acme' });
      const invalid = await httpRequest(url, 'POST', '/acme-pay/webhooks', { url: 'not a url', events: ['nope'] }, { token });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error).toMatchObject({
        code: 'validation_failed',
        details: [
          { path: 'url', code: 'invalid_format', message: 'url must be a valid url' },
          { path: 'events.0', code: 'invalid_value', message: 'events.0 must be one of item.created, item.deleted' },
        ],
      });
      const created = await httpRequest(url, 'POST', '/acme-pay/webhooks', { url: 'https://example.com/hook', events: ['item.created'] }, { token });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ url: 'https://example.com/hook', events: ['item.created'], active: true, secret: expect.stringMatching(/^whsec_/) });
      const listed = await httpRequest(url, 'GET', '/acme-pay/webhooks', undefined, { token });
      expect(listed.body.data).toEqual([expect.objectContaining({ id: created.body.id })]);
      const sent = await httpRequest(url, 'POST', '/acme-pay/events', { type: 'item.created', data: { id: 'item_1' } }, { token });
      expect({ status: sent.status, deliveries: sent.body.deliveries }).toEqual({ status: 202, deliveries: 1 });
      expect((await httpRequest(url, 'DELETE', `/acme-pay/webhooks/${created.body.id}`, undefined, { token })).status).toBe(204);
      const gone = await httpRequest(url, 'DELETE', `/acme-pay/webhooks/${created.body.id}`, undefined, { token });
      expect({ status: gone.status, code: gone.body.error?.code }).toEqual({ status: 404, code: 'not_found' });

      const types = await httpRequest(url, 'GET', '/v1/event-types', undefined, { token: gw.adminToken() });
      expect(types.body.data.filter((t: { plugin: string }) => t.plugin === 'acme-pay').map((t: { type: string }) => t.type)).toEqual(['item.created', 'item.deleted']);
      const doc = buildDocuments(app).plugins['acme-pay'];
      expect(Object.values(doc.paths['/acme-pay/webhooks']).map((op) => (op as { operationId: string }).operationId).sort()).toEqual(['acmePayCreateWebhook', 'acmePayListWebhooks']);
      expect(doc.components?.schemas?.Error).toBeDefined();
    } finally {
      await app.close();
      rmSync(dbDir, { recursive: true, force: true });
    }

    // The shared contract suite, the import rule, the OpenAPI drift test and the plugin's own spec, unchanged, run over the copy.
    const suites = [join(project, 'test', 'contract'), join(project, 'test', 'e2e', 'openapi-drift.e2e-spec.ts'), join(project, 'plugins', 'acme-pay')];
    const jest = await run(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', join(project, 'jest.config.js'), '--runInBand', '--json', '--testNamePattern', 'acme-pay|import rule|committed OpenAPI', ...suites], {}, project, 240_000);
    const report = JSON.parse(jest.stdout.slice(jest.stdout.indexOf('{"num')));
    const results: { fullName: string; status: string; failureMessages: string[] }[] = report.testResults.flatMap((f: { assertionResults: unknown[] }) => f.assertionResults);
    expect(results.filter((r) => r.status === 'failed').map((r) => `${r.fullName}: ${r.failureMessages.join(' ')}`)).toEqual([]);
    const passed = (prefix: string) => results.filter((r) => r.fullName.includes(prefix) && r.status === 'passed').length;
    expect({ contract: passed('plugin acme-pay') >= 8, drift: passed('the committed OpenAPI documents') >= 5, spec: passed('acme-pay plugin') >= 3 }).toEqual({ contract: true, drift: true, spec: true });
  }, 600_000);
});
