import { randomBytes } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { createPgDatabase, eventually, httpRequest, TEST_JWT_SECRET } from '../support/gateway';
import { freePort } from '../support/free-port';
import { bearer, clusterEnv, deleteRedisKeys, GatewayProcess, scaleServices } from './cluster';

const API_LIMIT = 10;
const TOKEN_FAILURE_LIMIT = 100;
const REVOCATION_DEADLINE_MS = 5000;
const services = scaleServices('test/scale/auth-limits.e2e-spec.ts', { redis: true });

(services ? describe : describe.skip)('two api processes on PostgreSQL + Redis: revocation and limits hold across both', () => {
  const prefix = `hgauth${randomBytes(4).toString('hex')}`;
  let database: { url: string; drop: () => Promise<void> };
  let apis: GatewayProcess[] = [];

  beforeAll(async () => {
    database = await createPgDatabase(services!.postgresUrl, 'hookgate_auth');
    const env = clusterEnv(database.url, { QUEUE_URL: services!.redisUrl!, QUEUE_PREFIX: prefix, ROLE: 'api', API_RATE_LIMIT_PER_MINUTE: String(API_LIMIT), TRUST_PROXY: 'loopback' });
    const first = new GatewayProcess('api-1', env, await freePort());
    await first.start(); // migrates the database before the second starts
    const second = new GatewayProcess('api-2', env, await freePort());
    await second.start();
    apis = [first, second];
  }, 90000);

  afterAll(async () => {
    await Promise.all(apis.map((p) => p.stop('SIGTERM')));
    await database?.drop();
    await deleteRedisKeys(services!.redisUrl!, prefix);
  }, 30000);

  it('a client revoked on one process is refused by both within 5 s', async () => {
    const [a, b] = apis;
    const admin = bearer('admin');
    const created = await httpRequest(a.url, 'POST', '/v1/clients', { name: 'revocable', scopes: ['webhooks:read'] }, { token: admin });
    expect(created.status).toBe(201);
    const issued = await httpRequest(a.url, 'POST', '/oauth2/token', { grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret });
    const token = issued.body.access_token as string;
    const listOn = (p: GatewayProcess) => httpRequest(p.url, 'GET', '/v1/webhooks', undefined, { token });
    expect([(await listOn(a)).status, (await listOn(b)).status]).toEqual([200, 200]);

    const revokedAt = Date.now();
    expect((await httpRequest(a.url, 'DELETE', `/v1/clients/${created.body.clientId}`, undefined, { token: admin })).status).toBe(204);
    const delays = await Promise.all(
      apis.map((p) => eventually(async () => (await listOn(p)).status === 401 && Date.now() - revokedAt, REVOCATION_DEADLINE_MS, 20)),
    );
    console.log(`revocation seen after ${delays.map((ms, i) => `${apis[i].name} ${ms} ms`).join(', ')}`);
  });

  it(`the limit of ${API_LIMIT} a minute is one budget across both processes`, async () => {
    const [a, b] = apis;
    const token = jwt.sign({ scope: 'webhooks:read', tenant: 'acme' }, TEST_JWT_SECRET, { algorithm: 'HS256', subject: 'shared-budget', expiresIn: 600 });
    const statuses: number[] = [];
    for (let i = 0; i < API_LIMIT; i++) statuses.push((await httpRequest((i % 2 ? b : a).url, 'GET', '/v1/webhooks', undefined, { token })).status);
    expect(statuses).toEqual(Array(API_LIMIT).fill(200));
    const limited = await Promise.all(apis.map((p) => httpRequest(p.url, 'GET', '/v1/webhooks', undefined, { token })));
    expect(limited.map((r) => r.status)).toEqual([429, 429]);
    expect(Number(limited[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it(`failed token requests are counted across both processes: the attempt after ${TOKEN_FAILURE_LIMIT} failures is 429`, async () => {
    const request = (p: GatewayProcess, secret: string) =>
      httpRequest(p.url, 'POST', '/oauth2/token', { grant_type: 'client_credentials', client_id: 'hgc_targeted', client_secret: secret }, { headers: { 'x-forwarded-for': '127.0.4.1' } });
    const failures = await Promise.all(Array.from({ length: TOKEN_FAILURE_LIMIT }, (_, i) => request(apis[i % 2], `hgcs_guess${i}`)));
    expect(failures.map((r) => r.status)).toEqual(Array(TOKEN_FAILURE_LIMIT).fill(401));
    expect((await request(apis[0], 'hgcs_next')).status).toBe(429);
    expect((await request(apis[1], 'hgcs_next')).status).toBe(429);
  });
});
