import { ApiException, MessageStatus, Ordering, Svix, Webhook } from 'svix';
import { SvixPlugin } from '../../plugins/svix/svix.plugin';
import { useGateway, useReceiverFactory } from '../support/fixture';
import { eventually } from '../support/gateway';
import { Received } from '../support/receiver';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The error the official SDK throws for a non-2xx answer, with Svix's status and body. */
async function refusal(call: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiException) return { code: err.code, body: err.body };
    throw err;
  }
  throw new Error('the call succeeded');
}

/** Verifies a delivery as a Svix receiver does, with the official library. */
const verified = (secret: string, got: Received) => new Webhook(secret).verify(got.body, got.headers as Record<string, string>);

describe('Svix-compatible API (/svix), driven by the official svix SDK', () => {
  const gw = useGateway({ plugins: [SvixPlugin] });
  const newReceiver = useReceiverFactory();
  let tenants = 0;

  /** A client of the official SDK for a fresh tenant, with the given scopes. */
  const clientOf = (scope = 'svix:write', tenant = `svix-tenant-${++tenants}`) => ({
    tenant,
    svix: new Svix(gw.token({ sub: `${tenant}-service`, tenant, scope }), { serverUrl: `${gw.url}/svix`, numRetries: 0 }),
  });

  it('applications: create (get_if_exists), get by id and uid, list page by page both ways, update, patch, delete with their endpoints', async () => {
    const { svix } = clientOf();
    const app = await svix.application.create({ name: 'Billing', uid: 'billing', metadata: { team: 'payments' } });
    expect(app).toMatchObject({ name: 'Billing', uid: 'billing', metadata: { team: 'payments' } });
    expect(app.id).toMatch(/^app_/);
    expect(app.createdAt.toISOString()).toMatch(ISO);

    expect((await svix.application.getOrCreate({ name: 'ignored', uid: 'billing' })).id).toBe(app.id);
    expect((await refusal(svix.application.create({ name: 'again', uid: 'billing' }))).code).toBe(409);
    expect((await svix.application.get('billing')).id).toBe(app.id);

    const second = await svix.application.create({ name: 'Shipping' });
    const third = await svix.application.create({ name: 'Returns' });
    // Oldest first, as Svix lists applications; prevIterator walks back.
    const first = await svix.application.list({ limit: 2 });
    expect(first).toMatchObject({ data: [{ id: app.id }, { id: second.id }], done: false });
    const rest = await svix.application.list({ limit: 2, iterator: first.iterator! });
    expect(rest).toMatchObject({ data: [{ id: third.id }], done: true });
    const back = await svix.application.list({ limit: 1, iterator: rest.prevIterator! });
    expect(back).toMatchObject({ data: [{ id: second.id }], done: false });
    expect(await svix.application.list({ limit: 1, iterator: back.prevIterator! })).toMatchObject({ data: [{ id: app.id }], done: true });
    expect((await svix.application.list({ order: Ordering.Descending })).data.map((a) => a.id)).toEqual([third.id, second.id, app.id]);

    expect(await svix.application.update(app.id, { name: 'Billing v2', uid: 'billing', throttleRate: 10 })).toMatchObject({ name: 'Billing v2', throttleRate: 10, metadata: {} });
    expect(await svix.application.patch('billing', { metadata: { team: 'core' } })).toMatchObject({ name: 'Billing v2', metadata: { team: 'core' }, throttleRate: 10 });

    const endpoint = await svix.endpoint.create(second.id, { url: 'https://example.com/shipping' });
    await svix.application.delete(second.id);
    await svix.application.delete(third.id);
    const gone = await refusal(svix.application.get(second.id));
    expect(gone).toEqual({ code: 404, body: { code: 'not_found', detail: expect.stringContaining(second.id) } });
    expect((await gw.request('GET', `/v1/webhooks/${endpoint.id}`, undefined, { token: gw.adminToken() })).status).toBe(404);

    const audit = await gw.request('GET', '/v1/audit-events?plugin=svix', undefined, { token: gw.adminToken() });
    expect(audit.body.data.map((e: { action: string; target: string }) => `${e.action} ${e.target}`)).toEqual(
      expect.arrayContaining([`application.created ${app.id}`, `application.updated ${app.id}`, `endpoint.deleted ${endpoint.id}`, `application.deleted ${second.id}`]),
    );
  });

  it('event types: create, get, list, update, patch, archive on delete, expunge', async () => {
    const { svix } = clientOf();
    const schemas = { '1': { type: 'object', properties: { email: { type: 'string' } } } };
    const created = await svix.eventType.create({ name: 'user.signup', description: 'A user signed up', schemas });
    expect(created).toMatchObject({ name: 'user.signup', description: 'A user signed up', archived: false, schemas });
    expect((await refusal(svix.eventType.create({ name: 'user.signup', description: 'twice' }))).code).toBe(409);
    await svix.eventType.create({ name: 'invoice.paid', description: 'Paid' });

    expect((await svix.eventType.get('user.signup')).description).toBe('A user signed up');
    expect(await svix.eventType.update('user.signup', { description: 'Signed up' })).toMatchObject({ description: 'Signed up', schemas: null });
    expect(await svix.eventType.patch('user.signup', { deprecated: true })).toMatchObject({ description: 'Signed up', deprecated: true });

    await svix.eventType.delete('invoice.paid');
    expect((await svix.eventType.list()).data.map((t) => t.name)).toEqual(['user.signup']);
    expect((await svix.eventType.list({ includeArchived: true })).data.map((t) => [t.name, t.archived])).toEqual([['user.signup', false], ['invoice.paid', true]]);
    const newest = await svix.eventType.list({ includeArchived: true, limit: 1, order: Ordering.Descending });
    expect(newest).toMatchObject({ data: [{ name: 'invoice.paid' }], done: false });
    expect(await svix.eventType.list({ includeArchived: true, limit: 1, order: Ordering.Descending, iterator: newest.iterator! })).toMatchObject({ data: [{ name: 'user.signup' }], done: true });
    await svix.eventType.delete('invoice.paid', { expunge: true });
    expect((await refusal(svix.eventType.get('invoice.paid'))).code).toBe(404);
  });

  it("delivers a message as Svix does: the payload, svix-* headers verifiable with the SDK's Webhook, to the endpoints whose event types and channels match", async () => {
    const { svix } = clientOf();
    const app = await svix.application.create({ name: 'Fan-out', uid: 'fan-out' });
    const [signups, project, disabled, invoices] = await Promise.all([newReceiver(), newReceiver(), newReceiver(), newReceiver()]);
    const bySignup = await svix.endpoint.create(app.id, { url: signups.url, filterTypes: ['user.signup'], uid: 'signups', headers: { 'X-Team': 'growth' } });
    const byChannel = await svix.endpoint.create('fan-out', { url: project.url, channels: ['project_1'] });
    await svix.endpoint.create(app.id, { url: disabled.url, disabled: true });
    await svix.endpoint.create(app.id, { url: invoices.url, filterTypes: ['invoice.paid'] });
    expect(bySignup).toMatchObject({ uid: 'signups', filterTypes: ['user.signup'], disabled: false, version: 1 });
    expect(bySignup.id).toMatch(/^ep_/);

    const payload = { email: 'ada@example.com', nested: { n: 1 } };
    const msg = await svix.message.create('fan-out', { eventType: 'user.signup', eventId: 'evt-1', payload, channels: ['project_1'], tags: ['vip'] });
    expect(msg).toMatchObject({ eventType: 'user.signup', eventId: 'evt-1', payload, channels: ['project_1'], tags: ['vip'] });
    expect(msg.id).toMatch(/^msg_/);

    const [toSignups] = await signups.waitFor(1);
    const [toProject] = await project.waitFor(1);
    for (const [got, endpoint] of [[toSignups, bySignup], [toProject, byChannel]] as const) {
      const { key } = await svix.endpoint.getSecret(app.id, endpoint.id);
      expect(key).toMatch(/^whsec_/);
      expect(verified(key, got)).toEqual(payload);
      expect(JSON.parse(got.body)).toEqual(payload);
      expect(got.headers['svix-id']).toBe(msg.id);
      expect(got.headers['webhook-signature']).toBeDefined();
    }
    expect(toSignups.headers['x-team']).toBe('growth');

    // eventId de-duplicates: the same message, nothing sent again.
    expect((await svix.message.create(app.id, { eventType: 'user.signup', eventId: 'evt-1', payload: { other: true } })).id).toBe(msg.id);
    const other = await svix.message.create(app.id, { eventType: 'invoice.paid', payload: { amount: 5 } });
    await invoices.waitFor(1);
    expect(verified((await svix.endpoint.getSecret(app.id, (await svix.endpoint.list(app.id)).data.find((e) => e.url === invoices.url)!.id)).key, invoices.received[0])).toEqual({ amount: 5 });
    expect([signups.received.length, project.received.length, disabled.received.length]).toEqual([1, 1, 0]);

    const elsewhere = await svix.application.create({ name: 'Elsewhere' });
    const notHere = await svix.message.create(elsewhere.id, { eventType: 'user.signup', eventId: 'evt-1', payload: {} });
    expect(notHere.id).not.toBe(msg.id);
    expect((await svix.message.list(elsewhere.id)).data.map((m) => m.id)).toEqual([notHere.id]);
    expect((await svix.message.get(elsewhere.id, 'evt-1')).id).toBe(notHere.id);
    expect((await svix.message.get(app.id, msg.id)).payload).toEqual(payload);
    expect((await svix.message.get(app.id, 'evt-1')).id).toBe(msg.id);
    expect((await refusal(svix.message.get(app.id, 'evt-unknown'))).code).toBe(404);
    expect((await svix.message.list(app.id)).data.map((m) => m.id)).toEqual([other.id, msg.id]);
    const newer = await svix.message.list(app.id, { limit: 1 });
    expect(newer).toMatchObject({ data: [{ id: other.id }], done: false });
    const older = await svix.message.list(app.id, { limit: 1, iterator: newer.iterator! });
    expect(older).toMatchObject({ data: [{ id: msg.id }], done: true });
    expect(await svix.message.list(app.id, { limit: 1, iterator: older.prevIterator! })).toMatchObject({ data: [{ id: other.id }], done: true });
    expect((await svix.message.list(app.id, { eventTypes: ['invoice.paid'] })).data.map((m) => m.id)).toEqual([other.id]);
    expect((await svix.message.list(app.id, { channel: 'project_1' })).data.map((m) => m.id)).toEqual([msg.id]);
    expect((await svix.message.list(app.id, { before: new Date(Date.parse(other.timestamp.toISOString()) + 1), after: new Date(0) })).data).toHaveLength(2);
    // Only `after`: the page just after that time, as Svix starts a time-bounded list from there.
    expect(await svix.message.list(app.id, { after: new Date(0), limit: 1 })).toMatchObject({ data: [{ id: msg.id }], done: false });

    const destinations = await svix.messageAttempt.listAttemptedDestinations(app.id, msg.id);
    expect(destinations.data.map((d) => [d.id, d.status]).sort()).toEqual([[bySignup.id, MessageStatus.Success], [byChannel.id, MessageStatus.Success]].sort());
  });

  it('endpoints: get, update, patch and delete by id or uid; headers get, update, patch; secret rotation with a chosen key; stats', async () => {
    const { svix } = clientOf();
    const app = await svix.application.create({ name: 'Endpoints' });
    const receiver = await newReceiver();
    const endpoint = await svix.endpoint.create(app.id, { url: receiver.url, uid: 'main', description: 'Main', metadata: { owner: 'ops' }, rateLimit: 5 });
    expect(await svix.endpoint.get(app.id, 'main')).toMatchObject({ id: endpoint.id, description: 'Main', metadata: { owner: 'ops' }, rateLimit: 5 });
    expect((await refusal(svix.endpoint.create(app.id, { url: receiver.url, uid: 'main' }))).code).toBe(409);

    expect(await svix.endpoint.update(app.id, 'main', { url: receiver.url, uid: 'main', filterTypes: ['a.b'] })).toMatchObject({ description: '', filterTypes: ['a.b'], metadata: {}, rateLimit: null });
    expect(await svix.endpoint.patch(app.id, endpoint.id, { filterTypes: null, description: 'Patched', channels: ['c1'] })).toMatchObject({ description: 'Patched', filterTypes: null, channels: ['c1'], uid: 'main' });
    await svix.endpoint.patch(app.id, endpoint.id, { channels: null });

    await svix.endpoint.updateHeaders(app.id, 'main', { headers: { 'X-One': '1', 'X-Two': '2' } });
    await svix.endpoint.patchHeaders(app.id, 'main', { headers: { 'X-Three': '3', Authorization: 'Bearer downstream' }, deleteHeaders: ['X-One'] });
    expect(await svix.endpoint.getHeaders(app.id, 'main')).toEqual({ headers: { 'X-Two': '2', 'X-Three': '3' }, sensitive: ['Authorization'] });
    const reserved = await refusal(svix.endpoint.updateHeaders(app.id, 'main', { headers: { 'svix-id': 'forged' } }));
    expect(reserved.code).toBe(422);

    const oldKey = (await svix.endpoint.getSecret(app.id, 'main')).key;
    const chosen = `whsec_${Buffer.from('a chosen key of 24 bytes!').toString('base64')}`;
    await svix.endpoint.rotateSecret(app.id, 'main', { key: chosen });
    expect((await svix.endpoint.getSecret(app.id, 'main')).key).toBe(chosen);
    const msg = await svix.message.create(app.id, { eventType: 'a.b', payload: { rotated: true } });
    const [got] = await receiver.waitFor(1);
    expect(verified(chosen, got)).toEqual({ rotated: true });
    // The previous secret signs too during the grace period (24 h by default).
    expect(verified(oldKey, got)).toEqual({ rotated: true });
    expect(got.headers['svix-id']).toBe(msg.id);
    expect(got.headers['x-three']).toBe('3');
    expect(got.headers.authorization).toBe('Bearer downstream');

    await eventually(async () => (await svix.endpoint.getStats(app.id, 'main')).success === 1);
    expect(await svix.endpoint.getStats(app.id, 'main')).toEqual({ success: 1, pending: 0, sending: 0, fail: 0, canceled: 0 });

    await svix.endpoint.delete(app.id, 'main');
    expect((await refusal(svix.endpoint.get(app.id, endpoint.id))).code).toBe(404);
  });

  it('a failing endpoint shows Svix attempts and statuses, paged both ways; resend sends it again', async () => {
    const { svix } = clientOf();
    const app = await svix.application.create({ name: 'Flaky' });
    // Two 500s, then 200: Svix's schedule (immediately, 5 s, 5 min...) shrunk by DELIVERY_TIME_SCALE.
    const receiver = await newReceiver((_req, n) => (n <= 2 ? { status: 500, body: `down ${n}` } : { status: 200, body: 'ok' }));
    const endpoint = await svix.endpoint.create(app.id, { url: receiver.url });
    const msg = await svix.message.create(app.id, { eventType: 'order.created', payload: { order: 1 } });
    await receiver.waitFor(3);
    expect(new Set(receiver.received.map((r) => r.headers['svix-id']))).toEqual(new Set([msg.id]));

    const byMsg = await eventually(async () => {
      const list = await svix.messageAttempt.listByMsg(app.id, msg.id);
      return list.data.length === 3 && list;
    });
    expect(byMsg.data.map((a) => [a.status, a.responseStatusCode, a.response])).toEqual([
      [MessageStatus.Success, 200, 'ok'],
      [MessageStatus.Fail, 500, 'down 2'],
      [MessageStatus.Fail, 500, 'down 1'],
    ]);
    expect(byMsg.data.every((a) => a.msgId === msg.id && a.endpointId === endpoint.id && a.url === receiver.url && /^atmpt_/.test(a.id))).toBe(true);
    expect(byMsg.done).toBe(true);

    const byEndpoint = await svix.messageAttempt.listByEndpoint(app.id, endpoint.id, { limit: 2 });
    expect(byEndpoint.data.map((a) => a.id)).toEqual(byMsg.data.slice(0, 2).map((a) => a.id));
    expect(byEndpoint.done).toBe(false);
    const lastPage = await svix.messageAttempt.listByEndpoint(app.id, endpoint.id, { limit: 2, iterator: byEndpoint.iterator! });
    expect(lastPage).toMatchObject({ data: [{ id: byMsg.data[2].id }], done: true });
    expect(await svix.messageAttempt.listByEndpoint(app.id, endpoint.id, { limit: 2, iterator: lastPage.prevIterator! })).toMatchObject({ data: byMsg.data.slice(0, 2).map((a) => ({ id: a.id })), done: true });
    expect((await svix.messageAttempt.listByMsg(app.id, msg.id, { endpointId: 'nope' }).catch((err: ApiException<unknown>) => err.code))).toBe(404);
    expect((await svix.messageAttempt.listByEndpoint(app.id, endpoint.id, { status: MessageStatus.Fail })).data).toHaveLength(2);

    expect(await svix.messageAttempt.get(app.id, msg.id, byMsg.data[1].id)).toMatchObject({ id: byMsg.data[1].id, status: MessageStatus.Fail, statusText: 'fail', responseStatusCode: 500 });
    expect((await refusal(svix.messageAttempt.get(app.id, msg.id, 'atmpt_nope'))).code).toBe(404);

    await svix.messageAttempt.resend(app.id, msg.id, endpoint.id);
    await receiver.waitFor(4);
    await eventually(async () => (await svix.messageAttempt.listByMsg(app.id, msg.id)).data.length === 4);
    expect((await svix.endpoint.getStats(app.id, endpoint.id)).success).toBe(1);
  });

  it('recover re-sends the failed messages created in [since, until)', async () => {
    const { svix } = clientOf();
    const app = await svix.application.create({ name: 'Recovering' });
    let healthy = false;
    // Retry-After (honoured as given, unscaled) parks the failed message for an hour: it stays put until recovered.
    const receiver = await newReceiver(() => (healthy ? { status: 200, body: 'ok' } : { status: 503, headers: { 'Retry-After': '3600' }, body: 'down' }));
    const endpoint = await svix.endpoint.create(app.id, { url: receiver.url });
    const msg = await svix.message.create(app.id, { eventType: 'order.created', payload: { order: 2 } });
    await eventually(async () => (await svix.messageAttempt.listByMsg(app.id, msg.id)).data.length === 1);
    healthy = true;

    const before = new Date(msg.timestamp.getTime() - 1);
    expect(await svix.endpoint.recover(app.id, endpoint.id, { since: new Date(0), until: before })).toMatchObject({ status: 'finished', task: 'endpoint.recover' });
    await svix.endpoint.recover(app.id, endpoint.id, { since: new Date(0) });
    const [, resent] = await receiver.waitFor(2);
    expect(resent.headers['svix-id']).toBe(msg.id);
    const recoveries = await gw.request('GET', '/v1/audit-events?plugin=svix', undefined, { token: gw.adminToken() });
    const recovered = recoveries.body.data.filter((e: { action: string; target: string }) => e.action === 'endpoint.recovered' && e.target === endpoint.id);
    // The recovery that ended before the message queued none; the one up to now queued it.
    expect(recovered.map((e: { changes: { until?: string; deliveries: number } }) => [e.changes.until ?? 'now', e.changes.deliveries]).sort()).toEqual([[before.toISOString(), 0], ['now', 1]]);
  });

  it("another tenant's application is a 404; a read-only token cannot write; no token is a 401; all in Svix's error shape", async () => {
    const owner = clientOf();
    const app = await owner.svix.application.create({ name: 'Private', uid: 'private' });
    const stranger = clientOf();
    for (const call of [stranger.svix.application.get(app.id), stranger.svix.application.get('private'), stranger.svix.endpoint.list(app.id), stranger.svix.message.create(app.id, { eventType: 'x', payload: {} })]) {
      expect(await refusal(call)).toEqual({ code: 404, body: { code: 'not_found', detail: expect.any(String) } });
    }
    const reader = clientOf('svix:read', owner.tenant);
    expect((await reader.svix.application.get(app.id)).id).toBe(app.id);
    expect(await refusal(reader.svix.application.create({ name: 'nope' }))).toEqual({ code: 403, body: { code: 'insufficient access', detail: expect.any(String) } });
    const anonymous = await gw.request('GET', '/svix/api/v1/app');
    expect({ status: anonymous.status, body: anonymous.body }).toEqual({ status: 401, body: { code: 'authentication_failed', detail: expect.any(String) } });
  });

  it("refuses bad input with Svix's 422 {detail: [{loc, msg, type}]} and writes nothing", async () => {
    const { svix } = clientOf();
    const app = await svix.application.create({ name: 'Strict' });
    const bad = await refusal(svix.endpoint.create(app.id, { url: 'not a url', filterTypes: [] }));
    expect(bad.code).toBe(422);
    expect(bad.body.detail).toEqual(
      expect.arrayContaining([
        { loc: ['body', 'url'], msg: expect.any(String), type: expect.stringMatching(/^value_error\./) },
        { loc: ['body', 'filterTypes'], msg: 'ensure this value has at least 1 items', type: 'value_error.too_small' },
      ]),
    );
    const noType = await refusal(svix.message.create(app.id, { payload: {} } as never));
    expect(noType).toEqual({ code: 422, body: { detail: [{ loc: ['body', 'eventType'], msg: 'field required', type: 'value_error.missing' }] } });
    expect((await svix.endpoint.list(app.id)).data).toEqual([]);
    expect((await svix.message.list(app.id)).data).toEqual([]);
  });
});
