import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { CaliperPlugin } from '../../plugins/caliper/caliper.plugin';
import { CaliperScope } from '../../plugins/caliper/caliper.catalogue';
import { caliperErrors } from '../../plugins/caliper/caliper.errors';
import { INGEST_RESULT_SCHEMA } from '../../plugins/caliper/caliper.schemas';
import { EndpointRow, EventRow } from '../../src/persistence/entities';
import { pluginMetadataOf } from '../../src/sdk/plugin';
import { DataSource } from 'typeorm';
import { isPostgres } from '../fixtures/raw-db';
import { useGateway, useReceiver } from '../support/fixture';
import { eventually, HttpResult } from '../support/gateway';
import { Received } from '../support/receiver';

// js-yaml ships with @nestjs/swagger; the seeds' OpenAPI blocks are YAML.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml: { load(text: string): unknown } = require('js-yaml');

type Json = Record<string, any>;

/** Copies of the provider's published pages (shared/seeds 000 and 001): the truth for shapes. */
const SEEDS = join(__dirname, '../fixtures/seeds');
/** The OpenAPI document inside a seed page (the ```yaml block). */
function seedSpec(prefix: string): Json {
  const file = readdirSync(SEEDS).find((f) => f.startsWith(prefix))!;
  const text = readFileSync(join(SEEDS, file), 'utf8');
  return yaml.load(/````yaml[^\n]*\n([\s\S]*?)````/.exec(text)![1]) as Json;
}

/** A request body built from the `example` of every property of a schema. */
const exampleOf = (schema: Json): Json => Object.fromEntries(Object.entries(schema.properties as Json).map(([k, v]) => [k, (v as Json).example]));

const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
function expectValid(validate: ValidateFunction, res: HttpResult, what: string): void {
  if (!validate(res.body)) throw new Error(`${what}: ${res.status} ${res.text} — ${ajv.errorsText(validate.errors)}`);
}
const validateError = ajv.compile(caliperErrors.schema);

const WRITE = CaliperScope.WebhookCreate;
const READ = CaliperScope.WebhookReadonly;
const INGEST = CaliperScope.EventCreate;
const SENSOR = 'https://example.edu/sensors/1';

const navigation = (overrides: Json = {}): Json => ({
  '@context': 'http://purl.imsglobal.org/ctx/caliper/v1p1',
  id: `urn:uuid:${randomUUID()}`,
  type: 'NavigationEvent',
  actor: { id: 'https://example.edu/users/554433', type: 'Person' },
  action: 'NavigatedTo',
  object: { id: 'https://example.edu/terms/201801/courses/7/sections/1/pages/2', type: 'WebPage' },
  eventTime: '2018-11-15T10:15:00.000Z',
  ...overrides,
});
const grade = (score: number): Json => ({
  id: `urn:uuid:${randomUUID()}`,
  type: 'GradeEvent',
  actor: 'https://example.edu/autograder',
  action: 'Graded',
  object: { id: 'https://example.edu/attempts/1', type: 'Attempt' },
  generated: { type: 'Score', scoreGiven: score },
  eventTime: '2018-11-15T10:57:06.000Z',
});
const envelope = (data: Json[], sensor = SENSOR): Json => ({ sensor, sendTime: '2018-11-15T10:15:01.000Z', dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p1', data });

/** The IMS Caliper specification's own examples (test/fixtures/caliper/README.md names their sources). */
const specExample = (file: string): Json => JSON.parse(readFileSync(join(__dirname, '../fixtures/caliper', file), 'utf8'));
const V1P2 = 'http://purl.imsglobal.org/ctx/caliper/v1p2';

describe('Timeback Caliper plugin (/caliper)', () => {
  const gw = useGateway({ plugins: [CaliperPlugin] });
  const receiver = useReceiver();
  let tenantN = 0;
  /** Each test works in a tenant of its own, so lists and fan-outs never see another test's webhooks. */
  const tenant = () => `school-${++tenantN}`;
  const as = (scope: string, t: string) => ({ token: gw.token({ scope, tenant: t }) });
  const webhookBody = (overrides: Json = {}): Json => ({ name: 'My Webhook', description: null, targetUrl: receiver.url, secret: 'secret123', active: true, ...overrides });
  const createWebhook = async (t: string, overrides: Json = {}): Promise<Json> => {
    const res = await gw.request('POST', '/caliper/webhooks/', webhookBody(overrides), as(WRITE, t));
    expect(res.status).toBe(201);
    return res.body.webhook;
  };
  const createFilter = async (t: string, filter: Json): Promise<HttpResult> => gw.request('POST', '/caliper/webhook-filters/', { active: true, filterType: 'string', ...filter }, as(WRITE, t));
  const ingest = (t: string, body: Json) => gw.request('POST', '/caliper/events', body, as(INGEST, t));
  const receivedFor = (path: string): Received[] => receiver.received.filter((r) => r.url === path);

  describe('the seeds replay', () => {
    const create = seedSpec('000_').paths['/webhooks/'].post;
    const activate = seedSpec('001_').paths['/webhooks/:id/activate'].put;

    it('seed 000: the request example creates a webhook whose 201 validates against the seed schema', async () => {
      const t = tenant();
      const body: Json = { ...exampleOf(create.requestBody.content['application/json'].schema), targetUrl: receiver.url };
      const res = await gw.request('POST', '/caliper/webhooks/', body, as(WRITE, t));
      expect(res.status).toBe(201);
      expectValid(ajv.compile(create.responses['201'].content['application/json'].schema), res, 'create');
      expect(res.body.webhook).toMatchObject({ sensor: 'sensor123', name: 'My Webhook', description: body.description, targetUrl: receiver.url, secret: 'secret123', active: true, deletedAt: null });
      expect(Date.parse(res.body.webhook.createdAt)).toBeGreaterThan(0);
      expect(res.body.webhook.updatedAt).toBe(res.body.webhook.createdAt);
    });

    it('seed 000: a missing field answers the seed 400 shape (invalid_type, expected string, received undefined, Required)', async () => {
      const { name: _omitted, ...body } = webhookBody();
      const res = await gw.request('POST', '/caliper/webhooks', body, as(WRITE, tenant()));
      expect(res.status).toBe(400);
      expectValid(ajv.compile(create.responses['400'].content['application/json'].schema), res, 'create 400');
      expect(res.body.details).toEqual([{ code: 'invalid_type', expected: 'string', received: 'undefined', path: ['name'], message: 'Required' }]);
    });

    it('seed 001: activating answers the seed 200 schema with active true', async () => {
      const t = tenant();
      const hook = await createWebhook(t, { active: false });
      const res = await gw.request('PUT', `/caliper/webhooks/${hook.id}/activate`, undefined, as(WRITE, t));
      expect(res.status).toBe(200);
      expectValid(ajv.compile(activate.responses['200'].content['application/json'].schema), res, 'activate');
      expect(res.body.webhook).toMatchObject({ id: hook.id, active: true });
    });
  });

  describe('webhooks', () => {
    it('lists, gets, replaces, deactivates and soft-deletes, with and without the trailing slash', async () => {
      const t = tenant();
      const first = await createWebhook(t, { sensor: SENSOR, description: 'first' });
      const second = await createWebhook(t);
      expect(second.sensor).toBeNull();
      for (const path of ['/caliper/webhooks', '/caliper/webhooks/']) {
        const list = await gw.request('GET', path, undefined, as(READ, t));
        expect(list.status).toBe(200);
        expect(list.body.webhooks.map((w: Json) => w.id)).toEqual([first.id, second.id]);
      }
      const got = await gw.request('GET', `/caliper/webhooks/${first.id}/`, undefined, as(READ, t));
      expect(got.body).toEqual({ webhook: first });

      const replaced = await gw.request('PUT', `/caliper/webhooks/${first.id}`, webhookBody({ name: 'Renamed', description: null, secret: 'new-secret', active: false }), as(WRITE, t));
      expect(replaced.status).toBe(200);
      expect(replaced.body.webhook).toMatchObject({ id: first.id, name: 'Renamed', description: null, sensor: null, secret: 'new-secret', active: false, createdAt: first.createdAt, deletedAt: null });
      expect((await gw.request('GET', `/caliper/webhooks/${first.id}`, undefined, as(READ, t))).body.webhook.secret).toBe('new-secret');

      const deactivated = await gw.request('PUT', `/caliper/webhooks/${second.id}/deactivate`, undefined, as(WRITE, t));
      expect(deactivated.body.webhook.active).toBe(false);

      const deleted = await gw.request('DELETE', `/caliper/webhooks/${first.id}`, undefined, as(WRITE, t));
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ status: 'success', message: `Webhook ${first.id} deleted`, errors: null });
      expect((await gw.request('GET', `/caliper/webhooks/${first.id}`, undefined, as(READ, t))).status).toBe(404);
      expect((await gw.request('GET', '/caliper/webhooks', undefined, as(READ, t))).body.webhooks.map((w: Json) => w.id)).toEqual([second.id]);
      // The row stays for the audit trail with deletedAt set.
      const audit = await gw.request('GET', `/v1/audit-events?target=${first.id}`, undefined, { token: gw.adminToken() });
      expect(audit.body.data.map((a: Json) => a.action)).toContain('endpoint.deleted');
    });

    it('another tenant sees none of them (404, never 403)', async () => {
      const hook = await createWebhook(tenant());
      const other = tenant();
      expect((await gw.request('GET', `/caliper/webhooks/${hook.id}`, undefined, as(READ, other))).status).toBe(404);
      expect((await gw.request('GET', '/caliper/webhooks', undefined, as(READ, other))).body).toEqual({ webhooks: [] });
    });

    it.each([
      ['a wrong type', { active: 'yes' }, { code: 'invalid_type', expected: 'boolean', received: 'string', path: ['active'], message: 'Expected boolean, received string' }],
      ['a missing description (required, may be null)', { description: undefined }, { code: 'invalid_type', expected: 'string', received: 'undefined', path: ['description'], message: 'Required' }],
      ['a bad URL', { targetUrl: 'not a url' }, { code: 'invalid_string', validation: 'url', expected: 'url', received: 'string', path: ['targetUrl'], message: 'Invalid url' }],
      ['a non-http URL', { targetUrl: 'ftp://example.com/x' }, { code: 'invalid_string', expected: 'url', received: 'string', path: ['targetUrl'], message: 'targetUrl must be an absolute http(s) URL' }],
      ['an empty name', { name: '' }, { code: 'too_small', expected: 'string with at least 1 character(s)', received: '0 character(s)', path: ['name'], message: 'String must contain at least 1 character(s)' }],
    ])('POST and PUT refuse %s with a zod-style 400', async (_what, overrides, issue) => {
      const t = tenant();
      const hook = await createWebhook(t);
      for (const [method, path] of [['POST', '/caliper/webhooks'], ['PUT', `/caliper/webhooks/${hook.id}`]]) {
        const res = await gw.request(method, path, webhookBody(overrides), as(WRITE, t));
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('Invalid request data');
        expect(res.body.details).toEqual([expect.objectContaining(issue)]);
        expectValid(validateError, res, `${method} ${path}`);
      }
    });

    it('lists every issue of a body at once', async () => {
      const res = await gw.request('POST', '/caliper/webhooks', { sensor: 5 }, as(WRITE, tenant()));
      expect(res.body.details.map((d: Json) => d.path.join('.'))).toEqual(['sensor', 'name', 'description', 'targetUrl', 'secret', 'active']);
    });

    it('answers body errors (bad JSON 400, not JSON 415, too large 413) in the Caliper shapes', async () => {
      const t = tenant();
      const bad = await gw.request('POST', '/caliper/webhooks', undefined, { ...as(WRITE, t), raw: '{"name":', headers: { 'content-type': 'application/json' } });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: 'Request body is not valid JSON', details: [] });
      const text = await gw.request('POST', '/caliper/webhooks', undefined, { ...as(WRITE, t), raw: 'hello', headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(415);
      expect(text.body).toEqual({ status: 'error', message: 'Content-Type must be application/json', errors: null });
      const big = await gw.request('POST', '/caliper/webhooks', webhookBody({ description: 'x'.repeat(1024 * 1024) }), as(WRITE, t));
      expect(big.status).toBe(413);
      for (const res of [bad, text, big]) expectValid(validateError, res, 'body error');
    });

    it('unknown ids are 404 on every webhook route', async () => {
      const t = tenant();
      const id = randomUUID();
      const calls: [string, string, unknown?][] = [
        ['GET', `/caliper/webhooks/${id}`],
        ['PUT', `/caliper/webhooks/${id}`, webhookBody()],
        ['DELETE', `/caliper/webhooks/${id}`],
        ['PUT', `/caliper/webhooks/${id}/activate`],
        ['PUT', `/caliper/webhooks/${id}/deactivate`],
      ];
      for (const [method, path, body] of calls) {
        const res = await gw.request(method, path, body, as(CaliperScope.Admin, t));
        expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 404, body: { status: 'error', message: `Webhook ${id} not found`, errors: null } });
      }
    });
  });

  describe('scopes', () => {
    it('no or a bad token is 401; a token without the scope is 403; admin and the right scope pass', async () => {
      const t = tenant();
      const noToken = await gw.request('GET', '/caliper/webhooks');
      const badToken = await gw.request('GET', '/caliper/webhooks', undefined, { token: 'not-a-jwt' });
      for (const res of [noToken, badToken]) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ status: 'error', message: 'Missing, expired or invalid bearer token', errors: null });
        expectValid(validateError, res, '401');
      }
      const cases: [string, string, string, number][] = [
        [READ, 'POST', '/caliper/webhooks', 403],
        [INGEST, 'GET', '/caliper/webhooks', 403],
        [INGEST, 'POST', '/caliper/webhook-filters', 403],
        [WRITE, 'POST', '/caliper/events', 403],
        [READ, 'GET', '/caliper/webhook-filters', 200],
        [WRITE, 'GET', '/caliper/webhooks', 200],
        [CaliperScope.Admin, 'POST', '/caliper/webhooks', 201],
        [CaliperScope.Admin, 'POST', '/caliper/events', 200],
      ];
      for (const [scope, method, path, status] of cases) {
        const body = method !== 'POST' ? undefined : path.endsWith('events') ? envelope([navigation()]) : path.endsWith('webhooks') ? webhookBody() : {};
        const res = await gw.request(method, path, body, as(scope, t));
        expect({ scope, method, path, status: res.status }).toEqual({ scope, method, path, status });
        if (status === 403) {
          expect(res.body).toEqual({ status: 'error', message: expect.stringContaining('requires one of the scopes'), errors: null });
          expectValid(validateError, res, '403');
        }
      }
    });

    it('a client made with POST /v1/clients gets a token with the Caliper form body and uses it', async () => {
      const client = await gw.request('POST', '/v1/clients', { name: 'lms', tenant: 'district-9', scopes: [WRITE, READ] }, { token: gw.adminToken() });
      expect(client.status).toBe(201);
      const form = { grant_type: 'client_credentials', client_id: client.body.clientId, client_secret: client.body.clientSecret, scope: WRITE };
      const token = await gw.request('POST', '/oauth2/token', undefined, { form });
      expect(token.status).toBe(200);
      expect(token.body.scope).toBe(WRITE);
      const created = await gw.request('POST', '/caliper/webhooks/', webhookBody(), { token: token.body.access_token });
      expect(created.status).toBe(201);
      const listed = await gw.request('GET', '/caliper/webhooks/', undefined, { token: token.body.access_token });
      expect(listed.body.webhooks.map((w: Json) => w.id)).toEqual([created.body.webhook.id]);
      const narrowed = await gw.request('POST', '/oauth2/token', undefined, { form: { ...form, scope: READ } });
      expect((await gw.request('POST', '/caliper/webhooks/', webhookBody(), { token: narrowed.body.access_token })).status).toBe(403);
    });

    it('declares its scopes and event types in the catalogues', async () => {
      const metadata = pluginMetadataOf(CaliperPlugin)!;
      expect(Object.keys(metadata.scopes!)).toEqual([CaliperScope.Admin, WRITE, READ, INGEST]);
      const types = await gw.request('GET', '/v1/event-types', undefined, { token: gw.adminToken() });
      expect(types.body.data.filter((e: Json) => e.plugin === 'caliper').map((e: Json) => e.type)).toEqual(expect.arrayContaining(['NavigationEvent', 'GradeEvent', 'ActivityEvent']));
    });
  });

  describe('webhook filters', () => {
    it('create, list, get, by webhook, replace and delete', async () => {
      const t = tenant();
      const hook = await createWebhook(t);
      const other = await createWebhook(t);
      const created = await createFilter(t, { webhookId: hook.id, filterKey: 'actor.id', filterValue: 'https://example.edu/users/554433', filterOperation: 'eq' });
      expect(created.status).toBe(201);
      const filter = created.body.filter;
      expect(filter).toEqual({ id: expect.any(String), webhookId: hook.id, filterKey: 'actor.id', filterValue: 'https://example.edu/users/554433', filterType: 'string', filterOperation: 'eq', active: true, createdAt: expect.any(String), updatedAt: filter.createdAt, deletedAt: null });
      const second = (await createFilter(t, { webhookId: other.id, filterKey: 'type', filterValue: 'GradeEvent', filterOperation: 'eq' })).body.filter;

      for (const path of ['/caliper/webhook-filters', '/caliper/webhook-filters/']) {
        expect((await gw.request('GET', path, undefined, as(READ, t))).body).toEqual({ filters: [filter, second] });
      }
      expect((await gw.request('GET', `/caliper/webhook-filters/webhook/${hook.id}`, undefined, as(READ, t))).body).toEqual({ filters: [filter] });
      expect((await gw.request('GET', `/caliper/webhook-filters/${filter.id}`, undefined, as(READ, t))).body).toEqual({ filter });

      const replaced = await gw.request('PUT', `/caliper/webhook-filters/${filter.id}`, { webhookId: hook.id, filterKey: 'generated.scoreGiven', filterValue: '50', filterType: 'number', filterOperation: 'gte', active: false }, as(WRITE, t));
      expect(replaced.status).toBe(200);
      expect(replaced.body.filter).toMatchObject({ id: filter.id, createdAt: filter.createdAt, filterKey: 'generated.scoreGiven', filterType: 'number', filterOperation: 'gte', active: false });

      const deleted = await gw.request('DELETE', `/caliper/webhook-filters/${filter.id}`, undefined, as(WRITE, t));
      expect(deleted.body).toEqual({ status: 'success', message: `Webhook filter ${filter.id} deleted`, errors: null });
      expect((await gw.request('GET', `/caliper/webhook-filters/${filter.id}`, undefined, as(READ, t))).status).toBe(404);
      expect((await gw.request('GET', `/caliper/webhook-filters/webhook/${hook.id}`, undefined, as(READ, t))).body).toEqual({ filters: [] });
    });

    it.each([
      ['an unknown operation', { filterOperation: 'like' }, { filterOperation: "Invalid enum value. Expected 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'notContains' | 'in' | 'notIn' | 'startsWith' | 'endsWith' | 'regexp', received 'like'" }],
      ['a missing field', { active: undefined }, { active: 'Required' }],
      ['a value that is not a number', { filterType: 'number', filterValue: 'ten' }, { filterValue: 'filterValue "ten" is not a number' }],
      ['an invalid regexp', { filterOperation: 'regexp', filterValue: '(unclosed' }, { filterValue: expect.stringContaining('not a valid RE2 regexp') }],
      ['a backreference', { filterOperation: 'regexp', filterValue: '(a)\\1' }, { filterValue: 'regexp must not use backreferences (the linear-time RE2 engine cannot run them)' }],
      ['a named backreference', { filterOperation: 'regexp', filterValue: '(?<x>a)\\k<x>' }, { filterValue: 'regexp must not use backreferences (the linear-time RE2 engine cannot run them)' }],
      ['a lookahead', { filterOperation: 'regexp', filterValue: 'users/(?!554433)' }, { filterValue: 'regexp must not use lookahead or lookbehind (the linear-time RE2 engine cannot run them)' }],
      ['a lookbehind', { filterOperation: 'regexp', filterValue: '(?<=users/)\\d+' }, { filterValue: 'regexp must not use lookahead or lookbehind (the linear-time RE2 engine cannot run them)' }],
      ['an oversized regexp', { filterOperation: 'regexp', filterValue: 'a'.repeat(257) }, { filterValue: 'regexp must be at most 256 characters' }],
    ])('refuses %s with a status envelope 400', async (_what, overrides, errors) => {
      const t = tenant();
      const hook = await createWebhook(t);
      const res = await createFilter(t, { webhookId: hook.id, filterKey: 'actor.id', filterValue: 'x', filterOperation: 'eq', ...overrides });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ status: 'error', message: expect.any(String), errors });
      expectValid(validateError, res, 'filter 400');
    });

    it('refuses moving a filter to another webhook, and answers unknown ids with 404', async () => {
      const t = tenant();
      const hook = await createWebhook(t);
      const other = await createWebhook(t);
      const filter = (await createFilter(t, { webhookId: hook.id, filterKey: 'type', filterValue: 'ViewEvent', filterOperation: 'eq' })).body.filter;
      const moved = await gw.request('PUT', `/caliper/webhook-filters/${filter.id}`, { webhookId: other.id, filterKey: 'type', filterValue: 'ViewEvent', filterType: 'string', filterOperation: 'eq', active: true }, as(WRITE, t));
      expect(moved.status).toBe(400);
      expect(moved.body.errors).toEqual({ webhookId: 'webhookId cannot be changed; create the filter on the other webhook' });

      const missing = randomUUID();
      const noWebhook = await createFilter(t, { webhookId: missing, filterKey: 'type', filterValue: 'x', filterOperation: 'eq' });
      expect(noWebhook.status).toBe(404);
      expect(noWebhook.body).toEqual({ status: 'error', message: `Webhook ${missing} not found`, errors: null });
      const body = { webhookId: hook.id, filterKey: 'type', filterValue: 'x', filterType: 'string', filterOperation: 'eq', active: true };
      for (const [method, path, payload] of [['GET', `/caliper/webhook-filters/${missing}`], ['PUT', `/caliper/webhook-filters/${missing}`, body], ['DELETE', `/caliper/webhook-filters/${missing}`], ['GET', `/caliper/webhook-filters/webhook/${missing}`]] as const) {
        const res = await gw.request(method, path, payload, as(WRITE, t));
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        expectValid(validateError, res, `${method} ${path}`);
      }
    });
  });

  describe('ingestion and delivery', () => {
    it('validates the Sensor API envelope with zod-style issues', async () => {
      const t = tenant();
      const res = await ingest(t, { sensor: SENSOR, sendTime: 'yesterday', dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p1', data: [navigation({ type: 'CoffeeEvent', eventTime: undefined })] });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        expect.objectContaining({ code: 'invalid_string', validation: 'datetime', path: ['sendTime'] }),
        expect.objectContaining({ code: 'invalid_enum_value', received: 'CoffeeEvent', path: ['data', '0', 'type'] }),
        expect.objectContaining({ code: 'invalid_type', expected: 'string', received: 'undefined', path: ['data', '0', 'eventTime'], message: 'Required' }),
      ]);
      expectValid(validateError, res, 'ingest 400');
      const empty = await ingest(t, envelope([]));
      expect(empty.body.details).toEqual([expect.objectContaining({ code: 'too_small', path: ['data'] })]);
    });

    it('delivers each event in its own Caliper envelope to webhooks of its sensor (or of none), signed with the user secret', async () => {
      const t = tenant();
      const ofSensor = await createWebhook(t, { sensor: SENSOR, targetUrl: `${receiver.url}/sensor`, secret: 'sensor-secret' });
      await createWebhook(t, { sensor: 'https://example.edu/sensors/other', targetUrl: `${receiver.url}/other-sensor` });
      await createWebhook(t, { targetUrl: `${receiver.url}/any` });
      const inactive = await createWebhook(t, { targetUrl: `${receiver.url}/inactive`, active: false });
      const events = [navigation(), grade(80)];

      const res = await ingest(t, envelope(events));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'success', message: '2 event(s) accepted', errors: null, events: 2, duplicates: 0, entities: 0, deliveries: 4 });

      await eventually(async () => receivedFor('/hook/sensor').length === 2 && receivedFor('/hook/any').length === 2);
      expect(receivedFor('/hook/other-sensor')).toEqual([]);
      expect(receivedFor('/hook/inactive')).toEqual([]);
      const bodies = receivedFor('/hook/sensor').map((r) => r.json());
      expect(bodies).toEqual(expect.arrayContaining(events.map((e) => ({ sensor: SENSOR, sendTime: '2018-11-15T10:15:01.000Z', dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p1', data: [e] }))));

      for (const got of receivedFor('/hook/sensor')) {
        const headers = got.headers as Record<string, string>;
        // node:crypto: HMAC-SHA256 keyed with the secret's UTF-8 bytes over id.timestamp.body
        const expected = createHmac('sha256', 'sensor-secret').update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${got.body}`).digest('base64');
        expect(headers['webhook-signature']).toBe(`v1,${expected}`);
        // standardwebhooks: both documented recipes verify
        expect(new Webhook(Buffer.from(ofSensor.secret).toString('base64')).verify(got.body, headers)).toEqual(got.json());
        expect(new Webhook(ofSensor.secret, { format: 'raw' }).verify(got.body, headers)).toEqual(got.json());
        expect(() => new Webhook('wrong-secret', { format: 'raw' }).verify(got.body, headers)).toThrow();
      }
      const deliveries = await gw.request('GET', `/v1/deliveries?endpointId=${inactive.id}`, undefined, { token: gw.adminToken() });
      expect(deliveries.body.data).toEqual([]);
    });

    it('a whsec_ secret signs with the base64 decoding of what follows the prefix', async () => {
      const t = tenant();
      const path = `/hook/whsec-${t}`;
      const key = Buffer.from('an independent 32-byte test key!');
      const secret = `whsec_${key.toString('base64')}`;
      await createWebhook(t, { targetUrl: `${receiver.url}/whsec-${t}`, secret });
      await ingest(t, envelope([navigation()]));
      const [got] = await eventually(async () => receivedFor(path).length === 1 && receivedFor(path));
      const headers = got.headers as Record<string, string>;
      const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${got.body}`).digest('base64');
      expect(headers['webhook-signature']).toBe(`v1,${expected}`);
      expect(new Webhook(secret).verify(got.body, headers)).toEqual(got.json());
    });

    it.each([
      ['whsec_!!!!!!!!', 'nothing but characters base64 skips'],
      ['whsec_', 'an empty key'],
      ['whsec_YWJj ZA==', 'a space inside'],
      ['whsec_YWJjZA', 'missing padding'],
    ])('refuses the secret %s (%s) at creation and on PUT with a zod-style 400', async (secret) => {
      const t = tenant();
      const expectRefused = (res: HttpResult) => {
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error: 'Invalid request data', details: [expect.objectContaining({ code: 'invalid_string', path: ['secret'], message: expect.stringContaining('standard base64') })] });
        expect(res.text).not.toContain(JSON.stringify(secret)); // never echoed back
        expectValid(validateError, res, 'secret 400');
      };
      expectRefused(await gw.request('POST', '/caliper/webhooks', webhookBody({ secret }), as(WRITE, t)));
      const hook = await createWebhook(t);
      expectRefused(await gw.request('PUT', `/caliper/webhooks/${hook.id}`, webhookBody({ secret }), as(WRITE, t)));
      expect((await gw.request('GET', `/caliper/webhooks/${hook.id}`, undefined, as(READ, t))).body.webhook.secret).toBe(hook.secret);
    });

    it('applies active filters (ANDed) at fan-out; inactive filters are ignored', async () => {
      const t = tenant();
      const hook = await createWebhook(t, { targetUrl: `${receiver.url}/filtered-${t}` });
      await createFilter(t, { webhookId: hook.id, filterKey: 'type', filterValue: 'GradeEvent', filterOperation: 'eq' });
      await createFilter(t, { webhookId: hook.id, filterKey: 'generated.scoreGiven', filterValue: '50', filterType: 'number', filterOperation: 'gte' });
      await createFilter(t, { webhookId: hook.id, filterKey: 'actor', filterValue: 'nobody', filterOperation: 'eq', active: false });
      await createFilter(t, { webhookId: hook.id, filterKey: 'object.id', filterValue: '^https://example\\.edu/attempts/\\d+$', filterOperation: 'regexp' });

      const res = await ingest(t, envelope([grade(90), grade(20), navigation()]));
      expect(res.body).toMatchObject({ events: 3, deliveries: 1 });
      const [got] = await eventually(async () => receivedFor(`/hook/filtered-${t}`).length === 1 && receivedFor(`/hook/filtered-${t}`));
      expect(got.json().data[0].generated.scoreGiven).toBe(90);
    });

    it('a deactivated webhook receives nothing and keeps nothing queued; activated again it receives new events', async () => {
      const t = tenant();
      const path = `/hook/toggle-${t}`;
      const hook = await createWebhook(t, { targetUrl: `${receiver.url}/toggle-${t}` });
      // Hold the first delivery in retries, then deactivate: the queued retry is dropped.
      receiver.respond = (req) => (req.url === path ? { status: 503 } : { status: 200 });
      await ingest(t, envelope([navigation()]));
      const [held] = await eventually(async () => receivedFor(path).length >= 1 && receivedFor(path));
      await gw.request('PUT', `/caliper/webhooks/${hook.id}/deactivate`, undefined, as(WRITE, t));
      expect((await ingest(t, envelope([navigation()]))).body.deliveries).toBe(0);
      const admin = { token: gw.adminToken() };
      await eventually(async () => {
        const list = await gw.request('GET', `/v1/deliveries?endpointId=${hook.id}`, undefined, admin);
        return list.body.data.length === 1 && list.body.data[0].status === 'dead';
      });
      receiver.respond = () => ({ status: 200 });
      await gw.request('PUT', `/caliper/webhooks/${hook.id}/activate`, undefined, as(WRITE, t));
      expect((await ingest(t, envelope([navigation()]))).body.deliveries).toBe(1);
      await eventually(async () => receivedFor(path).some((r) => r.headers['webhook-id'] !== held.headers['webhook-id']));
    });

    it('retries on the core schedule (5s, 5m, ... scaled), with the same webhook-id on every attempt', async () => {
      const t = tenant();
      const path = `/hook/retry-${t}`;
      await createWebhook(t, { targetUrl: `${receiver.url}/retry-${t}` });
      receiver.respond = (req) => (req.url === path && receivedFor(path).length <= 2 ? { status: 500 } : { status: 200 });
      await ingest(t, envelope([navigation()]));
      const attempts = await eventually(async () => receivedFor(path).length === 3 && receivedFor(path));
      receiver.respond = () => ({ status: 200 });
      expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
      const [first, second] = [attempts[1].at - attempts[0].at, attempts[2].at - attempts[1].at];
      // 5m / 5s = 60: the second wait is far longer than the first.
      expect(second).toBeGreaterThan(first * 2);
      const metadata = pluginMetadataOf(CaliperPlugin)!;
      expect(metadata.delivery?.retry).toBeUndefined();
    });

    it('validates Caliper events published through POST /v1/events for the plugin', async () => {
      const t = tenant();
      const token = gw.token({ scope: 'events:publish', tenant: t });
      const bad = await gw.request('POST', '/v1/events', { plugin: 'caliper', type: 'ViewEvent', data: navigation() }, { token });
      expect(bad.status).toBe(400);
      await createWebhook(t, { targetUrl: `${receiver.url}/v1-${t}` });
      const ok = await gw.request('POST', '/v1/events', { plugin: 'caliper', type: 'NavigationEvent', data: navigation(), context: { sensor: SENSOR } }, { token });
      expect(ok.status).toBe(202);
      expect(ok.body.deliveries).toBe(1);
      const [got] = await eventually(async () => receivedFor(`/hook/v1-${t}`).length === 1 && receivedFor(`/hook/v1-${t}`));
      expect(got.json()).toMatchObject({ sensor: SENSOR, dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p1', data: [expect.objectContaining({ type: 'NavigationEvent' })] });
    });

    it('runs a backtracking-hostile regexp on the linear-time engine, with its meaning intact', async () => {
      const t = tenant();
      const path = `/hook/hostile-${t}`;
      const hook = await createWebhook(t, { targetUrl: `${receiver.url}/hostile-${t}` });
      // Cubic on a backtracking engine for 256 word characters; accepted now, and still a real filter.
      for (let i = 0; i < 3; i++) expect((await createFilter(t, { webhookId: hook.id, filterKey: 'extensions.note', filterValue: '\\w*a?\\w*b|c$', filterOperation: 'regexp' })).status).toBe(201);
      const endsInC = navigation({ extensions: { note: `${'a'.repeat(255)}c` } });
      const res = await ingest(t, envelope([endsInC, navigation({ extensions: { note: 'a'.repeat(256) } }), navigation({ extensions: { note: 'c is not last' } })]));
      expect(res.body).toMatchObject({ events: 3, deliveries: 1 });
      const [got] = await eventually(async () => receivedFor(path).length === 1 && receivedFor(path));
      expect(got.json().data[0].id).toBe(endsInC.id);
    });

    describe('an envelope is stored whole or not at all', () => {
      const storedFor = (t: string): Promise<number> => gw.app.get(DataSource).manager.count(EventRow, { where: { tenant: t } });

      it('an invalid third event refuses the envelope with a 400: nothing stored, nothing delivered', async () => {
        const t = tenant();
        await createWebhook(t, { targetUrl: `${receiver.url}/invalid-third-${t}` });
        const res = await ingest(t, envelope([navigation(), navigation(), navigation({ action: undefined })]));
        expect(res.status).toBe(400);
        expect(res.body.details).toEqual([expect.objectContaining({ path: ['data', '2', 'action'], message: 'Required' })]);
        expect(await storedFor(t)).toBe(0);
      });

      it('a third event the database refuses fails the envelope: the first two are neither stored nor delivered', async () => {
        const t = tenant();
        const path = `/hook/poisoned-${t}`;
        await createWebhook(t, { targetUrl: `${receiver.url}/poisoned-${t}` });
        const db = gw.app.get(DataSource);
        // A storage failure on one event only, injected below the gateway.
        const poison = isPostgres()
          ? [
              "CREATE FUNCTION refuse_poisoned_event() RETURNS trigger AS $$ BEGIN IF NEW.data LIKE '%poisoned-by-test%' THEN RAISE EXCEPTION 'injected storage failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
              'CREATE TRIGGER refuse_poisoned_event BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_poisoned_event()',
            ]
          : ["CREATE TRIGGER refuse_poisoned_event BEFORE INSERT ON events WHEN NEW.data LIKE '%poisoned-by-test%' BEGIN SELECT RAISE(ABORT, 'injected storage failure'); END"];
        const cure = isPostgres() ? ['DROP TRIGGER refuse_poisoned_event ON events', 'DROP FUNCTION refuse_poisoned_event()'] : ['DROP TRIGGER refuse_poisoned_event'];
        for (const sql of poison) await db.query(sql);
        try {
          const res = await ingest(t, envelope([navigation(), navigation(), navigation({ extensions: { note: 'poisoned-by-test' } })]));
          expect(res.status).toBe(500);
          expect(res.body).toEqual({ status: 'error', message: expect.any(String), errors: null });
        } finally {
          for (const sql of cure) await db.query(sql);
        }
        expect(await storedFor(t)).toBe(0);
        const healthy = await ingest(t, envelope([navigation()]));
        expect(healthy.body).toMatchObject({ events: 1, deliveries: 1 });
        await eventually(async () => receivedFor(path).length === 1);
        // Only the healthy envelope's event ever arrived.
        expect(receivedFor(path).map((r) => r.json().data[0].extensions)).toEqual([undefined]);
      });
    });

    describe('a Caliper event id seen again by the tenant within 24 h is accepted but not delivered again', () => {
      it('a re-sent envelope (new sendTime) and a repeat inside one envelope are each delivered once', async () => {
        const t = tenant();
        const path = `/hook/dedup-${t}`;
        await createWebhook(t, { targetUrl: `${receiver.url}/dedup-${t}` });
        const [first, second] = [navigation(), grade(70)];
        const once = await ingest(t, envelope([first, second, first]));
        expect(once.body).toEqual({ status: 'success', message: '3 event(s) accepted, 1 already received', errors: null, events: 3, duplicates: 1, entities: 0, deliveries: 2 });
        const again = await ingest(t, { ...envelope([second, first]), sendTime: '2018-11-15T11:00:00.000Z' });
        expect(again.status).toBe(200);
        expect(again.body).toMatchObject({ events: 2, duplicates: 2, deliveries: 0 });
        await eventually(async () => receivedFor(path).length === 2);
        await new Promise((r) => setTimeout(r, 300)); // room for a wrong second delivery to show up
        expect(receivedFor(path).map((r) => r.json().data[0].id).sort()).toEqual([first.id, second.id].sort());
      });

      it('another tenant sending the same id gets its own delivery, and after 24 h the id counts as new', async () => {
        const [t, other] = [tenant(), tenant()];
        await createWebhook(t, { targetUrl: `${receiver.url}/window-${t}` });
        await createWebhook(other, { targetUrl: `${receiver.url}/window-${other}` });
        const event = navigation();
        expect((await ingest(t, envelope([event]))).body).toMatchObject({ duplicates: 0, deliveries: 1 });
        expect((await ingest(other, envelope([event]))).body).toMatchObject({ duplicates: 0, deliveries: 1 });
        expect((await ingest(t, envelope([event]))).body).toMatchObject({ duplicates: 1, deliveries: 0 });
        // The first reception ages past the window.
        await gw.app.get(DataSource).manager.update(EventRow, { tenant: t }, { createdAt: Date.now() - 25 * 3600 * 1000 });
        expect((await ingest(t, envelope([event]))).body).toMatchObject({ duplicates: 0, deliveries: 1 });
        await eventually(async () => receivedFor(`/hook/window-${t}`).length === 2 && receivedFor(`/hook/window-${other}`).length === 1);
      });
    });
  });
  describe('bodies behave like the provider\'s zod schemas', () => {
    it('a webhook GET answered can be PUT back as is: 200, nothing changes', async () => {
      const t = tenant();
      const hook = await createWebhook(t, { sensor: SENSOR, description: 'round trip' });
      const got = (await gw.request('GET', `/caliper/webhooks/${hook.id}`, undefined, as(READ, t))).body.webhook;
      expect(Object.keys(got)).toEqual(expect.arrayContaining(['id', 'createdAt', 'updatedAt', 'deletedAt']));
      const put = await gw.request('PUT', `/caliper/webhooks/${hook.id}`, got, as(WRITE, t));
      expect(put.status).toBe(200);
      expect(put.body.webhook).toEqual({ ...got, updatedAt: expect.any(String) });
      expect((await gw.request('GET', `/caliper/webhooks/${hook.id}`, undefined, as(READ, t))).body.webhook).toEqual(put.body.webhook);
    });

    it('a filter GET answered can be PUT back as is: 200, nothing changes', async () => {
      const t = tenant();
      const hook = await createWebhook(t);
      const filter = (await createFilter(t, { webhookId: hook.id, filterKey: 'actor.id', filterValue: 'https://example.edu/users/554433', filterOperation: 'eq' })).body.filter;
      const got = (await gw.request('GET', `/caliper/webhook-filters/${filter.id}`, undefined, as(READ, t))).body.filter;
      const put = await gw.request('PUT', `/caliper/webhook-filters/${filter.id}`, got, as(WRITE, t));
      expect(put.status).toBe(200);
      expect(put.body.filter).toEqual({ ...got, updatedAt: expect.any(String) });
      expect((await gw.request('GET', `/caliper/webhook-filters/webhook/${hook.id}`, undefined, as(READ, t))).body.filters).toEqual([put.body.filter]);
    });

    it('unknown keys on POST are stripped: not echoed, not stored, and server-owned fields are not taken from the body', async () => {
      const t = tenant();
      const foreign = { id: 'chosen-by-client', createdAt: '1999-01-01T00:00:00.000Z', deletedAt: '1999-01-01T00:00:00.000Z', color: 'red' };
      const created = await gw.request('POST', '/caliper/webhooks', webhookBody(foreign), as(WRITE, t));
      expect(created.status).toBe(201);
      const hook = created.body.webhook;
      expect(Object.keys(hook).sort()).toEqual(['active', 'createdAt', 'deletedAt', 'description', 'id', 'name', 'secret', 'sensor', 'targetUrl', 'updatedAt']);
      expect({ id: hook.id === foreign.id, createdAt: hook.createdAt, deletedAt: hook.deletedAt }).toEqual({ id: false, createdAt: expect.not.stringMatching(/^1999/), deletedAt: null });

      const filter = await createFilter(t, { webhookId: hook.id, filterKey: 'type', filterValue: 'ViewEvent', filterOperation: 'eq', ...foreign });
      expect(filter.status).toBe(201);
      expect(filter.body.filter).toEqual({ id: expect.not.stringMatching(foreign.id), webhookId: hook.id, filterKey: 'type', filterValue: 'ViewEvent', filterType: 'string', filterOperation: 'eq', active: true, createdAt: expect.not.stringMatching(/^1999/), updatedAt: expect.any(String), deletedAt: null });
      const stored = await gw.app.get(DataSource).manager.findOneByOrFail(EndpointRow, { id: hook.id });
      expect({ metadata: stored.metadata, filters: stored.filters }).toEqual({ metadata: { name: 'My Webhook', sensor: null }, filters: [filter.body.filter] });
    });

    it('activate and deactivate take an empty body sent as application/json; a route that needs a body still refuses it', async () => {
      const t = tenant();
      const hook = await createWebhook(t);
      const empty = { ...as(WRITE, t), raw: '', headers: { 'content-type': 'application/json' } };
      const off = await gw.request('PUT', `/caliper/webhooks/${hook.id}/deactivate`, undefined, empty);
      expect({ status: off.status, active: off.body.webhook?.active }).toEqual({ status: 200, active: false });
      const on = await gw.request('PUT', `/caliper/webhooks/${hook.id}/activate`, undefined, empty);
      expect({ status: on.status, active: on.body.webhook?.active }).toEqual({ status: 200, active: true });
      const create = await gw.request('POST', '/caliper/webhooks', undefined, empty);
      expect(create.status).toBe(400);
      expect(create.body.details).toEqual([expect.objectContaining({ code: 'invalid_type', expected: 'object', received: 'undefined', path: [] })]);
      const broken = await gw.request('PUT', `/caliper/webhooks/${hook.id}/activate`, undefined, { ...empty, raw: '{' });
      expect({ status: broken.status, body: broken.body }).toEqual({ status: 400, body: { error: 'Request body is not valid JSON', details: [] } });
    });

    it('an ingested event is delivered as sent, unknown keys included', async () => {
      const t = tenant();
      const path = `/hook/as-sent-${t}`;
      await createWebhook(t, { targetUrl: `${receiver.url}/as-sent-${t}` });
      const event = navigation({ 'ext:vendorField': { nested: [1, null, 'x', { deep: true }] }, unknownTopLevel: 42.5, extensions: { note: 'kept' } });
      const res = await ingest(t, { ...envelope([event]), unknownEnvelopeKey: 'ignored' });
      expect(res.status).toBe(200);
      const [got] = await eventually(async () => receivedFor(path).length === 1 && receivedFor(path));
      expect(got.json()).toEqual({ sensor: SENSOR, sendTime: '2018-11-15T10:15:01.000Z', dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p1', data: [event] });
    });
  });

  describe('every envelope the IMS Caliper Sensor API allows (the specification\'s own examples)', () => {
    const storedTypes = async (t: string): Promise<string[]> => (await gw.app.get(DataSource).manager.find(EventRow, { where: { tenant: t } })).map((e) => e.type).sort();

    it('a 1.1 envelope mixing entity describes and events: only the events are stored, filtered and delivered', async () => {
      const t = tenant();
      const mixed = specExample('v1p1-envelope-mixed-batch.json');
      const isEvent = (item: Json) => String(item.type).endsWith('Event');
      const events = mixed.data.filter(isEvent);
      expect({ events: events.length, entities: mixed.data.length - events.length }).toEqual({ events: 3, entities: 4 });
      await createWebhook(t, { targetUrl: `${receiver.url}/mixed-all-${t}` });
      // Only the describes have https ids (the events' are urn:uuid): if a filter ever saw an entity, this webhook would receive it.
      const entityIds = await createWebhook(t, { targetUrl: `${receiver.url}/mixed-entities-${t}` });
      await createFilter(t, { webhookId: entityIds.id, filterKey: 'id', filterValue: 'https://', filterOperation: 'startsWith' });

      const res = await ingest(t, mixed);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'success', message: '3 event(s) accepted, 4 entity describe(s) not relayed', errors: null, events: 3, duplicates: 0, entities: 4, deliveries: 3 });
      expectValid(ajv.compile(INGEST_RESULT_SCHEMA), res, 'ingest 200');
      expect(await storedTypes(t)).toEqual(['AssessmentEvent', 'AssessmentEvent', 'GradeEvent']);
      const received = await eventually(async () => receivedFor(`/hook/mixed-all-${t}`).length === 3 && receivedFor(`/hook/mixed-all-${t}`));
      const { data: _data, ...envelopeFields } = mixed;
      expect(received.map((r) => r.json())).toEqual(expect.arrayContaining(events.map((e: Json) => ({ ...envelopeFields, data: [e] }))));
      expect(receivedFor(`/hook/mixed-entities-${t}`)).toEqual([]);
    });

    it('an envelope of entity describes only is acknowledged; nothing is stored or delivered', async () => {
      const t = tenant();
      await createWebhook(t, { targetUrl: `${receiver.url}/describe-only-${t}` });
      const res = await ingest(t, specExample('v1p1-envelope-entity-single.json'));
      expect(res.body).toEqual({ status: 'success', message: '0 event(s) accepted, 1 entity describe(s) not relayed', errors: null, events: 0, duplicates: 0, entities: 1, deliveries: 0 });
      expect(await storedTypes(t)).toEqual([]);
    });

    it('1.1 and 1.2 events with embedded entities or IRIs (AssessmentEvent, SessionEvent LoggedIn, NavigationEvent) are delivered as sent, and filters reach into embedded entities', async () => {
      const t = tenant();
      const path = `/hook/spec-${t}`;
      await createWebhook(t, { targetUrl: `${receiver.url}/spec-${t}` });
      const learners = await createWebhook(t, { targetUrl: `${receiver.url}/spec-learners-${t}` });
      await createFilter(t, { webhookId: learners.id, filterKey: 'membership.roles', filterValue: 'Learner', filterOperation: 'contains' });

      const v1p1 = specExample('v1p1-envelope-assessment-event-embedded.json');
      const [session, navigationEvent] = [specExample('v1p2-session-event-logged-in.json'), specExample('v1p2-navigation-event-navigated-to.json')];
      const v1p2 = { sensor: SENSOR, sendTime: '2016-11-15T10:15:01.000Z', dataVersion: V1P2, data: [session, navigationEvent] };
      expect((await ingest(t, v1p1)).body).toMatchObject({ events: 1, entities: 0, deliveries: 2 });
      // The session event has no membership: the learners' filter lets only the navigation event through.
      expect((await ingest(t, v1p2)).body).toMatchObject({ events: 2, entities: 0, deliveries: 3 });

      const received = await eventually(async () => receivedFor(path).length === 3 && receivedFor(path));
      expect(received.map((r) => r.json())).toEqual(
        expect.arrayContaining([v1p1, { ...v1p2, data: [session] }, { ...v1p2, data: [navigationEvent] }]),
      );
      const toLearners = await eventually(async () => receivedFor(`/hook/spec-learners-${t}`).length === 2 && receivedFor(`/hook/spec-learners-${t}`));
      expect(toLearners.map((r) => r.json().data[0].type).sort()).toEqual(['AssessmentEvent', 'NavigationEvent']);
    });

    it('@context may be a string, an array (the specification\'s example) or an object; anything else is a zod-style 400', async () => {
      const t = tenant();
      const withArray = specExample('v1p1-envelope-event-context-array.json');
      expect(Array.isArray(withArray.data[0]['@context'])).toBe(true);
      const withObject = { ...specExample('v1p2-navigation-event-navigated-to.json'), '@context': { '@vocab': 'http://purl.imsglobal.org/caliper/', query: 'http://schema.org/query' } };
      expect((await ingest(t, withArray)).body).toMatchObject({ events: 1, entities: 0 });
      expect((await ingest(t, { ...envelope([withObject]), dataVersion: V1P2 })).body).toMatchObject({ events: 1, entities: 0 });

      const res = await ingest(t, envelope([navigation({ '@context': 7, generated: 5 }), { '@context': null, type: 'Person' }]));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'Invalid request data',
        details: [
          { code: 'invalid_type', expected: 'string | object | array', received: 'number', path: ['data', '0', '@context'], message: 'Expected string | object | array, received number' },
          { code: 'invalid_type', expected: 'string | object', received: 'number', path: ['data', '0', 'generated'], message: 'Expected string | object, received number' },
          { code: 'invalid_type', expected: 'string | object | array', received: 'null', path: ['data', '1', '@context'], message: 'Expected string | object | array, received null' },
          { code: 'invalid_type', expected: 'string', received: 'undefined', path: ['data', '1', 'id'], message: 'Required' },
        ],
      });
      expectValid(validateError, res, 'ingest 400');
      expect(await storedTypes(t)).toEqual(['Event', 'NavigationEvent']);
    });
  });
});
