import * as jwt from 'jsonwebtoken';
import { generateKeyPairSync } from 'node:crypto';
import { rawRows } from '../fixtures/raw-db';
import { useGateway } from '../support/fixture';
import { TEST_JWT_SECRET } from '../support/gateway';
import { LocalIdentityProvider, startIdentityProvider } from '../support/identity-provider';

const PROBLEM = 'application/problem+json';

describe('auth: OAuth2 client credentials (RFC 6749)', () => {
  const gw = useGateway();
  let client: { clientId: string; clientSecret: string };
  beforeAll(async () => {
    const created = await gw.request('POST', '/v1/clients', { name: 'billing', scopes: ['webhooks:read', 'webhooks:write'], tenant: 'acme' }, { token: gw.adminToken() });
    expect(created.status).toBe(201);
    client = created.body;
  });

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

  it('issues a token for a form body with client_secret_post', async () => {
    const res = await gw.request('POST', '/oauth2/token', undefined, { form: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number), scope: 'webhooks:read webhooks:write' });
    const claims = jwt.decode(res.body.access_token) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: client.clientId, tenant: 'acme', scope: 'webhooks:read webhooks:write' });
    const list = await gw.request('GET', '/v1/webhooks', undefined, { token: res.body.access_token });
    expect(list.status).toBe(200);
  });

  it('issues a token for a JSON body with client_secret_basic', async () => {
    const res = await gw.request('POST', '/oauth2/token', { grant_type: 'client_credentials' }, { headers: { authorization: basic(client.clientId, client.clientSecret) } });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
  });

  it('issues a token for a form body with client_secret_basic', async () => {
    const res = await gw.request('POST', '/oauth2/token', undefined, { form: { grant_type: 'client_credentials' }, headers: { authorization: basic(client.clientId, client.clientSecret) } });
    expect(res.status).toBe(200);
  });

  it('narrows the token to the requested scopes', async () => {
    const res = await gw.request('POST', '/oauth2/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: 'webhooks:read' });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('webhooks:read');
    const token = res.body.access_token;
    expect((await gw.request('GET', '/v1/webhooks', undefined, { token })).status).toBe(200);
    const write = await gw.request('POST', '/v1/webhooks', { url: 'https://example.com/h' }, { token });
    expect(write.status).toBe(403);
  });

  it('a wrong secret is invalid_client with 401 and WWW-Authenticate', async () => {
    const res = await gw.request('POST', '/oauth2/token', undefined, { form: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'hgcs_wrong' } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(res.headers['www-authenticate']).toMatch(/^Basic/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('an unknown client and a missing secret are invalid_client too', async () => {
    const unknown = await gw.request('POST', '/oauth2/token', { grant_type: 'client_credentials', client_id: 'hgc_nobody', client_secret: 'x' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('invalid_client');
    const noSecret = await gw.request('POST', '/oauth2/token', { grant_type: 'client_credentials', client_id: client.clientId });
    expect(noSecret.status).toBe(401);
    expect(noSecret.body.error).toBe('invalid_client');
  });

  it('a scope the client does not have is invalid_scope with 400', async () => {
    const res = await gw.request('POST', '/oauth2/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: 'webhooks:read admin' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_scope', error_description: expect.stringContaining('admin') });
  });

  it('another grant type is unsupported_grant_type with 400', async () => {
    const res = await gw.request('POST', '/oauth2/token', undefined, { form: { grant_type: 'password', username: 'u', password: 'p' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unsupported_grant_type', error_description: expect.any(String) });
  });

  it('a request without grant_type is invalid_request with 400', async () => {
    const res = await gw.request('POST', '/oauth2/token', { client_id: client.clientId, client_secret: client.clientSecret });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
  });

  it('a revoked client gets no more tokens', async () => {
    const created = await gw.request('POST', '/v1/clients', { name: 'temp', scopes: ['webhooks:read'] }, { token: gw.adminToken() });
    expect((await gw.request('DELETE', `/v1/clients/${created.body.clientId}`, undefined, { token: gw.adminToken() })).status).toBe(204);
    const res = await gw.request('POST', '/oauth2/token', { grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret });
    expect(res.status).toBe(401);
  });
});

describe('auth: clients and API keys are admin-only and stored hashed', () => {
  const gw = useGateway();

  it('only admin may create clients and API keys (403 problem+json otherwise)', async () => {
    const token = gw.token({ scope: 'webhooks:write events:publish deliveries:write audit:read' });
    for (const [path, body] of [['/v1/clients', { name: 'x', scopes: ['webhooks:read'] }], ['/v1/api-keys', { tenant: 'acme' }]] as const) {
      const res = await gw.request('POST', path, body, { token });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toContain(PROBLEM);
    }
  });

  it('a client secret is shown once and stored only as a hash', async () => {
    const created = await gw.request('POST', '/v1/clients', { name: 'svc', scopes: ['events:publish'] }, { token: gw.adminToken() });
    expect(created.status).toBe(201);
    expect(created.body.clientSecret).toMatch(/^hgcs_/);
    const list = await gw.request('GET', '/v1/clients', undefined, { token: gw.adminToken() });
    expect(list.text).not.toContain(created.body.clientSecret);
    expect(list.body.data.find((c: { clientId: string }) => c.clientId === created.body.clientId)).not.toHaveProperty('clientSecret');
    const rows = JSON.stringify(await rawRows(gw, 'oauth_clients'));
    expect(rows).toContain(created.body.clientId);
    expect(rows).not.toContain(created.body.clientSecret);
    expect(rows).not.toContain(created.body.clientSecret.slice(5));
  });

  it('an unknown scope for a client is refused with 400 naming scopes', async () => {
    const res = await gw.request('POST', '/v1/clients', { name: 'svc', scopes: ['webhooks:read', 'root'] }, { token: gw.adminToken() });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'scopes' })]);
  });

  it('an API key is shown once and stored only as a hash', async () => {
    const created = await gw.request('POST', '/v1/api-keys', { tenant: 'acme', name: 'PolyAI' }, { token: gw.adminToken() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), tenant: 'acme', key: expect.stringMatching(/^hgk_/) });
    const list = await gw.request('GET', '/v1/api-keys', undefined, { token: gw.adminToken() });
    expect(list.text).not.toContain(created.body.key);
    const rows = JSON.stringify(await rawRows(gw, 'api_keys'));
    expect(rows).toContain(created.body.id);
    expect(rows).not.toContain(created.body.key);
    expect(rows).not.toContain(created.body.key.slice(4));
  });
});

describe('auth: bearer tokens', () => {
  const gw = useGateway();

  const expect401 = async (token: string) => {
    const res = await gw.request('GET', '/v1/webhooks', undefined, { token });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  };

  it('no token is 401 problem+json', async () => {
    const res = await gw.request('GET', '/v1/webhooks');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain(PROBLEM);
  });

  it('an expired token is 401', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    await expect401(jwt.sign({ sub: 'tester', scope: 'webhooks:read', tenant: 'acme', iat: past - 60, exp: past }, TEST_JWT_SECRET, { algorithm: 'HS256' }));
  });

  it('a token signed with another secret is 401', async () => {
    await expect401(jwt.sign({ scope: 'admin', tenant: 'acme' }, 'another-secret-another-secret-another-secret', { algorithm: 'HS256', subject: 'mallory', expiresIn: 600 }));
  });

  it('an alg:none token is 401', async () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    await expect401(`${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'mallory', scope: 'admin', tenant: 'acme', iat: now, exp: now + 600 })}.`);
  });

  it('an RS256 token is 401 when no JWKS is configured', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect401(jwt.sign({ scope: 'admin' }, privateKey, { algorithm: 'RS256', subject: 'mallory', expiresIn: 600 }));
  });

  it('a token without sub is 401', async () => {
    await expect401(jwt.sign({ scope: 'admin', tenant: 'acme' }, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: 600 }));
  });

  it('a token missing the scope is 403 problem+json naming the scope', async () => {
    const res = await gw.request('POST', '/v1/webhooks', { url: 'https://example.com/h' }, { token: gw.token({ scope: 'webhooks:read' }) });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(res.body).toMatchObject({ status: 403, title: 'Forbidden', detail: expect.stringContaining('webhooks:write') });
  });
});

describe('auth: external IdP tokens (RS256 from a JWKS, the AUTH_JWKS_URI shorthand)', () => {
  const AUDIENCE = 'hookgate';
  let idp: LocalIdentityProvider;
  beforeAll(async () => {
    idp = await startIdentityProvider('https://idp.example.test/');
  });
  const gw = useGateway(() => ({ env: { AUTH_JWKS_URI: idp.jwksUri, AUTH_ISSUER: idp.issuer, AUTH_AUDIENCE: AUDIENCE } }));
  afterAll(() => idp.close());

  const external = (options: Parameters<LocalIdentityProvider['mint']>[1] = {}) => idp.mint({ scope: 'webhooks:read', tenant: 'acme' }, { subject: 'idp-user', audience: AUDIENCE, ...options });
  const list = (token: string) => gw.request('GET', '/v1/webhooks', undefined, { token });

  it('accepts an RS256 token with the right issuer and audience', async () => {
    expect((await list(external())).status).toBe(200);
  });

  it('refuses a wrong audience', async () => {
    expect((await list(external({ audience: 'someone-else' }))).status).toBe(401);
  });

  it('refuses a wrong issuer', async () => {
    expect((await list(external({ issuer: 'https://evil.example.test/' }))).status).toBe(401);
  });

  it('refuses a token signed by a key not in the JWKS', async () => {
    expect((await list(external({ key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }))).status).toBe(401);
  });

  it("still accepts the gateway's own HS256 tokens without iss/aud", async () => {
    expect((await list(gw.token({ scope: 'webhooks:read' }))).status).toBe(200);
  });
});
