import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { isPostgres } from '../fixtures/raw-db';
import { hookgate, requireBuiltCli } from '../support/cli';
import { eventually, Gateway, startGateway, TEST_JWT_SECRET } from '../support/gateway';
import { Receiver } from '../support/receiver';

const TABLES = ['events', 'deliveries', 'attempts', 'audit_events'] as const;
type Counts = Record<(typeof TABLES)[number], number>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function counts(gw: Gateway): Promise<Counts> {
  const ds = gw.app.get(DataSource);
  const entries = await Promise.all(TABLES.map(async (t) => [t, Number((await ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n)] as const));
  return Object.fromEntries(entries) as Counts;
}

/**
 * A gateway whose endpoints cover every delivery state: `ok` takes everything, `dying` answers
 * 503 until its deliveries are dead, `retrying` asks for a retry in an hour (failed), `paused` is
 * disabled with a retried delivery (held), `stuck` never answers (pending while in flight).
 */
async function gatewayWithEveryState(env: Record<string, string>) {
  const encryptionKey = randomBytes(32).toString('base64');
  // A retry schedule of milliseconds (dead within a second); nothing is auto-disabled.
  const gw = await startGateway({ env: { HOOKGATE_ENCRYPTION_KEY: encryptionKey, DELIVERY_TIME_SCALE: '0.00001', DELIVERY_DISABLE_MIN_FAILURES: '1000000', API_RATE_LIMIT_PER_MINUTE: '0', ...env } });
  const tenant = `ret-${randomBytes(4).toString('hex')}`;
  const token = gw.token({ scope: 'webhooks:write events:publish deliveries:read deliveries:write', tenant });
  const receivers = {
    ok: await Receiver.start(),
    dying: await Receiver.start(),
    retrying: await Receiver.start(),
    paused: await Receiver.start(),
    stuck: await Receiver.start(),
  };
  receivers.dying.respond = () => ({ status: 503, body: 'down' });
  receivers.retrying.respond = () => ({ status: 503, headers: { 'retry-after': '3600' }, body: 'later' });
  receivers.paused.respond = receivers.retrying.respond;
  receivers.stuck.respond = () => ({ hang: true });
  const endpoint = async (receiver: Receiver, eventTypes: string[], extra: object = {}) =>
    (await gw.request('POST', '/v1/webhooks', { url: receiver.url, eventTypes, ...extra }, { token })).body.id as string;
  const ids = {
    ok: await endpoint(receivers.ok, []),
    dying: await endpoint(receivers.dying, ['load.dying']),
    retrying: await endpoint(receivers.retrying, ['keep.failed']),
    paused: await endpoint(receivers.paused, ['keep.held']),
    stuck: await endpoint(receivers.stuck, ['keep.pending'], { timeoutMs: 60000 }),
  };
  const publish = async (type: string) => {
    const res = await gw.request('POST', '/v1/events', { type, data: { at: Date.now() } }, { token });
    if (res.status !== 202) throw new Error(`publish answered ${res.status}: ${res.text}`);
    return res.body.id as string;
  };
  const deliveryOf = async (eventId: string, endpointId: string) =>
    (await gw.request('GET', `/v1/deliveries?eventId=${eventId}&endpointId=${endpointId}`, undefined, { token })).body.data[0];

  /** One event per unfinished state, each also delivered (succeeded) to `ok`: none may be purged. */
  const publishUnfinished = async () => {
    const failed = await publish('keep.failed');
    const held = await publish('keep.held');
    const pending = await publish('keep.pending');
    await eventually(async () => (await deliveryOf(failed, ids.retrying))?.status === 'failed' && (await deliveryOf(held, ids.paused))?.status === 'failed');
    await gw.request('POST', `/v1/webhooks/${ids.paused}/disable`, undefined, { token });
    const heldDelivery = await deliveryOf(held, ids.paused);
    expect((await gw.request('POST', `/v1/deliveries/${heldDelivery.id}/retry`, undefined, { token })).body.status).toBe('held');
    await receivers.stuck.waitFor(1);
    expect((await deliveryOf(pending, ids.stuck)).status).toBe('pending');
    return { failed, held, pending };
  };

  /** The unfinished events are all there, each with both deliveries and their attempts. */
  const expectKept = async (events: Record<string, string>) => {
    const expected = { failed: ['failed', ids.retrying], held: ['held', ids.paused], pending: ['pending', ids.stuck] } as const;
    for (const [name, eventId] of Object.entries(events)) {
      expect((await gw.request('GET', `/v1/events/${eventId}`, undefined, { token })).status).toBe(200);
      const [status, endpointId] = expected[name as keyof typeof expected];
      expect({ name, status: (await deliveryOf(eventId, endpointId))?.status }).toEqual({ name, status });
      expect({ name, ok: (await deliveryOf(eventId, ids.ok))?.status }).toEqual({ name, ok: 'succeeded' });
    }
    const [row] = await gw.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.event_id IN (${Object.values(events).map((id) => `'${id}'`).join(', ')})`);
    // ok x3, retrying 1, paused 1 (held since), stuck 0 (in flight).
    expect(Number(row.n)).toBe(5);
  };

  return {
    gw,
    ids,
    env: { NODE_ENV: 'test', DATABASE_URL: gw.databaseUrl, HOOKGATE_ENCRYPTION_KEY: encryptionKey, AUTH_JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' },
    publish,
    publishUnfinished,
    expectKept,
    close: async () => {
      for (const r of Object.values(receivers)) await r.close();
      await gw.close();
    },
  };
}

describe('retention sweep', () => {
  let setup: Awaited<ReturnType<typeof gatewayWithEveryState>>;

  beforeAll(async () => {
    setup = await gatewayWithEveryState({ RETENTION_PERIOD: '2s', RETENTION_SWEEP_INTERVAL: '500ms', AUDIT_RETENTION_PERIOD: '2s' });
  });

  afterAll(async () => {
    await setup?.close();
  });

  it('under a steady publish load the tables level off, and unfinished deliveries keep their events', async () => {
    const { gw } = setup;
    const unfinished = await setup.publishUnfinished();
    const LOAD_MS = 10_000;
    // Rows may live RETENTION_PERIOD, plus a sweep interval until the next sweep, plus the sweep
    // itself and delivery: anything older than this window must be gone.
    const WINDOW_MS = 5_000;
    const published: number[] = [];
    const samples: (Counts & { t: number; bound: number })[] = [];
    const start = Date.now();
    const settledSamples = () => samples.filter((s) => s.t >= WINDOW_MS + 1000);
    // At least LOAD_MS, longer (bounded) on a machine too busy to take six samples past the window.
    while (Date.now() - start < LOAD_MS || (settledSamples().length <= 5 && Date.now() - start < 3 * LOAD_MS)) {
      const batch = await Promise.all([...Array.from({ length: 10 }, () => setup.publish('load.tick')), setup.publish('load.dying')]);
      published.push(...batch.map(() => Date.now()));
      if (samples.length === 0 || Date.now() - start >= samples[samples.length - 1].t + 500) {
        const t = Date.now() - start;
        const recent = published.filter((at) => at > Date.now() - WINDOW_MS).length;
        samples.push({ t, bound: recent + 3, ...(await counts(gw)) });
      }
      await sleep(20);
    }
    console.log(`retention under load: ${published.length} events published in ${((Date.now() - start) / 1000).toFixed(1)} s; events/deliveries/attempts/audit every ~0.5 s:\n${samples.map((s) => `t=${(s.t / 1000).toFixed(1)}s ${s.events}/${s.deliveries}/${s.attempts}/${s.audit_events} (bound ${s.bound})`).join('\n')}`);

    // Once the first events are past the window, the event count stays within what the window holds.
    const settled = settledSamples();
    expect(settled.length).toBeGreaterThan(5);
    for (const s of settled) expect({ t: s.t, events: s.events, bound: s.bound, within: s.events <= s.bound }).toMatchObject({ within: true });
    expect(samples[samples.length - 1].events).toBeLessThan(published.length / 2);

    // Load over: everything final goes, the unfinished three stay with their deliveries and attempts.
    await eventually(async () => (await counts(gw)).events === 3, 20_000, 250);
    await setup.expectKept(unfinished);
    // The audit log is purged by its own period (the endpoints' creation records were older than 2 s).
    await eventually(async () => Number((await gw.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'endpoint.created'`))[0].n) === 0, 10_000, 250);

    const metrics = (await gw.request('GET', '/metrics')).text;
    for (const table of TABLES) {
      const line = metrics.split('\n').find((l) => l.startsWith(`hookgate_retention_purged_rows_total{table="${table}"}`));
      expect({ table, purged: Number(line?.split(' ')[1]) }).toEqual({ table, purged: expect.any(Number) });
      expect(Number(line?.split(' ')[1])).toBeGreaterThan(0);
    }
  }, 120_000);

  // Several workers share one PostgreSQL database: the one holding the advisory lock sweeps.
  (isPostgres() ? it : it.skip)('on PostgreSQL a worker sweeps only when it gets the sweep lock', async () => {
    const { gw } = setup;
    const other = new Client({ connectionString: gw.databaseUrl });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtext('hookgate:retention'))`);
      for (let i = 0; i < 10; i++) await setup.publish('load.tick');
      // Well past RETENTION_PERIOD and several sweep intervals: nothing may go while the lock is held elsewhere.
      await sleep(4000);
      expect((await counts(gw)).events).toBe(13);
      await other.query(`SELECT pg_advisory_unlock(hashtext('hookgate:retention'))`);
      await eventually(async () => (await counts(gw)).events === 3, 10_000, 250);
    } finally {
      await other.end();
    }
  }, 60_000);
});

describe('hookgate purge', () => {
  let setup: Awaited<ReturnType<typeof gatewayWithEveryState>>;

  beforeAll(async () => {
    requireBuiltCli();
    setup = await gatewayWithEveryState({});
  });

  afterAll(async () => {
    await setup?.close();
  });

  it('removes what the sweep would, now: dry run first, then the rows per table', async () => {
    const { gw, ids } = setup;
    const unfinished = await setup.publishUnfinished();
    for (let i = 0; i < 20; i++) await setup.publish('load.tick');
    for (let i = 0; i < 5; i++) await setup.publish('load.dying');
    const statuses = async () => Object.fromEntries((await gw.app.get(DataSource).query('SELECT endpoint_id, status, COUNT(*) AS n FROM deliveries GROUP BY endpoint_id, status')).map((r: { endpoint_id: string; status: string; n: string }) => [`${r.endpoint_id}:${r.status}`, Number(r.n)]));
    await eventually(async () => {
      const s = await statuses();
      return s[`${ids.ok}:succeeded`] === 28 && s[`${ids.dying}:dead`] === 5;
    }, 20_000, 100);
    await sleep(1100);
    const before = await counts(gw);
    // 25 final events: 20 with one attempt, 5 with one to ok and 8 to dying (dead).
    const removable = { events: 25, deliveries: 30, attempts: 20 + 5 * (1 + 8) };

    const dry = await hookgate(['--json', 'purge', '--older-than', '1s', '--dry-run'], setup.env);
    expect({ code: dry.code, stderr: dry.stderr }).toEqual({ code: 0, stderr: '' });
    expect(dry.json()).toEqual({ dryRun: true, olderThan: '1s', auditOlderThan: null, rows: { ...removable, audit_events: 0 } });
    expect(await counts(gw)).toEqual(before);

    const purged = await hookgate(['purge', '--older-than', '1s'], setup.env);
    expect({ code: purged.code, stderr: purged.stderr }).toEqual({ code: 0, stderr: '' });
    expect(purged.stdout).toBe(
      [
        'Removed events older than 1s whose deliveries are all final, and no audit events (AUDIT_RETENTION_PERIOD is unset):',
        'TABLE         ROWS',
        `events        ${removable.events}`,
        `deliveries    ${removable.deliveries}`,
        `attempts      ${removable.attempts}`,
        'audit_events  0',
        '',
      ].join('\n'),
    );
    expect(await counts(gw)).toEqual({ events: 3, deliveries: 6, attempts: 5, audit_events: before.audit_events });
    await setup.expectKept(unfinished);

    const audit = await hookgate(['--json', 'purge', '--audit-older-than', '1ms'], setup.env);
    expect(audit.json().rows).toEqual({ events: 0, deliveries: 0, attempts: 0, audit_events: before.audit_events });
    expect((await counts(gw)).audit_events).toBe(0);
  }, 120_000);

  it('refuses --url and a malformed duration as usage errors', async () => {
    const remote = await hookgate(['--url', setup.gw.url, '--token', setup.gw.adminToken(), 'purge'], setup.env);
    expect(remote).toMatchObject({ code: 2, stderr: 'hookgate: purge works on the local database only (DATABASE_URL); drop --url and --token\n' });
    const malformed = await hookgate(['purge', '--older-than', 'a week'], setup.env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--older-than "a week" is not a duration like 250ms, 5s, 5m, 2h or 30d');
  });
});
