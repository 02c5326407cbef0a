import { randomUUID } from 'node:crypto';
import { EchoPlugin } from '../fixtures/echo-plugin';
import { useGateway, useReceiver } from '../support/fixture';
import { eventually, testToken } from '../support/gateway';

const SCOPES = 'webhooks:write events:publish deliveries:read';

describe('events: publishing and fan-out', () => {
  const gw = useGateway({ plugins: [EchoPlugin] });
  const receiver = useReceiver();
  const acme = testToken({ tenant: 'acme', scope: SCOPES });

  const endpoint = async (name: string, body: Record<string, unknown> = {}, token = acme): Promise<string> => {
    const res = await gw.request('POST', '/v1/webhooks', { url: `${receiver.url}?to=${name}`, ...body }, { token });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const deliveredTo = async (eventId: string): Promise<string[]> =>
    (await gw.request('GET', `/v1/deliveries?eventId=${eventId}`, undefined, { token: gw.adminToken() })).body.data.map((d: { endpointId: string }) => d.endpointId).sort();
  const receivedFor = (eventId: string) => receiver.received.filter((r) => r.json().id === eventId);
  /** Publishes a marker and waits until it arrives: everything queued before it had its chance. */
  const drain = async (token: string) => {
    const marker = await gw.request('POST', '/v1/events', { type: 'marker', data: {} }, { token });
    await eventually(async () => receivedFor(marker.body.id).length > 0 || undefined);
  };

  describe('idempotency', () => {
    let catchAll: string;
    beforeAll(async () => {
      catchAll = await endpoint('idempotent', {}, gw.token({ tenant: 'idem', scope: SCOPES }));
    });
    const idem = () => gw.token({ tenant: 'idem', scope: SCOPES });

    it('the same key and body within 24 h return the same event, with no second fan-out', async () => {
      const key = randomUUID();
      const body = { type: 'invoice.paid', data: { invoice: 'inv_1', amount: 42 } };
      const first = await gw.request('POST', '/v1/events', body, { token: idem(), headers: { 'Idempotency-Key': key } });
      expect(first.status).toBe(202);
      expect(first.body.deliveries).toBe(1);
      const replay = await gw.request('POST', '/v1/events', { data: { amount: 42, invoice: 'inv_1' }, type: 'invoice.paid' }, { token: idem(), headers: { 'Idempotency-Key': key } });
      expect(replay.status).toBe(202);
      expect(replay.body).toEqual(first.body);
      expect(await deliveredTo(first.body.id)).toEqual([catchAll]);
      await drain(idem());
      expect(receivedFor(first.body.id)).toHaveLength(1);
    });

    it('the idempotencyKey body field works like the header', async () => {
      const key = randomUUID();
      const first = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { n: 1 }, idempotencyKey: key }, { token: idem() });
      const replay = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { n: 1 } }, { token: idem(), headers: { 'idempotency-key': key } });
      expect(replay.body.id).toBe(first.body.id);
    });

    it('the same key with a different body is 409 problem+json and publishes nothing', async () => {
      const key = randomUUID();
      const first = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { amount: 1 } }, { token: idem(), headers: { 'Idempotency-Key': key } });
      const before = (await gw.request('GET', '/v1/deliveries?limit=100', undefined, { token: idem() })).body.data.length;
      const clash = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { amount: 2 } }, { token: idem(), headers: { 'Idempotency-Key': key } });
      expect(clash.status).toBe(409);
      expect(clash.headers['content-type']).toContain('application/problem+json');
      expect(clash.body).toMatchObject({ status: 409, detail: expect.stringContaining('Idempotency-Key') });
      expect((await gw.request('GET', '/v1/deliveries?limit=100', undefined, { token: idem() })).body.data.length).toBe(before);
      expect(first.status).toBe(202);
    });

    it('a key is scoped to its tenant', async () => {
      const key = randomUUID();
      const mine = await gw.request('POST', '/v1/events', { type: 'x', data: 1 }, { token: idem(), headers: { 'Idempotency-Key': key } });
      const theirs = await gw.request('POST', '/v1/events', { type: 'x', data: 2 }, { token: gw.token({ tenant: 'other', scope: SCOPES }), headers: { 'Idempotency-Key': key } });
      expect(theirs.status).toBe(202);
      expect(theirs.body.id).not.toBe(mine.body.id);
    });
  });

  describe('fan-out', () => {
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      ids.paid = await endpoint('paid', { eventTypes: ['invoice.paid'] });
      ids.everything = await endpoint('everything');
      ids.refunds = await endpoint('refunds', { eventTypes: ['invoice.refunded'] });
      ids.otherTenant = await endpoint('other-tenant', {}, gw.token({ tenant: 'globex', scope: SCOPES }));
      ids.echo = await endpoint('echo', { plugin: 'echo', eventTypes: ['echo.said'] });
      ids.echoAll = await endpoint('echo-all', { plugin: 'echo' });
      ids.disabled = await endpoint('disabled');
      expect((await gw.request('POST', `/v1/webhooks/${ids.disabled}/disable`, undefined, { token: acme })).status).toBe(200);
    });

    it('a core event reaches the tenant core endpoints whose types match', async () => {
      const res = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { amount: 5 } }, { token: acme });
      expect(res.status).toBe(202);
      expect(res.body.deliveries).toBe(2);
      expect(await deliveredTo(res.body.id)).toEqual([ids.paid, ids.everything].sort());
    });

    it("a plugin event reaches only that plugin's endpoints whose types match", async () => {
      const said = await gw.request('POST', '/v1/events', { type: 'echo.said', plugin: 'echo', data: { text: 'hi' } }, { token: acme });
      expect(said.status).toBe(202);
      expect(await deliveredTo(said.body.id)).toEqual([ids.echo, ids.echoAll].sort());
      const heard = await gw.request('POST', '/v1/events', { type: 'echo.heard', plugin: 'echo', data: {} }, { token: acme });
      expect(await deliveredTo(heard.body.id)).toEqual([ids.echoAll]);
    });

    it("a plugin event of a type the plugin does not declare is 400 naming type", async () => {
      const res = await gw.request('POST', '/v1/events', { type: 'invoice.paid', plugin: 'echo', data: {} }, { token: acme });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('type');
    });

    it('the receivers got exactly the matching deliveries', async () => {
      const res = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { amount: 7 } }, { token: acme });
      await eventually(async () => receivedFor(res.body.id).length >= 2 || undefined);
      await drain(acme);
      expect(receivedFor(res.body.id).map((r) => r.url.split('to=')[1]).sort()).toEqual(['everything', 'paid']);
    });

    it('an endpoint its owner disabled gets nothing, not even after it is enabled again', async () => {
      const res = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { amount: 6 } }, { token: acme });
      expect(await deliveredTo(res.body.id)).not.toContain(ids.disabled);
      await gw.request('POST', `/v1/webhooks/${ids.disabled}/enable`, undefined, { token: acme });
      await drain(acme);
      expect(receiver.received.filter((r) => r.url.endsWith('to=disabled') && r.json().type !== 'marker')).toEqual([]);
      expect((await gw.request('GET', `/v1/deliveries?endpointId=${ids.disabled}&eventId=${res.body.id}`, undefined, { token: acme })).body.data).toEqual([]);
    });
  });
  it('stores and delivers every string exactly, whatever it holds (rows are written in bulk, as literals or arrays)', async () => {
    const tenant = `strings-${randomUUID()}`;
    const token = gw.token({ tenant, scope: SCOPES });
    await endpoint(`strings-${tenant}`, { eventTypes: ['strings.tested'] }, token);
    const strings = ["it's", '"quoted"', 'back\\slash \\"', '{a,b}', '(x, y)', 'NULL', '', ' ', "'); DROP TABLE events; --", 'ünï ✓ 🙂', '$1 ?', 'line\nbreak\ttab'];
    const res = await gw.request('POST', '/v1/events', { type: 'strings.tested', data: { strings, nested: { NULL: null, list: strings } }, idempotencyKey: strings[3] }, { token });
    expect(res.status).toBe(202);
    const stored = await gw.request('GET', `/v1/events/${res.body.id}`, undefined, { token });
    expect(stored.body.data).toEqual({ strings, nested: { NULL: null, list: strings } });
    const [received] = await eventually(async () => receivedFor(res.body.id).length > 0 && receivedFor(res.body.id));
    expect(received.json().data).toEqual({ strings, nested: { NULL: null, list: strings } });
  });

  it('concurrent publishes that share a commit still get their own answers', async () => {
    const tenant = `batch-${randomUUID()}`;
    const token = gw.token({ tenant, scope: SCOPES });
    await endpoint(`batch-${tenant}`, { eventTypes: ['batch.tested'] }, token);
    const key = `key-${randomUUID()}`;
    const publish = (body: Record<string, unknown>, headers: Record<string, string> = {}) => gw.request('POST', '/v1/events', body, { token, headers });
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => publish({ type: 'batch.tested', data: { n: 1 } }, { 'Idempotency-Key': key })),
      ...Array.from({ length: 5 }, (_, i) => publish({ type: 'batch.tested', data: { n: 100 + i } }, { 'Idempotency-Key': key })),
      ...Array.from({ length: 5 }, (_, i) => publish({ type: 'batch.tested', data: { n: 200 + i } })),
      publish({ type: 'batch.tested', data: { n: 300 }, plugin: 'no-such-plugin' }),
    ]);
    // Whichever keyed body arrived first owns the key: every request with that body gets its
    // event, every other body a 409, and no second event is ever created for the key.
    const keyed = results.slice(0, 15).map((r, i) => ({ r, n: i < 10 ? 1 : 100 + i - 10 }));
    const accepted = keyed.filter(({ r }) => r.status === 202);
    const winner = accepted[0].n;
    expect(new Set(accepted.map(({ r }) => r.body.id)).size).toBe(1);
    expect(accepted.every(({ n }) => n === winner)).toBe(true);
    expect(keyed.filter(({ n }) => n !== winner).map(({ r }) => r.status)).toEqual(Array(keyed.filter(({ n }) => n !== winner).length).fill(409));
    expect(accepted).toHaveLength(winner === 1 ? 10 : 1);
    const unkeyed = results.slice(15, 20);
    const invalid = results[20];
    expect(unkeyed.map((r) => r.status)).toEqual(Array(5).fill(202));
    expect(new Set(unkeyed.map((r) => r.body.id)).size).toBe(5);
    expect(invalid.status).toBe(400);
    const deliveries = (await gw.request('GET', '/v1/deliveries?limit=100', undefined, { token })).body.data;
    expect(deliveries).toHaveLength(6);
  });
});
