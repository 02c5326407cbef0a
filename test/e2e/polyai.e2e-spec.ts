import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { PolyaiPlugin } from '../../plugins/polyai/polyai.plugin';
import { HttpSender } from '../../src/delivery/http/http-sender';
import { createGuardedAgent } from '../../src/delivery/http/ssrf';
import { useGateway } from '../support/fixture';
import { eventually, HttpResult } from '../support/gateway';
import { buildDocuments } from '../../src/openapi/document';
import { Receiver } from '../support/receiver';

/** A throwaway self-signed certificate for `localhost`, made with the openssl CLI. */
function selfSignedLocalhost(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'polyai-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ENDPOINT_ID = /^whe_[A-Za-z0-9]+$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const alert = (overrides: Record<string, unknown> = {}) => ({
  id: 'ar_0Kx4mNpQ8rWvYb2dFgHjLs',
  name: 'High turn latency (p95)',
  project_id: 'proj_abc123',
  metric: 'turn_latency_p95',
  operator: '>=',
  threshold_value: 1500,
  current_value: 2100,
  previous_state: 'ok',
  triggered_at: '2026-03-20T10:15:00Z',
  ...overrides,
});

const polyaiSignature = (secret: string, timestamp: string, body: string) => createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.${body}`).digest('hex');

describe('PolyAI webhooks plugin', () => {
  let tls: { key: string; cert: string };
  let accounts = 0;

  beforeAll(() => {
    tls = selfSignedLocalhost();
  });
  // The in-process gateway's undici agent must trust the receivers' self-signed certificate.
  const gw = useGateway(() => ({ plugins: [PolyaiPlugin], overrides: { sender: new HttpSender(createGuardedAgent({ allowPrivateNetworks: true, allowedCidrs: [] }, { tls: { ca: tls.cert } })) } }));

  /** A fresh PolyAI account: an API key for it and a client bound to that key. */
  async function newAccount() {
    const tenant = `polyai-account-${++accounts}`;
    const created = await gw.request('POST', '/v1/api-keys', { tenant, name: 'PolyAI test' }, { token: gw.adminToken() });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    const call = <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> =>
      gw.request<T>(method, `/polyai/v1/webhook-endpoints${path}`, body, { headers: { 'x-api-key': key, ...headers } });
    const publisher = gw.token({ scope: 'events:publish deliveries:read', tenant });
    const publish = (type: string, data: unknown) => gw.request('POST', '/v1/events', { type, plugin: 'polyai', data }, { token: publisher });
    const deliveriesOf = async (eventId: string) => (await gw.request('GET', `/v1/deliveries?eventId=${eventId}`, undefined, { token: publisher })).body.data as any[];
    const delivery = async (id: string) => (await gw.request('GET', `/v1/deliveries/${id}`, undefined, { token: publisher })).body;
    return { tenant, key, call, publish, deliveriesOf, delivery };
  }

  const validBody = (overrides: Record<string, unknown> = {}) => ({ name: 'Production alerts', url: 'https://example.com/webhooks/polyai', event_types: ['alerts.triggered'], ...overrides });

  describe('authentication', () => {
    const routes: [string, string][] = [
      ['GET', ''],
      ['POST', ''],
      ['GET', '/whe_abc123'],
      ['PATCH', '/whe_abc123'],
      ['DELETE', '/whe_abc123'],
      ['POST', '/whe_abc123/rotate-secret'],
    ];

    it.each(routes)('%s %s answers 401 {message} without an API key', async (method, path) => {
      const res = await gw.request(method, `/polyai/v1/webhook-endpoints${path}`, method === 'POST' || method === 'PATCH' ? validBody() : undefined);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ message: 'Missing or invalid API key' });
    });

    it('refuses an unknown API key and a bearer token', async () => {
      const unknownKey = await gw.request('GET', '/polyai/v1/webhook-endpoints', undefined, { headers: { 'x-api-key': 'hgk_not-a-key' } });
      expect(unknownKey.status).toBe(401);
      expect(unknownKey.body).toEqual({ message: 'Missing or invalid API key' });
      const bearer = await gw.request('GET', '/polyai/v1/webhook-endpoints', undefined, { token: gw.adminToken() });
      expect(bearer.status).toBe(401);
    });

    it('reads the key from the header case-insensitively (X-API-KEY)', async () => {
      const { key } = await newAccount();
      const res = await gw.request('GET', '/polyai/v1/webhook-endpoints', undefined, { headers: { 'X-API-KEY': key } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: [] });
    });
  });

  describe('create', () => {
    it('creates an endpoint with the seed defaults and returns the signing secret once', async () => {
      const { call } = await newAccount();
      const res = await call('POST', '', validBody());
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(['created_at', 'enabled', 'event_types', 'headers', 'id', 'name', 'signing_secret', 'timeout_ms', 'updated_at', 'url']);
      expect(res.body).toMatchObject({ name: 'Production alerts', url: 'https://example.com/webhooks/polyai', enabled: true, event_types: ['alerts.triggered'], headers: {}, timeout_ms: 5000 });
      expect(res.body.id).toMatch(ENDPOINT_ID);
      expect(res.body.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(res.body.created_at).toMatch(ISO);
      expect(res.body.updated_at).toBe(res.body.created_at);

      const fetched = await call('GET', `/${res.body.id}`);
      expect(fetched.status).toBe(200);
      const { signing_secret: _secret, ...withoutSecret } = res.body;
      expect(fetched.body).toEqual(withoutSecret);
    });

    it('stores every field given', async () => {
      const { call } = await newAccount();
      const body = validBody({ event_types: ['alerts.triggered', 'alerts.resolved'], headers: { 'X-Custom-Header': 'my-value' }, timeout_ms: 12000, enabled: false });
      const res = await call('POST', '', body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject(body);
    });

    it('accepts https://localhost URLs when private networks are allowed', async () => {
      const { call } = await newAccount();
      const res = await call('POST', '', validBody({ url: 'https://localhost:8443/hook' }));
      expect(res.status).toBe(201);
    });

    const invalid: [string, unknown, string][] = [
      ['a missing name', { url: 'https://example.com/h', event_types: ['alerts.triggered'] }, 'name is required'],
      ['an empty name', validBody({ name: '' }), 'name must be at least 1 character long'],
      ['a 256-character name', validBody({ name: 'x'.repeat(256) }), 'name must be at most 255 characters long'],
      ['a name that is not a string', validBody({ name: 42 }), 'name must be a string'],
      ['a missing url', { name: 'n', event_types: ['alerts.triggered'] }, 'url is required'],
      ['an http url', validBody({ url: 'http://example.com/h' }), 'url must start with https://'],
      ['a url that is not a URI', validBody({ url: 'https://exa mple.com/' }), 'url must be a valid uri'],
      ['a url with credentials', validBody({ url: 'https://user:pw@example.com/h' }), 'url must not contain credentials (user:password@)'],
      ['missing event_types', { name: 'n', url: 'https://example.com/h' }, 'event_types is required'],
      ['empty event_types', validBody({ event_types: [] }), 'event_types must contain at least 1 item'],
      ['an unknown event type', validBody({ event_types: ['alerts.muted'] }), 'event_types[0] must be one of: alerts.triggered, alerts.resolved'],
      ['duplicate event types', validBody({ event_types: ['alerts.resolved', 'alerts.resolved'] }), 'event_types must not contain duplicates (items 0 and 1 are the same)'],
      ['event_types that is not an array', validBody({ event_types: 'alerts.triggered' }), 'event_types must be an array'],
      ['a non-string header value', validBody({ headers: { 'X-Count': 3 } }), 'headers.X-Count must be a string'],
      ['headers that is not an object', validBody({ headers: ['X-A: b'] }), 'headers must be an object'],
      ['a Host header', validBody({ headers: { Host: 'evil.example' } }), 'headers.Host is set by the gateway on every delivery and cannot be overridden'],
      ['a Content-Length header', validBody({ headers: { 'Content-Length': '1' } }), 'headers.Content-Length is set by the gateway on every delivery and cannot be overridden'],
      ['a Connection header', validBody({ headers: { connection: 'close' } }), 'headers.connection is set by the gateway on every delivery and cannot be overridden'],
      ['a Transfer-Encoding header', validBody({ headers: { 'Transfer-Encoding': 'chunked' } }), 'headers.Transfer-Encoding is set by the gateway on every delivery and cannot be overridden'],
      ['an X-PolyAI-Signature header', validBody({ headers: { 'X-PolyAI-Signature': 'forged' } }), 'headers.X-PolyAI-Signature is set by the gateway on every delivery and cannot be overridden'],
      ['a webhook-signature header', validBody({ headers: { 'Webhook-Signature': 'v1,forged' } }), 'headers.Webhook-Signature is set by the gateway on every delivery and cannot be overridden'],
      ['an invalid header name', validBody({ headers: { 'Bad Header': 'x' } }), 'headers.Bad Header is not a valid HTTP header name'],
      ['a header value with a line break', validBody({ headers: { 'X-A': 'a\r\nX-Injected: 1' } }), 'headers.X-A must not contain line breaks or control characters'],
      ['the same header twice', validBody({ headers: { 'X-A': '1', 'x-a': '2' } }), 'headers.x-a is given twice (header names are case-insensitive)'],
      ['timeout_ms below 1000', validBody({ timeout_ms: 999 }), 'timeout_ms must be at least 1000'],
      ['timeout_ms above 30000', validBody({ timeout_ms: 30001 }), 'timeout_ms must be at most 30000'],
      ['a fractional timeout_ms', validBody({ timeout_ms: 1500.5 }), 'timeout_ms must be an integer'],
      ['a string timeout_ms', validBody({ timeout_ms: '5000' }), 'timeout_ms must be an integer'],
      ['a non-boolean enabled', validBody({ enabled: 'yes' }), 'enabled must be a boolean'],
      ['a null field', validBody({ enabled: null }), 'enabled must be a boolean'],
      ['an unknown property', validBody({ secret: 'mine' }), 'secret is not an allowed property'],
      ['a body that is an array', [validBody()], 'request body must be a JSON object'],
    ];

    it.each(invalid)('refuses %s with 400 naming the field', async (_case, body, message) => {
      const { call } = await newAccount();
      const res = await call('POST', '', body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message });
    });

    it('lists every problem of a body in one message', async () => {
      const { call } = await newAccount();
      const res = await call('POST', '', { name: '', url: 'ftp://example.com', event_types: [] });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('name must be at least 1 character long; url must start with https://; event_types must contain at least 1 item');
    });

    it('refuses malformed JSON and a missing body with 400 {message}', async () => {
      const { key } = await newAccount();
      const headers = { 'x-api-key': key, 'content-type': 'application/json' };
      const malformed = await gw.request('POST', '/polyai/v1/webhook-endpoints', undefined, { headers, raw: '{"name":' });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toEqual({ message: expect.stringMatching(/not valid JSON/) });
      const missing = await gw.request('POST', '/polyai/v1/webhook-endpoints', undefined, { headers: { 'x-api-key': key } });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ message: 'request body must be a JSON object' });
    });

    it('admits exactly ten endpoints per account under 15 concurrent creates; the rest get 409', async () => {
      const { call } = await newAccount();
      const results = await Promise.all(Array.from({ length: 15 }, (_, i) => call('POST', '', validBody({ name: `endpoint ${i}` }))));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(10);
      expect(statuses.filter((s) => s === 409)).toHaveLength(5);
      for (const refused of results.filter((r) => r.status === 409)) {
        expect(refused.body).toEqual({ message: 'This account already has the maximum of 10 webhook endpoints; delete one before creating another' });
      }
      const list = await call('GET', '');
      expect(list.body.data).toHaveLength(10);

      const other = await newAccount();
      expect((await other.call('POST', '', validBody())).status).toBe(201);

      await call('DELETE', `/${list.body.data[0].id}`);
      expect((await call('POST', '', validBody())).status).toBe(201);
    });
  });

  describe('list', () => {
    it('returns {data} of this account only, filtered by enabled and event_type', async () => {
      const mine = await newAccount();
      const theirs = await newAccount();
      const triggered = (await mine.call('POST', '', validBody({ name: 'triggered only' }))).body;
      const both = (await mine.call('POST', '', validBody({ name: 'both, disabled', event_types: ['alerts.triggered', 'alerts.resolved'], enabled: false }))).body;
      await theirs.call('POST', '', validBody({ name: 'not mine' }));

      const all = await mine.call('GET', '');
      expect(all.status).toBe(200);
      expect(Object.keys(all.body)).toEqual(['data']);
      expect(all.body.data.map((e: any) => e.id).sort()).toEqual([triggered.id, both.id].sort());
      expect(all.body.data.every((e: any) => !('signing_secret' in e))).toBe(true);

      expect((await mine.call('GET', '?enabled=false')).body.data.map((e: any) => e.id)).toEqual([both.id]);
      expect((await mine.call('GET', '?enabled=true')).body.data.map((e: any) => e.id)).toEqual([triggered.id]);
      expect((await mine.call('GET', '?event_type=alerts.resolved')).body.data.map((e: any) => e.id)).toEqual([both.id]);
      expect((await mine.call('GET', '?event_type=alerts.triggered&enabled=true')).body.data.map((e: any) => e.id)).toEqual([triggered.id]);
    });

    it.each([
      ['?enabled=yes', 'enabled must be one of: true, false'],
      ['?event_type=alerts.muted', 'event_type must be one of: alerts.triggered, alerts.resolved'],
    ])('refuses the filter %s with 400', async (query, message) => {
      const { call } = await newAccount();
      const res = await call('GET', query);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message });
    });
  });

  describe('get, update, delete, rotate-secret', () => {
    it('PATCH changes only the fields given, with the same constraints and no defaults', async () => {
      const { call } = await newAccount();
      const created = (await call('POST', '', validBody({ headers: { 'X-A': '1' }, timeout_ms: 12000, enabled: false }))).body;
      const renamed = await call('PATCH', `/${created.id}`, { name: 'Renamed' });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ id: created.id, name: 'Renamed', url: created.url, event_types: ['alerts.triggered'], headers: { 'X-A': '1' }, timeout_ms: 12000, enabled: false });
      expect('signing_secret' in renamed.body).toBe(false);
      expect(Date.parse(renamed.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.updated_at));
      expect(renamed.body.created_at).toBe(created.created_at);

      const changed = await call('PATCH', `/${created.id}`, { url: 'https://example.com/webhooks/polyai-v2', enabled: true, event_types: ['alerts.resolved'], headers: { 'X-B': '2' }, timeout_ms: 1000 });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ name: 'Renamed', url: 'https://example.com/webhooks/polyai-v2', enabled: true, event_types: ['alerts.resolved'], headers: { 'X-B': '2' }, timeout_ms: 1000 });
      expect((await call('GET', `/${created.id}`)).body).toEqual(changed.body);
    });

    it.each([
      [{ url: 'http://example.com/h' }, 'url must start with https://'],
      [{ event_types: [] }, 'event_types must contain at least 1 item'],
      [{ timeout_ms: 40000 }, 'timeout_ms must be at most 30000'],
      [{ name: null }, 'name must be a string'],
      [{ headers: { 'X-PolyAI-Timestamp': '0' } }, 'headers.X-PolyAI-Timestamp is set by the gateway on every delivery and cannot be overridden'],
      [{ signing_secret: 'mine' }, 'signing_secret is not an allowed property'],
    ])('PATCH refuses %j with 400', async (body, message) => {
      const { call } = await newAccount();
      const created = (await call('POST', '', validBody())).body;
      const res = await call('PATCH', `/${created.id}`, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message });
    });

    it('DELETE answers 204 with an empty body; the endpoint is gone afterwards', async () => {
      const { call } = await newAccount();
      const created = (await call('POST', '', validBody())).body;
      const deleted = await call('DELETE', `/${created.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect((await call('GET', `/${created.id}`)).status).toBe(404);
      expect((await call('DELETE', `/${created.id}`)).status).toBe(404);
      expect((await call('GET', '')).body.data).toEqual([]);
    });

    it('rotate-secret returns a new secret only', async () => {
      const { call } = await newAccount();
      const created = (await call('POST', '', validBody())).body;
      const rotated = await call('POST', `/${created.id}/rotate-secret`);
      expect(rotated.status).toBe(200);
      expect(Object.keys(rotated.body)).toEqual(['signing_secret']);
      expect(rotated.body.signing_secret).toMatch(/^whsec_/);
      expect(rotated.body.signing_secret).not.toBe(created.signing_secret);
    });

    const unknownId = 'whe_DoesNotExist0000000000';
    const operations: [string, string, unknown][] = [
      ['GET', '', undefined],
      ['PATCH', '', { name: 'x' }],
      ['DELETE', '', undefined],
      ['POST', '/rotate-secret', undefined],
    ];

    it.each(operations)('%s%s answers 404 for an unknown id and for another account\'s endpoint', async (method, suffix, body) => {
      const mine = await newAccount();
      const theirs = await newAccount();
      const foreign = (await theirs.call('POST', '', validBody())).body;
      for (const id of [unknownId, foreign.id]) {
        const res = await mine.call(method, `/${id}${suffix}`, body);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ message: `Endpoint ${id} not found` });
      }
      expect((await theirs.call('GET', `/${foreign.id}`)).body).toMatchObject({ name: 'Production alerts', url: foreign.url });
    });

    it.each(operations)('%s%s answers 422 for a malformed endpoint_id', async (method, suffix, body) => {
      const { call } = await newAccount();
      for (const id of ['abc', 'whe_', 'whe_abc-def', 'WHE_abc', '0195f8a2-4a1b-7cde-8f00-0123456789ab']) {
        const res = await call(method, `/${id}${suffix}`, body);
        expect(res.status).toBe(422);
        expect(res.body).toEqual({ message: 'endpoint_id is malformed: it must be whe_ followed by letters and digits' });
      }
    });
  });

  describe('events', () => {
    it('refuses an alert that does not match WebhookAlert (problem+json from the core)', async () => {
      const { publish } = await newAccount();
      const res = await publish('alerts.triggered', alert({ threshold_value: 'high', metric: 'cpu', id: 'rule-1' }));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { path: 'data.id', code: 'pattern', message: 'data.id must match the pattern ^ar_[A-Za-z0-9]+$' },
          { path: 'data.metric', code: 'enum', message: 'data.metric must be one of: turn_latency_p50, turn_latency_p95, api_errors, function_errors, call_crashes, call_volume' },
          { path: 'data.threshold_value', code: 'type', message: 'data.threshold_value must be an integer' },
        ]),
      );
      const missing = await publish('alerts.resolved', { id: 'ar_1' });
      expect(missing.status).toBe(400);
      expect(missing.body.errors.map((e: any) => e.path)).toEqual(['data.name', 'data.metric', 'data.operator', 'data.threshold_value', 'data.triggered_at']);
      const notAnObject = await publish('alerts.triggered', 'boom');
      expect(notAnObject.status).toBe(400);
      expect(notAnObject.body.errors).toEqual([{ path: 'data', code: 'type', message: 'data must be an object' }]);
    });

    it('refuses an event type the plugin does not declare', async () => {
      const { publish } = await newAccount();
      const res = await publish('alerts.muted', alert());
      expect(res.status).toBe(400);
    });
  });

  describe('delivery', () => {
    let receiver: Receiver;
    beforeEach(async () => {
      receiver = await Receiver.start({ tls, path: '/webhooks/polyai' });
    });
    afterEach(async () => {
      await receiver.close();
    });

    it('POSTs {event_type, alert} signed with X-PolyAI-Signature and Standard Webhooks headers, with the custom headers', async () => {
      const account = await newAccount();
      const endpoint = (await account.call('POST', '', validBody({ url: receiver.url, event_types: ['alerts.triggered', 'alerts.resolved'], headers: { 'X-Custom-Header': 'my-value' } }))).body;
      const published = await account.publish('alerts.triggered', alert());
      expect(published.status).toBe(202);
      expect(published.body.deliveries).toBe(1);

      const [got] = await receiver.waitFor(1);
      expect(got.method).toBe('POST');
      expect(got.url).toBe('/webhooks/polyai');
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.json()).toEqual({ event_type: 'alerts.triggered', alert: alert() });
      expect(got.headers['x-custom-header']).toBe('my-value');
      expect(got.headers['x-polyai-event-id']).toBe(published.body.id);

      const timestamp = got.headers['x-polyai-timestamp'] as string;
      expect(timestamp).toMatch(/^\d+$/);
      expect(timestamp).toBe(got.headers['webhook-timestamp']);
      expect(got.headers['x-polyai-signature']).toMatch(/^[0-9a-f]{64}$/);
      expect(got.headers['x-polyai-signature']).toBe(polyaiSignature(endpoint.signing_secret, timestamp, got.body));
      expect(new Webhook(endpoint.signing_secret).verify(got.body, got.headers as Record<string, string>)).toEqual({ event_type: 'alerts.triggered', alert: alert() });
    });

    it('sends only to enabled endpoints of the account subscribed to the event type', async () => {
      const account = await newAccount();
      const stranger = await newAccount();
      await account.call('POST', '', validBody({ name: 'resolved', url: `${receiver.url}?e=resolved`, event_types: ['alerts.resolved'] }));
      await account.call('POST', '', validBody({ name: 'disabled', url: `${receiver.url}?e=disabled`, event_types: ['alerts.triggered', 'alerts.resolved'], enabled: false }));
      await stranger.call('POST', '', validBody({ name: 'stranger', url: `${receiver.url}?e=stranger`, event_types: ['alerts.triggered', 'alerts.resolved'] }));

      expect((await account.publish('alerts.triggered', alert())).body.deliveries).toBe(0);
      const resolved = alert({ previous_state: 'alert', current_value: 900, resolved_at: '2026-03-20T10:45:00Z' });
      expect((await account.publish('alerts.resolved', resolved)).body.deliveries).toBe(1);
      const [got] = await receiver.waitFor(1);
      expect(got.url).toBe('/webhooks/polyai?e=resolved');
      expect(got.json()).toEqual({ event_type: 'alerts.resolved', alert: resolved });
    });

    it('signs with the new secret only, right after rotate-secret', async () => {
      const account = await newAccount();
      const endpoint = (await account.call('POST', '', validBody({ url: receiver.url }))).body;
      const { signing_secret: rotated } = (await account.call('POST', `/${endpoint.id}/rotate-secret`)).body;
      await account.publish('alerts.triggered', alert());
      const [got] = await receiver.waitFor(1);
      const timestamp = got.headers['x-polyai-timestamp'] as string;
      expect(got.headers['x-polyai-signature']).toBe(polyaiSignature(rotated, timestamp, got.body));
      expect(got.headers['webhook-signature']).not.toContain(' ');
      expect(() => new Webhook(endpoint.signing_secret).verify(got.body, got.headers as Record<string, string>)).toThrow();
      expect(new Webhook(rotated).verify(got.body, got.headers as Record<string, string>)).toBeTruthy();
    });

    it('uses the endpoint timeout_ms as the request timeout', async () => {
      const account = await newAccount();
      receiver.respond = () => ({ hang: true });
      const endpoint = (await account.call('POST', '', validBody({ url: receiver.url, timeout_ms: 1000 }))).body;
      const published = await account.publish('alerts.triggered', alert());
      const [delivery] = await account.deliveriesOf(published.body.id);
      const detail = await eventually(async () => {
        const d = await account.delivery(delivery.id);
        return d.attempts.length >= 1 && d;
      });
      expect(detail.attempts[0]).toMatchObject({ statusCode: null, error: 'timeout after 1000 ms' });
      await account.call('DELETE', `/${endpoint.id}`);
    });

    it('retries a 500 on the schedule 1m, 5m, 15m, 1h, 4h: six attempts, then dead', async () => {
      const account = await newAccount();
      receiver.respond = () => ({ status: 500, body: 'down' });
      const endpoint = (await account.call('POST', '', validBody({ url: receiver.url }))).body;
      const published = await account.publish('alerts.triggered', alert());
      const [delivery] = await account.deliveriesOf(published.body.id);

      const dead = await eventually(async () => {
        const d = await account.delivery(delivery.id);
        return d.status === 'dead' && d;
      }, 60000, 200);
      expect(dead.attemptCount).toBe(6);
      expect(dead.attempts.map((a: any) => a.statusCode)).toEqual([500, 500, 500, 500, 500, 500]);
      expect(receiver.received).toHaveLength(6);

      // Same event id and delivery id on every attempt; each attempt signed afresh.
      expect(new Set(receiver.received.map((r) => r.headers['x-polyai-event-id']))).toEqual(new Set([published.body.id]));
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery.id]));
      for (const r of receiver.received) {
        expect(r.headers['x-polyai-signature']).toBe(polyaiSignature(endpoint.signing_secret, r.headers['x-polyai-timestamp'] as string, r.body));
      }

      // Waits grow as 1 : 5 : 15 : 60 : 240 (scaled by DELIVERY_TIME_SCALE): compare ratios only.
      const at = receiver.received.map((r) => r.at);
      const gaps = at.slice(1).map((t, i) => t - at[i]);
      for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]);
      expect(gaps[4] / gaps[3]).toBeGreaterThan(2.5);
      expect(gaps[4] / gaps[3]).toBeLessThan(6);
      expect(gaps[3] / gaps[2]).toBeGreaterThan(2);
    }, 90000);

    it('treats a 400 as final: one attempt, then dead', async () => {
      const account = await newAccount();
      receiver.respond = () => ({ status: 400, body: 'bad' });
      await account.call('POST', '', validBody({ url: receiver.url }));
      const published = await account.publish('alerts.triggered', alert());
      const [delivery] = await account.deliveriesOf(published.body.id);
      const dead = await eventually(async () => {
        const d = await account.delivery(delivery.id);
        return d.status === 'dead' && d;
      });
      expect(dead.attemptCount).toBe(1);
      expect(dead.attempts).toHaveLength(1);
      expect(dead.attempts[0].statusCode).toBe(400);
      expect(dead.nextAttemptAt).toBeNull();
      expect(receiver.received).toHaveLength(1);
    });
  });

  describe('OpenAPI', () => {
    it("documents the six operations with the api-key scheme and {message} errors, under the seed's names", async () => {
      const doc = buildDocuments(gw.app).plugins.polyai as Record<string, any>;
      const ops = [
        ['get', '/polyai/v1/webhook-endpoints', 'listWebhookEndpoints'],
        ['post', '/polyai/v1/webhook-endpoints', 'createWebhookEndpoint'],
        ['get', '/polyai/v1/webhook-endpoints/{endpoint_id}', 'getWebhookEndpoint'],
        ['patch', '/polyai/v1/webhook-endpoints/{endpoint_id}', 'updateWebhookEndpoint'],
        ['delete', '/polyai/v1/webhook-endpoints/{endpoint_id}', 'deleteWebhookEndpoint'],
        ['post', '/polyai/v1/webhook-endpoints/{endpoint_id}/rotate-secret', 'rotateWebhookSigningSecret'],
      ];
      for (const [method, path, operationId] of ops) {
        const op = doc.paths[path]?.[method];
        expect(op).toMatchObject({ operationId, security: [{ apiKey: [] }], tags: ['polyai'] });
        expect(op.summary).toBeTruthy();
        expect(op.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
      }
      expect(doc.components.responses.Unauthorized.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      expect(doc.components.schemas.Error).toEqual({ type: 'object', required: ['message'], properties: { message: { type: 'string' } } });
      const create = doc.paths['/polyai/v1/webhook-endpoints'].post;
      expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateWebhookEndpointRequest' });
      expect(create.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/WebhookEndpointCreateResponse' });
      expect(doc.paths['/polyai/v1/webhook-endpoints/{endpoint_id}'].patch.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/UpdateWebhookEndpointRequest' });
      expect(doc.components.schemas.WebhookEndpoint.properties.event_types.items).toEqual({ $ref: '#/components/schemas/WebhookEventType' });
    });
  });
});
