import { randomUUID } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { Webhook } from 'standardwebhooks';
import { Agent } from 'undici';
import { TimbrixPlugin } from '../../plugins/timbrix/timbrix.plugin';
import { TIMBRIX_EVENT_TYPES } from '../../plugins/timbrix/timbrix.catalogue';
import { HttpSender } from '../../src/delivery/http/http-sender';
import { buildDocuments } from '../../src/openapi/document';
import { useGateway, useReceiver, useReceiverFactory } from '../support/fixture';
import { Claims, eventually, HttpResult } from '../support/gateway';
import { selfSignedCert } from '../support/tls';

/** The seed's signature check (docs.timbrix.mx, "Signature Verification"), verbatim. */
const SEED_VERIFY_SNIPPET = `
const crypto = require('crypto')

function verifySignature(payload, signature, secret) {
  const hmac = crypto.createHmac('sha256', secret)
  const digest = hmac.update(payload).digest('hex')
  return digest === signature
}
`;
const verifySignature = new Function('require', `${SEED_VERIFY_SNIPPET}\nreturn verifySignature;`)(require) as (payload: string, signature: string, secret: string) => boolean;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const ACME = (id: string) => ({ id, slug: 'acme-corp', name: 'Acme Corp' });

/** Timbrix only takes HTTPS URLs, so receivers speak TLS with a throwaway localhost certificate. */
const tls = selfSignedCert();
afterAll(() => tls.remove());

/** The real gateway with the Timbrix plugin; its HTTP sender trusts the test certificate. */
const useTimbrixGateway = (env: Record<string, string> = {}) =>
  useGateway(() => ({ plugins: [TimbrixPlugin], env, overrides: { sender: new HttpSender(new Agent({ connect: { ca: tls.cert } })) } }));

describe('Timbrix organization webhooks', () => {
  const gw = useTimbrixGateway();
  const receiver = useReceiverFactory({ tls });

  const hooks = (org: string) => `/timbrix/organizations/${org}/webhooks`;
  const withRole = (org: string, role: string, sub = `${role.toLowerCase()}-of-${org}`) => gw.token({ sub, org_roles: { [org]: role } });
  const owner = (org: string) => withRole(org, 'OWNER');
  /** A trusted internal service that publishes Timbrix events for every organization. */
  const publisher = () => gw.token({ sub: 'timbrix-backend', tenant: 'timbrix-backend', scope: 'events:publish:any deliveries:read' });

  async function create(org: string, body: unknown, token = owner(org)): Promise<HttpResult> {
    return gw.request('POST', hooks(org), body, { token });
  }

  async function publish(org: string, type: string, data: unknown, organization: unknown = ACME(org)): Promise<HttpResult> {
    return gw.request('POST', '/v1/events', { type, plugin: 'timbrix', tenant: org, data, context: { organization } }, { token: publisher() });
  }

  async function deliveriesOf(webhookId: string): Promise<any[]> {
    return (await gw.request('GET', `/v1/deliveries?endpointId=${webhookId}`, undefined, { token: gw.adminToken() })).body.data;
  }

  describe('managing webhooks', () => {
    it('creating answers 201 with the seed fields, isActive true and a whsec_ secret', async () => {
      const org = randomUUID();
      const res = await create(org, { url: 'https://example.com/webhooks', events: ['organization.created', 'member.added'] });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['id', 'organizationId', 'url', 'events', 'isActive', 'secret', 'createdAt', 'updatedAt']);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        organizationId: org,
        url: 'https://example.com/webhooks',
        events: ['organization.created', 'member.added'],
        isActive: true,
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/=]{16,}$/),
        createdAt: expect.stringMatching(ISO),
        updatedAt: res.body.createdAt,
      });
    });

    it("listing answers a bare array of the organization's webhooks, newest first, without secrets", async () => {
      const org = randomUUID();
      const first = await create(org, { url: 'https://one.example.com/hook', events: ['member.added'] });
      const second = await create(org, { url: 'https://two.example.com/hook', events: ['invite.created', 'invite.accepted'] });
      await create(randomUUID(), { url: 'https://elsewhere.example.com/hook', events: ['member.added'] });
      const res = await gw.request('GET', hooks(org), undefined, { token: owner(org) });
      expect(res.status).toBe(200);
      const { secret: _s2, ...secondShown } = second.body;
      const { secret: _s1, ...firstShown } = first.body;
      expect(res.body).toEqual([secondShown, firstShown]);
      expect(res.text).not.toContain('whsec_');
    });

    it('listing an organization without webhooks answers []', async () => {
      const org = randomUUID();
      const res = await gw.request('GET', hooks(org), undefined, { token: owner(org) });
      expect(res).toMatchObject({ status: 200, body: [] });
    });

    it('getting one answers the webhook without its secret', async () => {
      const org = randomUUID();
      const { body: created } = await create(org, { url: 'https://example.com/one', events: ['oauth_app.created'] });
      const res = await gw.request('GET', `${hooks(org)}/${created.id}`, undefined, { token: owner(org) });
      const { secret: _secret, ...shown } = created;
      expect(res).toMatchObject({ status: 200, body: shown });
      expect(res.body).not.toHaveProperty('secret');
    });

    it('updating is partial: url, events and isActive each change alone, the rest is kept', async () => {
      const org = randomUUID();
      const { body: created } = await create(org, { url: 'https://example.com/before', events: ['member.added'] });
      const put = (body: unknown) => gw.request('PUT', `${hooks(org)}/${created.id}`, body, { token: owner(org) });

      const url = await put({ url: 'https://example.com/after' });
      expect(url.status).toBe(200);
      expect(url.body).toEqual({ ...created, secret: undefined, url: 'https://example.com/after', updatedAt: expect.stringMatching(ISO) });
      expect(url.body).not.toHaveProperty('secret');
      expect(Date.parse(url.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));

      const events = await put({ events: ['member.removed', 'member.role_updated'] });
      expect(events.body).toMatchObject({ url: 'https://example.com/after', events: ['member.removed', 'member.role_updated'], isActive: true });

      const inactive = await put({ isActive: false });
      expect(inactive.body).toMatchObject({ url: 'https://example.com/after', events: ['member.removed', 'member.role_updated'], isActive: false });

      const unchanged = await put({});
      expect(unchanged).toMatchObject({ status: 200, body: { id: created.id, isActive: false } });
      const fetched = await gw.request('GET', `${hooks(org)}/${created.id}`, undefined, { token: owner(org) });
      expect(fetched.body).toEqual(unchanged.body);
    });

    it('deleting answers 204 without a body; the webhook is then gone for get, update, delete and list', async () => {
      const org = randomUUID();
      const { body: created } = await create(org, { url: 'https://example.com/gone', events: ['member.added'] });
      const del = await gw.request('DELETE', `${hooks(org)}/${created.id}`, undefined, { token: owner(org) });
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      const notFound = { statusCode: 404, message: 'Webhook not found with the provided ID.', error: 'Not Found' };
      expect(await gw.request('GET', `${hooks(org)}/${created.id}`, undefined, { token: owner(org) })).toMatchObject({ status: 404, body: notFound });
      expect(await gw.request('PUT', `${hooks(org)}/${created.id}`, { isActive: true }, { token: owner(org) })).toMatchObject({ status: 404, body: notFound });
      expect(await gw.request('DELETE', `${hooks(org)}/${created.id}`, undefined, { token: owner(org) })).toMatchObject({ status: 404, body: notFound });
      expect((await gw.request('GET', hooks(org), undefined, { token: owner(org) })).body).toEqual([]);
    });
  });

  describe('who may call', () => {
    const org = randomUUID();
    const otherOrg = randomUUID();

    /** Each route, with a fresh webhook where the route needs one (a successful delete consumes it). */
    const routes: { action: string; call: (token?: string) => Promise<HttpResult>; success: number }[] = [
      { action: 'create', success: 201, call: (token) => gw.request('POST', hooks(org), { url: 'https://example.com/roles', events: ['member.added'] }, { token }) },
      { action: 'list', success: 200, call: (token) => gw.request('GET', hooks(org), undefined, { token }) },
      { action: 'view', success: 200, call: async (token) => gw.request('GET', `${hooks(org)}/${await fresh()}`, undefined, { token }) },
      { action: 'update', success: 200, call: async (token) => gw.request('PUT', `${hooks(org)}/${await fresh()}`, { isActive: false }, { token }) },
      { action: 'delete', success: 204, call: async (token) => gw.request('DELETE', `${hooks(org)}/${await fresh()}`, undefined, { token }) },
    ];
    async function fresh(): Promise<string> {
      return (await create(org, { url: 'https://example.com/roles', events: ['member.added'] })).body.id;
    }

    const callers: { who: string; token: () => string | undefined; status?: number }[] = [
      { who: 'an OWNER of the organization', token: () => withRole(org, 'OWNER') },
      { who: 'an ADMIN of the organization', token: () => withRole(org, 'ADMIN') },
      { who: 'a gateway admin', token: () => gw.adminToken() },
      { who: 'a MEMBER of the organization', token: () => withRole(org, 'MEMBER'), status: 403 },
      { who: 'an OWNER of another organization only', token: () => withRole(otherOrg, 'OWNER'), status: 403 },
      { who: 'a token without org_roles', token: () => gw.token({ scope: 'webhooks:write' }), status: 403 },
      { who: 'no token', token: () => undefined, status: 401 },
      { who: 'a token signed with another secret', token: () => jwt.sign({ sub: 'forger', org_roles: { [org]: 'OWNER' } }, 'not-the-gateway-secret-not-the-gateway-secret'), status: 401 },
      { who: 'an expired token', token: () => gw.token({ org_roles: { [org]: 'OWNER' } }, { expiresIn: -10 }), status: 401 },
      { who: 'a malformed token', token: () => 'not.a.jwt', status: 401 },
    ];

    const matrix = routes.flatMap((route) => callers.map((caller) => ({ ...caller, route })));

    it.each(matrix)('$route.action by $who', async ({ route, token, status }) => {
      const res = await route.call(token());
      if (status === undefined) {
        expect(res.status).toBe(route.success);
        return;
      }
      const message =
        status === 401 ? 'Authentication required. Provide a valid bearer token.' : `Access denied. Only owners and admins can ${route.action} webhooks.`;
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ statusCode: status, message, error: status === 401 ? 'Unauthorized' : 'Forbidden' });
    });

    it("a webhook of another organization answers 404 to that organization's owner, and is left untouched", async () => {
      const id = await fresh();
      const intruder = owner(otherOrg);
      const notFound = { statusCode: 404, message: 'Webhook not found with the provided ID.', error: 'Not Found' };
      expect(await gw.request('GET', `${hooks(otherOrg)}/${id}`, undefined, { token: intruder })).toMatchObject({ status: 404, body: notFound });
      expect(await gw.request('PUT', `${hooks(otherOrg)}/${id}`, { url: 'https://evil.example.com' }, { token: intruder })).toMatchObject({ status: 404, body: notFound });
      expect(await gw.request('DELETE', `${hooks(otherOrg)}/${id}`, undefined, { token: intruder })).toMatchObject({ status: 404, body: notFound });
      expect((await gw.request('GET', hooks(otherOrg), undefined, { token: intruder })).body).toEqual([]);
      const still = await gw.request('GET', `${hooks(org)}/${id}`, undefined, { token: owner(org) });
      expect(still).toMatchObject({ status: 200, body: { id, url: 'https://example.com/roles' } });
    });

    it('a malformed webhook id answers 400 the NestJS way', async () => {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await gw.request(method, `${hooks(org)}/not-a-uuid`, method === 'PUT' ? {} : undefined, { token: owner(org) });
        expect(res).toMatchObject({ status: 400, body: { statusCode: 400, message: 'Validation failed (uuid is expected)', error: 'Bad Request' } });
      }
    });

    it('a malformed organization id answers 400 to a caller with a role there, 403 to anyone else (guards run before pipes)', async () => {
      const roleInBadId = gw.token({ org_roles: { 'not-a-uuid': 'OWNER' } });
      const badRequest = { statusCode: 400, message: 'Validation failed (uuid is expected)', error: 'Bad Request' };
      expect(await gw.request('GET', hooks('not-a-uuid'), undefined, { token: roleInBadId })).toMatchObject({ status: 400, body: badRequest });
      expect(await gw.request('POST', hooks('not-a-uuid'), { url: 'https://example.com', events: ['member.added'] }, { token: gw.adminToken() })).toMatchObject({ status: 400, body: badRequest });
      expect(await gw.request('GET', hooks('not-a-uuid'), undefined, { token: owner(org) })).toMatchObject({ status: 403 });
    });

    it("an unknown route under /timbrix answers 404 in Nest's words", async () => {
      const path = `${hooks(org)}/${randomUUID()}`;
      const res = await gw.request('POST', path, {}, { token: owner(org) });
      expect(res).toMatchObject({ status: 404, body: { statusCode: 404, message: `Cannot POST ${path}`, error: 'Not Found' } });
    });
  });

  describe('validation', () => {
    const org = randomUUID();
    const url = 'https://example.com/hook';
    const eachValue = `each value in events must be one of the following values: ${TIMBRIX_EVENT_TYPES.join(', ')}`;

    it.each([
      { why: 'an empty body', body: {}, message: ['url must be a valid URL', 'events must be an array'] },
      { why: "the seed's example", body: { url: 'not a url', events: 'organization.created' }, message: ['url must be a valid URL', 'events must be an array'] },
      { why: 'no body at all', body: undefined, message: ['url must be a valid URL', 'events must be an array'] },
      { why: 'a JSON array body', body: [], message: ['url must be a valid URL', 'events must be an array'] },
      { why: 'an http URL', body: { url: 'http://example.com/hook', events: ['member.added'] }, message: ['url must be a valid URL'] },
      { why: 'a URL without a scheme', body: { url: 'example.com/hook', events: ['member.added'] }, message: ['url must be a valid URL'] },
      { why: 'a non-string url', body: { url: 42, events: ['member.added'] }, message: ['url must be a valid URL'] },
      { why: 'no events', body: { url, events: [] }, message: ['events should not be empty'] },
      { why: 'an unknown event', body: { url, events: ['member.joined'] }, message: [eachValue] },
      { why: 'a non-string event', body: { url, events: [7] }, message: [eachValue] },
      { why: 'a duplicate event', body: { url, events: ['member.added', 'member.added'] }, message: ["All events's elements must be unique"] },
      { why: 'an unknown field', body: { url, events: ['member.added'], secret: 'whsec_mine' }, message: ['property secret should not exist'] },
      { why: 'a field the gateway has but Timbrix does not', body: { url, events: ['member.added'], isActive: false }, message: ['property isActive should not exist'] },
    ])('creating with $why answers 400 $message', async ({ body, message }) => {
      const res = await create(org, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, message, error: 'Bad Request' });
    });

    it.each([
      { why: 'an http URL', body: { url: 'http://example.com/hook' }, message: ['url must be a valid URL'] },
      { why: 'a null url', body: { url: null }, message: ['url must be a valid URL'] },
      { why: 'events that are not an array', body: { events: 'member.added' }, message: ['events must be an array'] },
      { why: 'empty events', body: { events: [] }, message: ['events should not be empty'] },
      { why: 'an unknown event', body: { events: ['member.joined'] }, message: [eachValue] },
      { why: 'a duplicate event', body: { events: ['invite.created', 'invite.created'] }, message: ["All events's elements must be unique"] },
      { why: 'a non-boolean isActive', body: { isActive: 'yes' }, message: ['isActive must be a boolean value'] },
      { why: 'a null isActive', body: { isActive: null }, message: ['isActive must be a boolean value'] },
      { why: 'an unknown field', body: { secret: 'whsec_mine' }, message: ['property secret should not exist'] },
      { why: 'several problems', body: { url: 'ftp://example.com', events: {}, isActive: 1 }, message: ['url must be a valid URL', 'events must be an array', 'isActive must be a boolean value'] },
    ])('updating with $why answers 400 $message and changes nothing', async ({ body, message }) => {
      const { body: created } = await create(org, { url, events: ['member.added'] });
      const res = await gw.request('PUT', `${hooks(org)}/${created.id}`, body, { token: owner(org) });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, message, error: 'Bad Request' });
      const after = await gw.request('GET', `${hooks(org)}/${created.id}`, undefined, { token: owner(org) });
      expect(after.body).toMatchObject({ url, events: ['member.added'], isActive: true, updatedAt: created.updatedAt });
    });

    it('a body that is not JSON answers 400 with one message', async () => {
      const res = await gw.request('POST', hooks(org), undefined, { token: owner(org), raw: '{"url":', headers: { 'content-type': 'application/json' } });
      expect(res).toMatchObject({ status: 400, body: { statusCode: 400, message: expect.stringContaining('JSON'), error: 'Bad Request' } });
    });
  });

  describe('events and deliveries', () => {
    it("a published event reaches its subscriber in the seed's wire format, verifiable with the seed's snippet and Standard Webhooks", async () => {
      const org = randomUUID();
      const hook = await receiver();
      const { body: created } = await create(org, { url: hook.url, events: ['member.added'] });
      const data = { userId: randomUUID(), email: 'ana@acme.example', role: 'MEMBER' };
      const published = await publish(org, 'member.added', data);
      expect(published).toMatchObject({ status: 202, body: { deliveries: 1 } });

      const [got] = await hook.waitFor(1);
      expect(got.method).toBe('POST');
      expect(got.headers['content-type']).toBe('application/json');
      const event = (await gw.request('GET', `/v1/events/${published.body.id}`, undefined, { token: gw.adminToken() })).body;
      expect(Object.keys(got.json())).toEqual(['event', 'organization', 'data', 'timestamp']);
      expect(got.json()).toEqual({ event: 'member.added', organization: ACME(org), data, timestamp: event.createdAt });

      const signature = got.headers['x-webhook-signature'] as string;
      expect(signature).toMatch(/^[0-9a-f]{64}$/);
      expect(verifySignature(got.body, signature, created.secret)).toBe(true);
      expect(verifySignature(got.body, signature, 'whsec_someone-else')).toBe(false);
      expect(verifySignature(got.body.replace('Acme Corp', 'Acme Corq'), signature, created.secret)).toBe(false);

      expect(new Webhook(created.secret).verify(got.body, got.headers as Record<string, string>)).toEqual(got.json());
      const [delivery] = await deliveriesOf(created.id);
      expect(got.headers['x-webhook-event']).toBe('member.added');
      expect(got.headers['x-webhook-id']).toBe(delivery.id);
      expect(got.headers['webhook-id']).toBe(delivery.id);
    });

    it('only active webhooks of the named organization that subscribe to the type receive an event', async () => {
      const org = randomUUID();
      const [subscribed, otherType, inactive, otherOrg] = await Promise.all([receiver(), receiver(), receiver(), receiver()]);
      await create(org, { url: subscribed.url, events: ['organization.updated', 'member.added'] });
      await create(org, { url: otherType.url, events: ['member.added'] });
      const { body: paused } = await create(org, { url: inactive.url, events: ['organization.updated'] });
      await gw.request('PUT', `${hooks(org)}/${paused.id}`, { isActive: false }, { token: owner(org) });
      const elsewhere = randomUUID();
      await create(elsewhere, { url: otherOrg.url, events: ['organization.updated'] });

      expect((await publish(org, 'organization.updated', { changes: ['name'] })).body.deliveries).toBe(1);
      const [got] = await subscribed.waitFor(1);
      expect(got.json()).toMatchObject({ event: 'organization.updated', organization: ACME(org) });

      // Published for this tenant but about another organization: nobody gets another org's data.
      expect((await publish(org, 'organization.updated', { changes: ['slug'] }, ACME(elsewhere))).body.deliveries).toBe(0);
      // Re-activated, the paused webhook receives new events again.
      await gw.request('PUT', `${hooks(org)}/${paused.id}`, { isActive: true }, { token: owner(org) });
      expect((await publish(org, 'organization.updated', { changes: ['logo'] })).body.deliveries).toBe(2);
      await inactive.waitFor(1);
      await subscribed.waitFor(2);
      expect(inactive.received.map((r) => r.json().data)).toEqual([{ changes: ['logo'] }]);
      expect([otherType.received.length, otherOrg.received.length]).toEqual([0, 0]);
    });

    it('every Timbrix event type can be published and delivered', async () => {
      const org = randomUUID();
      const hook = await receiver();
      await create(org, { url: hook.url, events: TIMBRIX_EVENT_TYPES });
      for (const type of TIMBRIX_EVENT_TYPES) expect((await publish(org, type, { type })).status).toBe(202);
      const got = await hook.waitFor(TIMBRIX_EVENT_TYPES.length);
      expect(got.map((r) => r.json().event).sort()).toEqual([...TIMBRIX_EVENT_TYPES].sort());
    });

    it('publishing checks the organization context and the event type', async () => {
      const org = randomUUID();
      const send = (body: Record<string, unknown>) => gw.request('POST', '/v1/events', { type: 'member.added', plugin: 'timbrix', tenant: org, data: {}, ...body }, { token: publisher() });
      const problems = async (body: Record<string, unknown>) => {
        const res = await send(body);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        return res.body.errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`);
      };
      expect(await problems({ context: undefined })).toEqual(['context.organization: context.organization must be an object with id, slug and name']);
      expect(await problems({ context: { organization: 'acme' } })).toEqual(['context.organization: context.organization must be an object with id, slug and name']);
      expect(await problems({ context: { organization: { id: 'acme', slug: 1 } } })).toEqual([
        'context.organization.id: context.organization.id must be a UUID',
        'context.organization.slug: context.organization.slug must be a string',
        'context.organization.name: context.organization.name must be a string',
      ]);
      expect(await problems({ context: { organization: { id: org, slug: '', name: ' ' } } })).toEqual([
        'context.organization.slug: context.organization.slug must not be empty',
        'context.organization.name: context.organization.name must not be empty',
      ]);
      expect(await problems({ data: 'joined', context: { organization: ACME(org) } })).toEqual(['data: data must be an object']);
      expect((await problems({ type: 'member.joined', context: { organization: ACME(org) } }))[0]).toMatch(/^type: type must be one of the timbrix event types/);
      expect(await send({ context: { organization: ACME(org) } })).toMatchObject({ status: 202 });
    });

    it("publishing for an organization needs events:publish:any, unless the token's tenant is that organization", async () => {
      const org = randomUUID();
      const body = { type: 'member.removed', plugin: 'timbrix', tenant: org, data: {}, context: { organization: ACME(org) } };
      const ownTenant = gw.token({ tenant: org, scope: 'events:publish' });
      const otherTenant = gw.token({ tenant: randomUUID(), scope: 'events:publish' });
      expect((await gw.request('POST', '/v1/events', body, { token: ownTenant })).status).toBe(202);
      expect((await gw.request('POST', '/v1/events', body, { token: otherTenant })).status).toBe(403);
      expect((await gw.request('POST', '/v1/events', body, { token: withRole(org, 'OWNER') })).status).toBe(403);
      expect((await gw.request('POST', '/v1/events', body, { token: gw.adminToken() })).status).toBe(202);
    });

    it("creating a webhook emits webhook.created to the organization's subscribers, without the secret; unknown slug and name fall back to the organization id", async () => {
      const org = randomUUID();
      const hook = await receiver();
      const { body: watcher } = await create(org, { url: hook.url, events: ['webhook.created'] });
      // The watcher hears about itself too: it was subscribed when its own event was published.
      const [own] = await hook.waitFor(1);
      expect(own.json().data.id).toBe(watcher.id);

      const { body: created } = await create(org, { url: 'https://example.com/new', events: ['invite.created'] });
      await create(randomUUID(), { url: 'https://example.com/elsewhere', events: ['webhook.created'] });
      const [, got] = await hook.waitFor(2);
      const { secret, ...shown } = created;
      expect(got.json()).toEqual({ event: 'webhook.created', organization: { id: org, slug: org, name: org }, data: shown, timestamp: expect.stringMatching(ISO) });
      expect(got.body).not.toContain(secret);
      expect(verifySignature(got.body, got.headers['x-webhook-signature'] as string, watcher.secret)).toBe(true);

      // A core test send knows no organization either: the same fallback, never an empty string.
      expect((await gw.request('POST', `/v1/webhooks/${watcher.id}/test`, {}, { token: gw.adminToken() })).status).toBe(202);
      const [, , test] = await hook.waitFor(3);
      expect(test.json().organization).toEqual({ id: org, slug: org, name: org });
    });

    it("webhook.created carries the organization's slug and name from the creator's token claims (org_slug, org_name)", async () => {
      const org = randomUUID();
      const hook = await receiver();
      const claims = { sub: `owner-of-${org}`, org_roles: { [org]: 'OWNER' }, org_slug: 'acme-corp', org_name: 'Acme Corp' };
      await create(org, { url: hook.url, events: ['webhook.created'] }, gw.token(claims as Claims));
      const [got] = await hook.waitFor(1);
      expect(got.json()).toMatchObject({ event: 'webhook.created', organization: ACME(org) });

      // A token with roles in several organizations says nothing about which one a plain org_slug names.
      const twoOrgs = { ...claims, org_roles: { [org]: 'OWNER', [randomUUID()]: 'ADMIN' } };
      await create(org, { url: 'https://example.com/second', events: ['member.added'] }, gw.token(twoOrgs as Claims));
      const [, second] = await hook.waitFor(2);
      expect(second.json().organization).toEqual({ id: org, slug: org, name: org });
    });

    it('deleting a webhook stops its queued deliveries at once', async () => {
      const org = randomUUID();
      const hook = await receiver();
      // The first try fails and asks for a retry in an hour: the delivery is queued when deleted.
      hook.respond = () => ({ status: 503, headers: { 'retry-after': '3600' } });
      const { body: created } = await create(org, { url: hook.url, events: ['invite.accepted'] });
      await publish(org, 'invite.accepted', { inviteId: randomUUID() });
      await hook.waitFor(1);
      const queued = await eventually(async () => (await deliveriesOf(created.id)).find((d) => d.status === 'failed'));
      expect(queued.attemptCount).toBe(1);

      expect((await gw.request('DELETE', `${hooks(org)}/${created.id}`, undefined, { token: owner(org) })).status).toBe(204);
      const [stopped] = await deliveriesOf(created.id);
      expect(stopped).toMatchObject({ id: queued.id, status: 'dead', nextAttemptAt: null, lastError: 'endpoint deleted', attemptCount: 1 });
    });

    it('the 12 Timbrix event types are in the gateway catalogue', async () => {
      const res = await gw.request('GET', '/v1/event-types', undefined, { token: publisher() });
      const timbrix = res.body.data.filter((e: { plugin: string }) => e.plugin === 'timbrix').map((e: { type: string }) => e.type);
      expect(timbrix).toEqual(TIMBRIX_EVENT_TYPES);
      expect(timbrix).toHaveLength(12);
    });
  });

  describe('OpenAPI', () => {
    it('every Timbrix operation has an operationId, a summary, bearer security and its errors in the Timbrix shape', () => {
      const doc = buildDocuments(gw.app).plugins.timbrix;
      const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item as Record<string, any>).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));
      expect(operations.map((o) => o.route).sort()).toEqual([
        'DELETE /timbrix/organizations/{organizationId}/webhooks/{id}',
        'GET /timbrix/organizations/{organizationId}/webhooks',
        'GET /timbrix/organizations/{organizationId}/webhooks/{id}',
        'POST /timbrix/organizations/{organizationId}/webhooks',
        'PUT /timbrix/organizations/{organizationId}/webhooks/{id}',
      ]);
      for (const { op } of operations) {
        expect(op).toMatchObject({ operationId: expect.stringMatching(/^WebhooksController_/), summary: expect.any(String), security: [{ bearer: [] }], 'x-required-roles': ['OWNER', 'ADMIN'] });
        for (const status of ['401', '403']) expect(op.responses[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      }
      const create = operations.find((o) => o.route.startsWith('POST'))!.op;
      expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateWebhookDto' });
      expect(create.operationId).toBe('WebhooksController_create');
      expect(create.responses['400'].content['application/json'].example).toEqual({ statusCode: 400, message: ['url must be a valid URL', 'events must be an array'], error: 'Bad Request' });
      expect(create.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/WebhookWithSecret' });
      const update = operations.find((o) => o.route.startsWith('PUT'))!.op;
      expect(update.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/UpdateWebhookDto' });
      expect(doc.components?.schemas?.Error).toBeDefined();
    });
  });
});

describe('Timbrix delivery retries', () => {
  // A coarser time scale than the other suites, so the 1 s / 5 s / 30 s gaps stay far apart
  // compared with the dispatcher's own latency (the whole test takes about 2 s).
  const gw = useTimbrixGateway({ DELIVERY_TIME_SCALE: '0.05' });
  const hook = useReceiver({ tls });

  it('a receiver answering 500 gets the first try and 3 retries, spaced increasingly, then the delivery is dead', async () => {
    const org = randomUUID();
    hook.respond = () => ({ status: 500, body: 'down' });
    const owner = gw.token({ org_roles: { [org]: 'OWNER' } });
    const { body: created } = await gw.request('POST', `/timbrix/organizations/${org}/webhooks`, { url: hook.url, events: ['member.added'] }, { token: owner });
    const published = await gw.request('POST', '/v1/events', { type: 'member.added', plugin: 'timbrix', tenant: org, data: {}, context: { organization: ACME(org) } }, { token: gw.adminToken() });
    expect(published.body.deliveries).toBe(1);

    const dead = await eventually(async () => {
      const [delivery] = (await gw.request('GET', `/v1/deliveries?endpointId=${created.id}`, undefined, { token: gw.adminToken() })).body.data;
      return delivery?.status === 'dead' && delivery;
    }, 20000);
    expect(dead).toMatchObject({ attemptCount: 4, lastStatusCode: 500, nextAttemptAt: null });
    expect(hook.received).toHaveLength(4);
    // Every try is the same delivery, signed the same way.
    expect(new Set(hook.received.map((r) => r.headers['x-webhook-id']))).toEqual(new Set([dead.id]));
    expect(hook.received.every((r) => verifySignature(r.body, r.headers['x-webhook-signature'] as string, created.secret))).toBe(true);

    const gaps = hook.received.slice(1).map((r, i) => r.at - hook.received[i].at);
    expect(gaps[0]).toBeLessThan(gaps[1]);
    expect(gaps[1]).toBeLessThan(gaps[2]);
  });
});
