import { randomUUID } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { PLUGIN_MODULES } from '../../plugins';
import { RateLimitedError } from '../../src/common/errors';
import { pluginMetadataOf } from '../../src/sdk/plugin';
import { useGateway } from '../support/fixture';
import { HttpResult } from '../support/gateway';

const API_LIMIT = 5;
const GENERIC_LIMIT = 3;

/** The body a surface declares for a 429 (its own error shape), for this request and Retry-After. */
function declared429(key: string, res: HttpResult, method: string, path: string): unknown {
  const metadata = PLUGIN_MODULES.map((m) => pluginMetadataOf(m)!).find((m) => m.key === key)!;
  return metadata.errors.render(new RateLimitedError(Number(res.headers['retry-after'])), { method, path }).body;
}

function expectRetryAfter(res: HttpResult): void {
  const seconds = Number(res.headers['retry-after']);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
}

describe('rate limits: per principal on every surface (API_RATE_LIMIT_PER_MINUTE)', () => {
  const gw = useGateway({ env: { API_RATE_LIMIT_PER_MINUTE: String(API_LIMIT), GENERIC_RATE_LIMIT_PER_MINUTE: String(GENERIC_LIMIT) } });

  /** `count` sequential calls: their statuses. */
  async function statuses(count: number, call: () => Promise<HttpResult>): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push((await call()).status);
    return seen;
  }

  it('/v1: past the limit 429 problem+json with Retry-After; another principal is unaffected', async () => {
    const token = gw.token({ sub: 'v1-busy', scope: 'webhooks:read' });
    const list = () => gw.request('GET', '/v1/webhooks', undefined, { token });
    expect(await statuses(API_LIMIT, list)).toEqual(Array(API_LIMIT).fill(200));
    const limited = await list();
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.body).toEqual({ type: 'https://hookgate.dev/problems/rate-limited', title: 'Too many requests', status: 429, detail: 'Too many requests' });
    expectRetryAfter(limited);
    // The budget is the principal's on the whole surface, not the route's.
    expect((await gw.request('GET', '/v1/deliveries', undefined, { token: gw.token({ sub: 'v1-busy', scope: 'deliveries:read' }) })).status).toBe(429);
    expect((await gw.request('GET', '/v1/webhooks', undefined, { token: gw.token({ sub: 'v1-calm', scope: 'webhooks:read' }) })).status).toBe(200);
  });

  it('PolyAI (API keys): each key has its own budget, and the 429 is in the surface shape', async () => {
    const admin = gw.adminToken();
    const keys = await Promise.all(['busy', 'calm'].map(async (name) => (await gw.request('POST', '/v1/api-keys', { tenant: `polyai-${name}` }, { token: admin })).body.key as string));
    const path = '/polyai/v1/webhook-endpoints';
    const list = (key: string) => gw.request('GET', path, undefined, { headers: { 'x-api-key': key } });
    expect(await statuses(API_LIMIT, () => list(keys[0]))).toEqual(Array(API_LIMIT).fill(200));
    const limited = await list(keys[0]);
    expect(limited.status).toBe(429);
    expectRetryAfter(limited);
    expect(limited.body).toEqual(declared429('polyai', limited, 'GET', path));
    expect((await list(keys[1])).status).toBe(200);
  });

  it('Timbrix: past the limit 429 in the surface shape; /v1 keeps its own budget', async () => {
    const org = randomUUID();
    const owner = gw.token({ sub: 'timbrix-busy', org_roles: { [org]: 'OWNER' }, scope: 'webhooks:read' });
    const path = `/timbrix/organizations/${org}/webhooks`;
    const list = () => gw.request('GET', path, undefined, { token: owner });
    expect(await statuses(API_LIMIT, list)).toEqual(Array(API_LIMIT).fill(200));
    const limited = await list();
    expect(limited.status).toBe(429);
    expectRetryAfter(limited);
    expect(limited.body).toEqual(declared429('timbrix', limited, 'GET', path));
    expect((await gw.request('GET', '/v1/webhooks', undefined, { token: owner })).status).toBe(200);
  });

  it('generic declares its own number (GENERIC_RATE_LIMIT_PER_MINUTE), answered {message}', async () => {
    const token = gw.token({ sub: 'generic-busy', tenant: 'generic-busy', scope: 'webhooks:read webhooks:write' });
    const list = () => gw.request('GET', '/generic/webhooks', undefined, { token });
    const allowed = await Promise.all(Array.from({ length: GENERIC_LIMIT }, list));
    expect(allowed.map((r) => r.status)).toEqual(Array(GENERIC_LIMIT).fill(200));
    expect(allowed[0].headers['x-ratelimit-limit']).toBe(String(GENERIC_LIMIT));
    const limited = await list();
    expect({ status: limited.status, body: limited.body }).toEqual({ status: 429, body: { message: 'Too many requests' } });
    expectRetryAfter(limited);
  });

  it("requests refused with 401 (a forged token naming the principal) spend nobody's budget", async () => {
    const forged = jwt.sign({ scope: 'webhooks:read', tenant: 'acme' }, 'not-the-gateway-secret-not-the-gateway-secret', { subject: 'v1-victim' });
    const forgedCalls = await statuses(API_LIMIT * 2, () => gw.request('GET', '/v1/webhooks', undefined, { token: forged }));
    expect(forgedCalls).toEqual(Array(API_LIMIT * 2).fill(401));
    const token = gw.token({ sub: 'v1-victim', scope: 'webhooks:read' });
    expect(await statuses(API_LIMIT, () => gw.request('GET', '/v1/webhooks', undefined, { token }))).toEqual(Array(API_LIMIT).fill(200));
  });
});

describe('rate limits: failed attempts at /oauth2/token', () => {
  const FAILURE_LIMIT = 100;
  const gw = useGateway({ env: { TRUST_PROXY: 'loopback' } });
  let clients: { clientId: string; clientSecret: string }[];

  beforeAll(async () => {
    const admin = gw.adminToken();
    clients = await Promise.all(['guessed', 'bystander'].map(async (name) => (await gw.request('POST', '/v1/clients', { name, scopes: ['webhooks:read'] }, { token: admin })).body));
  });

  /** A token request from `address` (TRUST_PROXY=loopback: the gateway believes X-Forwarded-For from its local proxy). */
  const tokenRequest = (clientId: string, clientSecret: string, address: string) =>
    gw.request('POST', '/oauth2/token', { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }, { headers: { 'x-forwarded-for': address } });

  it(`per client id: after ${FAILURE_LIMIT} failures from anywhere, 429 for that client (its right secret too) with Retry-After`, async () => {
    const [guessed, bystander] = clients;
    const failures = await Promise.all(Array.from({ length: FAILURE_LIMIT }, (_, i) => tokenRequest(guessed.clientId, `hgcs_guess${i}`, `127.0.1.${i + 1}`)));
    expect(failures.map((r) => r.status)).toEqual(Array(FAILURE_LIMIT).fill(401));
    const limited = await tokenRequest(guessed.clientId, guessed.clientSecret, '127.0.1.200');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: 'invalid_request', error_description: expect.stringMatching(/^Too many failed attempts/) });
    expectRetryAfter(limited);
    expect((await tokenRequest(bystander.clientId, bystander.clientSecret, '127.0.1.200')).status).toBe(200);
  });

  it(`per source address: after ${FAILURE_LIMIT} failures, 429 for that address whatever the client`, async () => {
    const [, bystander] = clients;
    const failures = await Promise.all(Array.from({ length: FAILURE_LIMIT }, (_, i) => tokenRequest(`hgc_unknown${i}`, 'hgcs_x', '127.0.2.1')));
    expect(failures.map((r) => r.status)).toEqual(Array(FAILURE_LIMIT).fill(401));
    const limited = await tokenRequest(bystander.clientId, bystander.clientSecret, '127.0.2.1');
    expect(limited.status).toBe(429);
    expectRetryAfter(limited);
    expect((await tokenRequest(bystander.clientId, bystander.clientSecret, '127.0.2.2')).status).toBe(200);
  });

  it('successful requests do not count (once answered: an attempt counts while it is checked)', async () => {
    const [, bystander] = clients;
    const issued: number[] = [];
    for (let i = 0; i < FAILURE_LIMIT + 10; i++) issued.push((await tokenRequest(bystander.clientId, bystander.clientSecret, '127.0.3.1')).status);
    expect(issued).toEqual(Array(FAILURE_LIMIT + 10).fill(200));
  });
});

describe('rate limits: X-Forwarded-For is believed only from TRUST_PROXY', () => {
  const gw = useGateway();

  it('a caller cannot dodge the per-address limit by forging X-Forwarded-For', async () => {
    const forged = (i: number) =>
      gw.request('POST', '/oauth2/token', { grant_type: 'client_credentials', client_id: `hgc_unknown${i}`, client_secret: 'hgcs_x' }, { headers: { 'x-forwarded-for': `127.0.5.${i + 1}` } });
    const failures = await Promise.all(Array.from({ length: 100 }, (_, i) => forged(i)));
    expect(failures.map((r) => r.status)).toEqual(Array(100).fill(401));
    const limited = await forged(200);
    expect(limited.status).toBe(429);
    expectRetryAfter(limited);
  });
});
