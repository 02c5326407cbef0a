import { execFile } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { HttpSender } from '../../src/delivery/http/http-sender';
import { createGuardedAgent } from '../../src/delivery/http/ssrf';
import { rawRows } from '../fixtures/raw-db';
import { Gateway, startGateway, TEST_JWT_SECRET, throwawayDatabase } from '../support/gateway';
import { Receiver } from '../support/receiver';
import { SelfSignedCert, selfSignedCert } from '../support/tls';

const CLI = resolve(__dirname, '..', '..', process.env.HOOKGATE_CLI ?? 'dist/src/cli/main.js');
const OLD_KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('base64');
const keyId = (key: string) => createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 8);
const SEALED_COLUMNS = ['secrets_enc', 'headers_enc', 'auth_enc'];

// Three gateway boots on one database and two CLI processes (about a second each).
jest.setTimeout(90_000);

describe('rotating the encryption key: previous keys decrypt, rekey re-encrypts, the old key can go', () => {
  let db: { url: string; drop: () => Promise<void> };
  let cert: SelfSignedCert;
  let gw: Gateway | undefined;
  const receivers: Record<'core' | 'generic' | 'polyai', Receiver> = {} as never;
  /** What each endpoint's deliveries must carry; the core secret changes when it is rotated. */
  const expected = { coreSecret: '', genericSecret: '', polyaiSecret: '', polyaiTenant: '' };
  const secretsInClear: string[] = [];

  /** The gateway on the shared database with these keys; its sender trusts the PolyAI receiver's certificate. */
  async function boot(key: string, previous: string[] = []): Promise<Gateway> {
    await gw?.close();
    const sender = new HttpSender(createGuardedAgent({ allowPrivateNetworks: true, allowedCidrs: [] }, { tls: { ca: cert.cert } }));
    gw = await startGateway({ databaseUrl: db.url, env: { HOOKGATE_ENCRYPTION_KEY: key, HOOKGATE_ENCRYPTION_KEY_PREVIOUS: previous.join(',') }, overrides: { sender } });
    return gw;
  }

  const coreToken = () => gw!.token({ tenant: 'acme', scope: 'webhooks:read webhooks:write events:publish' });
  const genericToken = () => gw!.token({ tenant: 'generic-account', scope: 'webhooks:read webhooks:write events:publish' });

  /** Publishes one event per endpoint and checks each arrives signed with its secret and carrying its credentials. */
  async function expectEveryEndpointDelivers(round: number): Promise<void> {
    const g = gw!;
    const publish = (token: string, body: Record<string, unknown>) => g.request('POST', '/v1/events', body, { token }).then((r) => expect(r.body).toMatchObject({ deliveries: 1 }));
    const alert = { id: `ar_${round}`, name: 'Latency', metric: 'turn_latency_p95', operator: '>=', threshold_value: 1500, triggered_at: '2026-03-20T10:15:00Z' };
    await publish(coreToken(), { type: 'order.created', data: { round } });
    await publish(genericToken(), { type: 'data.created', plugin: 'generic', data: { round } });
    await publish(g.token({ tenant: expected.polyaiTenant, scope: 'events:publish' }), { type: 'alerts.triggered', plugin: 'polyai', data: alert });

    const core = (await receivers.core.waitFor(round)).at(-1)!;
    expect(new Webhook(expected.coreSecret).verify(core.body, core.headers as Record<string, string>)).toEqual(expect.objectContaining({ data: { round } }));
    expect(core.headers['x-downstream-token']).toBe('core-header-value');

    const generic = (await receivers.generic.waitFor(round)).at(-1)!;
    expect(new Webhook(expected.genericSecret).verify(generic.body, generic.headers as Record<string, string>)).toEqual({ round });
    expect(generic.headers.authorization).toBe(`Basic ${Buffer.from('ann:generic-password').toString('base64')}`);

    const polyai = (await receivers.polyai.waitFor(round)).at(-1)!;
    const timestamp = polyai.headers['x-polyai-timestamp'] as string;
    expect(polyai.headers['x-polyai-signature']).toBe(createHmac('sha256', expected.polyaiSecret).update(`${timestamp}.${polyai.body}`).digest('hex'));
    expect(new Webhook(expected.polyaiSecret).verify(polyai.body, polyai.headers as Record<string, string>)).toEqual({ event_type: 'alerts.triggered', alert });
    expect(polyai.headers['x-custom-header']).toBe('polyai-header-value');
  }

  /** Every sealed value in the endpoints table, by the id of the key that sealed it. */
  async function sealedByKey(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const row of await rawRows(gw!, 'endpoints')) {
      for (const column of SEALED_COLUMNS) {
        const value = row[column] as string | null;
        if (value) counts[value.split('.')[1]] = (counts[value.split('.')[1]] ?? 0) + 1;
      }
    }
    return counts;
  }

  const rekey = () =>
    promisify(execFile)(process.execPath, [CLI, '--json', 'rekey', '--batch-size', '2'], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: db.url, AUTH_JWT_SECRET: TEST_JWT_SECRET, HOOKGATE_ENCRYPTION_KEY: NEW_KEY, HOOKGATE_ENCRYPTION_KEY_PREVIOUS: OLD_KEY, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (or set HOOKGATE_CLI to a built src/cli/main.js)`);
    cert = selfSignedCert();
    db = await throwawayDatabase();
    receivers.core = await Receiver.start();
    receivers.generic = await Receiver.start();
    receivers.polyai = await Receiver.start({ tls: cert, path: '/polyai' });

    // Under the old key: a core endpoint with a custom header and a rotated secret (two secrets
    // stored), a generic hook with basic credentials, a PolyAI endpoint with a custom header.
    const g = await boot(OLD_KEY);
    const core = await g.request('POST', '/v1/webhooks', { url: receivers.core.url, headers: { 'X-Downstream-Token': 'core-header-value' } }, { token: coreToken() });
    const rotated = await g.request('POST', `/v1/webhooks/${core.body.id}/rotate-secret`, undefined, { token: coreToken() });
    expected.coreSecret = rotated.body.secret;
    expect((await g.request('POST', '/generic/webhooks', { endpoint: receivers.generic.url, authType: 'basic', userName: 'ann', password: 'generic-password' }, { token: genericToken() })).status).toBe(201);
    const [hook] = (await g.request('GET', '/generic/webhooks', undefined, { token: genericToken() })).body.data;
    expected.genericSecret = (await g.request('GET', `/v1/webhooks/${hook.id}/secret`, undefined, { token: genericToken() })).body.secret;
    expected.polyaiTenant = 'polyai-account';
    const apiKey = (await g.request('POST', '/v1/api-keys', { tenant: expected.polyaiTenant }, { token: g.adminToken() })).body.key;
    const polyai = await g.request('POST', '/polyai/v1/webhook-endpoints', { name: 'alerts', url: receivers.polyai.url, event_types: ['alerts.triggered'], headers: { 'X-Custom-Header': 'polyai-header-value' } }, { headers: { 'x-api-key': apiKey } });
    expect(polyai.status).toBe(201);
    expected.polyaiSecret = polyai.body.signing_secret;
    secretsInClear.push(core.body.secret, expected.coreSecret, expected.genericSecret, expected.polyaiSecret, 'core-header-value', 'polyai-header-value', 'generic-password', OLD_KEY, NEW_KEY);
    expect(await sealedByKey()).toEqual({ [keyId(OLD_KEY)]: 6 });
  });

  afterAll(async () => {
    await gw?.close();
    await Promise.all(Object.values(receivers).map((r) => r.close()));
    await db?.drop();
    cert?.remove();
  });

  it('restarted with a new key and the old one as previous, every endpoint still delivers, and new writes use the new key', async () => {
    const g = await boot(NEW_KEY, [OLD_KEY]);
    await expectEveryEndpointDelivers(1);
    const [core] = (await g.request('GET', '/v1/webhooks', undefined, { token: coreToken() })).body.data;
    expected.coreSecret = (await g.request('POST', `/v1/webhooks/${core.id}/rotate-secret`, undefined, { token: coreToken() })).body.secret;
    secretsInClear.push(expected.coreSecret);
    expect(await sealedByKey()).toEqual({ [keyId(OLD_KEY)]: 5, [keyId(NEW_KEY)]: 1 });
  });

  it('rekey re-encrypts every value still under the old key, in batches, with one audit entry; a re-run changes nothing', async () => {
    const first = await rekey();
    expect(JSON.parse(first.stdout)).toEqual({ keyId: keyId(NEW_KEY), endpoints: 3, resealed: 5, alreadyCurrent: 1 });
    expect(await sealedByKey()).toEqual({ [keyId(NEW_KEY)]: 6 });

    const again = await rekey();
    expect(JSON.parse(again.stdout)).toEqual({ keyId: keyId(NEW_KEY), endpoints: 3, resealed: 0, alreadyCurrent: 6 });

    for (const output of [first, again].flatMap((r) => [r.stdout, r.stderr])) for (const secret of secretsInClear) expect(output).not.toContain(secret);
    const audit = await gw!.request('GET', '/v1/audit-events?action=encryption.rekeyed', undefined, { token: gw!.adminToken() });
    expect(audit.body.data.map((e: any) => e.changes)).toEqual([
      { endpoints: 3, resealed: 0, alreadyCurrent: 6 },
      { endpoints: 3, resealed: 5, alreadyCurrent: 1 },
    ]);
    expect(audit.body.data[0]).toMatchObject({ target: `key:${keyId(NEW_KEY)}`, actor: expect.stringMatching(/^cli:/) });
  });

  it('restarted with the new key alone, every endpoint delivers signed with its secret and carrying its credentials', async () => {
    await boot(NEW_KEY);
    await expectEveryEndpointDelivers(2);
  });
});
