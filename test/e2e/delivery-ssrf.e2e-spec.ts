import { createEndpoint, deliveryWhen, DELIVERY_SCOPES, publishEvent } from '../support/delivery-api';
import { useGateway, useReceiver } from '../support/fixture';
import { testToken } from '../support/gateway';

describe('SSRF guard with DELIVERY_ALLOW_PRIVATE_NETWORKS=false', () => {
  const gw = useGateway({ env: { DELIVERY_ALLOW_PRIVATE_NETWORKS: 'false' } });
  const receiver = useReceiver();
  const token = testToken({ scope: DELIVERY_SCOPES });

  it.each(['http://127.0.0.1/hook', 'http://2130706433/', 'http://[::ffff:127.0.0.1]/'])('refuses to register %s', async (url) => {
    const res = await gw.request('POST', '/v1/webhooks', { url }, { token });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, errors: [expect.objectContaining({ path: 'url' })] });
  });

  it('refuses a name that resolves to a private address at delivery time, without retrying', async () => {
    const port = new URL(receiver.url).port;
    const { id: endpointId } = await createEndpoint(gw, token, { url: `http://localhost:${port}/hook` });
    const eventId = await publishEvent(gw, token, 'order.created');
    const delivery = await deliveryWhen(gw, token, eventId, endpointId, (d) => d.status === 'dead');
    expect(delivery.attempts).toEqual([expect.objectContaining({ statusCode: null, error: 'destination not allowed' })]);
    expect(delivery.nextAttemptAt).toBeNull();
    expect(receiver.received).toHaveLength(0);
  });
});
