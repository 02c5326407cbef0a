import { eventually, httpRequest } from '../support/gateway';
import { useReceiver } from '../support/fixture';
import { freePort } from '../support/free-port';
import { bearer, clusterEnv, deliveryStatuses, GatewayProcess, scaleServices } from './cluster';
import { createPgDatabase } from '../support/gateway';

const EVENTS = 300;
const services = scaleServices('test/scale/postgres.e2e-spec.ts', { redis: false });

/** Attempts this process made, from its own /metrics (the counter is per process). */
async function attemptsMade(server: GatewayProcess): Promise<number> {
  const text = await fetch(`${server.url}/metrics`).then((r) => r.text());
  return [...text.matchAll(/^hookgate_delivery_attempts_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

(services ? describe : describe.skip)('scale-out on PostgreSQL: two embedded dispatchers share one outbox', () => {
  let database: { url: string; drop: () => Promise<void> };
  let processes: GatewayProcess[] = [];

  beforeAll(async () => {
    database = await createPgDatabase(services!.postgresUrl, 'hookgate_pg');
    const env = clusterEnv(database.url, { DELIVERY_POLL_INTERVAL_MS: '50', DELIVERY_CONCURRENCY: '16' });
    // The api migrates the database first; the workers then start side by side.
    const api = new GatewayProcess('api', { ...env, ROLE: 'api' }, await freePort());
    await api.start();
    const workers = [new GatewayProcess('worker-1', { ...env, ROLE: 'worker' }, await freePort()), new GatewayProcess('worker-2', { ...env, ROLE: 'worker' }, await freePort())];
    processes = [api, ...workers];
    await Promise.all(workers.map((w) => w.start()));
  }, 90000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    await database?.drop();
  }, 30000);
  // Declared after the processes' hooks, so it closes once they have stopped delivering.
  const receiver = useReceiver();

  it(`delivers ${EVENTS} events once each`, async () => {
    const [api, ...workers] = processes;
    const token = bearer('webhooks:write events:publish');
    const created = await httpRequest(api.url, 'POST', '/v1/webhooks', { url: receiver.url, eventTypes: ['load.tick'] }, { token });
    expect(created.status).toBe(201);
    for (let batch = 0; batch < EVENTS; batch += 20) {
      const sent = await Promise.all(
        Array.from({ length: 20 }, (_, i) => httpRequest(api.url, 'POST', '/v1/events', { type: 'load.tick', data: { seq: batch + i } }, { token })),
      );
      expect(sent.map((r) => r.status)).toEqual(Array(20).fill(202));
    }
    await receiver.waitFor(EVENTS, 60000);
    const done = await eventually(async () => {
      const statuses = await deliveryStatuses(database.url);
      return statuses.succeeded === EVENTS && statuses;
    }, 30000);
    expect(done).toEqual({ succeeded: EVENTS });

    const seqs = receiver.received.map((r) => r.json().data.seq as number);
    const duplicates = seqs.length - new Set(seqs).size;
    const perWorker = await Promise.all(workers.map(attemptsMade));
    console.log(`postgres ledger: published ${EVENTS}, received ${seqs.length}, unique ${new Set(seqs).size}, duplicates ${duplicates}, attempts per worker ${perWorker.join(' + ')}`);
    expect(new Set(seqs).size).toBe(EVENTS);
    expect(duplicates).toBe(0);
    // Every attempt was made by exactly one of the two workers.
    expect(perWorker.reduce((a, b) => a + b, 0)).toBe(EVENTS);
  }, 120000);
});
