import { hostname, userInfo } from 'node:os';
import { hookgate, requireBuiltCli } from '../support/cli';
import { createEndpoint, DELIVERY_SCOPES, deliveryOf, deliveryWhen, publishEvent } from '../support/delivery-api';
import { eventually, Gateway, startGateway, TEST_JWT_SECRET } from '../support/gateway';
import { Receiver } from '../support/receiver';

/** Everything the gateway logs, as written (a pino destination). */
class CapturedLog {
  readonly chunks: string[] = [];
  readonly destination = { write: (chunk: string) => void this.chunks.push(chunk) };

  get text(): string {
    return this.chunks.join('');
  }
  get lines(): string[] {
    return this.text.split('\n').filter(Boolean);
  }
  records(): Record<string, any>[] {
    return this.lines.map((line) => JSON.parse(line));
  }
  withMessage(msg: string, match: Record<string, unknown> = {}): Record<string, any>[] {
    return this.records().filter((r) => r.msg === msg && Object.entries(match).every(([k, v]) => r[k] === v));
  }
}

const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 };

// Values that must never reach a log line: a custom header (a Basic credential), a password in a
// URL (refused, but the request carried it), the payload and the receiver's response body.
const PLANTED_HEADER = `Basic ${Buffer.from('ops:planted-header-password').toString('base64')}`;
const PLANTED_URL_PASSWORD = 'planted-url-password';
const PLANTED_PAYLOAD = 'planted-payload-marker';
const PLANTED_RESPONSE = 'planted-response-body';

/**
 * The core retry schedule at DELIVERY_TIME_SCALE=0.00001 is 8 attempts within about a second.
 * DELIVERY_DISABLE_AFTER_MS=0 and 10 failures: one dead-lettered delivery (8 failures) does not
 * disable its endpoint, two failing deliveries do.
 */
const ENV = { LOG_FORMAT: 'json', DELIVERY_TIME_SCALE: '0.00001', DELIVERY_DISABLE_AFTER_MS: '0', DELIVERY_DISABLE_MIN_FAILURES: '10', API_RATE_LIMIT_PER_MINUTE: '0' };
const CORE_ATTEMPTS = 8;

describe('logs an operator can read (LOG_LEVEL=debug, LOG_FORMAT=json)', () => {
  const log = new CapturedLog();
  let gw: Gateway;
  let token: string;
  const receivers: Receiver[] = [];
  const receiver = async (status: number) => {
    const r = await Receiver.start();
    r.respond = () => ({ status, body: PLANTED_RESPONSE });
    receivers.push(r);
    return r;
  };

  beforeAll(async () => {
    gw = await startGateway({ env: { ...ENV, LOG_LEVEL: 'debug' }, overrides: { logDestination: log.destination } });
    token = gw.token({ scope: DELIVERY_SCOPES });
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('logs each failed attempt, dead letter, auto-disable, retry, recover and revocation once, with ids and without secrets', async () => {
    const since = new Date().toISOString();
    const refused = await gw.request('POST', '/v1/webhooks', { url: `http://ops:${PLANTED_URL_PASSWORD}@127.0.0.1:9/hook` }, { token });
    expect(refused.status).toBe(400);

    // A fails every attempt until its delivery is dead; B succeeds; C fails until it is auto-disabled.
    const failing = await receiver(500);
    const healthy = await receiver(200);
    const disabling = await receiver(500);
    const a = await createEndpoint(gw, token, { url: failing.url, eventTypes: ['logs.dead'], headers: { 'x-upstream-auth': PLANTED_HEADER } });
    const b = await createEndpoint(gw, token, { url: healthy.url, eventTypes: ['logs.ok'] });
    const c = await createEndpoint(gw, token, { url: disabling.url, eventTypes: ['logs.disable'] });
    const deadEvent = await publishEvent(gw, token, 'logs.dead', { marker: PLANTED_PAYLOAD });
    const okEvent = await publishEvent(gw, token, 'logs.ok', { marker: PLANTED_PAYLOAD });
    const disableEvents = [await publishEvent(gw, token, 'logs.disable', { n: 1 }), await publishEvent(gw, token, 'logs.disable', { n: 2 })];

    const dead = await deliveryWhen(gw, token, deadEvent, a.id, (d) => d.status === 'dead');
    const ok = await deliveryWhen(gw, token, okEvent, b.id, (d) => d.status === 'succeeded');
    await eventually(async () => !(await gw.request('GET', `/v1/webhooks/${c.id}`, undefined, { token })).body.enabled);
    // C's deliveries settle as held (its endpoint is disabled) or failed, never attempted again.
    const disabledDeliveries = await Promise.all(disableEvents.map((e) => deliveryWhen(gw, token, e, c.id, (d) => d.status === 'held' || (d.status === 'failed' && d.attemptCount > 0))));

    failing.respond = () => ({ status: 200, body: PLANTED_RESPONSE });
    expect((await gw.request('POST', `/v1/deliveries/${dead.id}/retry`, undefined, { token })).status).toBe(202);
    const retried = await deliveryWhen(gw, token, deadEvent, a.id, (d) => d.status === 'succeeded');
    const recovered = await gw.request('POST', `/v1/webhooks/${c.id}/recover`, { since }, { token });
    expect(recovered.status).toBe(200);

    // Deleting C dead-letters its held deliveries: one line for the endpoint, not one per delivery.
    expect((await gw.request('DELETE', `/v1/webhooks/${c.id}`, undefined, { token })).status).toBe(204);

    const admin = gw.adminToken();
    const client = await gw.request('POST', '/v1/clients', { name: 'logs', scopes: ['events:publish'] }, { token: admin });
    expect((await gw.request('DELETE', `/v1/clients/${client.body.clientId}`, undefined, { token: admin })).status).toBe(204);

    // Results are logged after they are committed: wait for the last success line.
    await eventually(async () => log.withMessage('delivery attempt succeeded', { deliveryId: dead.id }).length === 1);
    const records = log.records();
    for (const r of records) expect({ pid: r.pid, hostname: r.hostname, role: r.role }).toEqual({ pid: process.pid, hostname: hostname(), role: 'all' });

    const ids = (d: { id: string; eventId: string; endpointId: string }) => ({ deliveryId: d.id, eventId: d.eventId, endpointId: d.endpointId, tenant: 'acme', plugin: null });

    // A: one warn line per failed attempt, matching the recorded attempts, then one dead letter.
    const failedA = log.withMessage('delivery attempt failed', { deliveryId: dead.id });
    expect(failedA.map((r) => ({ ...pick(r, ['level', 'deliveryId', 'eventId', 'endpointId', 'tenant', 'plugin', 'attempt', 'statusCode', 'durationMs']) }))).toEqual(
      dead.attempts.map((attempt, i) => ({ level: LEVEL.warn, ...ids(dead), attempt: i + 1, statusCode: 500, durationMs: attempt.durationMs })),
    );
    expect(failedA).toHaveLength(CORE_ATTEMPTS);
    expect(log.withMessage('delivery dead-lettered', { deliveryId: dead.id })).toEqual([expect.objectContaining({ level: LEVEL.error, ...ids(dead), attempts: CORE_ATTEMPTS, reason: 'HTTP 500' })]);

    // Successes at debug: B's first attempt, and A's delivery once retried.
    expect(log.withMessage('delivery attempt succeeded', { deliveryId: ok.id })).toEqual([
      expect.objectContaining({ level: LEVEL.debug, ...ids(ok), attempt: 1, statusCode: 200, durationMs: ok.attempts[0].durationMs }),
    ]);
    expect(log.withMessage('delivery attempt succeeded', { deliveryId: dead.id })).toEqual([
      expect.objectContaining({ level: LEVEL.debug, ...ids(dead), attempt: CORE_ATTEMPTS + 1, statusCode: 200, durationMs: retried.attempts[CORE_ATTEMPTS].durationMs }),
    ]);
    expect(log.withMessage('delivery attempt failed', { deliveryId: ok.id })).toEqual([]);

    // C: a line per failed attempt of either delivery, one auto-disable, no dead letter.
    for (const settled of disabledDeliveries) {
      const delivery = await deliveryOf(gw, token, settled.eventId, c.id);
      expect(log.withMessage('delivery attempt failed', { deliveryId: delivery.id }).map((r) => [r.attempt, r.statusCode, r.durationMs])).toEqual(
        delivery.attempts.map((attempt, i) => [i + 1, 500, attempt.durationMs]),
      );
      expect(log.withMessage('delivery dead-lettered', { deliveryId: delivery.id })).toEqual([]);
    }
    expect(log.withMessage('endpoint auto-disabled')).toEqual([expect.objectContaining({ level: LEVEL.warn, endpointId: c.id, tenant: 'acme', reason: expect.stringContaining('failed') })]);

    expect(log.withMessage('delivery retried')).toEqual([expect.objectContaining({ level: LEVEL.info, ...ids(dead), actor: 'tester' })]);
    expect(log.withMessage('endpoint recovered')).toEqual([expect.objectContaining({ level: LEVEL.info, endpointId: c.id, tenant: 'acme', deliveries: recovered.body.recovered, actor: 'tester' })]);
    expect(log.withMessage('endpoint deleted')).toEqual([expect.objectContaining({ level: LEVEL.info, endpointId: c.id, tenant: 'acme', deadLettered: disableEvents.length, actor: 'tester' })]);
    expect(log.withMessage('client revoked')).toEqual([expect.objectContaining({ level: LEVEL.info, clientId: client.body.clientId, actor: 'admin' })]);

    // Nothing secret, anywhere in the whole output.
    const secret = (await gw.request('GET', `/v1/webhooks/${a.id}/secret`, undefined, { token })).body.secret;
    expect(typeof secret).toBe('string');
    for (const planted of [a.secret, secret, PLANTED_HEADER, PLANTED_HEADER.slice('Basic '.length), PLANTED_URL_PASSWORD, PLANTED_PAYLOAD, PLANTED_RESPONSE]) {
      expect(log.text.includes(planted) ? planted : null).toBeNull();
    }
    // The receiver did get them: the planted values were in play.
    expect(failing.received[0].headers['x-upstream-auth']).toBe(PLANTED_HEADER);
    expect(failing.received[0].body).toContain(PLANTED_PAYLOAD);
  });
});

describe('LOG_LEVEL=info, LOG_FORMAT=pretty', () => {
  const log = new CapturedLog();
  let gw: Gateway;
  let healthy: Receiver;

  beforeAll(async () => {
    gw = await startGateway({ env: { ...ENV, LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }, overrides: { logDestination: log.destination } });
    healthy = await Receiver.start();
  });
  afterAll(async () => {
    await gw.close();
    await healthy.close();
  });

  it('boots in a few readable lines, without the route listing, and keeps successes out', async () => {
    const boot = log.lines;
    expect(boot.length).toBeGreaterThan(0);
    expect(boot.length).toBeLessThanOrEqual(10);
    expect(log.text).not.toContain('Mapped {');
    expect(boot).toContainEqual(expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}all\/\d+@\S+ \[NestApplication\] Nest application successfully started$/));
    for (const line of boot) expect(() => JSON.parse(line)).toThrow();

    const token = gw.token({ scope: DELIVERY_SCOPES });
    const endpoint = await createEndpoint(gw, token, { url: healthy.url });
    const eventId = await publishEvent(gw, token, 'logs.pretty');
    await deliveryWhen(gw, token, eventId, endpoint.id, (d) => d.status === 'succeeded');
    // The request lines are there (info), the success is not (debug).
    expect(log.text).toMatch(/INFO .* request completed .*res\.statusCode=202/);
    expect(log.text).not.toContain('delivery attempt succeeded');
  });
});

describe('the CLI next to a gateway (built CLI)', () => {
  let gw: Gateway;

  beforeAll(async () => {
    requireBuiltCli();
    gw = await startGateway();
  });
  afterAll(() => gw.close());

  it('logs its revocations to stderr with role cli when LOG_LEVEL is set, keeping stdout for its output', async () => {
    const key = await gw.request('POST', '/v1/api-keys', { tenant: 'acme' }, { token: gw.adminToken() });
    expect(key.status).toBe(201);
    const env = { NODE_ENV: 'test', DATABASE_URL: gw.databaseUrl, HOOKGATE_ENCRYPTION_KEY: gw.config.HOOKGATE_ENCRYPTION_KEY!, AUTH_JWT_SECRET: TEST_JWT_SECRET };
    const revoked = await hookgate(['apikey', 'revoke', key.body.id], { ...env, LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
    expect({ code: revoked.code, stdout: revoked.stdout }).toEqual({ code: 0, stdout: `Revoked API key ${key.body.id}.\n` });
    const records = revoked.stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    for (const r of records) expect({ role: r.role, pid: typeof r.pid, hostname: r.hostname }).toEqual({ role: 'cli', pid: 'number', hostname: hostname() });
    expect(records.filter((r) => r.msg === 'API key revoked')).toEqual([expect.objectContaining({ level: LEVEL.info, apiKeyId: key.body.id, tenant: 'acme', actor: `cli:${userInfo().username}` })]);
    expect(revoked.stderr).not.toContain(key.body.key);
  });
});

function pick(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, record[k]]));
}
