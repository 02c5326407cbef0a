import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowCount } from '../fixtures/raw-db';
import { useGateway } from '../support/fixture';
import { HttpResult, startGateway } from '../support/gateway';

const CALIPER_ADMIN = 'https://purl.imsglobal.org/spec/caliper/v1p1/scope/admin';
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('input limits, plugin rules through /v1, and files at rest', () => {
  const gw = useGateway();
  let token: string;
  let apiKey: string;
  const org = randomUUID();
  beforeAll(async () => {
    token = gw.token({ scope: `webhooks:write webhooks:read events:publish ${CALIPER_ADMIN}`, tenant: 'acct-1', org_roles: { [org]: 'OWNER' } });
    apiKey = (await gw.request('POST', '/v1/api-keys', { tenant: 'acct-1', name: 'limits' }, { token: gw.adminToken() })).body.key;
  });

  const raw = (method: string, path: string, body: string, contentType = 'application/json', headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
    gw.request(method, path, undefined, { raw: body, headers: { ...headers, 'content-type': contentType } });

  describe('JSON nesting is capped at 1,000 levels on every surface', () => {
    const surfaces: [string, string, (res: HttpResult) => void][] = [
      ['/v1/events', '', (res) => expect(res.body).toMatchObject({ status: 400, detail: 'Request body nests deeper than 1000 levels' })],
      [`/timbrix/organizations/${org}/webhooks`, '', (res) => expect(res.body).toEqual({ statusCode: 400, message: 'Request body nests deeper than 1000 levels', error: 'Bad Request' })],
      ['/caliper/events', '', (res) => expect(res.body).toMatchObject({ error: 'Request body nests deeper than 1000 levels' })],
      ['/polyai/v1/webhook-endpoints', 'key', (res) => expect(res.body).toEqual({ message: 'Request body nests deeper than 1000 levels' })],
      ['/generic/webhooks', '', (res) => expect(res.body).toMatchObject({ message: expect.stringContaining('1000 levels') })],
    ];
    it.each(surfaces)('%s answers 400 in its own shape past the cap', async (path, auth, expectShape) => {
      const res = await raw('POST', path, `{"data": ${nested(1000)}}`, 'application/json', auth ? { 'x-api-key': apiKey } : { authorization: `Bearer ${token}` });
      expect(res.status).toBe(400);
      expectShape(res);
    });

    it('a body nested exactly 1,000 levels is accepted', async () => {
      const res = await raw('POST', '/v1/events', `{"type": "deep", "data": ${nested(999)}}`);
      expect(res.status).toBe(202);
      const far = await raw('POST', '/v1/events', `{"type": "deep", "data": ${nested(100_000)}}`);
      expect(far.status).toBe(400);
    });

    it('brackets inside strings do not count', async () => {
      const res = await raw('POST', '/v1/events', JSON.stringify({ type: 'brackets', data: { text: '['.repeat(5000) + '\\"{' } }));
      expect(res.status).toBe(202);
    });
  });

  describe('only UTF-8 JSON bodies (and forms on /oauth2/token)', () => {
    it('a form body on a JSON route is 415 in the surface shape, and writes nothing', async () => {
      const before = await rowCount(gw, 'endpoints');
      const v1 = await gw.request('POST', '/v1/webhooks', undefined, { token, form: { url: 'https://example.com/h' } });
      expect(v1.status).toBe(415);
      expect(v1.headers['content-type']).toContain('application/problem+json');
      const plugin = await gw.request('POST', '/polyai/v1/webhook-endpoints', undefined, { headers: { 'x-api-key': apiKey }, form: { name: 'n', url: 'https://example.com/h' } });
      expect({ status: plugin.status, body: plugin.body }).toEqual({ status: 415, body: { message: 'Content-Type must be application/json' } });
      expect(await rowCount(gw, 'endpoints')).toBe(before);
    });

    it('a charset other than UTF-8 is 415; utf-8 in any spelling is fine', async () => {
      const body = JSON.stringify({ url: 'https://example.com/charset' });
      expect((await raw('POST', '/v1/webhooks', body, 'application/json; charset=iso-8859-1')).status).toBe(415);
      expect((await raw('POST', '/v1/webhooks', body, 'application/json; charset=utf-16')).status).toBe(415);
      expect((await raw('POST', '/v1/webhooks', body, 'application/json; charset="UTF-8"')).status).toBe(201);
    });

    it('/oauth2/token keeps accepting forms and JSON, and refuses forms in another charset', async () => {
      const client = (await gw.request('POST', '/v1/clients', { name: 'limits', scopes: ['webhooks:read'] }, { token: gw.adminToken() })).body;
      const fields = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret };
      const form = await gw.request('POST', '/oauth2/token', undefined, { form: fields });
      const json = await gw.request('POST', '/oauth2/token', fields);
      for (const res of [form, json]) {
        expect(res.status).toBe(200);
        expect({ cacheControl: res.headers['cache-control'], pragma: res.headers.pragma }).toEqual({ cacheControl: 'no-store', pragma: 'no-cache' });
      }
      const latin1 = await gw.request('POST', '/oauth2/token', undefined, { form: fields, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=latin1' } });
      expect(latin1.status).toBe(415);
      expect(latin1.body.error).toBe('invalid_request');
    });

    it('a malformed %-escape in Basic credentials is invalid_client (401), never a 500', async () => {
      const res = await gw.request('POST', '/oauth2/token', undefined, {
        form: { grant_type: 'client_credentials' },
        headers: { authorization: `Basic ${Buffer.from('%zz:%E0%A4%A').toString('base64')}` },
      });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    });
  });

  describe('custom headers on /v1 follow the one rule every surface shares', () => {
    const bad: [string, Record<string, string>][] = [
      ['a name with a space', { 'X Bad': 'v' }],
      ['a value with CR/LF', { 'X-Ok': 'a\r\nInjected: yes' }],
      ['a hop-by-hop name', { Upgrade: 'websocket' }],
      ['a gateway-owned name', { 'Content-Length': '3' }],
      ['a Standard Webhooks name', { 'webhook-signature': 'v1,forged' }],
      ['a name given twice', { 'X-Team': 'a', 'x-team': 'b' }],
    ];
    it.each(bad)('%s is 400 on create and on update, and nothing is stored', async (_what, headers) => {
      const created = await gw.request('POST', '/v1/webhooks', { url: 'https://example.com/headers' }, { token });
      const before = await rowCount(gw, 'endpoints');
      const create = await gw.request('POST', '/v1/webhooks', { url: 'https://example.com/headers', headers }, { token });
      expect(create.status).toBe(400);
      expect(create.body.errors[0].path).toMatch(/^headers\./);
      expect(await rowCount(gw, 'endpoints')).toBe(before);
      const update = await gw.request('PATCH', `/v1/webhooks/${created.body.id}`, { headers }, { token });
      expect(update.status).toBe(400);
      expect((await gw.request('GET', `/v1/webhooks/${created.body.id}`, undefined, { token })).body.headers).toEqual({});
    });
  });

  describe("a plugin's rules hold through /v1", () => {
    it("PolyAI's ten-endpoint limit counts /v1 creations, which get PolyAI ids", async () => {
      const tenantToken = gw.token({ scope: 'webhooks:write webhooks:read', tenant: 'polyai-v1' });
      const key = (await gw.request('POST', '/v1/api-keys', { tenant: 'polyai-v1', name: 'v1 limit' }, { token: gw.adminToken() })).body.key;
      const viaPolyai = await gw.request('POST', '/polyai/v1/webhook-endpoints', { name: 'first', url: 'https://example.com/p', event_types: ['alerts.triggered'] }, { headers: { 'x-api-key': key } });
      expect(viaPolyai.status).toBe(201);
      const answers: HttpResult[] = [];
      for (let i = 0; i < 10; i++) answers.push(await gw.request('POST', '/v1/webhooks', { url: `https://example.com/p${i}`, plugin: 'polyai', eventTypes: ['alerts.triggered'] }, { token: tenantToken }));
      expect(answers.map((a) => a.status)).toEqual([...Array(9).fill(201), 409]);
      expect(answers[0].body.id).toMatch(/^whe_[A-Za-z0-9]{22}$/);
      expect(answers[9].headers['content-type']).toContain('application/problem+json');
      expect(answers[9].body.detail).toContain('maximum of 10');
      const listed = await gw.request('GET', '/polyai/v1/webhook-endpoints', undefined, { headers: { 'x-api-key': key } });
      expect(listed.body.data).toHaveLength(10);
      // ...and an endpoint made through /v1 is managed on PolyAI's surface like its own.
      expect((await gw.request('GET', `/polyai/v1/webhook-endpoints/${answers[0].body.id}`, undefined, { headers: { 'x-api-key': key } })).status).toBe(200);
      const polyaiHeader = await gw.request('PATCH', `/v1/webhooks/${answers[0].body.id}`, { headers: { 'X-PolyAI-Signature': 'forged' } }, { token: tenantToken });
      expect(polyaiHeader.status).toBe(400);
    });

    it("generic's one hook per kind holds for /v1 creations and changes", async () => {
      const tenantToken = gw.token({ scope: 'webhooks:write webhooks:read', tenant: 'generic-v1' });
      const own = await gw.request('POST', '/generic/webhooks', { isAlertHook: false, endpoint: 'https://example.com/data', authType: 'none' }, { token: tenantToken });
      expect(own.status).toBe(201);
      const second = await gw.request('POST', '/v1/webhooks', { url: 'https://example.com/data2', plugin: 'generic', metadata: { isAlertHook: false } }, { token: tenantToken });
      expect(second.status).toBe(409);
      expect(second.body.detail).toContain('PUT /generic/webhooks');
      const alert = await gw.request('POST', '/v1/webhooks', { url: 'https://example.com/alert', plugin: 'generic', metadata: { isAlertHook: true } }, { token: tenantToken });
      expect(alert.status).toBe(201);
      // Turning the alert hook into a second data hook is refused as well.
      const flipped = await gw.request('PATCH', `/v1/webhooks/${alert.body.id}`, { metadata: { isAlertHook: false } }, { token: tenantToken });
      expect(flipped.status).toBe(409);
      const hooks = await gw.request('GET', '/generic/webhooks', undefined, { token: tenantToken });
      expect(hooks.body.data.map((h: { isAlertHook: boolean }) => h.isAlertHook).sort()).toEqual([false, true]);
    });
  });
});

describe('files at rest: data folder 0700, SQLite files 0600', () => {
  it('tightens a folder and database files left world-readable, whatever the umask', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hookgate-modes-'));
    const dir = join(root, 'data');
    const file = join(dir, 'hookgate.sqlite');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    for (const suffix of ['-wal', '-shm']) writeFileSync(file + suffix, '', { mode: 0o644 });
    const umask = process.umask(0o000);
    try {
      const gw = await startGateway({ databaseUrl: `sqlite://${file}` });
      const modes = { dir: modeOf(dir), db: modeOf(file), wal: modeOf(`${file}-wal`), shm: modeOf(`${file}-shm`) };
      await gw.close();
      expect(modes).toEqual({ dir: 0o700, db: 0o600, wal: 0o600, shm: 0o600 });
    } finally {
      process.umask(umask);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('creates a new data folder 0700 and the database with its WAL and SHM 0600', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hookgate-modes-'));
    const file = join(root, 'fresh', 'hookgate.sqlite');
    const umask = process.umask(0o000);
    try {
      const gw = await startGateway({ databaseUrl: `sqlite://${file}` });
      expect((await gw.request('POST', '/v1/webhooks', { url: 'https://example.com/h' }, { token: gw.token({ scope: 'webhooks:write' }) })).status).toBe(201);
      expect({ dir: modeOf(join(root, 'fresh')), db: modeOf(file), wal: modeOf(`${file}-wal`), shm: modeOf(`${file}-shm`) }).toEqual({ dir: 0o700, db: 0o600, wal: 0o600, shm: 0o600 });
      await gw.close();
    } finally {
      process.umask(umask);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
