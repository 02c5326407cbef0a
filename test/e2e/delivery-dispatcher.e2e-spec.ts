import { DeliveryStore } from '../../src/delivery/store/delivery-store';
import { EntityManager } from 'typeorm';
import { Database } from '../../src/persistence/database';
import { createEndpoint, deliveryWhen, DELIVERY_SCOPES, metricSample, publishEvent } from '../support/delivery-api';
import { useGateway, useReceiver } from '../support/fixture';
import { eventually, Gateway, startGateway, testToken, throwawayDatabase } from '../support/gateway';
import { Receiver } from '../support/receiver';

/** The delivery of an event to an endpoint once it succeeded, with its attempts. */
const succeeded = (gw: Gateway, token: string, eventId: string, endpointId: string) => deliveryWhen(gw, token, eventId, endpointId, (d) => d.status === 'succeeded');

describe('dispatcher: concurrency and wake-up', () => {
  const CONCURRENCY = 3;
  // A poll interval of a minute: only a publish's wake-up can make a delivery go out promptly.
  const gw = useGateway({ env: { DELIVERY_CONCURRENCY: String(CONCURRENCY), DELIVERY_POLL_INTERVAL_MS: '60000' } });
  const receiver = useReceiver();
  let token: string;
  let inFlight = 0;
  let maxInFlight = 0;

  beforeAll(async () => {
    receiver.respond = () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Scheduled before the receiver's own answer timer of the same delay, so it runs first.
      setTimeout(() => inFlight--, 150);
      return { status: 200, delayMs: 150 };
    };
    token = gw.token({ scope: DELIVERY_SCOPES });
    await createEndpoint(gw, token, { url: receiver.url });
  });

  it(`never has more than DELIVERY_CONCURRENCY (${CONCURRENCY}) attempts in flight`, async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => publishEvent(gw, token, 'order.created', { i })));
    await receiver.waitFor(12, 15000);
    expect(maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('is woken at once by a publish instead of waiting for the next poll', async () => {
    const before = receiver.received.length;
    const eventId = await publishEvent(gw, token, 'order.created', { late: true });
    const [got] = (await receiver.waitFor(before + 1, 10000)).slice(before);
    expect(got.json().id).toBe(eventId);
  });
});

describe("dispatcher: a publish's deliveries handed over in memory", () => {
  // Two slots and a receiver that takes 100 ms: thirty handed-over deliveries keep both busy for ~1.5 s.
  const gw = useGateway({ env: { DELIVERY_CONCURRENCY: '2', DELIVERY_POLL_INTERVAL_MS: '60000' } });
  const slow = useReceiver();
  const flaky = useReceiver();
  const token = testToken({ scope: DELIVERY_SCOPES });

  it('still sends a retry due in the database while handed-over deliveries wait', async () => {
    slow.respond = () => ({ status: 200, delayMs: 100 });
    flaky.respond = (_req, n) => ({ status: n === 1 ? 500 : 200 });
    await createEndpoint(gw, token, { url: slow.url, eventTypes: ['busy.work'] });
    const { id: flakyId } = await createEndpoint(gw, token, { url: flaky.url, eventTypes: ['flaky.work'] });
    const flakyEvent = await publishEvent(gw, token, 'flaky.work');
    await flaky.waitFor(1);
    await Promise.all(Array.from({ length: 30 }, (_, i) => publishEvent(gw, token, 'busy.work', { i })));
    // The retry (5 s scaled to 5 ms) is claimed beside the backlog, not after it.
    const retried = await succeeded(gw, token, flakyEvent, flakyId);
    expect(retried.attempts).toHaveLength(2);
    expect(slow.received.length).toBeLessThan(30);
    await slow.waitFor(30, 15000);
  });
});

describe('dispatcher: an owner disables an endpoint while its deliveries wait in memory', () => {
  const gw = useGateway({ env: { DELIVERY_CONCURRENCY: '1' } });
  const receiver = useReceiver();
  const token = testToken({ scope: DELIVERY_SCOPES });

  it('sends none of them a second after the disable: their endpoint rows are read again', async () => {
    // One slot and 300 ms a delivery: twenty deliveries wait in memory for seconds.
    receiver.respond = () => ({ status: 200, delayMs: 300 });
    const { id } = await createEndpoint(gw, token, { url: receiver.url });
    for (let i = 0; i < 20; i++) await publishEvent(gw, token, 'order.created', { i });
    await receiver.waitFor(1);
    expect((await gw.request('POST', `/v1/webhooks/${id}/disable`, undefined, { token })).status).toBe(200);
    const sentBefore = receiver.received.length;
    const settled = await eventually(async () => {
      const list = await gw.request<{ data: { status: string }[] }>('GET', `/v1/deliveries?endpointId=${id}&limit=100`, undefined, { token });
      return list.body.data.length === 20 && list.body.data.every((d) => d.status !== 'pending') && list.body.data;
    }, 20000);
    // At most what a second of the one slot can send after the disable, plus the attempt in flight.
    expect(receiver.received.length).toBeLessThanOrEqual(sentBefore + 5);
    expect(settled.filter((d) => d.status === 'dead')).toHaveLength(20 - receiver.received.length);
  });
});

describe('dispatcher: shutdown with handed-over deliveries still waiting', () => {
  const receiver = useReceiver();

  it('gives up their leases, so the next start sends them at once instead of when the leases end', async () => {
    receiver.respond = () => ({ status: 200, delayMs: 200 });
    const db = await throwawayDatabase();
    const token = testToken({ scope: DELIVERY_SCOPES });
    const first = await startGateway({ databaseUrl: db.url, env: { DELIVERY_CONCURRENCY: '1' } });
    try {
      await createEndpoint(first, token, { url: receiver.url });
      for (let i = 0; i < 10; i++) await publishEvent(first, token, 'order.created', { i });
      await receiver.waitFor(1);
    } finally {
      await first.close();
    }
    // A process that runs no dispatcher claims what is due: every delivery not yet sent, none still leased (60 s).
    const second = await startGateway({ databaseUrl: db.url, env: { ROLE: 'api' } });
    try {
      const unsent = await second.app.get(DeliveryStore).claim(100);
      expect(unsent.length).toBeGreaterThan(0);
      expect(unsent.length).toBe(10 - receiver.received.length);
    } finally {
      await second.close();
      await db.drop();
    }
  });
});

describe('delivery store: leases', () => {
  // ROLE=api runs no dispatcher: the test claims deliveries itself.
  const gw = useGateway({ env: { ROLE: 'api', DELIVERY_LEASE_MS: '2000' } });
  const receiver = useReceiver();
  let token: string;

  beforeAll(async () => {
    token = gw.token({ scope: DELIVERY_SCOPES });
    await createEndpoint(gw, token, { url: receiver.url, timeoutMs: 500 });
  });

  it('reports the backlog in /metrics while nothing sends it', async () => {
    await publishEvent(gw, token, 'order.created');
    await publishEvent(gw, token, 'order.created');
    const metrics = await eventually(async () => {
      const text = (await gw.request('GET', '/metrics')).text;
      return (metricSample(text, 'hookgate_oldest_due_delivery_age_seconds') ?? 0) > 0 && text;
    });
    expect(metricSample(metrics, 'hookgate_queue_depth{source="outbox"}')).toBe(2);
    expect(metricSample(metrics, 'hookgate_deliveries{plugin="core",status="pending"}')).toBe(2);
  });

  it('claims a delivery again once a lease held by a worker that never finished has expired', async () => {
    const store = gw.app.get(DeliveryStore);
    const claimed = await store.claim(10);
    expect(claimed).toHaveLength(2);
    const leaseUntil = Math.max(...claimed.map((d) => d.leaseUntil!));
    expect(leaseUntil).toBeGreaterThanOrEqual(Date.now() + 1000);
    expect(await store.claim(10)).toHaveLength(0);
    expect(await store.claim(10, leaseUntil - 1)).toHaveLength(0);
    const reclaimed = await store.claim(10, leaseUntil + 1);
    expect(reclaimed.map((d) => d.id).sort()).toEqual(claimed.map((d) => d.id).sort());
    expect(receiver.received).toHaveLength(0);
  });

  it("claims a queue job's named deliveries by primary key, even when the statistics say nothing is due", async () => {
    const db = gw.app.get(Database);
    const store = gw.app.get(DeliveryStore);
    const row = (id: string, status: string) => [id, 'ev', 'ep', 'plan-tenant', null, status, 0, 1, null, null, null, 1, 1];
    const columns = ['id', 'event_id', 'endpoint_id', 'tenant', 'plugin', 'status', 'attempt_count', 'next_attempt_at', 'lease_until', 'last_status_code', 'last_error', 'created_at', 'updated_at'];
    // Statistics taken while every delivery was done, then a backlog of due ones: the lag a growing backlog has.
    await db.transaction((m) => db.write(m, { insert: 'deliveries', columns, rows: Array.from({ length: 200 }, (_, i) => row(`plan-done-${i}`, 'succeeded')) }));
    await db.manager.query('ANALYZE deliveries');
    await db.transaction((m) => db.write(m, { insert: 'deliveries', columns, rows: Array.from({ length: 3000 }, (_, i) => row(`plan-due-${String(i).padStart(4, '0')}`, 'pending')) }));
    const wanted = Array.from({ length: 32 }, (_, i) => `plan-due-${String(i * 90).padStart(4, '0')}`);
    const statements: { sql: string; params: unknown[] }[] = [];
    const query = EntityManager.prototype.query;
    const spy = jest.spyOn(EntityManager.prototype, 'query').mockImplementation(function (this: EntityManager, sql: string, params?: unknown[]) {
      statements.push({ sql, params: params ?? [] });
      return query.call(this, sql, params);
    });
    try {
      expect((await store.claim(wanted.length, Date.now(), wanted)).map((d) => d.id).sort()).toEqual(wanted);
    } finally {
      spy.mockRestore();
    }
    const claim = statements.find(({ sql }) => sql.includes('WITH due'))!;
    const plan = JSON.stringify(await db.manager.query(db.kind === 'postgres' ? `EXPLAIN ${claim.sql}` : `EXPLAIN QUERY PLAN ${claim.sql}`, claim.params));
    expect(plan).not.toContain('idx_deliveries_due');
    expect(plan).toMatch(db.kind === 'postgres' ? /deliveries_pkey|PK_/ : /sqlite_autoindex_deliveries|PRIMARY KEY/);
  });
});

describe('dispatcher: timeouts, response bodies and metrics', () => {
  const gw = useGateway();
  const receiver = useReceiver();
  const token = testToken({ scope: DELIVERY_SCOPES });

  it("records `timeout after N ms` for a receiver that hangs past the endpoint's timeoutMs, then retries", async () => {
    const hanging = await Receiver.start();
    hanging.respond = (_req, n) => (n === 1 ? { hang: true } : { status: 200 });
    try {
      const { id: endpointId } = await createEndpoint(gw, token, { url: hanging.url, timeoutMs: 200, eventTypes: ['slow.probe'] });
      const delivery = await succeeded(gw, token, await publishEvent(gw, token, 'slow.probe'), endpointId);
      expect(delivery.attempts).toHaveLength(2);
      expect(delivery.attempts[0]).toMatchObject({ statusCode: null, error: 'timeout after 200 ms' });
      expect(delivery.attempts[1]).toMatchObject({ statusCode: 200, error: null });
    } finally {
      await hanging.close();
    }
  });

  it('keeps the first 4 KiB of a 10 MB response body without buffering the rest', async () => {
    const big = await Receiver.start();
    big.respond = () => ({ status: 200, bodyBytes: 10 * 1024 * 1024 });
    try {
      const { id: endpointId } = await createEndpoint(gw, token, { url: big.url, eventTypes: ['big.probe'] });
      const rssBefore = process.memoryUsage().rss;
      const eventIds = await Promise.all([1, 2, 3].map(() => publishEvent(gw, token, 'big.probe')));
      const deliveries = await Promise.all(eventIds.map((id) => succeeded(gw, token, id, endpointId)));
      const grownMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
      for (const d of deliveries) {
        expect(d.attempts).toHaveLength(1);
        expect(d.attempts[0].responseBody).toHaveLength(4096);
        expect(d.attempts[0].responseBody).toBe('x'.repeat(4096));
      }
      expect(grownMb).toBeLessThan(50);
    } finally {
      await big.close();
    }
  });

  it('exposes attempt counters, durations, queue depth and the oldest due age in /metrics', async () => {
    receiver.respond = () => ({ status: 200 });
    await createEndpoint(gw, token, { url: receiver.url, eventTypes: ['metrics.probe'] });
    for (let i = 0; i < 3; i++) await publishEvent(gw, token, 'metrics.probe', { i });
    await receiver.waitFor(3);
    const metrics = await eventually(async () => {
      const text = (await gw.request('GET', '/metrics')).text;
      return metricSample(text, 'hookgate_queue_depth{source="outbox"}') === 0 && text;
    });
    // Earlier tests here: 1 timeout then 1 success, and 3 big-body successes.
    expect(metricSample(metrics, 'hookgate_delivery_attempts_total{plugin="core",status="succeeded"}')).toBe(7);
    expect(metricSample(metrics, 'hookgate_delivery_attempts_total{plugin="core",status="failed"}')).toBe(1);
    expect(metricSample(metrics, 'hookgate_attempt_duration_seconds_count{plugin="core"}')).toBe(8);
    expect(metricSample(metrics, 'hookgate_attempt_duration_seconds_sum{plugin="core"}')).toBeGreaterThanOrEqual(0.2);
    expect(metricSample(metrics, 'hookgate_attempt_duration_seconds_bucket{le="+Inf",plugin="core"}')).toBe(8);
    expect(metricSample(metrics, 'hookgate_oldest_due_delivery_age_seconds')).toBe(0);
  });
});
