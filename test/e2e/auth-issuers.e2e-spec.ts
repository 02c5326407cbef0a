import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { PLUGIN_MODULES } from '../../plugins';
import { CaliperScope } from '../../plugins/caliper/caliper.catalogue';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/app-config';
import { useGateway } from '../support/fixture';
import { HttpResult } from '../support/gateway';
import { LocalIdentityProvider, startIdentityProvider } from '../support/identity-provider';

const PROBLEM = 'application/problem+json';
/** Requests per minute and principal on every surface: small, so the per-issuer budgets show. */
const RATE_LIMIT = 5;

describe('auth: tokens of several identity providers (AUTH_ISSUERS)', () => {
  let cognito: LocalIdentityProvider;
  let timbrixAuth: LocalIdentityProvider;
  let corporate: LocalIdentityProvider;

  beforeAll(async () => {
    // Three providers, each on its own 127.0.0.1 port: the `iss` values are only strings.
    cognito = await startIdentityProvider('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool');
    timbrixAuth = await startIdentityProvider('https://timbrix-test.supabase.co/auth/v1', 'ES256');
    corporate = await startIdentityProvider('https://login.corp.example.test/');
  });
  const gw = useGateway(() => {
    const issuers = [
      { issuer: cognito.issuer, jwksUri: cognito.jwksUri, tenantClaim: 'client_id', plugins: ['caliper'] },
      { issuer: timbrixAuth.issuer, jwksUri: timbrixAuth.jwksUri, audience: 'authenticated', orgRolesClaim: 'https://timbrix.io/claims.org_roles', plugins: ['timbrix'] },
      { issuer: corporate.issuer, jwksUri: corporate.jwksUri },
    ];
    return { env: { AUTH_ISSUERS: JSON.stringify(issuers), API_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) } };
  });
  afterAll(() => Promise.all([cognito, timbrixAuth, corporate].map((idp) => idp.close())));

  /** A Cognito client-credentials access token: `client_id`, space-separated `scope`, `token_use`, no `aud`. */
  const cognitoToken = (clientId: string, scopes: string[], options: Parameters<LocalIdentityProvider['mint']>[1] = {}) =>
    cognito.mint({ sub: clientId, client_id: clientId, scope: scopes.join(' '), token_use: 'access', auth_time: Math.floor(Date.now() / 1000), version: 2 }, options);
  /** A Supabase-style user token with the org roles in Timbrix's namespaced claim. */
  const timbrixToken = (userId: string, orgRoles: Record<string, string>) =>
    timbrixAuth.mint({ sub: userId, role: 'authenticated', 'https://timbrix.io/claims': { org_roles: orgRoles } }, { audience: 'authenticated' });

  const caliperList = (token: string) => gw.request('GET', '/caliper/webhooks', undefined, { token });
  const timbrixList = (org: string, token: string) => gw.request('GET', `/timbrix/organizations/${org}/webhooks`, undefined, { token });
  const coreCreate = (token: string) => gw.request('POST', '/v1/webhooks', { url: 'https://example.com/hook' }, { token });

  const expectCaliper401 = (res: HttpResult, message = 'Missing, expired or invalid bearer token') =>
    expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: { status: 'error', message, errors: null } });

  describe('Cognito access tokens on /caliper', () => {
    it('a Caliper client uses its Cognito token unchanged; its tenant is its client_id', async () => {
      const clientId = `cognito-${randomUUID().slice(0, 8)}`;
      const created = await gw.request(
        'POST',
        '/caliper/webhooks',
        { name: 'LMS', description: null, targetUrl: 'https://example.com/caliper', secret: 'secret123', active: true },
        { token: cognitoToken(clientId, [CaliperScope.WebhookCreate]) },
      );
      expect(created.status).toBe(201);
      const listed = await caliperList(cognitoToken(clientId, [CaliperScope.WebhookReadonly]));
      expect(listed.status).toBe(200);
      expect(listed.body.webhooks.map((w: { id: string }) => w.id)).toEqual([created.body.webhook.id]);
      // The gateway's own token for the tenant named by client_id sees the same webhook.
      const own = await gw.request('GET', '/caliper/webhooks', undefined, { token: gw.token({ tenant: clientId, scope: CaliperScope.WebhookReadonly }) });
      expect(own.body.webhooks.map((w: { id: string }) => w.id)).toEqual([created.body.webhook.id]);
    });

    it('a Cognito token without the route scope is 403 in the Caliper shape', async () => {
      const res = await gw.request('POST', '/caliper/events', { sensor: 's', sendTime: '2018-11-15T10:15:01.000Z', dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p1', data: [] }, { token: cognitoToken('reader', [CaliperScope.WebhookReadonly]) });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ status: 'error', errors: null });
    });

    it('an expired token is 401', async () => {
      expectCaliper401(await caliperList(cognitoToken('late', [CaliperScope.Admin], { expiresIn: -10 })));
    });

    it('a kid the JWKS does not list is 401', async () => {
      const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      expectCaliper401(await caliperList(cognitoToken('forger', [CaliperScope.Admin], { key: stranger, keyid: 'not-in-the-jwks' })));
    });

    it("a token signed with another issuer's key under Cognito's iss is 401", async () => {
      expectCaliper401(await caliperList(corporate.mint({ sub: 'forger', scope: CaliperScope.Admin }, { issuer: cognito.issuer })));
    });

    it('an iss no issuer is configured for is 401', async () => {
      expectCaliper401(await caliperList(cognitoToken('elsewhere', [CaliperScope.Admin], { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' })), 'The token issuer is not accepted');
    });
  });

  describe('Timbrix tokens on /timbrix', () => {
    it('org roles come from the namespaced claim: OWNER lists, MEMBER is 403', async () => {
      const org = randomUUID();
      expect((await timbrixList(org, timbrixToken('owner-1', { [org]: 'OWNER' }))).status).toBe(200);
      const member = await timbrixList(org, timbrixToken('member-1', { [org]: 'MEMBER' }));
      expect(member.status).toBe(403);
    });

    it('a Timbrix token without the configured audience is 401 in the Timbrix shape', async () => {
      const org = randomUUID();
      const res = await timbrixList(org, timbrixAuth.mint({ sub: 'owner-2', 'https://timbrix.io/claims': { org_roles: { [org]: 'OWNER' } } }));
      expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: { statusCode: 401, message: 'Authentication required. Provide a valid bearer token.', error: 'Unauthorized' } });
    });
  });

  describe('each issuer on its own surfaces', () => {
    it("a Cognito token is 401 on /timbrix and /v1, in each surface's shape; a Timbrix token is 401 on /caliper", async () => {
      const org = randomUUID();
      const onTimbrix = await timbrixList(org, cognitoToken('caliper-client', [CaliperScope.Admin, 'admin']));
      expect({ status: onTimbrix.status, body: onTimbrix.body }).toEqual({ status: 401, body: { statusCode: 401, message: 'Authentication required. Provide a valid bearer token.', error: 'Unauthorized' } });
      const onCore = await coreCreate(cognitoToken('caliper-client', ['admin']));
      expect(onCore.status).toBe(401);
      expect(onCore.headers['content-type']).toContain(PROBLEM);
      expect(onCore.body).toMatchObject({ status: 401, detail: 'Tokens of this issuer are not accepted on this API' });
      expectCaliper401(await caliperList(timbrixToken('timbrix-user', { [org]: 'OWNER' })), 'Tokens of this issuer are not accepted on this API');
    });

    it("an issuer without `plugins` is accepted everywhere, like the gateway's own tokens", async () => {
      const org = randomUUID();
      expect((await caliperList(corporate.mint({ sub: 'corp-everywhere', scope: CaliperScope.WebhookReadonly }))).status).toBe(200);
      expect((await timbrixList(org, corporate.mint({ sub: 'corp-everywhere', org_roles: { [org]: 'ADMIN' } }))).status).toBe(200);
      expect((await caliperList(gw.token({ scope: CaliperScope.WebhookReadonly }))).status).toBe(200);
    });
  });

  describe('claims', () => {
    it('scopes may come as an `scp` array', async () => {
      expect((await coreCreate(corporate.mint({ sub: 'scp-user', scp: ['webhooks:read', 'webhooks:write'] }))).status).toBe(201);
      expect((await coreCreate(corporate.mint({ sub: 'scp-reader', scp: ['webhooks:read'] }))).status).toBe(403);
    });

    it('the tenant is the tenant claim, else client_id, else sub', async () => {
      const tenantOf = async (claims: Record<string, unknown>) => (await coreCreate(corporate.mint({ scope: 'webhooks:write', ...claims }))).body.tenant;
      expect(await tenantOf({ sub: 'u-1', client_id: 'app-1', tenant: 'school-1' })).toBe('school-1');
      expect(await tenantOf({ sub: 'u-2', client_id: 'app-2' })).toBe('app-2');
      expect(await tenantOf({ sub: 'u-3' })).toBe('u-3');
    });
  });

  it('external subjects are not checked against revoked gateway clients', async () => {
    const made = await gw.request('POST', '/v1/clients', { name: 'old-client', scopes: ['webhooks:read'] }, { token: gw.adminToken() });
    expect(made.status).toBe(201);
    expect((await gw.request('DELETE', `/v1/clients/${made.body.clientId}`, undefined, { token: gw.adminToken() })).status).toBe(204);
    const ownToken = gw.token({ sub: made.body.clientId, scope: 'webhooks:read' });
    expect((await gw.request('GET', '/v1/webhooks', undefined, { token: ownToken })).status).toBe(401);
    const external = corporate.mint({ sub: made.body.clientId, scope: 'webhooks:read' });
    expect((await gw.request('GET', '/v1/webhooks', undefined, { token: external })).status).toBe(200);
  });

  it('rate limits count the same subject of two issuers (and of the gateway) separately', async () => {
    const subject = `same-${randomUUID().slice(0, 8)}`;
    const fromCognito = cognitoToken(subject, [CaliperScope.WebhookReadonly]);
    for (let i = 0; i < RATE_LIMIT; i++) expect((await caliperList(fromCognito)).status).toBe(200);
    expect((await caliperList(fromCognito)).status).toBe(429);
    expect((await caliperList(corporate.mint({ sub: subject, scope: CaliperScope.WebhookReadonly }))).status).toBe(200);
    expect((await caliperList(gw.token({ sub: subject, scope: CaliperScope.WebhookReadonly }))).status).toBe(200);
  });
});

describe('auth: AUTH_ISSUERS at start-up', () => {
  it('an issuer naming no plugin stops start-up with one line naming the entry', () => {
    const config = loadConfig({ AUTH_ISSUERS: JSON.stringify([{ issuer: 'https://idp.test/', jwksUri: 'https://idp.test/jwks.json', plugins: ['core', 'calipr'] }]) });
    expect(() => AppModule.forRoot(config, PLUGIN_MODULES)).toThrow(/^Invalid configuration: AUTH_ISSUERS\[0\]\.plugins names unknown plugin "calipr" \(known: core, /);
  });
});
