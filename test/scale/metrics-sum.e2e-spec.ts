import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { createPgDatabase, eventually, httpRequest, withPg } from '../support/gateway';
import { evaluate, histogramQuantile, Labels, parseExposition, Sample } from '../support/promql';
import { Receiver, Reply } from '../support/receiver';
import { bearer, clusterEnv, deleteRedisKeys, GatewayProcess, scaleServices } from './cluster';
import { freePort } from '../support/free-port';

const services = scaleServices('test/scale/metrics-sum.e2e-spec.ts', { redis: true });

/** The attempt duration buckets of hookgate_attempt_duration_seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, Infinity];
/** Grafana's variables as an operator sees the dashboard: every plugin, the default rate window. */
const VARIABLES = { plugin: '.*', __rate_interval: '5m' };
/** After this many failed attempts in a row an endpoint is auto-disabled (more than one delivery's 8 tries). */
const DISABLE_AFTER_FAILURES = 12;

interface DashboardQuery {
  panel: string;
  refId: string;
  expr: string;
}

/** What the database (and Redis) say, the truth every dashboard query must add up to. */
interface Truth {
  deliveries: { plugin: string; status: string; count: number }[];
  /** Attempts by plugin and the delivery status each led to, as the gateway counts them. */
  attempts: { plugin: string; status: string; count: number }[];
  durationsSeconds: { plugin: string; seconds: number }[];
  disabledEndpoints: { plugin: string; disabledBy: string; count: number }[];
  oldestDueAt: number | null;
  jobs: { waiting: number; delayed: number; active: number };
}

/**
 * One api and two workers on PostgreSQL + Redis after a mixed run: successes, retried successes,
 * a dead letter, an endpoint auto-disabled (its deliveries held), one disabled by its owner,
 * deliveries failed with a retry an hour away and deliveries in flight (pending). Every query of
 * docs/grafana-dashboard.json, evaluated over the /metrics text of all three processes, must
 * equal the truth counted in the database: database gauges counted once, attempts once. Then the
 * process exporting the database gauges is killed and another one takes them over.
 */
(services ? describe : describe.skip)('metrics add up across an api and two workers', () => {
  const prefix = `hgmetrics${randomBytes(4).toString('hex')}`;
  let database: { url: string; drop: () => Promise<void> };
  const receivers: Record<'ok' | 'flaky' | 'doomed' | 'broken' | 'later' | 'hanging', Receiver> = {} as never;
  let processes: GatewayProcess[] = [];
  let api: GatewayProcess;

  beforeAll(async () => {
    database = await createPgDatabase(services!.postgresUrl, 'hookgate_metrics');
    const seenFlaky = new Set<string>();
    const replies: Record<keyof typeof receivers, (headers: Record<string, unknown>) => Reply> = {
      ok: () => ({ status: 200 }),
      // Fails each delivery's first try, then succeeds.
      flaky: (headers) => (seenFlaky.has(String(headers['webhook-id'])) ? { status: 200 } : (seenFlaky.add(String(headers['webhook-id'])), { status: 500 })),
      doomed: () => ({ status: 500 }),
      broken: () => ({ status: 502 }),
      later: () => ({ status: 503, headers: { 'retry-after': '3600' } }),
      hanging: () => ({ hang: true }),
    };
    for (const [name, reply] of Object.entries(replies) as [keyof typeof receivers, (typeof replies)['ok']][]) {
      receivers[name] = await Receiver.start();
      receivers[name].respond = (req) => reply(req.headers);
    }
    const env = clusterEnv(database.url, {
      QUEUE_URL: services!.redisUrl!,
      QUEUE_PREFIX: prefix,
      // The core schedule's 8 tries within about a second.
      DELIVERY_TIME_SCALE: '0.00001',
      DELIVERY_DISABLE_AFTER_MS: '0',
      DELIVERY_DISABLE_MIN_FAILURES: String(DISABLE_AFTER_FAILURES),
      METRICS_CACHE_MS: '1000',
    });
    api = new GatewayProcess('api', { ...env, ROLE: 'api' }, await freePort());
    await api.start(); // migrates the database before the workers connect
    const workers = [new GatewayProcess('worker-1', { ...env, ROLE: 'worker' }, await freePort()), new GatewayProcess('worker-2', { ...env, ROLE: 'worker' }, await freePort())];
    await Promise.all(workers.map((w) => w.start()));
    processes = [api, ...workers];
  }, 90000);

  afterAll(async () => {
    // The hanging receiver first: its in-flight attempts end instead of holding up the shutdown.
    await Promise.all(Object.values(receivers).map((r) => r.close()));
    await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    await database?.drop();
    await deleteRedisKeys(services!.redisUrl!, prefix);
  }, 60000);

  it('every dashboard query over the three /metrics equals the truth in the database', async () => {
    const token = bearer('webhooks:write events:publish');
    const endpointIds: Record<string, string> = {};
    const create = async (name: string, body: Record<string, unknown>) => {
      const created = await httpRequest(api.url, 'POST', '/v1/webhooks', body, { token });
      expect(created.status).toBe(201);
      endpointIds[name] = created.body.id;
    };
    for (const name of Object.keys(receivers) as (keyof typeof receivers)[]) {
      await create(name, { url: receivers[name].url, eventTypes: [`mix.${name}`], ...(name === 'hanging' ? { timeoutMs: 60000 } : {}) });
    }
    await create('off', { url: receivers.ok.url, eventTypes: ['mix.ok'], enabled: false });

    const published: Record<keyof typeof receivers, number> = { ok: 6, flaky: 4, doomed: 1, broken: 6, later: 2, hanging: 2 };
    for (const [name, count] of Object.entries(published)) {
      for (let i = 0; i < count; i++) expect((await httpRequest(api.url, 'POST', '/v1/events', { type: `mix.${name}`, data: { i } }, { token })).status).toBe(202);
    }

    // Settled: only the deliveries waiting an hour for their retry and the ones in flight are still open.
    await receivers.hanging.waitFor(published.hanging, 20000);
    await eventually(async () => {
      const { rows } = await withPg(database.url, (c) =>
        c.query<{ open: string; auto_disabled: string }>(
          `SELECT (SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'failed') AND endpoint_id NOT IN ($1, $2)) AS open,
                  (SELECT COUNT(*) FROM endpoints WHERE id = $3 AND disabled_by = 'auto') AS auto_disabled`,
          [endpointIds.later, endpointIds.hanging, endpointIds.broken],
        ),
      );
      return Number(rows[0].open) === 0 && Number(rows[0].auto_disabled) === 1;
    }, 30000, 200);

    const truth = await readTruth(database.url, services!.redisUrl!, prefix);
    // The run really is mixed, so that the sums below are not trivially right.
    const statusTotal = (status: string) => truth.deliveries.filter((d) => d.status === status).reduce((sum, d) => sum + d.count, 0);
    expect(['succeeded', 'failed', 'dead', 'held', 'pending'].filter((s) => statusTotal(s) === 0)).toEqual([]);
    expect(truth.disabledEndpoints.map((e) => e.disabledBy).sort()).toEqual(['auto', 'owner']);
    expect(truth.jobs.delayed).toBeGreaterThan(0);

    const queries = dashboardQueries();
    const checks = expectations(truth);
    expect(queries.map((q) => `${q.panel}/${q.refId}`).sort()).toEqual(Object.keys(checks).sort());

    const scraped = await eventually(async () => {
      const before = Date.now();
      const samples = await scrape(processes);
      const after = Date.now();

      for (const q of queries) {
        const result = evaluate(q.expr, samples, VARIABLES);
        try {
          checks[`${q.panel}/${q.refId}`](result, { before, after });
        } catch (err) {
          throw new Error(`panel "${q.panel}" ${q.refId}: ${q.expr}\n${(err as Error).message}`);
        }
      }
      // One process exports the database gauges; the api, which sends nothing, counts no attempt.
      expect(evaluate('hookgate_database_gauges_exporter == 1', samples)).toHaveLength(1);
      expect(evaluate('sum(hookgate_delivery_attempts_total{instance="api"})', samples)).toEqual([]);
      return samples;
    }, 15000, 250);

    // The exporting process crashes: another takes the database gauges over, still counted once.
    const exporter = processes.find((p) => p.name === evaluate('hookgate_database_gauges_exporter == 1', scraped)[0].labels.instance)!;
    await exporter.stop('SIGKILL');
    const survivors = processes.filter((p) => p !== exporter);
    await eventually(async () => {
      const samples = await scrape(survivors);
      const now = await readTruth(database.url, services!.redisUrl!, prefix);
      expect(evaluate('hookgate_database_gauges_exporter == 1', samples)).toHaveLength(1);
      expect(asVector(evaluate('sum by (status) (hookgate_deliveries)', samples))).toEqual(sumBy(now.deliveries, (d) => d.count, ['status']));
      expect(asVector(evaluate('sum by (disabled_by) (hookgate_endpoints_disabled)', samples))).toEqual(sumBy(now.disabledEndpoints, (e) => e.count, ['disabledBy'], { disabledBy: 'disabled_by' }));
      return true;
    }, 15000, 250);
  }, 120000);
});

/** Every process's /metrics at once, as samples labelled with the process name as `instance`. */
async function scrape(processes: GatewayProcess[]): Promise<Sample[]> {
  const texts = await Promise.all(processes.map(async (p) => ({ name: p.name, text: await (await fetch(`${p.url}/metrics`)).text() })));
  return texts.flatMap(({ name, text }) => parseExposition(text, name));
}

function dashboardQueries(): DashboardQuery[] {
  const dashboard = JSON.parse(readFileSync(resolve(__dirname, '../../docs/grafana-dashboard.json'), 'utf8'));
  return dashboard.panels.flatMap((p: { title: string; targets?: { refId: string; expr: string }[] }) => (p.targets ?? []).map((t) => ({ panel: p.title, refId: t.refId, expr: t.expr })));
}

async function readTruth(databaseUrl: string, redisUrl: string, prefix: string): Promise<Truth> {
  return withPg(databaseUrl, async (c) => {
    const deliveries = await c.query<{ plugin: string | null; status: string; n: string }>('SELECT plugin, status, COUNT(*) AS n FROM deliveries GROUP BY plugin, status');
    // Each attempt led its delivery to succeeded (2xx), dead (the last try of a dead delivery) or failed.
    const attempts = await c.query<{ plugin: string | null; status: string; duration_ms: number }>(
      `SELECT d.plugin, a.duration_ms,
              CASE WHEN a.status_code BETWEEN 200 AND 299 THEN 'succeeded'
                   WHEN d.status = 'dead' AND a.started_at = (SELECT MAX(l.started_at) FROM attempts l WHERE l.delivery_id = d.id) THEN 'dead'
                   ELSE 'failed' END AS status
         FROM attempts a JOIN deliveries d ON d.id = a.delivery_id`,
    );
    const disabled = await c.query<{ plugin: string | null; disabled_by: string; n: string }>('SELECT plugin, disabled_by, COUNT(*) AS n FROM endpoints WHERE NOT enabled AND deleted_at IS NULL GROUP BY plugin, disabled_by');
    const due = await c.query<{ due: string | null }>(`SELECT MIN(next_attempt_at) AS due FROM deliveries WHERE status IN ('pending', 'failed')`);
    const queue = new Queue('deliveries', { connection: { url: redisUrl }, prefix, skipMetasUpdate: true });
    const counts = await queue.getJobCounts('waiting', 'delayed', 'active').finally(() => queue.close());
    const attemptCounts = new Map<string, { plugin: string; status: string; count: number }>();
    for (const a of attempts.rows) {
      const key = `${a.plugin ?? 'core'}/${a.status}`;
      const entry = attemptCounts.get(key) ?? { plugin: a.plugin ?? 'core', status: a.status, count: 0 };
      entry.count++;
      attemptCounts.set(key, entry);
    }
    return {
      deliveries: deliveries.rows.map((r) => ({ plugin: r.plugin ?? 'core', status: r.status, count: Number(r.n) })),
      attempts: [...attemptCounts.values()],
      durationsSeconds: attempts.rows.map((a) => ({ plugin: a.plugin ?? 'core', seconds: a.duration_ms / 1000 })),
      disabledEndpoints: disabled.rows.map((r) => ({ plugin: r.plugin ?? 'core', disabledBy: r.disabled_by, count: Number(r.n) })),
      oldestDueAt: due.rows[0].due === null ? null : Number(due.rows[0].due),
      jobs: { waiting: counts.waiting ?? 0, delayed: counts.delayed ?? 0, active: counts.active ?? 0 },
    };
  });
}

type Check = (result: Sample[], scrapedBetween: { before: number; after: number }) => void;

/** Sums `rows` grouped by the given fields, as `{labels, value}` sorted for comparison. */
function sumBy<T extends Record<string, unknown>>(rows: T[], value: (row: T) => number, by: (keyof T & string)[], rename: Record<string, string> = {}): { labels: Labels; value: number }[] {
  const groups = new Map<string, { labels: Labels; value: number }>();
  for (const row of rows) {
    const labels = Object.fromEntries(by.map((field) => [rename[field] ?? field, String(row[field])]));
    const key = JSON.stringify(labels);
    const group = groups.get(key) ?? { labels, value: 0 };
    group.value += value(row);
    groups.set(key, group);
  }
  return sorted([...groups.values()]);
}

const sorted = <T extends { labels: Labels }>(vector: T[]): T[] => [...vector].sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
const asVector = (result: Sample[]) => sorted(result.map(({ labels, value }) => ({ labels, value })));
const equalsVector = (expected: { labels: Labels; value: number }[]): Check => (result) => expect(asVector(result)).toEqual(sorted(expected));
const equalsScalar = (expected: number): Check => equalsVector([{ labels: {}, value: expected }]);
const ratiosEqual = (expected: { labels: Labels; value: number }[]): Check => (result) => {
  const actual = asVector(result);
  expect(actual.map((s) => s.labels)).toEqual(sorted(expected).map((s) => s.labels));
  sorted(expected).forEach((e, i) => expect(actual[i].value).toBeCloseTo(e.value, 9));
};

/** The truth's attempt durations as cumulative buckets, grouped by `by`, for histogram_quantile. */
function truthBuckets(truth: Truth, by: ('plugin')[]): Sample[] {
  const groups = new Map<string, number[]>();
  for (const d of truth.durationsSeconds) {
    const key = JSON.stringify(Object.fromEntries(by.map((l) => [l, d[l]])));
    groups.set(key, [...(groups.get(key) ?? []), d.seconds]);
  }
  return [...groups].flatMap(([key, seconds]) =>
    DURATION_BUCKETS.map((le) => ({ name: '', labels: { ...JSON.parse(key), le: le === Infinity ? '+Inf' : String(le) }, value: seconds.filter((s) => s <= le).length })),
  );
}

function expectations(truth: Truth): Record<string, Check> {
  const total = (rows: { count: number }[]) => rows.reduce((sum, r) => sum + r.count, 0);
  const dead = truth.deliveries.filter((d) => d.status === 'dead');
  const attempts = total(truth.attempts);
  const succeeded = total(truth.attempts.filter((a) => a.status === 'succeeded'));
  const waiting = total(truth.deliveries.filter((d) => d.status === 'pending' || d.status === 'failed'));
  const queueDepth = [
    { labels: { source: 'outbox' }, value: waiting },
    { labels: { source: 'bullmq_waiting' }, value: truth.jobs.waiting },
    { labels: { source: 'bullmq_delayed' }, value: truth.jobs.delayed },
    { labels: { source: 'bullmq_active' }, value: truth.jobs.active },
  ];
  const oldestDue: Check = (result, { before, after }) => {
    expect(result).toHaveLength(1);
    const due = truth.oldestDueAt!;
    // Computed when the exporting process was scraped, from the due time in the database.
    expect(result[0].value).toBeGreaterThanOrEqual(Math.max(0, (before - due) / 1000));
    expect(result[0].value).toBeLessThanOrEqual(Math.max(0, (after - due) / 1000));
  };
  const failureRatioByPlugin = sumBy(truth.attempts, (a) => (a.status === 'succeeded' ? 0 : a.count), ['plugin']).map((f) => ({
    labels: f.labels,
    value: f.value / total(truth.attempts.filter((a) => a.plugin === f.labels.plugin)),
  }));
  const quantile = (q: number, by: 'plugin'[]): Check => equalsVector(asVector(histogramQuantile(q, truthBuckets(truth, by))));
  return {
    'Oldest due delivery/A': oldestDue,
    'Waiting in the outbox/A': equalsScalar(waiting),
    'Dead deliveries/A': equalsScalar(total(dead)),
    'Attempt success ratio (15m)/A': ratiosEqual([{ labels: {}, value: succeeded / attempts }]),
    'Attempts per second by outcome/A': equalsVector(sumBy(truth.attempts, (a) => a.count, ['status'])),
    'Failure ratio by plugin/A': ratiosEqual(failureRatioByPlugin),
    'Attempt duration (p50 / p95 / p99)/A': quantile(0.5, []),
    'Attempt duration (p50 / p95 / p99)/B': quantile(0.95, []),
    'Attempt duration (p50 / p95 / p99)/C': quantile(0.99, []),
    'p95 attempt duration by plugin/A': quantile(0.95, ['plugin']),
    'Deliveries by status/A': equalsVector(sumBy(truth.deliveries.filter((d) => d.status !== 'succeeded'), (d) => d.count, ['status'])),
    'Queue depth by source/A': equalsVector(queueDepth),
    'Oldest due delivery age/A': oldestDue,
    'Dead deliveries by plugin/A': equalsVector(sumBy(dead, (d) => d.count, ['plugin'])),
    'Disabled endpoints/A': equalsVector(sumBy(truth.disabledEndpoints, (e) => e.count, ['disabledBy'], { disabledBy: 'disabled_by' })),
  };
}
