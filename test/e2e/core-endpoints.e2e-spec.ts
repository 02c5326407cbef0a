import { Webhook } from 'standardwebhooks';
import { useGateway, useReceiver } from '../support/fixture';
import { testToken } from '../support/gateway';

const DAY_MS = 24 * 3600 * 1000;

describe('endpoints: the /v1/webhooks lifecycle', () => {
  const gw = useGateway();
  const receiver = useReceiver();
  const token = testToken({ scope: 'webhooks:write events:publish deliveries:read' });

  const create = (body: Record<string, unknown> = {}) => gw.request('POST', '/v1/webhooks', { url: receiver.url, ...body }, { token });

  it('creates an endpoint and shows its whsec_ secret once', async () => {
    const res = await create({ eventTypes: ['invoice.paid'], description: 'Billing', headers: { 'X-Team': 'billing-token' }, timeoutMs: 5000, metadata: { team: 'billing' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      plugin: null,
      tenant: 'acme',
      url: receiver.url,
      eventTypes: ['invoice.paid'],
      description: 'Billing',
      headers: { 'X-Team': '********' },
      timeoutMs: 5000,
      enabled: true,
      metadata: { team: 'billing' },
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+=*$/),
    });
  });

  it('lists and gets endpoints without their secrets or header values', async () => {
    const created = await create({ headers: { Authorization: 'Bearer downstream-credential' } });
    const list = await gw.request('GET', '/v1/webhooks', undefined, { token });
    expect(list.status).toBe(200);
    expect(list.body.data.map((e: { id: string }) => e.id)).toContain(created.body.id);
    expect(list.text).not.toContain(created.body.secret);
    expect(list.text).not.toContain('downstream-credential');
    expect(list.text).not.toContain('"secret"');
    const one = await gw.request('GET', `/v1/webhooks/${created.body.id}`, undefined, { token });
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('secret');
    expect(one.body.headers).toEqual({ Authorization: '********' });
  });

  it('patches only the fields sent', async () => {
    const created = await create({ description: 'before', eventTypes: ['a.b'] });
    const res = await gw.request('PATCH', `/v1/webhooks/${created.body.id}`, { description: 'after' }, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ description: 'after', eventTypes: ['a.b'], url: receiver.url });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));
  });

  it('disables and enables an endpoint', async () => {
    const created = await create();
    const disabled = await gw.request('POST', `/v1/webhooks/${created.body.id}/disable`, undefined, { token });
    expect(disabled.status).toBe(200);
    expect(disabled.body.enabled).toBe(false);
    const enabled = await gw.request('POST', `/v1/webhooks/${created.body.id}/enable`, undefined, { token });
    expect(enabled.status).toBe(200);
    expect(enabled.body.enabled).toBe(true);
  });

  it('deletes an endpoint: it is gone from get and list', async () => {
    const created = await create();
    expect((await gw.request('DELETE', `/v1/webhooks/${created.body.id}`, undefined, { token })).status).toBe(204);
    expect((await gw.request('GET', `/v1/webhooks/${created.body.id}`, undefined, { token })).status).toBe(404);
    expect((await gw.request('DELETE', `/v1/webhooks/${created.body.id}`, undefined, { token })).status).toBe(404);
    const list = await gw.request('GET', '/v1/webhooks?limit=100', undefined, { token });
    expect(list.body.data.map((e: { id: string }) => e.id)).not.toContain(created.body.id);
  });

  it('rotating the secret returns the new one and keeps the old valid for about 24 hours', async () => {
    const created = await create();
    const before = Date.now();
    const rotated = await gw.request('POST', `/v1/webhooks/${created.body.id}/rotate-secret`, undefined, { token });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ secret: expect.stringMatching(/^whsec_/), previousSecretExpiresAt: expect.any(String) });
    expect(rotated.body.secret).not.toBe(created.body.secret);
    const expiresAt = Date.parse(rotated.body.previousSecretExpiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + DAY_MS - 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + DAY_MS + 60_000);
    const current = await gw.request('GET', `/v1/webhooks/${created.body.id}/secret`, undefined, { token });
    expect(current.status).toBe(200);
    expect(current.body).toEqual({ secret: rotated.body.secret });
    const from = receiver.received.length;
    await gw.request('POST', `/v1/webhooks/${created.body.id}/test`, {}, { token });
    const [got] = (await receiver.waitFor(from + 1)).slice(from);
    for (const secret of [created.body.secret, rotated.body.secret]) {
      expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({ type: 'hookgate.test' });
    }
  });

  it('the test route sends a signed hookgate.test event to this endpoint only', async () => {
    const target = await create();
    const bystander = await create();
    const from = receiver.received.length;
    const res = await gw.request('POST', `/v1/webhooks/${target.body.id}/test`, {}, { token });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), deliveries: 1 });
    const [got] = (await receiver.waitFor(from + 1)).slice(from);
    const payload = new Webhook(target.body.secret).verify(got.body, got.headers as Record<string, string>) as { type: string; data: { endpointId: string } };
    expect(payload).toMatchObject({ id: res.body.id, type: 'hookgate.test', data: { endpointId: target.body.id } });
    const others = await gw.request('GET', `/v1/deliveries?endpointId=${bystander.body.id}`, undefined, { token });
    expect(others.body.data).toEqual([]);
  });

  describe('URL rules: 400 problem+json naming url', () => {
    const refused = async (url: string) => {
      const res = await gw.request('POST', '/v1/webhooks', { url }, { token });
      expect({ url: url.slice(0, 40), status: res.status }).toEqual({ url: url.slice(0, 40), status: 400 });
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'url', message: expect.stringContaining('url') })]));
    };

    it('refuses a relative URL', () => refused('/hooks/relative'));
    it('refuses an ftp: URL', () => refused('ftp://example.com/hook'));
    it('refuses a URL with user:password@', () => refused('https://user:pass@example.com/hook'));
    it('refuses a URL longer than 2048 characters', () => refused(`https://example.com/${'a'.repeat(2048)}`));
    it('refuses a bad URL on PATCH too', async () => {
      const created = await create();
      const res = await gw.request('PATCH', `/v1/webhooks/${created.body.id}`, { url: 'ftp://example.com' }, { token });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('url');
      expect((await gw.request('GET', `/v1/webhooks/${created.body.id}`, undefined, { token })).body.url).toBe(receiver.url);
    });
  });
});
