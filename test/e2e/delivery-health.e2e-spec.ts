import { createEndpoint, deliveryOf, deliveryWhen, DELIVERY_SCOPES, publishEvent } from '../support/delivery-api';
import { useGateway, useReceiver } from '../support/fixture';
import { eventually, testToken } from '../support/gateway';

describe('auto-disable of an endpoint that keeps failing', () => {
  // Disabled once every attempt failed for 1 s (scaled by 0.001: 1 ms) and at least 3 failed.
  const gw = useGateway({ env: { DELIVERY_DISABLE_AFTER_MS: '1000', DELIVERY_DISABLE_MIN_FAILURES: '3' } });
  const failing = useReceiver();
  const operator = useReceiver();
  const token = testToken({ scope: DELIVERY_SCOPES });

  it('disables it, audits and announces it, holds new deliveries (an owner\'s disable too) and releases them on enable', async () => {
    failing.respond = () => ({ status: 500 });
    const { id: endpointId } = await createEndpoint(gw, token, { url: failing.url, eventTypes: ['order.created'] });
    const { id: operatorId } = await createEndpoint(gw, token, { url: operator.url, eventTypes: ['hookgate.endpoint.disabled'] });
    await Promise.all([1, 2, 3].map((n) => publishEvent(gw, token, 'order.created', { n })));

    const disabled = await eventually(async () => {
      const endpoint = (await gw.request('GET', `/v1/webhooks/${endpointId}`, undefined, { token })).body;
      return !endpoint.enabled && endpoint;
    });
    expect(disabled.disabledReason).toMatch(/failed/);

    const audit = await gw.request('GET', `/v1/audit-events?action=endpoint.auto_disabled&target=${endpointId}`, undefined, { token });
    expect(audit.status).toBe(200);
    expect(audit.body.data).toEqual([expect.objectContaining({ action: 'endpoint.auto_disabled', target: endpointId, actor: 'hookgate' })]);

    const [announced] = await operator.waitFor(1);
    expect(announced.json()).toMatchObject({ type: 'hookgate.endpoint.disabled', data: { endpointId, url: failing.url, reason: disabled.disabledReason } });
    await deliveryWhen(gw, token, announced.json().id, operatorId, (d) => d.status === 'succeeded');

    const sentBefore = failing.received.length;
    const heldEventId = await publishEvent(gw, token, 'order.created', { held: true });
    expect(await deliveryOf(gw, token, heldEventId, endpointId)).toMatchObject({ status: 'held', attemptCount: 0 });
    expect(failing.received).toHaveLength(sentBefore);

    // The owner's own disable of the auto-disabled endpoint keeps the engine's reason and the held delivery.
    const ownerDisabled = await gw.request('POST', `/v1/webhooks/${endpointId}/disable`, undefined, { token });
    expect(ownerDisabled.body).toMatchObject({ enabled: false, disabledReason: disabled.disabledReason });
    expect(await deliveryOf(gw, token, heldEventId, endpointId)).toMatchObject({ status: 'held', attemptCount: 0 });

    failing.respond = () => ({ status: 200 });
    const enabled = await gw.request('POST', `/v1/webhooks/${endpointId}/enable`, undefined, { token });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null });
    const released = await deliveryWhen(gw, token, heldEventId, endpointId, (d) => d.status === 'succeeded');
    expect(released.attempts).toHaveLength(1);
    expect(failing.received.some((r) => r.json().id === heldEventId)).toBe(true);
    // Only the operator's explicit subscription got the operator event.
    expect(failing.received.every((r) => r.json().type === 'order.created')).toBe(true);
  });
});

describe('per-endpoint rate limit', () => {
  const gw = useGateway();
  const receiver = useReceiver();

  it('spreads 15 deliveries at 5 per second over at least 2 s, failing none', async () => {
    const token = gw.token({ scope: DELIVERY_SCOPES });
    const { id: endpointId } = await createEndpoint(gw, token, { url: receiver.url, rateLimitPerSecond: 5 });
    const eventIds = await Promise.all(Array.from({ length: 15 }, (_, n) => publishEvent(gw, token, 'order.created', { n })));
    const arrived = await receiver.waitFor(15, 15000);
    // A full bucket of 5 goes at once; the other 10 follow one per 200 ms.
    expect(arrived[14].at - arrived[0].at).toBeGreaterThanOrEqual(1800);
    expect(new Set(arrived.map((r) => r.json().id))).toEqual(new Set(eventIds));
    for (const id of eventIds) expect(await deliveryWhen(gw, token, id, endpointId, (d) => d.status === 'succeeded')).toMatchObject({ attemptCount: 1 });
  });
});
