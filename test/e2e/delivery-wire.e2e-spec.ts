import { Webhook } from 'standardwebhooks';
import { VERSION } from '../../src/common/version';
import { createEndpoint, DELIVERY_SCOPES, publishEvent } from '../support/delivery-api';
import { useGateway, useReceiver } from '../support/fixture';
import { eventually, testToken } from '../support/gateway';

describe('wire format of a core delivery', () => {
  const gw = useGateway();
  const receiver = useReceiver();
  const token = testToken({ scope: DELIVERY_SCOPES });

  const endpoint = (eventType: string, extra: Record<string, unknown> = {}) => createEndpoint(gw, token, { url: receiver.url, eventTypes: [eventType], ...extra });
  const publish = (type: string, data: unknown) => publishEvent(gw, token, type, data);

  /** Requests that carry this event, in arrival order. */
  const requestsFor = (eventId: string) => receiver.received.filter((r) => r.json().id === eventId);

  it('POSTs the core JSON body with Standard Webhooks headers, verifiable with the standardwebhooks library', async () => {
    const { secret } = await endpoint('invoice.paid');
    const eventId = await publish('invoice.paid', { amount: 42, currency: 'EUR' });
    const got = await eventually(async () => requestsFor(eventId)[0]);
    expect(got.method).toBe('POST');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toBe(`hookgate/${VERSION}`);
    const body = got.json();
    expect(Object.keys(body).sort()).toEqual(['data', 'id', 'timestamp', 'type']);
    expect(body).toEqual({ id: eventId, type: 'invoice.paid', timestamp: expect.any(String), data: { amount: 42, currency: 'EUR' } });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toEqual(body);
    const deliveries = await gw.request('GET', `/v1/deliveries?eventId=${eventId}`, undefined, { token });
    expect(got.headers['webhook-id']).toBe(deliveries.body.data[0].id);
  });

  it('sends the same webhook-id on every retry of one delivery, with a fresh valid signature', async () => {
    const { secret } = await endpoint('invoice.retried');
    receiver.respond = (req) => (req.json().type === 'invoice.retried' && requestsFor(req.json().id).length < 3 ? { status: 503 } : { status: 200 });
    const eventId = await publish('invoice.retried', { n: 1 });
    const attempts = await eventually(async () => requestsFor(eventId).length >= 3 && requestsFor(eventId));
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    for (const a of attempts) expect(new Webhook(secret).verify(a.body, a.headers as Record<string, string>)).toMatchObject({ id: eventId });
    receiver.respond = () => ({ status: 200 });
  });

  it("adds the endpoint's custom headers beside the gateway's own", async () => {
    const { secret } = await endpoint('invoice.headers', { headers: { 'X-Team': 'billing', Authorization: 'Bearer receiver-token' } });
    const eventId = await publish('invoice.headers', {});
    const got = await eventually(async () => requestsFor(eventId)[0]);
    expect(got.headers['x-team']).toBe('billing');
    expect(got.headers.authorization).toBe('Bearer receiver-token');
    expect(got.headers['user-agent']).toBe(`hookgate/${VERSION}`);
    expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({ id: eventId });
  });

  it('signs with both the new and the previous secret during a rotation grace period', async () => {
    const { id, secret: oldSecret } = await endpoint('invoice.rotated');
    const rotated = await gw.request('POST', `/v1/webhooks/${id}/rotate-secret`, undefined, { token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(oldSecret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt)).toBeGreaterThan(Date.now());
    const eventId = await publish('invoice.rotated', {});
    const got = await eventually(async () => requestsFor(eventId)[0]);
    const signatures = String(got.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(2);
    for (const s of signatures) expect(s).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const headers = got.headers as Record<string, string>;
    expect(new Webhook(rotated.body.secret).verify(got.body, headers)).toMatchObject({ id: eventId });
    expect(new Webhook(oldSecret).verify(got.body, headers)).toMatchObject({ id: eventId });
    expect(() => new Webhook(`whsec_${Buffer.from('some other key of 24 b.').toString('base64')}`).verify(got.body, headers)).toThrow();
  });

  it('signs with the rotated secret once rotated, though the dispatcher already signed with the old one', async () => {
    const { id, secret: oldSecret } = await endpoint('invoice.rerotated');
    const before = await publish('invoice.rerotated', {});
    const first = await eventually(async () => requestsFor(before)[0]);
    expect(String(first.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(new Webhook(oldSecret).verify(first.body, first.headers as Record<string, string>)).toMatchObject({ id: before });
    const rotated = await gw.request('POST', `/v1/webhooks/${id}/rotate-secret`, undefined, { token });
    expect(rotated.status).toBe(200);
    const after = await publish('invoice.rerotated', {});
    const got = await eventually(async () => requestsFor(after)[0]);
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(new Webhook(rotated.body.secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({ id: after });
  });

});
