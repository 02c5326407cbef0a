import { PLUGIN_MODULES } from '../../plugins';
import { LocalBackend } from '../../src/cli/local-backend';
import { AppConfig } from '../../src/config/app-config';
import { useGateway } from '../support/fixture';
import { eventually } from '../support/gateway';

/** Revocation is checked at most CLIENT_STATUS_TTL_MS (2 s) late in another process; the issue allows 5 s. */
const REVOCATION_DEADLINE_MS = 5000;

describe('auth: revoked credentials and expired tokens stop at once', () => {
  const gw = useGateway();
  let admin: string;

  beforeAll(() => {
    admin = gw.adminToken();
  });

  async function clientToken(): Promise<{ clientId: string; token: string }> {
    const created = await gw.request('POST', '/v1/clients', { name: 'revocable', scopes: ['webhooks:read'] }, { token: admin });
    expect(created.status).toBe(201);
    const issued = await gw.request('POST', '/oauth2/token', { grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret });
    expect(issued.status).toBe(200);
    return { clientId: created.body.clientId, token: issued.body.access_token };
  }

  const listWith = (token: string) => gw.request('GET', '/v1/webhooks', undefined, { token });

  it("revoking a client through the API makes its issued tokens 401 on the next request", async () => {
    const { clientId, token } = await clientToken();
    expect((await listWith(token)).status).toBe(200);
    expect((await gw.request('DELETE', `/v1/clients/${clientId}`, undefined, { token: admin })).status).toBe(204);
    const refused = await listWith(token);
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.detail).toBe('The client of this token has been revoked');
  });

  it('a client revoked with the CLI (another process on the same database) is refused within 5 s', async () => {
    const { clientId, token } = await clientToken();
    expect((await listWith(token)).status).toBe(200);
    const cli = await LocalBackend.open(Object.assign(new AppConfig(), gw.config), PLUGIN_MODULES, () => undefined);
    try {
      await cli.revokeClient(clientId);
    } finally {
      await cli.close();
    }
    // This gateway's cached look at the client is not yet stale: it must find out by itself.
    await eventually(async () => (await listWith(token)).status === 401, REVOCATION_DEADLINE_MS);
  });

  it('a header with anything after the token is 401, even right after the token itself was accepted', async () => {
    const token = gw.token({ scope: 'webhooks:read' });
    expect((await listWith(token)).status).toBe(200);
    for (const header of [`Bearer ${token} x`, `Bearer ${token},x`, `Bearer ${token} ${token}`, `Bearer  ${token}\tjunk`]) {
      const res = await gw.request('GET', '/v1/webhooks', undefined, { headers: { authorization: header } });
      expect({ header, status: res.status }).toEqual({ header, status: 401 });
    }
  });

  it('a token accepted (and cached) before its exp is 401 once exp has passed', async () => {
    const token = gw.token({ scope: 'webhooks:read' }, { expiresIn: 2 });
    expect((await listWith(token)).status).toBe(200);
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now())));
    expect((await listWith(token)).status).toBe(401);
  });

  it('a revoked API key is 401 on the next request', async () => {
    const created = await gw.request('POST', '/v1/api-keys', { tenant: 'revocable-account' }, { token: admin });
    expect(created.status).toBe(201);
    const list = () => gw.request('GET', '/polyai/v1/webhook-endpoints', undefined, { headers: { 'x-api-key': created.body.key } });
    expect((await list()).status).toBe(200);
    expect((await gw.request('DELETE', `/v1/api-keys/${created.body.id}`, undefined, { token: admin })).status).toBe(204);
    expect((await list()).status).toBe(401);
  });
});
