import { useGateway, useReceiver } from '../support/fixture';

const ALL = 'webhooks:read webhooks:write events:publish deliveries:read deliveries:write';

describe("tenancy: another tenant's objects do not exist for you", () => {
  const gw = useGateway();
  const receiver = useReceiver();
  let acme: string;
  let globex: string;
  let ids: { endpoint: string; event: string; delivery: string };
  beforeAll(async () => {
    acme = gw.token({ sub: 'alice', tenant: 'acme', scope: ALL });
    globex = gw.token({ sub: 'gus', tenant: 'globex', scope: ALL });
    const endpoint = await gw.request('POST', '/v1/webhooks', { url: receiver.url, eventTypes: ['invoice.paid'] }, { token: acme });
    const event = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { amount: 1 } }, { token: acme });
    const deliveries = await gw.request('GET', `/v1/deliveries?eventId=${event.body.id}`, undefined, { token: acme });
    ids = { endpoint: endpoint.body.id, event: event.body.id, delivery: deliveries.body.data[0].id };
    await receiver.waitFor(1);
  });

  const expectNotFound = async (method: string, path: string, body?: unknown) => {
    const res = await gw.request(method, path, body, { token: globex });
    expect({ path, status: res.status }).toEqual({ path, status: 404 });
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.text).not.toContain(receiver.url);
    expect(res.text).not.toContain('acme');
  };

  it("another tenant's endpoint answers 404 on every route, never 403 and never its data", async () => {
    const e = `/v1/webhooks/${ids.endpoint}`;
    await expectNotFound('GET', e);
    await expectNotFound('PATCH', e, { description: 'mine now' });
    await expectNotFound('POST', `${e}/disable`);
    await expectNotFound('POST', `${e}/enable`);
    await expectNotFound('POST', `${e}/rotate-secret`);
    await expectNotFound('GET', `${e}/secret`);
    await expectNotFound('POST', `${e}/test`, {});
    await expectNotFound('POST', `${e}/recover`, { since: '2020-01-01T00:00:00Z' });
    await expectNotFound('DELETE', e);
    const still = await gw.request('GET', e, undefined, { token: acme });
    expect(still.status).toBe(200);
    expect(still.body.description).toBeNull();
  });

  it("another tenant's event and delivery answer 404", async () => {
    await expectNotFound('GET', `/v1/events/${ids.event}`);
    await expectNotFound('GET', `/v1/deliveries/${ids.delivery}`);
    await expectNotFound('POST', `/v1/deliveries/${ids.delivery}/retry`);
  });

  it("lists never show another tenant's objects", async () => {
    expect((await gw.request('GET', '/v1/webhooks', undefined, { token: globex })).body.data).toEqual([]);
    expect((await gw.request('GET', '/v1/deliveries', undefined, { token: globex })).body.data).toEqual([]);
    expect((await gw.request('GET', `/v1/deliveries?endpointId=${ids.endpoint}`, undefined, { token: globex })).body.data).toEqual([]);
  });

  it("publishing for another tenant needs events:publish:any and reaches only that tenant's endpoints", async () => {
    const refused = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: {}, tenant: 'acme' }, { token: globex });
    expect(refused.status).toBe(403);
    const trusted = gw.token({ sub: 'backend', tenant: 'provider', scope: 'events:publish:any' });
    const published = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { n: 2 }, tenant: 'acme' }, { token: trusted });
    expect(published.status).toBe(202);
    expect(published.body.deliveries).toBe(1);
    const own = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { n: 3 } }, { token: globex });
    expect(own.body.deliveries).toBe(0);
  });

  it('admin sees every tenant', async () => {
    const admin = gw.adminToken();
    expect((await gw.request('GET', `/v1/webhooks/${ids.endpoint}`, undefined, { token: admin })).body.tenant).toBe('acme');
    expect((await gw.request('GET', `/v1/events/${ids.event}`, undefined, { token: admin })).status).toBe(200);
    expect((await gw.request('GET', `/v1/deliveries/${ids.delivery}`, undefined, { token: admin })).status).toBe(200);
    const list = await gw.request('GET', '/v1/webhooks', undefined, { token: admin });
    expect(list.body.data.map((e: { id: string }) => e.id)).toContain(ids.endpoint);
  });
});
