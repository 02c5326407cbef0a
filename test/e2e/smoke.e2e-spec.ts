import { Webhook } from 'standardwebhooks';
import { useGateway, useReceiver } from '../support/fixture';

describe('walkthrough: register an endpoint, publish, receive a signed delivery', () => {
  const gw = useGateway();
  const receiver = useReceiver();

  it('delivers a core event signed with Standard Webhooks headers', async () => {
    const token = gw.token({ scope: 'webhooks:write events:publish deliveries:read' });
    const created = await gw.request('POST', '/v1/webhooks', { url: receiver.url, eventTypes: ['invoice.paid'] }, { token });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const published = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { amount: 42 } }, { token });
    expect(published.status).toBe(202);
    expect(published.body.deliveries).toBe(1);
    const [got] = await receiver.waitFor(1);
    const payload = new Webhook(created.body.secret).verify(got.body, got.headers as Record<string, string>) as any;
    expect(payload).toMatchObject({ id: published.body.id, type: 'invoice.paid', data: { amount: 42 } });
    const list = await gw.request('GET', `/v1/deliveries?eventId=${published.body.id}`, undefined, { token });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
  });
});
