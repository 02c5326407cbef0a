import { randomBytes } from 'node:crypto';
import { eventually, httpRequest } from '../support/gateway';
import { useReceivers } from '../support/fixture';
import { freePort } from '../support/free-port';
import { bearer, clusterEnv, deleteRedisKeys, deliveryStatuses, GatewayProcess, scaleServices } from './cluster';
import { createPgDatabase } from '../support/gateway';

const EVENTS = 2000;
const ENDPOINTS = 5;
const PUBLISHERS = 8;
const OUTAGE_MS = 3000;
/** Bounds: publishing under chaos, then the backlog draining once everything is back up. */
const PUBLISH_DEADLINE_MS = 110000;
const SETTLE_DEADLINE_MS = 45000;
const services = scaleServices('test/scale/chaos.e2e-spec.ts', { redis: true });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

/**
 * One api and two workers on PostgreSQL + Redis (BullMQ), as separate processes of the built
 * server. While 2,000 events fan out to 5 endpoints, workers and the api are SIGKILLed and
 * restarted at random moments and every receiver answers 503 for 3 s. Then the ledger: every
 * (event, endpoint) pair arrived, nothing is dead or stuck, duplicates are counted.
 */
(services ? describe : describe.skip)('scale-out chaos: api + 2 workers on PostgreSQL and Redis', () => {
  const prefix = `hgchaos${randomBytes(4).toString('hex')}`;
  let database: { url: string; drop: () => Promise<void> };
  let api: GatewayProcess;
  let workers: GatewayProcess[] = [];
  /** (endpoint, seq) → how many times it was answered 2xx. */
  const ledger = new Map<string, number>();
  let outage = false;

  beforeAll(async () => {
    database = await createPgDatabase(services!.postgresUrl, 'hookgate_chaos');
    const env = clusterEnv(database.url, {
      QUEUE_URL: services!.redisUrl!,
      QUEUE_PREFIX: prefix,
      DELIVERY_LEASE_MS: '4000',
      DELIVERY_TIMEOUT_MS: '1000',
      DELIVERY_CONCURRENCY: '32',
    });
    api = new GatewayProcess('api', { ...env, ROLE: 'api' }, await freePort());
    await api.start(); // migrates the database before the workers connect
    workers = [new GatewayProcess('worker-1', { ...env, ROLE: 'worker' }, await freePort()), new GatewayProcess('worker-2', { ...env, ROLE: 'worker' }, await freePort())];
    await Promise.all(workers.map((w) => w.start()));
  }, 90000);

  afterAll(async () => {
    await Promise.all([api, ...workers].filter(Boolean).map((p) => p.stop('SIGTERM')));
    await database?.drop();
    await deleteRedisKeys(services!.redisUrl!, prefix);
  }, 60000);

  // Declared after the processes' hooks, so they close once the processes have stopped delivering.
  const receivers = useReceivers(ENDPOINTS);
  beforeAll(() => {
    receivers.forEach((receiver, index) => {
      receiver.respond = (req) => {
        if (outage) return { status: 503, body: 'down for maintenance' };
        const key = `${index}:${req.json().data.seq}`;
        ledger.set(key, (ledger.get(key) ?? 0) + 1);
        return { status: 200, body: 'ok' };
      };
    });
  });

  it('loses nothing through worker and api crashes and a receiver outage', async () => {
    const token = bearer('webhooks:write events:publish');
    for (const [index, receiver] of receivers.entries()) {
      // One endpoint is rate limited: the limit is one Redis bucket shared by both workers.
      const created = await httpRequest(api.url, 'POST', '/v1/webhooks', { url: receiver.url, eventTypes: ['chaos.tick'], ...(index === 0 ? { rateLimitPerSecond: 400 } : {}) }, { token });
      expect(created.status).toBe(201);
    }

    const started = Date.now();
    const deadline = started + PUBLISH_DEADLINE_MS;
    let next = 0;
    /** Publishes each event until the api accepts it; the Idempotency-Key makes a retry the same event. */
    const publisher = async () => {
      for (let seq = next++; seq < EVENTS; seq = next++) {
        for (;;) {
          if (Date.now() > deadline) throw new Error(`event ${seq} not accepted before the deadline`);
          const res = await httpRequest(api.url, 'POST', '/v1/events', { type: 'chaos.tick', data: { seq } }, { token, headers: { 'idempotency-key': `chaos-${seq}` } }).catch(() => null);
          if (res?.status === 202) break;
          if (res && res.status < 500) throw new Error(`event ${seq}: HTTP ${res.status} ${res.text}`);
          await sleep(100); // the api is down or restarting
        }
      }
    };
    const chaos: string[] = [];
    const crash = async (server: GatewayProcess) => {
      await sleep(between(500, 2500));
      await server.stop('SIGKILL');
      chaos.push(`kill ${server.name}`);
      await sleep(between(200, 1000));
      await server.start();
    };
    const monkey = async () => {
      await crash(workers[0]);
      await crash(api);
      await sleep(between(0, 1000));
      outage = true;
      chaos.push('receiver outage');
      await sleep(OUTAGE_MS);
      outage = false;
      await crash(workers[1]);
      await crash(api);
    };
    let publishedAfter = 0;
    const publishers = Promise.all(Array.from({ length: PUBLISHERS }, publisher)).then(() => (publishedAfter = Date.now() - started));
    await Promise.all([publishers, monkey()]);

    const expected = EVENTS * ENDPOINTS;
    const settled = await eventually(async () => {
      const statuses = await deliveryStatuses(database.url);
      const open = (statuses.pending ?? 0) + (statuses.failed ?? 0);
      return Object.values(statuses).reduce((a, b) => a + b, 0) === expected && open === 0;
    }, SETTLE_DEADLINE_MS, 250).catch(() => false);
    const statuses = await deliveryStatuses(database.url);

    const unique = ledger.size;
    const duplicates = [...ledger.values()].reduce((sum, n) => sum + n - 1, 0);
    console.log(
      `chaos ledger: published ${EVENTS} events x ${ENDPOINTS} endpoints = ${expected}, delivered unique ${unique}, duplicates ${duplicates}, ` +
        `dead ${statuses.dead ?? 0}, lost ${expected - unique}; deliveries in the db ${JSON.stringify(statuses)}; chaos: ${chaos.join(', ')}; ` +
        `published in ${publishedAfter} ms, settled ${settled ? 'in' : 'NOT within'} ${Date.now() - started} ms`,
    );
    if (!settled) console.log([api, ...workers].map((p) => p.log()).join('\n'));
    expect(unique).toBe(expected);
    // Nothing dead, nothing stuck pending, failed or held: every delivery succeeded.
    expect(statuses).toEqual({ succeeded: expected });
  }, PUBLISH_DEADLINE_MS + SETTLE_DEADLINE_MS + 15000);
});
