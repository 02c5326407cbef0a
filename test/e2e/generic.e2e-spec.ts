import Ajv from 'ajv';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { GenericPlugin } from '../../plugins/generic/generic.plugin';
import { genericErrors } from '../../plugins/generic/generic.errors';
import { buildDocuments } from '../../src/openapi/document';
import { useGateway, useReceiverFactory } from '../support/fixture';
import { eventually } from '../support/gateway';
import { Received } from '../support/receiver';

const ALL_SCOPES = 'webhooks:read webhooks:write events:publish deliveries:read audit:read';
const AUTH_TYPE_RULE = 'authType must be one of none, basic, querystring, authheader, header, bearer';
const MASK = '********';

describe('generic authType webhooks (/generic)', () => {
  const gw = useGateway({ plugins: [GenericPlugin] });
  const receiver = useReceiverFactory();
  let tenants = 0;

  /** A fresh tenant (so one-hook-per-kind state never leaks between tests) and its client's token. */
  const newAccount = (scope = ALL_SCOPES) => {
    const tenant = `tenant-${++tenants}`;
    return { tenant, token: gw.token({ sub: `${tenant}-client`, tenant, scope }) };
  };
  const hooksOf = async (token: string) => (await gw.request('GET', '/generic/webhooks', undefined, { token })).body.data as any[];
  const publish = (token: string, type: string, data: unknown) => gw.request('POST', '/v1/events', { type, plugin: 'generic', data }, { token });

  describe('POST /generic/webhooks validation (one case per rule, same rules on PUT)', () => {
    const url = 'https://example.com/webhook';
    const cases: [string, unknown, string][] = [
      ['a body that is not an object', ['endpoint'], 'body must be a JSON object'],
      ['an unknown field', { endpoint: url, authType: 'none', secret: 'x' }, 'property secret should not exist'],
      ['isAlertHook that is not a boolean', { isAlertHook: 'true', endpoint: url, authType: 'none' }, 'isAlertHook must be a boolean'],
      ['a credential that is not a string', { endpoint: url, authType: 'bearer', token: 123 }, 'token must be a string'],
      ['no endpoint', { authType: 'none' }, 'endpoint is required'],
      ['an endpoint that is not a string', { endpoint: 42, authType: 'none' }, 'endpoint must be a string'],
      ['an endpoint that is not a URL', { endpoint: 'example.com/webhook', authType: 'none' }, 'endpoint must be a valid URL'],
      ['an endpoint that is not http(s)', { endpoint: 'ftp://example.com/webhook', authType: 'none' }, 'endpoint must be a valid URL'],
      ['an endpoint with user:password@', { endpoint: 'https://u:p@example.com/webhook', authType: 'none' }, 'endpoint must not contain credentials (user:password@)'],
      ['no authType', { endpoint: url }, 'authType is required'],
      ['an unknown authType', { endpoint: url, authType: 'digest' }, AUTH_TYPE_RULE],
      ['an authType in another case', { endpoint: url, authType: 'Bearer', token: 't' }, AUTH_TYPE_RULE],
      ['none with userName', { endpoint: url, authType: 'none', userName: 'admin' }, 'userName must not be provided when authType is none'],
      ['none with password', { endpoint: url, authType: 'none', password: 'pw' }, 'password must not be provided when authType is none'],
      ['none with token', { endpoint: url, authType: 'none', token: 't' }, 'token must not be provided when authType is none'],
      ['credentials and token together (basic)', { endpoint: url, authType: 'basic', userName: 'u', password: 'p', token: 't' }, 'provide either userName and password or token, not both'],
      ['credentials and token together (bearer)', { endpoint: url, authType: 'bearer', password: 'p', token: 't' }, 'provide either userName and password or token, not both'],
      ['basic without userName', { endpoint: url, authType: 'basic', password: 'p' }, 'userName is required when authType is basic'],
      ['basic without password', { endpoint: url, authType: 'basic', userName: 'u' }, 'password is required when authType is basic'],
      ['basic with an empty password', { endpoint: url, authType: 'basic', userName: 'u', password: '' }, 'password must not be empty'],
      ['basic with a colon in userName', { endpoint: url, authType: 'basic', userName: 'a:b', password: 'p' }, 'userName must not contain a colon (HTTP Basic joins userName and password with one)'],
      ['querystring without token', { endpoint: url, authType: 'querystring' }, 'token is required when authType is querystring'],
      ['authheader without token', { endpoint: url, authType: 'authheader' }, 'token is required when authType is authheader'],
      ['header without token', { endpoint: url, authType: 'header' }, 'token is required when authType is header'],
      ['bearer without token', { endpoint: url, authType: 'bearer' }, 'token is required when authType is bearer'],
      ['a token type with userName', { endpoint: url, authType: 'bearer', userName: 'u' }, 'userName must not be provided when authType is bearer'],
      ['a token type with password', { endpoint: url, authType: 'authheader', password: 'p' }, 'password must not be provided when authType is authheader'],
      ['an empty token', { endpoint: url, authType: 'bearer', token: '' }, 'token must not be empty'],
      ['a token with a line break', { endpoint: url, authType: 'header', token: 'a\r\nX-Injected: 1' }, 'token must contain only printable ASCII characters'],
      ['headerName with another authType', { endpoint: url, authType: 'bearer', token: 't', headerName: 'X-Key' }, 'headerName must only be provided when authType is header'],
      ['queryParam with another authType', { endpoint: url, authType: 'header', token: 't', queryParam: 'key' }, 'queryParam must only be provided when authType is querystring'],
      ['an invalid headerName', { endpoint: url, authType: 'header', token: 't', headerName: 'X Key' }, 'headerName must be a valid HTTP header name'],
      [
        'a headerName the gateway sets itself',
        { endpoint: url, authType: 'header', token: 't', headerName: 'Webhook-Signature' },
        'headerName must not be one of host, content-length, content-type, transfer-encoding, connection, user-agent, webhook-id, webhook-timestamp, webhook-signature',
      ],
      ['a hop-by-hop headerName', { endpoint: url, authType: 'header', token: 't', headerName: 'Upgrade' }, 'headerName must not be a hop-by-hop header or a webhook-* header'],
      ['an invalid queryParam', { endpoint: url, authType: 'querystring', token: 't', queryParam: 'api key' }, 'queryParam must contain only letters, digits and . _ ~ -'],
      [
        'an endpoint that already carries the query parameter',
        { endpoint: `${url}?token=old`, authType: 'querystring', token: 't' },
        'endpoint must not already contain the query parameter token when authType is querystring',
      ],
    ];

    it.each(cases)('POST refuses %s with 400 and the rule', async (_, body, message) => {
      const { token } = newAccount();
      const res = await gw.request('POST', '/generic/webhooks', body, { token });
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { message } });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    });

    it.each(cases)('PUT refuses %s with 400 and the rule', async (_, body, message) => {
      const { token } = newAccount();
      const res = await gw.request('PUT', '/generic/webhooks', body, { token });
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { message } });
    });

    it('answers 400 {message} to malformed JSON and to a missing body, never 500', async () => {
      const { token } = newAccount();
      const malformed = await gw.request('POST', '/generic/webhooks', undefined, { token, raw: '{"endpoint":', headers: { 'content-type': 'application/json' } });
      expect({ status: malformed.status, body: malformed.body }).toEqual({ status: 400, body: { message: expect.stringContaining('not valid JSON') } });
      const missing = await gw.request('POST', '/generic/webhooks', undefined, { token });
      expect({ status: missing.status, body: missing.body }).toEqual({ status: 400, body: { message: 'body must be a JSON object' } });
    });

    it('treats null optional fields as absent and defaults isAlertHook to false', async () => {
      const { token } = newAccount();
      const res = await gw.request('POST', '/generic/webhooks', { isAlertHook: null, endpoint: url, authType: 'none', userName: null, password: null, token: null }, { token });
      expect({ status: res.status, body: res.body }).toEqual({ status: 201, body: { message: 'Webhook created successfully' } });
      expect(await hooksOf(token)).toMatchObject([{ isAlertHook: false, endpoint: url, authType: 'none' }]);
    });

    it('answers DELETE with a bad isAlertHook query with 400', async () => {
      const { token } = newAccount();
      const res = await gw.request('DELETE', '/generic/webhooks?isAlertHook=yes', undefined, { token });
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { message: 'isAlertHook must be true or false' } });
    });
  });

  describe('authentication', () => {
    const routes: [string, string][] = [
      ['POST', '/generic/webhooks'],
      ['PUT', '/generic/webhooks'],
      ['GET', '/generic/webhooks'],
      ['DELETE', '/generic/webhooks'],
    ];

    it.each(routes)('%s %s answers 401 {message} without a bearer token, in the declared error schema', async (method, path) => {
      const res = await gw.request(method, path, method === 'POST' || method === 'PUT' ? { endpoint: 'https://example.com', authType: 'none' } : undefined);
      expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: { message: 'Missing, expired or invalid bearer token' } });
      expect(new Ajv({ strict: false }).validate(genericErrors.schema, res.body)).toBe(true);
    });

    it('answers 401 to an expired token and 403 to a token without webhooks:write', async () => {
      const expired = gw.token({ scope: ALL_SCOPES }, { expiresIn: -10 });
      const res = await gw.request('GET', '/generic/webhooks', undefined, { token: expired });
      expect(res.status).toBe(401);
      const reader = newAccount('webhooks:read');
      const denied = await gw.request('POST', '/generic/webhooks', { endpoint: 'https://example.com', authType: 'none' }, { token: reader.token });
      expect({ status: denied.status, body: denied.body }).toEqual({ status: 403, body: { message: 'This operation requires one of the scopes: webhooks:write' } });
      expect((await gw.request('GET', '/generic/webhooks', undefined, { token: reader.token })).status).toBe(200);
    });

    it('answers 404 {message} on an unknown /generic route', async () => {
      const { token } = newAccount();
      const res = await gw.request('GET', '/generic/nope', undefined, { token });
      expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: { message: 'Not found' } });
    });
  });

  describe('one data hook and one alert hook per account', () => {
    it('refuses a second hook of the same kind with 409 and points to PUT', async () => {
      const { token } = newAccount();
      const data = { endpoint: 'https://example.com/data', authType: 'none' };
      const alert = { isAlertHook: true, endpoint: 'https://example.com/alert', authType: 'bearer', token: 'alert-secret' };
      expect((await gw.request('POST', '/generic/webhooks', data, { token })).status).toBe(201);
      const second = await gw.request('POST', '/generic/webhooks', { ...data, endpoint: 'https://example.com/other' }, { token });
      expect({ status: second.status, body: second.body }).toEqual({ status: 409, body: { message: 'This account already has a data webhook; use PUT /generic/webhooks to update it' } });
      const created = await gw.request('POST', '/generic/webhooks', alert, { token });
      expect({ status: created.status, body: created.body }).toEqual({ status: 201, body: { message: 'Webhook created successfully' } });
      const secondAlert = await gw.request('POST', '/generic/webhooks', alert, { token });
      expect({ status: secondAlert.status, body: secondAlert.body }).toEqual({ status: 409, body: { message: 'This account already has an alert webhook; use PUT /generic/webhooks to update it' } });
      expect((await hooksOf(token)).map((h) => [h.isAlertHook, h.endpoint]).sort()).toEqual([
        [false, 'https://example.com/data'],
        [true, 'https://example.com/alert'],
      ]);
    });

    it('admits exactly one of several concurrent creations', async () => {
      const { token } = newAccount();
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => gw.request('POST', '/generic/webhooks', { endpoint: `https://example.com/${i}`, authType: 'none' }, { token })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      expect(await hooksOf(token)).toHaveLength(1);
    });

    it('keeps accounts apart: another tenant has its own hooks', async () => {
      const first = newAccount();
      const second = newAccount();
      const body = { endpoint: 'https://example.com/data', authType: 'none' };
      expect((await gw.request('POST', '/generic/webhooks', body, { token: first.token })).status).toBe(201);
      expect((await gw.request('POST', '/generic/webhooks', body, { token: second.token })).status).toBe(201);
      expect(await hooksOf(second.token)).toHaveLength(1);
      expect((await gw.request('DELETE', '/generic/webhooks', undefined, { token: second.token })).status).toBe(204);
      expect(await hooksOf(first.token)).toHaveLength(1);
    });

    it('PUT replaces the hook of the kind named by isAlertHook, and answers 400 "Webhook not found" when there is none', async () => {
      const { token } = newAccount();
      const missing = await gw.request('PUT', '/generic/webhooks', { endpoint: 'https://example.com/a', authType: 'none' }, { token });
      expect({ status: missing.status, body: missing.body }).toEqual({ status: 400, body: { message: 'Webhook not found' } });
      await gw.request('POST', '/generic/webhooks', { endpoint: 'https://example.com/a', authType: 'basic', userName: 'ann', password: 'first-password' }, { token });
      const alertMissing = await gw.request('PUT', '/generic/webhooks', { isAlertHook: true, endpoint: 'https://example.com/a', authType: 'none' }, { token });
      expect({ status: alertMissing.status, body: alertMissing.body }).toEqual({ status: 400, body: { message: 'Webhook not found' } });
      const updated = await gw.request('PUT', '/generic/webhooks', { endpoint: 'https://example.com/b?x=1', authType: 'querystring', token: 'query-secret', queryParam: 'apiKey' }, { token });
      expect({ status: updated.status, body: updated.body }).toEqual({ status: 200, body: { message: 'Webhook updated successfully' } });
      const [hook] = await hooksOf(token);
      expect(hook).toEqual({
        id: expect.any(String),
        isAlertHook: false,
        endpoint: 'https://example.com/b?x=1',
        authType: 'querystring',
        token: MASK,
        queryParam: 'apiKey',
        enabled: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('GET masks credentials and DELETE removes one kind (204), after which it can be created again', async () => {
      const { token } = newAccount();
      await gw.request('POST', '/generic/webhooks', { endpoint: 'https://example.com/d', authType: 'basic', userName: 'ann', password: 'hunter2-secret' }, { token });
      await gw.request('POST', '/generic/webhooks', { isAlertHook: true, endpoint: 'https://example.com/a', authType: 'header', token: 'header-secret' }, { token });
      const list = await gw.request('GET', '/generic/webhooks', undefined, { token });
      expect(list.status).toBe(200);
      expect(list.text).not.toMatch(/hunter2-secret|header-secret|"ann"/);
      const byKind = Object.fromEntries((list.body.data as any[]).map((h) => [h.isAlertHook ? 'alert' : 'data', h]));
      expect(byKind.data).toMatchObject({ authType: 'basic', userName: MASK, password: MASK });
      expect(byKind.alert).toMatchObject({ authType: 'header', token: MASK, headerName: 'X-Api-Key' });

      const deleted = await gw.request('DELETE', '/generic/webhooks?isAlertHook=true', undefined, { token });
      expect({ status: deleted.status, text: deleted.text }).toEqual({ status: 204, text: '' });
      expect((await hooksOf(token)).map((h) => h.isAlertHook)).toEqual([false]);
      const again = await gw.request('DELETE', '/generic/webhooks?isAlertHook=true', undefined, { token });
      expect({ status: again.status, body: again.body }).toEqual({ status: 400, body: { message: 'Webhook not found' } });
      expect((await gw.request('POST', '/generic/webhooks', { isAlertHook: true, endpoint: 'https://example.com/a2', authType: 'none' }, { token })).status).toBe(201);
      expect((await gw.request('DELETE', '/generic/webhooks?isAlertHook=false', undefined, { token })).status).toBe(204);
      expect((await hooksOf(token)).map((h) => h.isAlertHook)).toEqual([true]);
    });
  });

  describe('routing and wire format', () => {
    it('sends alert.* events to the alert hook and other types to the data hook, with the payload as published and verifiable Standard Webhooks headers', async () => {
      const { token } = newAccount();
      const dataReceiver = await receiver();
      const alertReceiver = await receiver();
      await gw.request('POST', '/generic/webhooks', { endpoint: dataReceiver.url, authType: 'none' }, { token });
      await gw.request('POST', '/generic/webhooks', { isAlertHook: true, endpoint: alertReceiver.url, authType: 'none' }, { token });
      const ids = Object.fromEntries((await hooksOf(token)).map((h) => [h.isAlertHook ? 'alert' : 'data', h.id]));

      const payload = { rentalId: 'R-1', rates: [{ car: 'compact', price: 42.5 }] };
      const data = await publish(token, 'data.updated', payload);
      expect(data.body).toMatchObject({ deliveries: 1 });
      const alert = await publish(token, 'alert.triggered', { level: 'high' });
      expect(alert.body).toMatchObject({ deliveries: 1 });

      const [got] = await dataReceiver.waitFor(1);
      const [gotAlert] = await alertReceiver.waitFor(1);
      expect(got.json()).toEqual(payload);
      expect(gotAlert.json()).toEqual({ level: 'high' });
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.headers.authorization).toBeUndefined();

      const secret = (await gw.request('GET', `/v1/webhooks/${ids.data}/secret`, undefined, { token })).body.secret as string;
      expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toEqual(payload);
      expect(verifyWithCrypto(secret, got)).toBe(true);
      expect(dataReceiver.received).toHaveLength(1);
      expect(alertReceiver.received).toHaveLength(1);
    });

    it('routes any event type: alert.* to the alert hook, every other type to the data hook, each with its credential', async () => {
      const { token } = newAccount();
      const dataReceiver = await receiver();
      const alertReceiver = await receiver();
      await gw.request('POST', '/generic/webhooks', { endpoint: dataReceiver.url, authType: 'bearer', token: 'data-tok' }, { token });
      await gw.request('POST', '/generic/webhooks', { isAlertHook: true, endpoint: alertReceiver.url, authType: 'header', token: 'alert-key' }, { token });

      expect((await publish(token, 'rate.updated', { rate: 41 })).body).toMatchObject({ deliveries: 1 });
      expect((await publish(token, 'alert.custom.thing', { level: 'low' })).body).toMatchObject({ deliveries: 1 });

      const [got] = await dataReceiver.waitFor(1);
      const [gotAlert] = await alertReceiver.waitFor(1);
      expect(got.json()).toEqual({ rate: 41 });
      expect(got.headers.authorization).toBe('Bearer data-tok');
      expect(gotAlert.json()).toEqual({ level: 'low' });
      expect(gotAlert.headers['x-api-key']).toBe('alert-key');
      expect(dataReceiver.received).toHaveLength(1);
      expect(alertReceiver.received).toHaveLength(1);
    });

    it("lists the catalogue's examples, lets a /v1 hook subscribe to a type outside them, and keeps hookgate.* for the gateway", async () => {
      const { token } = newAccount();
      const types = await gw.request('GET', '/v1/event-types', undefined, { token });
      expect((types.body.data as any[]).filter((t) => t.plugin === 'generic').map((t) => t.type)).toEqual(['data.created', 'data.updated', 'data.deleted', 'alert.triggered', 'alert.resolved']);

      const r = await receiver();
      const hook = await gw.request('POST', '/v1/webhooks', { url: r.url, plugin: 'generic', eventTypes: ['rate.updated'] }, { token });
      expect(hook.status).toBe(201);
      expect((await publish(token, 'data.updated', { skipped: true })).body).toMatchObject({ deliveries: 0 });
      expect((await publish(token, 'rate.updated', { rate: 7 })).body).toMatchObject({ deliveries: 1 });
      expect((await r.waitFor(1))[0].json()).toEqual({ rate: 7 });

      const reserved = await publish(token, 'hookgate.endpoint.disabled', {});
      expect(reserved.status).toBe(400);
      expect(reserved.body.detail).toBe("type must not start with hookgate. (the gateway's own event types)");
    });
  });

  describe('credentials on every attempt (receiver answers 500, then 200)', () => {
    const cases: { name: string; hook: Record<string, unknown>; path?: string; expect: (req: Received, path: string) => void }[] = [
      { name: 'none', hook: { authType: 'none' }, expect: (r, path) => (expect(r.headers.authorization).toBeUndefined(), expect(r.url).toBe(path)) },
      { name: 'basic', hook: { authType: 'basic', userName: 'ann', password: 'pä ss:word' }, expect: (r) => expect(r.headers.authorization).toBe(`Basic ${Buffer.from('ann:pä ss:word').toString('base64')}`) },
      { name: 'bearer', hook: { authType: 'bearer', token: 'bearer-tok.123' }, expect: (r) => expect(r.headers.authorization).toBe('Bearer bearer-tok.123') },
      { name: 'authheader', hook: { authType: 'authheader', token: 'Token raw-value 9' }, expect: (r) => expect(r.headers.authorization).toBe('Token raw-value 9') },
      { name: 'header (default X-Api-Key)', hook: { authType: 'header', token: 'key-1' }, expect: (r) => (expect(r.headers['x-api-key']).toBe('key-1'), expect(r.headers.authorization).toBeUndefined()) },
      { name: 'header (custom headerName)', hook: { authType: 'header', token: 'key-2', headerName: 'X-Custom-Auth' }, expect: (r) => (expect(r.headers['x-custom-auth']).toBe('key-2'), expect(r.headers['x-api-key']).toBeUndefined()) },
      { name: 'querystring (default token)', hook: { authType: 'querystring', token: 'q tok&=/+' }, expect: (r, path) => expect(r.url).toBe(`${path}?token=q%20tok%26%3D%2F%2B`) },
      {
        name: 'querystring (custom queryParam, existing query kept)',
        hook: { authType: 'querystring', token: 'abc', queryParam: 'api_key' },
        path: '?site=a%20b&flag',
        expect: (r, path) => (expect(r.url).toBe(`${path}?site=a%20b&flag&api_key=abc`), expect(r.headers.authorization).toBeUndefined()),
      },
    ];

    it.each(cases)('$name', async ({ hook, path = '', expect: check }) => {
      const { token } = newAccount();
      const r = await receiver((_, n) => ({ status: n === 1 ? 500 : 200 }));
      const receiverPath = new URL(r.url).pathname;
      expect((await gw.request('POST', '/generic/webhooks', { endpoint: r.url + path, ...hook }, { token })).status).toBe(201);
      const published = await publish(token, 'data.created', { n: 1 });
      const [first, retry] = await r.waitFor(2);
      for (const attempt of [first, retry]) check(attempt, receiverPath);
      expect(retry.headers['webhook-id']).toBe(first.headers['webhook-id']);
      expect(retry.json()).toEqual({ n: 1 });
      const delivery = await eventually(async () => {
        const list = await gw.request('GET', `/v1/deliveries?eventId=${published.body.id}`, undefined, { token });
        return list.body.data?.[0]?.status === 'succeeded' && list.body.data[0];
      });
      expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 2, lastStatusCode: 200 });
    });
  });

  it('never shows a querystring token through /v1 (webhook, deliveries, attempts, audit)', async () => {
    const { token } = newAccount();
    const secretToken = 'leak-check-7f3a9c';
    const r = await receiver((_, n) => ({ status: n === 1 ? 500 : 200 }));
    await gw.request('POST', '/generic/webhooks', { endpoint: `${r.url}?a=1`, authType: 'querystring', token: secretToken }, { token });
    const published = await publish(token, 'data.updated', { x: 1 });
    const [first] = await r.waitFor(2);
    expect(first.url).toContain(`token=${secretToken}`);
    const [hook] = await hooksOf(token);
    const seen = [
      await gw.request('GET', `/v1/webhooks/${hook.id}`, undefined, { token }),
      await gw.request('GET', '/v1/webhooks', undefined, { token }),
      await gw.request('GET', `/v1/deliveries?endpointId=${hook.id}`, undefined, { token }),
      await gw.request('GET', `/v1/events/${published.body.id}`, undefined, { token }),
      await gw.request('GET', '/v1/audit-events', undefined, { token }),
      await gw.request('GET', '/generic/webhooks', undefined, { token }),
    ];
    const deliveryId = seen[2].body.data[0].id;
    seen.push(await gw.request('GET', `/v1/deliveries/${deliveryId}`, undefined, { token }));
    expect(seen[0].body.url).toBe(`${r.url}?a=1`);
    for (const res of seen) {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(secretToken);
    }
  });

  it('follows the core retry schedule: the waits grow (5s, 5m, 30m scaled)', async () => {
    const { token } = newAccount();
    const r = await receiver((_, n) => ({ status: n <= 3 ? 503 : 200 }));
    await gw.request('POST', '/generic/webhooks', { endpoint: r.url, authType: 'bearer', token: 'sched' }, { token });
    await publish(token, 'data.deleted', { id: 1 });
    const attempts = await r.waitFor(4, 20000);
    expect(attempts.every((a) => a.headers.authorization === 'Bearer sched')).toBe(true);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i].at);
    expect(gaps[1]).toBeGreaterThan(gaps[0]);
    expect(gaps[2]).toBeGreaterThan(2 * gaps[1]);
  });

  it('rate limits each client: 429 {message} with Retry-After past the limit, other clients unaffected', async () => {
    const { token } = newAccount();
    let lastOk;
    for (let batch = 0; batch < 6; batch++) {
      const results = await Promise.all(Array.from({ length: 20 }, () => gw.request('GET', '/generic/webhooks', undefined, { token })));
      expect(results.map((res) => res.status)).toEqual(Array(20).fill(200));
      lastOk = results[0];
    }
    expect(lastOk!.headers['x-ratelimit-limit']).toBe('120');
    const limited = await gw.request('POST', '/generic/webhooks', { endpoint: 'https://example.com', authType: 'none' }, { token });
    expect({ status: limited.status, body: limited.body }).toEqual({ status: 429, body: { message: 'Too many requests' } });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const other = newAccount();
    expect((await gw.request('GET', '/generic/webhooks', undefined, { token: other.token })).status).toBe(200);
  });

  it('documents every route with operationId, summary, security and the {message} error schema', () => {
    const doc = buildDocuments(gw.app).plugins.generic;
    const operations = Object.values(doc.paths['/generic/webhooks'] as Record<string, any>);
    expect(operations.map((op) => op.operationId).sort()).toEqual(['genericCreateWebhook', 'genericDeleteWebhook', 'genericListWebhooks', 'genericUpdateWebhook']);
    for (const op of operations) {
      expect(op.summary).toBeTruthy();
      expect(op.security).toEqual([{ oauth2: expect.any(Array) }]);
      expect(op.responses['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    }
    expect(doc.components?.schemas?.Error).toEqual(genericErrors.schema);
  });
});

/** Standard Webhooks by hand: HMAC-SHA256 over "id.timestamp.body" with the base64 part of whsec_. */
function verifyWithCrypto(secret: string, req: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${req.headers['webhook-id']}.${req.headers['webhook-timestamp']}.${req.body}`;
  const expected = createHmac('sha256', key).update(signed).digest();
  return String(req.headers['webhook-signature'])
    .split(' ')
    .map((s) => Buffer.from(s.replace(/^v1,/, ''), 'base64'))
    .some((sig) => sig.length === expected.length && timingSafeEqual(sig, expected));
}
