import { HttpSender } from '../../src/delivery/http/http-sender';
import { AddressResolver, createGuardedAgent } from '../../src/delivery/http/ssrf';
import { createEndpoint, deliveryWhen, DELIVERY_SCOPES, publishEvent } from '../support/delivery-api';
import { useGateway, useReceiver, useReceiverFactory } from '../support/fixture';
import { freePort } from '../support/free-port';
import { testToken } from '../support/gateway';

describe('retries (core schedule, DELIVERY_TIME_SCALE=0.001: the first retry 5 ms after the first try)', () => {
  const gw = useGateway();
  const receiver = useReceiverFactory();
  const token = testToken({ scope: DELIVERY_SCOPES });

  /** A new endpoint on `url` that only this test's event type reaches; publishes one event. */
  async function sendOne(url: string, type: string): Promise<{ eventId: string; endpointId: string }> {
    const { id: endpointId } = await createEndpoint(gw, token, { url, eventTypes: [type] });
    return { eventId: await publishEvent(gw, token, type), endpointId };
  }

  it('treats a 3xx as a failure and never follows it', async () => {
    const target = await receiver();
    const redirecting = await receiver();
    redirecting.respond = () => ({ status: 302, headers: { location: target.url } });
    const { eventId, endpointId } = await sendOne(redirecting.url, 'retry.redirect');
    const delivery = await deliveryWhen(gw, token, eventId, endpointId, (d) => d.attemptCount >= 2);
    expect(delivery.status).toBe('failed');
    expect(delivery.nextAttemptAt).not.toBeNull();
    expect(delivery.attempts[0]).toMatchObject({ statusCode: 302, error: `redirect to ${target.url} not followed` });
    expect(target.received).toHaveLength(0);
  });

  it('honours Retry-After on a 429 instead of the 5 ms scheduled delay', async () => {
    const limited = await receiver();
    limited.respond = (_req, n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 });
    const { eventId, endpointId } = await sendOne(limited.url, 'retry.after');
    const delivery = await deliveryWhen(gw, token, eventId, endpointId, (d) => d.status === 'succeeded');
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([429, 200]);
    const [first, second] = limited.received;
    expect(second.at - first.at).toBeGreaterThanOrEqual(900);
  });

  it('retries a refused connection', async () => {
    const { eventId, endpointId } = await sendOne(`http://127.0.0.1:${await freePort()}/hook`, 'retry.refused');
    const delivery = await deliveryWhen(gw, token, eventId, endpointId, (d) => d.attemptCount >= 2);
    expect(delivery.status).toBe('failed');
    expect(delivery.nextAttemptAt).not.toBeNull();
    for (const attempt of delivery.attempts) expect(attempt).toMatchObject({ statusCode: null, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('retries when the receiver closes the socket mid-request', async () => {
    const flaky = await receiver();
    flaky.respond = (_req, n) => (n === 1 ? { destroy: true } : { status: 200 });
    const { eventId, endpointId } = await sendOne(flaky.url, 'retry.reset');
    const delivery = await deliveryWhen(gw, token, eventId, endpointId, (d) => d.status === 'succeeded');
    expect(delivery.attempts).toHaveLength(2);
    expect(delivery.attempts[0]).toMatchObject({ statusCode: null, error: expect.any(String) });
    expect(delivery.attempts[1]).toMatchObject({ statusCode: 200, error: null });
    expect(flaky.received).toHaveLength(2);
  });
});

describe('retries: a DNS failure', () => {
  const lookedUp: string[] = [];
  /** Stands in for the system resolver: every name is unknown (no real DNS lookup happens). */
  const unknownName: AddressResolver = (hostname, _options, callback) => {
    lookedUp.push(hostname);
    const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
    process.nextTick(() => callback(err, []));
  };
  const gw = useGateway(() => ({ overrides: { sender: new HttpSender(createGuardedAgent({ allowPrivateNetworks: true, allowedCidrs: [] }, { resolve: unknownName })) } }));

  it('is recorded with ENOTFOUND and retried', async () => {
    const token = gw.token({ scope: DELIVERY_SCOPES });
    const { id: endpointId } = await createEndpoint(gw, token, { url: 'http://receiver.hookgate.invalid/hook' });
    const eventId = await publishEvent(gw, token, 'retry.dns');
    const delivery = await deliveryWhen(gw, token, eventId, endpointId, (d) => d.attemptCount >= 2);
    expect(delivery.status).toBe('failed');
    expect(delivery.nextAttemptAt).not.toBeNull();
    for (const attempt of delivery.attempts) expect(attempt).toMatchObject({ statusCode: null, error: expect.stringContaining('ENOTFOUND') });
    expect(lookedUp).toContain('receiver.hookgate.invalid');
  });
});

describe('retries until dead, then recovery', () => {
  // Scaled so that the 7 core delays (5 s … 10 h, about 27.6 h in all) take about 2 s.
  const SCALE = '0.00002';
  const gw = useGateway({ env: { DELIVERY_TIME_SCALE: SCALE } });
  const receiver = useReceiver();
  const token = testToken({ scope: DELIVERY_SCOPES });

  it('makes exactly 8 attempts against a receiver that always answers 500, then marks the delivery dead', async () => {
    receiver.respond = () => ({ status: 500, body: 'down' });
    const { id: endpointId } = await createEndpoint(gw, token, { url: receiver.url, eventTypes: ['dead.probe'] });
    const eventId = await publishEvent(gw, token, 'dead.probe');
    const delivery = await deliveryWhen(gw, token, eventId, endpointId, (d) => d.status === 'dead', 20000);
    expect(delivery.attemptCount).toBe(8);
    expect(delivery.attempts).toHaveLength(8);
    expect(delivery.nextAttemptAt).toBeNull();
    for (const attempt of delivery.attempts) expect(attempt).toMatchObject({ statusCode: 500, error: 'HTTP 500', responseBody: 'down' });
    expect(receiver.received.filter((r) => r.json().id === eventId)).toHaveLength(8);

    receiver.respond = () => ({ status: 200 });
    const retried = await gw.request('POST', `/v1/deliveries/${delivery.id}/retry`, undefined, { token });
    expect(retried.status).toBe(202);
    const resent = await deliveryWhen(gw, token, eventId, endpointId, (d) => d.status === 'succeeded');
    expect(resent.attempts).toHaveLength(9);
    expect(resent.attempts[8]).toMatchObject({ statusCode: 200, error: null });
    expect(receiver.received.filter((r) => r.json().id === eventId)).toHaveLength(9);
  }, 30000);

  it('re-queues failed and dead deliveries since a time with POST /v1/webhooks/:id/recover', async () => {
    const since = new Date().toISOString();
    receiver.respond = () => ({ status: 500 });
    const { id: endpointId } = await createEndpoint(gw, token, { url: receiver.url, eventTypes: ['recover.probe'] });
    const eventIds = await Promise.all([1, 2, 3].map((n) => publishEvent(gw, token, 'recover.probe', { n })));
    await Promise.all(eventIds.map((id) => deliveryWhen(gw, token, id, endpointId, (d) => d.status === 'dead', 20000)));

    const later = await gw.request('POST', `/v1/webhooks/${endpointId}/recover`, { since: new Date(Date.now() + 60000).toISOString() }, { token });
    expect(later.body).toEqual({ recovered: 0 });

    receiver.respond = () => ({ status: 200 });
    const recovered = await gw.request('POST', `/v1/webhooks/${endpointId}/recover`, { since }, { token });
    expect(recovered.status).toBe(200);
    expect(recovered.body).toEqual({ recovered: 3 });
    for (const id of eventIds) {
      const delivery = await deliveryWhen(gw, token, id, endpointId, (d) => d.status === 'succeeded');
      expect(delivery.attempts).toHaveLength(9);
    }
    const arrivedAfterRecovery = receiver.received.filter((r) => eventIds.includes(r.json().id) && r.json().type === 'recover.probe');
    expect(arrivedAfterRecovery).toHaveLength(27);
  }, 30000);
});
